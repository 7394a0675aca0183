-- Query parameters reduced to shapes, as agent/sanitize/params.ts does: name, type, length class
-- and character classes; numbers keep their value, strings only for allow-listed names, and
-- parameters that carry keys are taken out first and never described.
local text = require "kong.plugins.lowslow.text"

local byte, find, lower, match, sub = string.byte, string.find, string.lower, string.match, string.sub
local floor = math.floor

local MAX_PARAMS = 32
local MAX_RAW_UNITS = 64

local M = {}

local function digits_between(s, min, max)
  return #s >= min and #s <= max
end

local function is_int(v)
  local d = match(v, "^%-?(%d+)$")
  return d ~= nil and digits_between(d, 1, 15)
end

local function is_decimal(v)
  local a, b = match(v, "^%-?(%d+)%.(%d+)$")
  return a ~= nil and digits_between(a, 1, 15) and digits_between(b, 1, 15)
end

local UUID = "^%x%x%x%x%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$"

local function char_classes(v)
  local l, u, d, s, x = false, false, false, false, false
  for i = 1, #v do
    local c = byte(v, i)
    if c >= 97 and c <= 122 then l = true
    elseif c >= 65 and c <= 90 then u = true
    elseif c >= 48 and c <= 57 then d = true
    elseif c < 128 then s = true
    else x = true end
  end
  return (l and "a" or "") .. (u and "A" or "") .. (d and "d" or "") .. (s and "s" or "") .. (x and "x" or "")
end

--- Bit length of n (the agent's length class), at most 32.
local function length_class(n)
  local bits = 0
  while n > 0 do
    bits = bits + 1
    n = floor(n / 2)
  end
  return bits > 32 and 32 or bits
end

local function number_value(v)
  local n = tonumber(v)
  -- -0 is published as 0, as JSON.stringify does.
  if n == 0 then return 0 end
  return n
end

--- The shape of one decoded value.
function M.shape(name, v, keep_raw)
  local units = text.units(v)
  local shape = { name = name, type = "str", len = length_class(units), chars = char_classes(v) }
  if units == 0 then
    shape.type = "empty"
  elseif is_int(v) then
    shape.type = "int"
    shape.value = number_value(v)
  elseif is_decimal(v) then
    shape.type = "num"
    shape.value = number_value(v)
  elseif v == "true" or v == "false" then
    shape.type = "bool"
  elseif #v == 36 and match(v, UUID) then
    shape.type = "uuid"
  elseif #v >= 16 and match(v, "^%x+$") then
    shape.type = "hex"
  elseif match(v, "^%d%d%d%d%-%d%d%-%d%d") then
    shape.type = "date"
  elseif (find(v, "@", 1, true) or 0) > 1 then
    shape.type = "email"
  elseif find(v, ",", 1, true) then
    shape.type = "list"
  end
  if keep_raw and shape.type ~= "int" and shape.type ~= "num" and units <= MAX_RAW_UNITS then shape.value = v end
  return shape
end

local function valid_name(n)
  return #n >= 1 and #n <= 64 and not find(n, "[^A-Za-z0-9_%.%[%]%-]")
end

--- Shapes of a raw query string (no leading `?`): an array of shapes, and the first non-empty
--- value of a key parameter (to be hashed and dropped) or nil. `key_params` is a set of
--- lower-case names, `raw_params` a set of names.
function M.shape_query(query, key_params, raw_params)
  local params = {}
  local key
  if query == nil or query == "" then return params, nil end
  local start, len = 1, #query
  while start <= len + 1 and #params < MAX_PARAMS do
    local amp = find(query, "&", start, true)
    local stop = amp and amp - 1 or len
    local pair = sub(query, start, stop)
    start = stop + 2
    if pair ~= "" then
      local eq = find(pair, "=", 1, true)
      local raw_name = text.decode(eq and sub(pair, 1, eq - 1) or pair)
      local value = eq and text.decode(sub(pair, eq + 1)) or ""
      if key_params[lower(raw_name)] then
        if key == nil and value ~= "" then key = value end
      else
        local name = valid_name(raw_name) and raw_name or "{name}"
        params[#params + 1] = M.shape(name, value, raw_params[name] == true)
      end
    end
  end
  return params, key
end

return M
