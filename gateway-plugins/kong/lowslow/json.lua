-- A JSON encoder for AccessEvents. Not cjson: cjson writes an empty table as `{}` where the
-- contract needs `[]` (objects, params), and prints 14 significant digits where a parameter value
-- must keep all of its own. Arrays are marked with json.array(t); json.null stands for null.
local byte, format, gsub = string.byte, string.format, string.gsub
local concat, sort = table.concat, table.sort
local floor, huge = math.floor, math.huge

local M = {}

local ARRAY = {}
M.null = setmetatable({}, { __tostring = function() return "null" end })

--- Marks `t` as a JSON array (an empty one included) and returns it.
function M.array(t)
  return setmetatable(t or {}, ARRAY)
end

local ESCAPES = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function escape_char(c)
  return ESCAPES[c] or format("\\u%04x", byte(c))
end

local function encode_string(s)
  return '"' .. gsub(s, '[%c"\\]', escape_char) .. '"'
end

-- Integers as integers; other numbers with the fewest digits that read back as the same double.
local function encode_number(n)
  if n ~= n or n == huge or n == -huge then return "null" end
  if n == floor(n) and n > -2 ^ 53 and n < 2 ^ 53 then return format("%d", n) end
  for digits = 15, 17 do
    local s = format("%." .. digits .. "g", n)
    if tonumber(s) == n then return s end
  end
  return format("%.17g", n)
end

local encode

local function encode_table(t)
  local out = {}
  if getmetatable(t) == ARRAY then
    for i = 1, #t do out[i] = encode(t[i]) end
    return "[" .. concat(out, ",") .. "]"
  end
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  sort(keys)
  for i, k in ipairs(keys) do out[i] = encode_string(k) .. ":" .. encode(t[k]) end
  return "{" .. concat(out, ",") .. "}"
end

encode = function(v)
  local t = type(v)
  if v == nil or v == M.null then return "null" end
  if t == "string" then return encode_string(v) end
  if t == "number" then return encode_number(v) end
  if t == "boolean" then return v and "true" or "false" end
  if t == "table" then return encode_table(v) end
  error("lowslow: cannot encode a " .. t .. " as JSON")
end

M.encode = encode

return M
