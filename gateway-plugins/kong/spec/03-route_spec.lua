-- Route templates: the same as the agent's (agent/sanitize/route.ts and its tests).
require "spec.helpers"
local route = require "kong.plugins.lowslow.route"

local function hash(s) return "h" .. #s end

describe("lowslow route templates", function()
  local cases = {
    { "/v1/customers/123", "/v1/customers/{int}", { 123 } },
    { "/v1/customers/123/orders/9", "/v1/customers/{int}/orders/{int}", { 123, 9 } },
    { "/v1/invoices/3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f", "/v1/invoices/{uuid}", { "h36" } },
    { "/v1/blobs/deadbeefdeadbeef00", "/v1/blobs/{hex}", { "h18" } },
    { "/v1/users/jane.doe@example.com", "/v1/users/{email}", { "h20" } },
    { "/v1/products/SKU-12345", "/v1/products/{id}", { "h9" } },
    { "/v2beta/oauth2/token", "/v2beta/oauth2/token", {} },
    { "/", "/", {} },
    { "/v1/customers/", "/v1/customers/", {} },
  }
  for _, c in ipairs(cases) do
    it(c[1] .. " -> " .. c[2], function()
      local r, objects = route.template(c[1], hash)
      assert.equal(c[2], r)
      assert.same(c[3], objects)
    end)
  end

  it("keeps words as words", function()
    for _, w in ipairs({ "customers", "v1", "healthz", "oauth2", "api", "café" }) do assert.is_nil(route.classify(w)) end
  end)

  it("bounds segments, objects and length", function()
    local parts = {}
    for i = 0, 99 do parts[#parts + 1] = tostring(i) end
    local r, objects = route.template("/" .. table.concat(parts, "/"), hash)
    assert.equal(16, #objects)
    assert.truthy(r:find("/{more}$"))
    assert.is_true(#r <= 512)
    assert.equal("/{id}", (route.template("/" .. string.rep("z", 5000), hash)))
  end)

  it("stays linear on hostile input", function()
    local t = os.clock()
    route.template("/" .. string.rep("a@", 50000) .. "/" .. string.rep("-", 100000), hash)
    assert.is_true(os.clock() - t < 0.5)
  end)
end)
