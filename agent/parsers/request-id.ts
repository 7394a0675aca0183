/**
 * A gateway request id is kept only when it looks like one (UUIDs, hex, NGINX `$request_id`):
 * anything else is dropped and the sanitizer derives an id from the line.
 */
const REQUEST_ID = /^[0-9A-Za-z_-]{8,64}$/;

export function requestIdOrNull(value: string): string | null {
  return REQUEST_ID.test(value) ? value : null;
}
