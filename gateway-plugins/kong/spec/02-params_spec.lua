-- Query shapes: the same as the agent's (agent/sanitize/params.ts); the vitest parity test
-- (test/unit/gateway-plugins/kong-events.test.ts) compares them on generated queries.
require "spec.helpers"
local params = require "kong.plugins.lowslow.params"

local KEYS = { api_key = true, apikey = true, key = true, access_token = true, token = true }

describe("lowslow query shapes", function()
  it("keeps numbers with their value and describes everything else by shape", function()
    local shapes, key = params.shape_query("page=3&limit=500&q=hello%20world&ratio=0.25&flag=true", KEYS, {})
    assert.is_nil(key)
    assert.same({
      { name = "page", type = "int", len = 1, chars = "d", value = 3 },
      { name = "limit", type = "int", len = 2, chars = "d", value = 500 },
      { name = "q", type = "str", len = 4, chars = "as" },
      { name = "ratio", type = "num", len = 3, chars = "ds", value = 0.25 },
      { name = "flag", type = "bool", len = 3, chars = "a" },
    }, shapes)
  end)

  it("classifies uuid, hex, date, email, list and empty values", function()
    local shapes = params.shape_query(
      "id=3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f&sig=deadbeefdeadbeef00&since=2024-01-05&to=jane.doe%40example.com&ids=1,2,3&x=&y",
      KEYS, {})
    local types = {}
    for i, s in ipairs(shapes) do types[i] = s.type end
    assert.same({ "uuid", "hex", "date", "email", "list", "empty", "empty" }, types)
    for _, s in ipairs(shapes) do assert.is_nil(s.value) end
  end)

  it("takes the first non-empty key parameter out, whatever its case, and never describes it", function()
    local shapes, key = params.shape_query("API_KEY=&Api_Key=sk_live_123&page=2&token=other", KEYS, {})
    assert.equal("sk_live_123", key)
    assert.same({ { name = "page", type = "int", len = 1, chars = "d", value = 2 } }, shapes)
  end)

  it("keeps raw values only for allow-listed names, and numbers as numbers there too", function()
    local shapes = params.shape_query("sort=created_at&page=2&q=secret", KEYS, { sort = true, page = true })
    assert.equal("created_at", shapes[1].value)
    assert.equal(2, shapes[2].value)
    assert.is_nil(shapes[3].value)
  end)

  it("decodes like decodeURIComponent: + is a space, a bad escape or bad UTF-8 leaves the value as it was", function()
    local shapes = params.shape_query("a=x+y&b=%zz&c=%E0%A4%A&d=%C3%BC&e=%ED%A0%80", KEYS, {})
    assert.same({ "as", "as", "Ads", "x", "Ads" }, { shapes[1].chars, shapes[2].chars, shapes[3].chars, shapes[4].chars, shapes[5].chars })
    -- "ü" is one UTF-16 unit: length class 1.
    assert.equal(1, shapes[4].len)
  end)

  it("replaces names that are not plain words, and stops after 32 parameters", function()
    local shapes = params.shape_query("a%20b=1&filter[name]=2&%3Cscript%3E=3", KEYS, {})
    assert.same({ "{name}", "filter[name]", "{name}" }, { shapes[1].name, shapes[2].name, shapes[3].name })
    local many = {}
    for i = 1, 50 do many[i] = "p" .. i .. "=" .. i end
    assert.equal(32, #params.shape_query(table.concat(many, "&"), KEYS, {}))
  end)

  it("counts lengths in UTF-16 units, as the agent does", function()
    local shapes = params.shape_query("e=%F0%9F%98%80&u=" .. string.rep("%C3%BC", 4), KEYS, {})
    assert.equal(2, shapes[1].len) -- one emoji: 2 units
    assert.equal(3, shapes[2].len) -- four ü: 4 units
  end)
end)
