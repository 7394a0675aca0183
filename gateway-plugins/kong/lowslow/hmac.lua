-- HMAC-SHA256 for key_id and object hashes: OpenSSL through lua-resty-openssl, which ships with
-- Kong, and the plain-Lua sha256.lua only where that library is missing (tests under LuaJIT).
local ok, openssl_hmac = pcall(require, "resty.openssl.hmac")

local M = {}

if ok then
  M.backend = "openssl"

  --- The 32-byte HMAC-SHA256 of `msg` under `key`, or nil and an error.
  function M.sha256(key, msg)
    local h, err = openssl_hmac.new(key, "sha256")
    if not h then return nil, err end
    return h:final(msg)
  end
else
  M.backend = "lua"
  local hmac = require("kong.plugins.lowslow.sha256").hmac

  function M.sha256(key, msg)
    return hmac(key, msg)
  end
end

return M
