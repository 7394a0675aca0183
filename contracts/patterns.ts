/** Patterns the schemas use and the agent checks against, in a module of their own (no schema builder). */

/** A subject token: gateway and host names. */
export const TOKEN_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

/** Gateway object names (Kong service and route names or ids, Envoy clusters and routes): printable, no space, quote or backslash. */
export const GATEWAY_NAME_PATTERN = '^[A-Za-z0-9_.:|~@/+=-]{1,128}$';
