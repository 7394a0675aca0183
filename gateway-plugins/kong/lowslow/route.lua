-- Route templating, as agent/sanitize/route.ts does: `/v1/customers/123` becomes
-- `/v1/customers/{int}` with object id 123. Numeric ids stay numbers; other ids become short
-- keyed hashes so they never travel raw. Lengths count UTF-16 code units, as in the agent.
local text = require "kong.plugins.lowslow.text"

local byte, find, match, sub = string.byte, string.find, string.match, string.sub

local MAX_SEGMENTS = 32
local MAX_OBJECTS = 16
local MAX_SEGMENT_UNITS = 64
local MAX_ROUTE = 512

local M = {}

local UUID = "^%x%x%x%x%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$"

--- The class of a path segment ("int", "uuid", "hex", "email", "id"), or nil for a literal.
function M.classify(seg)
  if #seg <= 15 and match(seg, "^%d+$") then return "int" end
  if #seg == 36 and match(seg, UUID) then return "uuid" end
  if #seg >= 16 and match(seg, "^%x+$") then return "hex" end
  local at, digits, letters, other = 0, 0, 0, 0
  for i = 1, #seg do
    local c = byte(seg, i)
    if c >= 48 and c <= 57 then
      digits = digits + 1
    elseif (c >= 65 and c <= 90) or (c >= 97 and c <= 122) then
      letters = letters + 1
    elseif c == 64 then
      at = i
    elseif c < 0x80 or c >= 0xc0 then
      -- One per character (UTF-8 continuation bytes are part of it), two above U+FFFF.
      other = other + (c >= 0xf0 and 2 or 1)
    end
  end
  if at > 1 then
    local dot = find(seg, ".", at, true)
    if dot and dot > at + 1 then return "email" end
  end
  local units = text.units(seg)
  if units > MAX_SEGMENT_UNITS or other > 2 or (digits > 0 and letters + digits >= 4 and digits * 4 >= units) then
    return "id"
  end
  return nil
end

--- The templated route and the object ids taken out of `path`. `hash_object(segment)` answers
--- the short keyed hash that stands for a non-numeric id.
function M.template(path, hash_object)
  local objects, out = {}, {}
  local parts, start = {}, 1
  while true do
    local slash = find(path, "/", start, true)
    parts[#parts + 1] = sub(path, start, (slash or 0) - 1)
    if not slash then break end
    start = slash + 1
  end
  local n = #parts < MAX_SEGMENTS + 1 and #parts or MAX_SEGMENTS + 1
  for i = 1, n do
    local seg = parts[i]
    local cls = seg ~= "" and M.classify(seg) or nil
    if cls == nil then
      out[#out + 1] = seg
    else
      out[#out + 1] = "{" .. cls .. "}"
      if #objects < MAX_OBJECTS then
        objects[#objects + 1] = cls == "int" and tonumber(seg) or hash_object(seg)
      end
    end
  end
  if #parts > n then out[#out + 1] = "{more}" end
  local route = table.concat(out, "/")
  if #route > MAX_ROUTE then route = text.truncate(route, MAX_ROUTE - 7) .. "/{more}" end
  if route == "" then route = "/" end
  return route, objects
end

return M
