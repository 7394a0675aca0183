-- key_id: HMAC-SHA256 as DESIGN.md defines it, held to the shared vectors every lowslow
-- component uses (gateway-plugins/test-vectors/key-id.json), through both backends.
local helpers = require "spec.helpers"

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

describe("lowslow key_id", function()
  local vectors = helpers.read_json("gateway-plugins/test-vectors/key-id.json").vectors

  before_each(function()
    package.loaded["kong.plugins.lowslow.hmac"] = nil
    package.loaded["kong.plugins.lowslow.key_id"] = nil
    package.preload["resty.openssl.hmac"] = nil
    package.loaded["resty.openssl.hmac"] = nil
  end)

  it("runs under LuaJIT, as Kong does", function()
    assert.is_table(jit)
    assert.is_table(require("bit"))
  end)

  it("matches every shared test vector (plain-Lua SHA-256, as under LuaJIT without OpenSSL)", function()
    local key_id = require "kong.plugins.lowslow.key_id"
    assert.equal("lua", require("kong.plugins.lowslow.hmac").backend)
    assert.is_true(#vectors >= 4)
    for _, v in ipairs(vectors) do
      assert.equal(v.key_id, key_id.compute(v.secret, v.key), "vector for key " .. v.key)
    end
  end)

  it("computes consumer_id as the shared consumer vectors say", function()
    local key_id = require "kong.plugins.lowslow.key_id"
    local consumers = helpers.read_json("gateway-plugins/test-vectors/key-id.json").consumer_vectors
    assert.is_true(#consumers >= 3)
    for _, v in ipairs(consumers) do
      assert.equal(v.consumer_id, key_id.hmac_hex(v.secret, "consumer:" .. v.consumer, 32), "vector for consumer " .. v.consumer)
    end
  end)

  it("computes SHA-256 and HMAC-SHA256 as FIPS 180-4 and RFC 4231 say", function()
    local sha = require "kong.plugins.lowslow.sha256"
    assert.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex(sha.sha256("abc")))
    assert.equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex(sha.sha256("")))
    assert.equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
      hex(sha.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))
    assert.equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", hex(sha.sha256(string.rep("a", 1000000))))
    -- RFC 4231 test cases 1, 2 and 6 (a key longer than the block size).
    assert.equal("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", hex(sha.hmac(string.rep("\11", 20), "Hi There")))
    assert.equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", hex(sha.hmac("Jefe", "what do ya want for nothing?")))
    assert.equal("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
      hex(sha.hmac(string.rep("\170", 131), "Test Using Larger Than Block-Size Key - Hash Key First")))
  end)

  it("uses lua-resty-openssl when Kong has it: new(secret, 'sha256') and final(key)", function()
    local sha = require "kong.plugins.lowslow.sha256"
    local calls = {}
    package.preload["resty.openssl.hmac"] = function()
      return {
        new = function(key, digest)
          calls[#calls + 1] = digest
          return { final = function(_, msg) return sha.hmac(key, msg) end }
        end,
      }
    end
    local hmac = require "kong.plugins.lowslow.hmac"
    assert.equal("openssl", hmac.backend)
    local key_id = require "kong.plugins.lowslow.key_id"
    for _, v in ipairs(vectors) do assert.equal(v.key_id, key_id.compute(v.secret, v.key)) end
    assert.same("sha256", calls[1])
    assert.equal(#vectors, #calls)
  end)

  it("reports an OpenSSL failure instead of a wrong key_id", function()
    package.preload["resty.openssl.hmac"] = function()
      return { new = function() return nil, "digest not available" end }
    end
    local key_id = require "kong.plugins.lowslow.key_id"
    local id, err = key_id.compute("s", "k")
    assert.is_nil(id)
    assert.equal("digest not available", err)
  end)

  it("answers from its cache what the HMAC answers, across cache generations", function()
    local key_id = require "kong.plugins.lowslow.key_id"
    local secret = "cache-secret-0123456"
    for _ = 1, 3 do
      for i = 1, 25000, 997 do
        assert.equal(key_id.compute(secret, "key-" .. i), key_id.get(secret, "key-" .. i))
      end
    end
    assert.are_not.equal(key_id.get(secret, "k"), key_id.get("another-secret-0123", "k"))
  end)
end)
