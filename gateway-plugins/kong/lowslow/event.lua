-- The AccessEvent v1 (contracts/access-event.v1.json) for the request being logged, built in the
-- log phase from Kong's PDK and nginx variables the way the agent's sanitizer builds one from a
-- log line: the raw key becomes key_id, the path a route template with its object ids taken out
-- (numbers kept, others as keyed hashes), query values shapes. No header other than User-Agent,
-- no body and no raw query value goes into it.
local json = require "kong.plugins.lowslow.json"
local key_id = require "kong.plugins.lowslow.key_id"
local params = require "kong.plugins.lowslow.params"
local route = require "kong.plugins.lowslow.route"
local text = require "kong.plugins.lowslow.text"

local find, gsub, lower, match, sub = string.find, string.gsub, string.lower, string.match, string.sub
local floor = math.floor

local MAX_UA_BYTES = 256
local BEARER = "bearer "

local M = {}

local function trim(s)
  return match(s, "^%s*(.-)%s*$")
end

--- The token of `Bearer <token>` (scheme case-insensitive), or nil.
function M.bearer_token(value)
  if #value <= #BEARER or lower(sub(value, 1, #BEARER)) ~= BEARER then return nil end
  local token = trim(sub(value, #BEARER + 1))
  return token ~= "" and token or nil
end

--- A key header's value as a raw key: nil when empty or `-`, for a Bearer token when `bearer` is
--- off, and for Basic, Digest and Negotiate credentials, which are never a key.
function M.key_from_header_value(value, bearer)
  local v = trim(value)
  if v == "" or v == "-" then return nil end
  local space = find(v, " ", 1, true)
  if not space then return v end
  local scheme = lower(sub(v, 1, space - 1))
  if scheme == "bearer" then return bearer and M.bearer_token(v) or nil end
  if scheme == "basic" or scheme == "digest" or scheme == "negotiate" then return nil end
  return v
end

--- The raw key from the request: the first key header, else a Bearer token, else (when Kong
--- authenticated the request) the credential id, else the consumer id. nil when none.
local function raw_key(conf)
  for _, name in ipairs(conf.key_headers) do
    local v = kong.request.get_header(name)
    if type(v) == "string" then
      local key = M.key_from_header_value(v, conf.bearer)
      if key then return key end
    end
  end
  if conf.bearer then
    local auth = kong.request.get_header("authorization")
    local token = type(auth) == "string" and M.bearer_token(auth) or nil
    if token then return token end
  end
  if conf.credential_fallback then
    -- key-auth with hide_credentials removes the key header before this phase; the credential
    -- (one per key) still identifies it.
    local credential = kong.client.get_credential()
    if credential and credential.id then return tostring(credential.id) end
    local consumer = kong.client.get_consumer()
    if consumer and consumer.id then return tostring(consumer.id) end
  end
  return nil
end

--- Addresses are short and printable; anything else is replaced, never passed on.
function M.clean_ip(ip)
  if type(ip) ~= "string" or #ip > 64 or find(ip, "[^0-9:A-Fa-f%.]") then return "" end
  return ip
end

function M.truncate_ip(ip)
  local a, b, c = match(ip, "^(%d%d?%d?)%.(%d%d?%d?)%.(%d%d?%d?)%.%d%d?%d?$")
  if a then return a .. "." .. b .. "." .. c .. ".0" end
  if find(ip, ":", 1, true) then
    local groups, n = {}, 0
    for g in (ip .. ":"):gmatch("([^:]*):") do
      n = n + 1
      if n > 3 then break end
      groups[n] = g
    end
    return table.concat(groups, ":") .. "::"
  end
  return ip
end

--- This machine's name as a subject token, as the agent makes it.
function M.host_token(name)
  local h = sub(gsub(name or "", "[^A-Za-z0-9_-]", "_"), 1, 64)
  return h ~= "" and h or "host"
end

-- Sets built from a plugin config's lists, once per config table.
local sets = setmetatable({}, { __mode = "k" })

local function sets_of(conf)
  local s = sets[conf]
  if s then return s end
  s = { key_params = {}, raw_params = {} }
  for _, p in ipairs(conf.key_params or {}) do s.key_params[lower(p)] = true end
  for _, p in ipairs(conf.raw_params or {}) do s.raw_params[p] = true end
  sets[conf] = s
  return s
end

local fallback_ids = 0

--- nginx's $request_id (32 hex characters), or an id derived from what identifies the request.
local function request_id(conf, start_ms)
  local id = ngx.var.request_id
  if type(id) == "string" and #id >= 8 and #id <= 64 and not find(id, "[^0-9A-Za-z_-]") then return id end
  fallback_ids = fallback_ids + 1
  return key_id.hmac_hex(conf.secret, "id:" .. start_ms .. ":" .. ngx.worker.pid() .. ":" .. fallback_ids, 32)
end

-- Gateway object names as AccessEvent's context takes them (contracts: GATEWAY_NAME_PATTERN).
local function gateway_name(v)
  if type(v) ~= "string" or #v < 1 or #v > 128 or find(v, "[^A-Za-z0-9_.:|~@/+=-]") then return nil end
  return v
end

--- The event's context: Kong's service and route (names, else ids) and the consumer as a keyed
--- hash (consumer_id); nil when Kong knows none of them.
function M.context(secret)
  local service = kong.router.get_service()
  local r = kong.router.get_route()
  local consumer = kong.client.get_consumer()
  local c, any = {}, false
  if consumer and consumer.id then
    c.consumer_id = assert(key_id.hmac_hex(secret, "consumer:" .. tostring(consumer.id), 32))
    any = true
  end
  if service then
    c.service = gateway_name(service.name) or gateway_name(service.id)
    any = any or c.service ~= nil
  end
  if r then
    c.route_name = gateway_name(r.name) or gateway_name(r.id)
    any = any or c.route_name ~= nil
  end
  return any and c or nil
end

local function number_var(name)
  local n = tonumber(ngx.var[name])
  return n and n >= 0 and n or 0
end

--- The AccessEvent for the current request (a Lua table; encode with json.encode).
function M.build(conf)
  local secret = conf.secret
  local s = sets_of(conf)
  local start_ms = floor(kong.request.get_start_time())
  local shapes, key_from_query = params.shape_query(kong.request.get_raw_query(), s.key_params, s.raw_params)
  local key = raw_key(conf) or key_from_query
  local kid = json.null
  if key then kid = assert(key_id.get(secret, key)) end
  local templated, objects = route.template(kong.request.get_path(), function(segment)
    return assert(key_id.hmac_hex(secret, "object:" .. segment, 12))
  end)
  local method = kong.request.get_method() or ""
  if #method > 16 or not match(method, "^[A-Z]+$") then method = "OTHER" end
  local ip = M.clean_ip(kong.client.get_forwarded_ip())
  if conf.truncate_ip then ip = M.truncate_ip(ip) end
  local ua = kong.request.get_header("user-agent")
  local status = kong.response.get_status() or 0
  return {
    v = 1,
    id = request_id(conf, start_ms),
    ts = start_ms,
    source = { gateway = conf.gateway, host = conf.host or M.host_token(kong.node.get_hostname()) },
    key_id = kid,
    client = { ip = ip, ua = type(ua) == "string" and text.truncate(ua, MAX_UA_BYTES) or "" },
    request = {
      method = method,
      route = templated,
      objects = json.array(objects),
      params = json.array(shapes),
      bytes = floor(number_var("request_length")),
    },
    response = {
      status = status > 999 and 0 or status,
      bytes = floor(number_var("bytes_sent")),
      latency_ms = floor(number_var("request_time") * 1000 + 0.5),
    },
    context = M.context(secret),
  }
end

return M
