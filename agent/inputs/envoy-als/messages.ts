/**
 * Decoded ALS messages as @grpc/proto-loader hands them over with LOADER_OPTIONS (proto field
 * names, unset scalars at their defaults, unset messages null, unset oneof members absent). Only
 * the fields of our .proto.
 */
export interface Duration {
  seconds: number;
  nanos: number;
}

export interface AlsCommon {
  downstream_remote_address: { socket_address: { address: string; port_value?: number } | null } | null;
  start_time: Duration | null;
  time_to_last_downstream_tx_byte: Duration | null;
  upstream_cluster: string;
  route_name: string;
  duration: Duration | null;
  stream_id: string;
  access_log_type: string;
}

export interface AlsRequest {
  request_method: string;
  path: string;
  user_agent: string;
  forwarded_for: string;
  request_id: string;
  original_path: string;
  request_headers_bytes: number;
  request_body_bytes: number;
  request_headers: Record<string, string>;
}

export interface AlsResponse {
  response_code: { value: number } | null;
  response_headers_bytes: number;
  response_body_bytes: number;
}

export interface AlsHttpEntry {
  common_properties: AlsCommon | null;
  request: AlsRequest | null;
  response: AlsResponse | null;
}

export interface StreamAccessLogsMessage {
  identifier: { node: { id: string; cluster: string } | null; log_name: string } | null;
  /** Members of the `log_entries` oneof: at most one is present. */
  http_logs?: { log_entry: AlsHttpEntry[] } | null;
  tcp_logs?: { log_entry: unknown[] } | null;
}
