-- Required by every spec: maps kong.plugins.lowslow.* to ../lowslow/, stubs
-- the parts of Kong the plugin uses (the `kong` PDK global, `ngx.var`, kong.tools.queue,
-- resty.http, kong.db.schema.typedefs) and offers helpers to describe a request.
local here = debug.getinfo(1, "S").source:match("^@(.*)spec/helpers%.lua$") or "./"
local PLUGIN_DIR = here .. "lowslow/"
local REPO_ROOT = here .. "../../"

-- Busted insulates spec files (package.loaded is restored after each), so this runs once per
-- file; the loader is installed only once.
if not package.lowslow_loader then
  package.lowslow_loader = function(name)
    local m = name:match("^kong%.plugins%.lowslow%.(.+)$")
    if not m then return nil end
    local path = PLUGIN_DIR .. m:gsub("%.", "/") .. ".lua"
    local f, err = loadfile(path)
    if not f then return "\n\tno file " .. path .. " (" .. tostring(err) .. ")" end
    return f
  end
  table.insert(package.loaders, 2, package.lowslow_loader)
end

local dkjson = require "dkjson"

local helpers = { REPO_ROOT = REPO_ROOT, PLUGIN_DIR = PLUGIN_DIR }

function helpers.read_json(path)
  local f = assert(io.open(REPO_ROOT .. path, "rb"))
  local s = f:read("*a")
  f:close()
  return assert(dkjson.decode(s, 1, dkjson.null))
end

function helpers.decode(s)
  return assert(dkjson.decode(s, 1, dkjson.null))
end

helpers.json_null = dkjson.null

-- kong.tools.queue: records every enqueue instead of running timers.
local queue = { calls = {} }
package.preload["kong.tools.queue"] = function()
  return {
    get_plugin_params = function(name, conf, queue_name)
      local q = {}
      for k, v in pairs(conf.queue or {}) do q[k] = v end
      q.name = queue_name or kong.plugin.get_id()
      q.log_tag = name .. " plugin " .. kong.plugin.get_id()
      return q
    end,
    enqueue = function(queue_conf, handler, handler_conf, value)
      queue.calls[#queue.calls + 1] = { queue_conf = queue_conf, handler = handler, conf = handler_conf, value = value }
      return queue.result ~= false, queue.result == false and "queue full" or nil
    end,
  }
end
helpers.queue = queue

-- resty.http: answers with helpers.http.respond(uri, params) and records the requests.
local http = { requests = {} }
package.preload["resty.http"] = function()
  return {
    new = function()
      local c = {}
      function c:set_timeout(ms) self.timeout = ms end
      function c:request_uri(uri, params)
        http.requests[#http.requests + 1] = { uri = uri, params = params, timeout = self.timeout }
        return http.respond(uri, params)
      end
      return c
    end,
  }
end
helpers.http = http

-- kong.db.schema.typedefs: each typedef is a table that can be called with overrides.
package.preload["kong.db.schema.typedefs"] = function()
  local function typedef(base)
    return setmetatable(base, {
      __call = function(self, overrides)
        local t = {}
        for k, v in pairs(self) do t[k] = v end
        for k, v in pairs(overrides or {}) do t[k] = v end
        return t
      end,
    })
  end
  return {
    url = typedef({ type = "string", typedef = "url", description = "A URL." }),
    header_name = typedef({ type = "string", typedef = "header_name" }),
    protocols_http = typedef({ type = "set", typedef = "protocols_http", description = "Protocols." }),
    queue = typedef({ type = "record", typedef = "queue", description = "Kong's queue settings.", fields = {} }),
  }
end

--- A plugin config with the schema's defaults, changed by `overrides`.
function helpers.conf(overrides)
  local c = {
    endpoint = "http://127.0.0.1:8081/events",
    secret = "kong-spec-secret-0123456789",
    gateway = "kong",
    key_headers = { "x-api-key", "apikey", "api-key" },
    bearer = true,
    credential_fallback = true,
    key_params = { "api_key", "apikey", "key", "access_token", "token" },
    raw_params = {},
    truncate_ip = false,
    timeout = 10000,
    keepalive = 60000,
    queue = { max_batch_size = 100, max_coalescing_delay = 1 },
  }
  for k, v in pairs(overrides or {}) do c[k] = v end
  return c
end

--- Installs `kong` and `ngx` globals describing one request; answers the log they write to.
--- `r` fields (all optional): method, path, query, headers (name -> string or list), ip,
--- start_ms, status, request_id, request_length, bytes_sent, request_time, credential_id,
--- consumer_id, service, route (tables as kong.router returns them), hostname.
function helpers.request(r)
  r = r or {}
  local headers = {}
  for name, v in pairs(r.headers or {}) do headers[name:lower()] = v end
  local log = { err = {}, warn = {}, debug = {} }
  local function logger(level)
    return function(...)
      local parts = {}
      for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
      log[level][#log[level] + 1] = table.concat(parts)
    end
  end
  _G.kong = {
    request = {
      get_header = function(name)
        local v = headers[name:lower()]
        if type(v) == "table" then return v[1] end
        return v
      end,
      get_method = function() return r.method or "GET" end,
      get_path = function() return r.path or "/" end,
      get_raw_query = function() return r.query or "" end,
      get_start_time = function() return r.start_ms or 1795600000123 end,
    },
    client = {
      get_forwarded_ip = function() return r.ip or "203.0.113.7" end,
      get_credential = function() return r.credential_id and { id = r.credential_id } or nil end,
      get_consumer = function() return r.consumer_id and { id = r.consumer_id } or nil end,
    },
    router = {
      get_service = function() return r.service end,
      get_route = function() return r.route end,
    },
    response = { get_status = function() return r.status or 200 end },
    node = { get_hostname = function() return r.hostname or "gw-01.example.internal" end },
    plugin = { get_id = function() return "3a5b2c1d-0000-4000-8000-000000000001" end },
    log = { err = logger("err"), warn = logger("warn"), debug = logger("debug") },
  }
  _G.ngx = {
    var = {
      request_id = r.request_id == nil and "0123456789abcdef0123456789abcdef" or r.request_id,
      request_length = r.request_length or "321",
      bytes_sent = r.bytes_sent or "1234",
      request_time = r.request_time or "0.042",
    },
    worker = { pid = function() return 4242 end },
    null = helpers.json_null,
  }
  return log
end

return helpers
