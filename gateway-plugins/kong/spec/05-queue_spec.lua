-- The queue handler: a batch is one POST of a JSON array to the agent's POST /events; success,
-- retry and give-up decided by the answer, as Kong's queue expects.
local helpers = require "spec.helpers"

describe("lowslow queue handler", function()
  local send

  setup(function()
    send = require("kong.plugins.lowslow.handler")._send_entries
  end)

  before_each(function()
    helpers.http.requests = {}
    helpers.http.respond = function() return { status = 200, body = '{"accepted":2}' } end
  end)

  local entries = { '{"v":1,"id":"a"}', '{"v":1,"id":"b"}' }

  it("POSTs the batch as one JSON array to config.endpoint", function()
    local log = helpers.request({})
    local conf = helpers.conf({ endpoint = "http://127.0.0.1:8081/events", timeout = 2500, keepalive = 30000 })
    assert.is_true(send(conf, entries))
    local req = helpers.http.requests[1]
    assert.equal("http://127.0.0.1:8081/events", req.uri)
    assert.equal("POST", req.params.method)
    assert.equal("application/json", req.params.headers["Content-Type"])
    assert.is_nil(req.params.headers.Authorization)
    assert.same({ { v = 1, id = "a" }, { v = 1, id = "b" } }, helpers.decode(req.params.body))
    assert.equal(2500, req.timeout)
    assert.equal(30000, req.params.keepalive_timeout)
    assert.equal(0, #log.err)
  end)

  it("sends config.token as a Bearer token", function()
    helpers.request({})
    send(helpers.conf({ token = "agent-http-token-0123" }), entries)
    assert.equal("Bearer agent-http-token-0123", helpers.http.requests[1].params.headers.Authorization)
  end)

  it("asks the queue to retry when the agent is busy, failing or unreachable", function()
    helpers.request({})
    for _, status in ipairs({ 503, 429, 500, 408 }) do
      helpers.http.respond = function() return { status = status, body = "pipeline is full" } end
      local ok, err = send(helpers.conf(), entries)
      assert.is_nil(ok)
      assert.truthy(err:find("answered " .. status, 1, true))
    end
    helpers.http.respond = function() return nil, "connection refused" end
    local ok, err = send(helpers.conf(), entries)
    assert.is_nil(ok)
    assert.truthy(err:find("cannot reach the agent at http://127.0.0.1:8081/events (config.endpoint): connection refused", 1, true))
  end)

  it("drops a batch the agent refuses for good (4xx), and says which setting to check", function()
    for _, status in ipairs({ 400, 401, 404, 413 }) do
      local log = helpers.request({})
      helpers.http.respond = function() return { status = status, body = string.rep("x", 1000) } end
      assert.is_true(send(helpers.conf(), entries))
      assert.truthy(log.err[1]:find("refused 2 events with status " .. status, 1, true))
      assert.truthy(log.err[1]:find("config.endpoint and config.token", 1, true))
      assert.is_true(#log.err[1] < 400)
    end
  end)
end)
