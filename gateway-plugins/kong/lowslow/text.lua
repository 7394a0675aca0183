-- Byte-string helpers that count and decode the way JavaScript does in the agent, so the shapes,
-- routes and lengths computed here equal the agent's: lengths in UTF-16 code units, and
-- percent-decoding that fails (leaving the value as it was) wherever decodeURIComponent throws.
local byte, char, find, gsub, sub = string.byte, string.char, string.find, string.gsub, string.sub

local M = {}

--- Length in UTF-16 code units of a UTF-8 string: one per character, two above U+FFFF.
function M.units(s)
  local n = 0
  for i = 1, #s do
    local b = byte(s, i)
    if b < 0x80 or b >= 0xc0 then n = n + 1 end
    if b >= 0xf0 then n = n + 1 end
  end
  return n
end

--- True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
function M.valid_utf8(s)
  local i, n = 1, #s
  while i <= n do
    local b = byte(s, i)
    local need, lo, hi = 0, 0x80, 0xbf
    if b < 0x80 then
      need = 0
    elseif b >= 0xc2 and b <= 0xdf then
      need = 1
    elseif b == 0xe0 then
      need, lo = 2, 0xa0
    elseif b >= 0xe1 and b <= 0xec or b == 0xee or b == 0xef then
      need = 2
    elseif b == 0xed then
      need, hi = 2, 0x9f
    elseif b == 0xf0 then
      need, lo = 3, 0x90
    elseif b >= 0xf1 and b <= 0xf3 then
      need = 3
    elseif b == 0xf4 then
      need, hi = 3, 0x8f
    else
      return false
    end
    for k = 1, need do
      local c = byte(s, i + k)
      if not c or c < (k == 1 and lo or 0x80) or c > (k == 1 and hi or 0xbf) then return false end
    end
    i = i + need + 1
  end
  return true
end

local function hex_byte(h)
  return char(tonumber(h, 16))
end

--- A query name or value decoded as the agent does: `+` is a space and `%XX` a byte; when the
--- result is not valid UTF-8 or a `%` starts no escape, the value stays as it came.
function M.decode(s)
  if not find(s, "%", 1, true) and not find(s, "+", 1, true) then return s end
  local plus = gsub(s, "+", " ")
  -- Every % must start a two-digit hex escape.
  if find(gsub(plus, "%%%x%x", ""), "%", 1, true) then return s end
  local decoded = gsub(plus, "%%(%x%x)", hex_byte)
  if not M.valid_utf8(decoded) then return s end
  return decoded
end

--- The longest prefix of `s` of at most `max` bytes that does not cut a UTF-8 character.
function M.truncate(s, max)
  if #s <= max then return s end
  local cut = max
  while cut > 0 do
    local b = byte(s, cut + 1)
    if b < 0x80 or b >= 0xc0 then break end
    cut = cut - 1
  end
  return sub(s, 1, cut)
end

return M
