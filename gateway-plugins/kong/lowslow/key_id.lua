-- key_id = the first 32 hex characters of hex(HMAC-SHA256(secret, raw key)) (DESIGN.md), the
-- same value the agent, the njs module and this plugin compute for a key; shared test vectors in
-- gateway-plugins/test-vectors/key-id.json. Recent keys are cached per secret, so the HMAC runs
-- once per key and worker, not once per request.
local hmac = require "kong.plugins.lowslow.hmac"

local byte, format, gsub = string.byte, string.format, string.gsub

local MAX_PER_GENERATION = 10000

local M = {}

local function hex(s)
  return (gsub(s, ".", function(c) return format("%02x", byte(c)) end))
end

--- Lower-case hex of the first `chars` / 2 bytes of HMAC-SHA256(secret, msg), or nil and an error.
function M.hmac_hex(secret, msg, chars)
  local digest, err = hmac.sha256(secret, msg)
  if not digest then return nil, err end
  return hex(digest:sub(1, chars / 2))
end

--- key_id for a raw key, or nil and an error.
function M.compute(secret, key)
  return M.hmac_hex(secret, key, 32)
end

-- Two generations per secret: a hit in the old one moves to the young one; when the young one
-- is full the old one is dropped. Bounded memory without reordering on every hit.
local caches = {}

--- key_id for a raw key, from the cache when this worker has seen the key before.
function M.get(secret, key)
  local c = caches[secret]
  if not c then
    c = { young = {}, old = {}, n = 0 }
    caches[secret] = c
  end
  local id = c.young[key]
  if id then return id end
  id = c.old[key]
  if not id then
    local err
    id, err = M.compute(secret, key)
    if not id then return nil, err end
  end
  if c.n >= MAX_PER_GENERATION then
    c.old, c.young, c.n = c.young, {}, 0
  end
  c.young[key] = id
  c.n = c.n + 1
  return id
end

--- Empties every cache (tests).
function M.reset()
  caches = {}
end

return M
