-- The plugin's schema: a description on every field, the secrets encrypted and referenceable,
-- and defaults equal to the agent's, so a key gets the same key_id through every gateway.
local helpers = require "spec.helpers"
local schema = require "kong.plugins.lowslow.schema"

local function config_fields()
  for _, f in ipairs(schema.fields) do
    if f.config then return f.config.fields end
  end
end

local function field(name)
  for _, f in ipairs(config_fields()) do
    if f[name] then return f[name] end
  end
end

describe("lowslow schema", function()
  it("is named lowslow and runs on HTTP protocols", function()
    assert.equal("lowslow", schema.name)
    assert.equal("protocols_http", schema.fields[1].protocols.typedef)
  end)

  it("describes every config field", function()
    local names = {}
    for _, f in ipairs(config_fields()) do
      local name, def = next(f)
      names[#names + 1] = name
      assert.is_string(def.description, name)
      assert.is_true(#def.description > 20, name)
    end
    assert.same({ "endpoint", "token", "secret", "gateway", "host", "key_headers", "bearer", "credential_fallback",
      "key_params", "raw_params", "truncate_ip", "timeout", "keepalive", "queue" }, names)
    assert.equal("queue", field("queue").typedef)
  end)

  it("sends batches by default: Kong's queue default of one entry per POST is raised to 100", function()
    assert.equal(100, field("queue").default.max_batch_size)
  end)

  it("marks the HMAC secret and the agent token encrypted and referenceable", function()
    local secret, token = field("secret"), field("token")
    assert.is_true(secret.required)
    assert.is_true(secret.encrypted)
    assert.is_true(secret.referenceable)
    assert.equal(16, secret.len_min)
    assert.is_true(token.encrypted)
    assert.is_true(token.referenceable)
    assert.is_nil(secret.default)
  end)

  it("defaults to the agent's own defaults (contracts/config.v1.json)", function()
    local config = helpers.read_json("contracts/config.v1.json")
    local sanitize = config.properties.sanitize.properties
    assert.same(sanitize.key_headers.default, field("key_headers").default)
    assert.same(sanitize.bearer.default, field("bearer").default)
    assert.same(sanitize.key_params.default, field("key_params").default)
    assert.equal(#sanitize.raw_params.default, #field("raw_params").default)
    assert.same(sanitize.truncate_ip.default, field("truncate_ip").default)
    local port = config.properties.inputs.properties.http.properties.port.default
    assert.equal("http://127.0.0.1:" .. port .. "/events", field("endpoint").default)
    assert.equal(config.properties.source.properties.gateway.pattern, "^[A-Za-z0-9_-]{1,64}$")
  end)
end)
