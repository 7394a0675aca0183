-- Runs the plugin's log phase for requests read from stdin and prints what it queues, for the
-- parity test in test/unit/gateway-plugins/kong-events.test.ts. Run from gateway-plugins/kong:
--   luajit spec/support/emit.lua < requests.jsonl
-- Each input line: {"conf": {config overrides}, "request": {see helpers.request}}. Each output
-- line: the queued event's JSON, or null when nothing was queued.
local helpers = require "spec.helpers"
local handler = require "kong.plugins.lowslow.handler"

for line in io.lines() do
  local input = helpers.decode(line)
  helpers.queue.calls = {}
  helpers.request(input.request)
  handler:log(helpers.conf(input.conf))
  local call = helpers.queue.calls[1]
  io.write(call and call.value or "null", "\n")
end
