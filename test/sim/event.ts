/** One simulated request before it gets its id: times in ms epoch, integers. */
export interface SimRequest {
  startMs: number;
  latencyMs: number;
  /** Request end: what nginx logs as `$msec`. */
  endMs: number;
  method: string;
  uri: string;
  args: string;
  status: number;
  requestLength: number;
  bytesSent: number;
  remoteAddr: string;
  userAgent: string;
  /** Raw key from X-Api-Key, "" when none. */
  apiKey: string;
  /** Part of a planted attack (never written to the log; for tests and evaluation). */
  abusive: boolean;
}

/** A request in the merged, time-ordered stream. */
export interface SimEvent extends SimRequest {
  /** 32 lowercase hex characters, unique, like nginx `$request_id`. */
  requestId: string;
  /** Index of the stream (key) the request came from. */
  stream: number;
}
