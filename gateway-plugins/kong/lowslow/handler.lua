-- lowslow Kong plugin: in the log phase, after the response has been sent, builds the request's
-- AccessEvent v1 (event.lua: key_id by HMAC, route template, query shapes; never the raw key,
-- a header other than User-Agent, a body or a raw query value) and puts it on Kong's queue. The
-- queue, on its own timer, POSTs batches as a JSON array to the lowslow agent's HTTP input
-- (`POST /events`) and retries with backoff, as the bundled http-log plugin does. Nothing here
-- runs before the response or can change it; a failure is logged and the request is not touched.
local Queue = require "kong.tools.queue"
local http = require "resty.http"
local event = require "kong.plugins.lowslow.event"
local json = require "kong.plugins.lowslow.json"

local concat = table.concat
local MAX_ERROR_BODY = 200

local LowslowHandler = {
  -- After the authentication plugins (key-auth is 1250) and http-log (12), like other loggers.
  PRIORITY = 11,
  VERSION = "0.1.0",
}

--- Queue handler: one POST of `entries` (encoded events) as a JSON array. true when the agent took
--- them or can never take them (4xx: retrying would not help); nil and an error to retry.
local function send_entries(conf, entries)
  local httpc = http.new()
  httpc:set_timeout(conf.timeout)
  local headers = { ["Content-Type"] = "application/json" }
  if conf.token then headers["Authorization"] = "Bearer " .. conf.token end
  local res, err = httpc:request_uri(conf.endpoint, {
    method = "POST",
    headers = headers,
    body = "[" .. concat(entries, ",") .. "]",
    keepalive_timeout = conf.keepalive,
  })
  if not res then
    return nil, "lowslow: cannot reach the agent at " .. conf.endpoint .. " (config.endpoint): " .. tostring(err)
  end
  local status = res.status
  if status >= 200 and status < 300 then return true end
  local answer = type(res.body) == "string" and res.body:sub(1, MAX_ERROR_BODY) or ""
  if status >= 400 and status < 500 and status ~= 408 and status ~= 429 then
    kong.log.err("lowslow: the agent at ", conf.endpoint, " refused ", #entries, " events with status ", status,
      " (dropped, not retried; check config.endpoint and config.token): ", answer)
    return true
  end
  return nil, "lowslow: the agent at " .. conf.endpoint .. " answered " .. status .. ": " .. answer
end

function LowslowHandler:log(conf)
  local ok, entry = pcall(event.build, conf)
  if not ok then
    -- The message is this plugin's own, never request content.
    kong.log.err("lowslow: could not build the event: ", entry)
    return
  end
  local queue_conf = Queue.get_plugin_params("lowslow", conf)
  local queued, err = Queue.enqueue(queue_conf, send_entries, conf, json.encode(entry))
  if not queued then kong.log.err("lowslow: could not queue the event: ", err) end
end

-- For the specs.
LowslowHandler._send_entries = send_entries

return LowslowHandler
