-- tangle/outputs.lua -- a pandoc Lua filter for both editions: an
-- experiment's output, read from the file the build wrote.
--
-- tangle/nwprose.py turns the book's
--     ::: {.output file="NAME" caption="..."}
--     :::
-- into a div with file="build/exp/NAME.txt" (it has checked that the file
-- exists, and numbered the caption).  This filter puts the file's text in
-- the div, verbatim: without its `@value KEY TEXT` lines (those are for
-- {{NAME.KEY}} in the prose), tabs expanded to columns of 8.  The HTML
-- gets a <pre>; the PDF a nwoutput environment (book/theme/preamble.tex)
-- in a font small enough for the widest line, but never below 6pt.

local is_html = FORMAT:match("html") ~= nil

local function expandtabs(line)
  if not line:find("\t", 1, true) then return line end
  local out, col = {}, 0
  for _, c in utf8.codes(line) do
    if c == 9 then
      local n = 8 - col % 8
      out[#out + 1] = string.rep(" ", n)
      col = col + n
    else
      out[#out + 1] = utf8.char(c)
      col = col + 1
    end
  end
  return table.concat(out)
end

local function shown_text(path)
  local f = io.open(path, "rb")
  if not f then
    io.stderr:write("outputs.lua: cannot read " .. path .. "\n")
    return ""
  end
  local data = f:read("a")
  f:close()
  if data ~= "" and data:sub(-1) ~= "\n" then data = data .. "\n" end
  local shown = {}
  for line in data:gmatch("(.-)\r?\n") do
    if line:sub(1, 7) ~= "@value " then shown[#shown + 1] = expandtabs(line) end
  end
  return table.concat(shown, "\n")
end

local function esc_html(s)
  return (s:gsub("[&<>\"'`]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                ['"'] = "&quot;", ["'"] = "&#x27;", ["`"] = "&#96;" }))
end

-- 8.5pt, or smaller so that the widest line fits inside the shaded box on
-- the 390pt text width (Latin Modern Mono is 0.525em a character), but
-- never below 6pt: /proc/slabinfo's lines are too wide for any readable
-- size, and those break.
local function font_size(text)
  local widest = 0
  for line in (text .. "\n"):gmatch("(.-)\n") do
    local l = line:gsub("%s+$", "")
    widest = math.max(widest, utf8.len(l) or #l)
  end
  local usable = 390 - 2 * 8                -- less the shading's margins
  local size = widest == 0 and 8.5 or math.min(8.5, usable / (0.525 * widest))
  size = math.max(6.0, math.floor(size * 4) / 4)   -- quarter points, down
  return string.format("\\fontsize{%.2f}{%.2f}\\selectfont", size, size * 1.18)
end

function Div(el)
  local path = el.attributes["file"]
  if not path or not el.classes:includes("output") then return nil end
  el.attributes["file"] = nil
  local text = shown_text(path)
  if is_html then
    el.content:insert(pandoc.RawBlock("html",
      '<pre class="output-text">' .. esc_html(text) .. "</pre>"))
    return el
  end
  el.content:insert(pandoc.RawBlock("latex",
    "\\begin{nwoutput}[" .. font_size(text) .. "]\n" .. text .. "\n\\end{nwoutput}"))
  return { pandoc.RawBlock("latex", "\\nwoutbegin"), el }
end
