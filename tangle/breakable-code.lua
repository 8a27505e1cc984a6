-- tangle/breakable-code.lua -- a pandoc Lua filter for the PDF edition.
--
-- pdflatex never breaks a line inside \texttt, so a long path or name in
-- prose (`Documentation/core-api/memory-allocation.rst`) runs into the
-- margin.  This filter sets inline code in paragraphs, list items and table
-- cells itself, allowing a line break after / _ . - and ,  (Headings are
-- left to pandoc, which also writes their PDF bookmarks.)

local special = {
  ["\\"] = "\\textbackslash{}", ["{"] = "\\{", ["}"] = "\\}", ["$"] = "\\$",
  ["&"] = "\\&", ["#"] = "\\#", ["^"] = "\\^{}", ["_"] = "\\_", ["%"] = "\\%",
  ["~"] = "\\textasciitilde{}", [" "] = "\\ ", ["-"] = "-{}",
  ["<"] = "\\textless{}", [">"] = "\\textgreater{}",
  ["'"] = "\\textquotesingle{}", ["`"] = "\\textasciigrave{}",
}
local breakafter = { ["/"] = true, ["_"] = true, ["."] = true, ["-"] = true, [","] = true }

local function code(el)
  if #el.text < 16 then return nil end      -- short: pandoc's own \texttt
  local out = {}
  local n = #el.text
  for i = 1, n do
    local c = el.text:sub(i, i)
    out[#out + 1] = special[c] or c
    if breakafter[c] and i > 1 and i < n then
      out[#out + 1] = "\\allowbreak{}"
    end
  end
  return pandoc.RawInline("latex", "\\texttt{" .. table.concat(out) .. "}")
end

local function walk(block)
  return pandoc.walk_block(block, { Code = code })
end

if FORMAT:match("latex") then
  return { { Para = walk, Plain = walk } }
end
return {}
