-- Configuration of the lowslow plugin. Keep key_headers, bearer, key_params and raw_params equal
-- to the agent's sanitize.* settings, so a key gets the same key_id through every gateway.
local typedefs = require "kong.db.schema.typedefs"

local TOKEN = "^[A-Za-z0-9_-]+$"

return {
  name = "lowslow",
  fields = {
    { protocols = typedefs.protocols_http },
    { config = {
        type = "record",
        fields = {
          { endpoint = typedefs.url({
              required = true,
              default = "http://127.0.0.1:8081/events",
              description = "The lowslow agent's HTTP input, POST /events (inputs.http on the agent). Keep it on this host or a private network: events carry no secrets, but they describe your traffic.",
          }) },
          { token = {
              type = "string",
              required = false,
              encrypted = true,
              referenceable = true,
              description = "Sent as `Authorization: Bearer <token>` when set; must equal the agent's inputs.http.token. A vault reference such as {vault://env/lowslow-http-token} keeps it out of Kong's database.",
          } },
          { secret = {
              type = "string",
              required = true,
              encrypted = true,
              referenceable = true,
              len_min = 16,
              description = "HMAC secret that turns raw API keys into key_id; the same value as the agent's LOWSLOW_KEY_SECRET. Use a vault reference such as {vault://env/lowslow-key-secret}, never a literal in a file in a repository.",
          } },
          { gateway = {
              type = "string",
              required = true,
              default = "kong",
              match = TOKEN,
              len_max = 64,
              description = "Gateway name in events (source.gateway), NATS subjects and alerts.",
          } },
          { host = {
              type = "string",
              required = false,
              match = TOKEN,
              len_max = 64,
              description = "Host name in events (source.host); unset: this node's hostname, with characters other than letters, digits, _ and - replaced by _.",
          } },
          { key_headers = {
              type = "array",
              required = true,
              default = { "x-api-key", "apikey", "api-key" },
              elements = typedefs.header_name,
              description = "Request headers that may carry the API key, first match wins (the agent's sanitize.key_headers).",
          } },
          { bearer = {
              type = "boolean",
              required = true,
              default = true,
              description = "Use the token of `Authorization: Bearer <token>` as the key when no key header holds one (the agent's sanitize.bearer). Other Authorization schemes are never a key.",
          } },
          { credential_fallback = {
              type = "boolean",
              required = true,
              default = true,
              description = "When no header holds a key but Kong authenticated the request (for example key-auth with hide_credentials), use the credential id, else the consumer id, as the key. Such a key_id differs from the one the key itself would get.",
          } },
          { key_params = {
              type = "array",
              required = true,
              default = { "api_key", "apikey", "key", "access_token", "token" },
              elements = { type = "string" },
              description = "Query parameters that may carry the key (case-insensitive): used for key_id when nothing else holds a key, and never described in the event (the agent's sanitize.key_params).",
          } },
          { raw_params = {
              type = "array",
              required = true,
              default = {},
              elements = { type = "string" },
              description = "Query parameters whose raw value (up to 64 characters) goes into the event; every other value is reduced to its shape (the agent's sanitize.raw_params).",
          } },
          { truncate_ip = {
              type = "boolean",
              required = true,
              default = false,
              description = "Send client addresses truncated to /24 (IPv4) or /48 (IPv6) (the agent's sanitize.truncate_ip).",
          } },
          { timeout = {
              type = "number",
              required = true,
              default = 10000,
              gt = 0,
              description = "Milliseconds to wait for the agent when sending a batch.",
          } },
          { keepalive = {
              type = "number",
              required = true,
              default = 60000,
              gt = 0,
              description = "Milliseconds an idle connection to the agent is kept open.",
          } },
          -- Kong's queue settings (Kong 3.3+); Kong's own default batch is a single entry, so
          -- each request would be one POST. Batches of up to 100 events by default, as the agent
          -- takes them in one request.
          { queue = typedefs.queue {
              default = {
                max_batch_size = 100,
              },
          } },
        },
      },
    },
  },
}
