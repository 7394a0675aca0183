-- The log phase: one sanitized AccessEvent per request, queued as JSON; the raw key, headers
-- other than User-Agent, the body and raw query values never reach it; nothing ever throws.
local helpers = require "spec.helpers"

local SECRET = "kong-spec-secret-0123456789"

describe("lowslow log phase", function()
  local handler, key_id

  setup(function()
    handler = require "kong.plugins.lowslow.handler"
    key_id = require "kong.plugins.lowslow.key_id"
  end)

  before_each(function()
    helpers.queue.calls = {}
    helpers.queue.result = nil
  end)

  --- Runs the log phase for request `r` with config overrides; answers the queued event (decoded),
  --- the raw queued JSON and the log.
  local function log(r, overrides)
    local log_lines = helpers.request(r)
    handler:log(helpers.conf(overrides))
    local call = helpers.queue.calls[#helpers.queue.calls]
    if not call then return nil, nil, log_lines end
    return helpers.decode(call.value), call.value, log_lines
  end

  it("queues an AccessEvent v1 describing the request", function()
    local e = log({
      method = "GET",
      path = "/v1/customers/1042/invoices/3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f",
      query = "page=3&q=secret%20words",
      headers = { ["X-Api-Key"] = "sk_live_4eC39HqLyjWDarjtT1zdp7dc", ["User-Agent"] = "curl/8.5.0" },
      ip = "203.0.113.7",
      start_ms = 1795600000123.6,
      status = 200,
      request_id = "0123456789abcdef0123456789abcdef",
      request_length = "321",
      bytes_sent = "1234",
      request_time = "0.0426",
    })
    assert.same({
      v = 1,
      id = "0123456789abcdef0123456789abcdef",
      ts = 1795600000123,
      source = { gateway = "kong", host = "gw-01_example_internal" },
      key_id = key_id.compute(SECRET, "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
      client = { ip = "203.0.113.7", ua = "curl/8.5.0" },
      request = {
        method = "GET",
        route = "/v1/customers/{int}/invoices/{uuid}",
        objects = { 1042, key_id.hmac_hex(SECRET, "object:3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f", 12) },
        params = {
          { name = "page", type = "int", len = 1, chars = "d", value = 3 },
          { name = "q", type = "str", len = 4, chars = "as" },
        },
        bytes = 321,
      },
      response = { status = 200, bytes = 1234, latency_ms = 43 },
    }, e)
    assert.equal("lowslow", helpers.queue.calls[1].queue_conf.log_tag:match("^(%S+)"))
    assert.equal(handler._send_entries, helpers.queue.calls[1].handler)
  end)

  it("finds the key in a key header, then a Bearer token, then the credential, the consumer, a key parameter", function()
    local id = function(k) return key_id.compute(SECRET, k) end
    local all = {
      headers = { apikey = "k-header", authorization = "Bearer k-bearer" },
      credential_id = "k-credential", consumer_id = "k-consumer", query = "api_key=k-query",
    }
    assert.equal(id("k-header"), (log(all)).key_id)
    all.headers.apikey = nil
    assert.equal(id("k-bearer"), (log(all)).key_id)
    all.headers.authorization = "Basic dXNlcjpwYXNz"
    assert.equal(id("k-credential"), (log(all)).key_id)
    all.credential_id = nil
    assert.equal(id("k-consumer"), (log(all)).key_id)
    all.consumer_id = nil
    assert.equal(id("k-query"), (log(all)).key_id)
    assert.equal(id("k-query"), (log({ credential_id = "c", query = "token=k-query" }, { credential_fallback = false })).key_id)
    assert.equal(id("first"), (log({ headers = { ["x-api-key"] = { "first", "second" } } })).key_id)
    assert.equal(helpers.json_null, (log({ headers = { authorization = "Bearer t" } }, { bearer = false })).key_id)
  end)

  it("adds Kong's service, route and consumer as context, the consumer as a keyed hash", function()
    local e = log({
      consumer_id = "c0ffee00-0000-4000-8000-000000000001",
      service = { id = "5ce1e279-ae5d-4081-bfff-fff074328d18", name = "orders-api" },
      route = { id = "7d1e0c2b-1111-4222-8333-444455556666", name = "has space" },
    })
    assert.same({
      consumer_id = key_id.hmac_hex(SECRET, "consumer:c0ffee00-0000-4000-8000-000000000001", 32),
      service = "orders-api",
      -- A name the contract refuses gives way to the id.
      route_name = "7d1e0c2b-1111-4222-8333-444455556666",
    }, e.context)
    assert.not_equal(key_id.compute(SECRET, "c0ffee00-0000-4000-8000-000000000001"), e.context.consumer_id)
    assert.is_nil((log({})).context)
  end)

  it("writes no raw key, credential header, cookie, body or raw query value into the event", function()
    local _, raw = log({
      path = "/v1/search",
      query = "api_key=sk_QueryCanary1&q=needle-canary&email=jane%40canary.example",
      headers = {
        ["x-api-key"] = "sk_HeaderCanary2",
        authorization = "Bearer tok_BearerCanary3",
        cookie = "session=cookie-canary",
        ["x-other"] = "header-canary",
      },
    })
    for _, canary in ipairs({ "Canary1", "Canary2", "Canary3", "needle", "canary", "jane", "api_key", "session" }) do
      assert.is_nil(raw:find(canary, 1, true), canary .. " leaked into " .. raw)
    end
  end)

  it("writes [] for no objects or params and null for no key", function()
    local e, raw = log({ path = "/healthz", headers = {} })
    assert.equal(helpers.json_null, e.key_id)
    assert.truthy(raw:find('"objects":[]', 1, true))
    assert.truthy(raw:find('"params":[]', 1, true))
  end)

  it("bounds and cleans what it copies: user agent, method, status, client address, request id", function()
    local long_ua = string.rep("a", 255) .. "ü" .. "tail"
    local e = log({ headers = { ["user-agent"] = long_ua }, method = "purge", status = 1200, ip = "::1%eth0", request_id = "no" })
    assert.equal(string.rep("a", 255), e.client.ua)
    assert.equal("OTHER", e.request.method)
    assert.equal(0, e.response.status)
    assert.equal("", e.client.ip)
    assert.truthy(e.id:match("^%x+$") and #e.id == 32)
    local e2 = log({ ip = "198.51.100.77" }, { truncate_ip = true, host = "edge-7", gateway = "kong-eu" })
    assert.equal("198.51.100.0", e2.client.ip)
    assert.same({ gateway = "kong-eu", host = "edge-7" }, e2.source)
    assert.equal("2001:db8:1::", (log({ ip = "2001:db8:1:2::5" }, { truncate_ip = true })).client.ip)
  end)

  it("runs in the log phase only and sends nothing itself: the queue's timer does", function()
    for _, phase in ipairs({ "init_worker", "certificate", "rewrite", "access", "response", "header_filter", "body_filter", "preread" }) do
      assert.is_nil(handler[phase], phase)
    end
    assert.is_function(handler.log)
    helpers.http.requests = {}
    helpers.http.respond = function() error("the log phase must not send") end
    local e = log({ headers = { ["x-api-key"] = "k" } })
    assert.is_table(e)
    assert.equal(0, #helpers.http.requests)
    assert.equal(1, #helpers.queue.calls)
  end)

  it("never throws: a failure is logged without request content and nothing is queued", function()
    local log_lines = helpers.request({ headers = { ["x-api-key"] = "sk_NeverLogged" } })
    kong.request.get_path = function() error("path unavailable") end
    assert.has_no.errors(function() handler:log(helpers.conf()) end)
    assert.equal(0, #helpers.queue.calls)
    assert.truthy(log_lines.err[1]:find("could not build the event", 1, true))
    assert.is_nil(log_lines.err[1]:find("sk_NeverLogged", 1, true))

    helpers.queue.result = false
    local _, _, l2 = log({})
    assert.truthy(l2.err[1]:find("could not queue the event: queue full", 1, true))
  end)
end)
