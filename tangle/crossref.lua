-- tangle/crossref.lua -- a pandoc Lua filter for both editions: the
-- book's numbers on the page, and its references as links.
--
-- tangle/nwprose.py numbers the book (it sees every chapter at once) and
-- leaves the numbers in the Markdown as attributes; tangle/nw2pandoc.py
-- writes every label to a table (build/weave/labels.lua, given to pandoc
-- as the metadata weave-labels).  This filter, run on one page at a time:
--
--   - shows the numbers: "Chapter 2" and "2.1" before headings and
--     "Figure 2.1:" and "Table 1.1:" before captions in the HTML (LaTeX
--     numbers those itself in the PDF), "Output 4.4:" in both;
--   - makes @fig:NAME (also @out: @tbl: @sec: @ch:) a link, "Figure 2.1";
--   - points [text](#id) at the page that holds id, and gives a link whose
--     text is empty or just the kind ("Figure") its number.
--
-- A link to another page names it; weave-page (the page being made, in
-- each HTML page's header) tells which page that is.  The PDF is one
-- document, so its links are all #id.

local labels = {}      -- id -> {kind word, number, page}
local page = nil       -- this page (HTML), or nil (the PDF)
local is_html = FORMAT:match("html") ~= nil
local kinds = { fig = true, out = true, tbl = true, sec = true, ch = true }

local function words(s)
  local out = pandoc.List()
  for w in s:gmatch("%S+") do
    if #out > 0 then out:insert(pandoc.Space()) end
    out:insert(pandoc.Str(w))
  end
  return out
end

local function href(ident)
  local where = labels[ident][3]
  if page == nil or where == page then return "#" .. ident end
  return where .. "#" .. ident
end

-- "Figure 2.1:" etc. in front of a caption or a heading.
local function prefixed(label, inlines)
  local out = pandoc.List({ label, pandoc.Space() })
  out:extend(inlines)
  return out
end

local function Meta(meta)
  if meta["weave-labels"] then
    labels = dofile(pandoc.utils.stringify(meta["weave-labels"]))
  end
  if meta["weave-page"] then
    page = pandoc.utils.stringify(meta["weave-page"])
  end
end

-- @fig:NAME in text, not after a letter, a digit, @ or a backslash.
local function Str(el)
  local text, out, pos, last = el.text, pandoc.List(), 1, 1
  while true do
    local s, e, kind, name = text:find("@(%a+):([%w_.:%-]*[%w_])", pos)
    if not s then break end
    local before = s > 1 and text:sub(s - 1, s - 1) or ""
    local ident = kind .. ":" .. name
    if kinds[kind] and not before:match("[%w_@\\]") and labels[ident] then
      if s > last then out:insert(pandoc.Str(text:sub(last, s - 1))) end
      local lab = labels[ident]
      out:insert(pandoc.Link(words(lab[1] .. " " .. lab[2]), href(ident)))
      last = e + 1
    end
    pos = s + 1
  end
  if last == 1 then return nil end
  if last <= #text then out:insert(pandoc.Str(text:sub(last))) end
  return out
end

local function Link(el)
  if el.target:sub(1, 1) ~= "#" then return nil end
  local ident = el.target:sub(2)
  local lab = labels[ident]
  if not lab then return nil end
  local text = pandoc.utils.stringify(el.content):match("^%s*(.-)%s*$"):lower()
  if lab[2] ~= "" and (text == "" or text == lab[1]:lower()) then
    el.content = words(lab[1] .. " " .. lab[2])
  end
  el.target = href(ident)
  return el
end

local function Header(el)
  local label = el.attributes["label"]
  if not label then return nil end
  el.attributes["label"] = nil
  if is_html then
    local cls = el.level == 1 and "chapno" or "secno"
    el.content = prefixed(pandoc.Span(words(label), pandoc.Attr("", { cls })),
                          el.content)
  end
  return el
end

local function Image(el)
  local number = el.attributes["number"]
  if not number then return nil end
  el.attributes["number"] = nil
  if is_html then
    el.caption = prefixed(pandoc.Span(words("Figure " .. number .. ":"),
                                      pandoc.Attr("", { "lbl" })), el.caption)
  end
  return el
end

-- A numbered table's caption begins with []{#tbl:NAME number="1.1"}; the
-- span stays only as the anchor of an id.
local function Table(el)
  local first = el.caption.long[1]
  local span = first and first.content and first.content[1]
  if not span or span.t ~= "Span" or not span.attributes["number"] then
    return nil
  end
  local number = span.attributes["number"]
  span.attributes["number"] = nil
  local out = pandoc.List()
  if span.identifier ~= "" then out:insert(span) end
  if is_html then
    out:insert(pandoc.Span(words("Table " .. number .. ":"), pandoc.Attr("", { "lbl" })))
    out:insert(pandoc.Space())
  end
  for i = 2, #first.content do out:insert(first.content[i]) end
  first.content = out
  el.caption.long[1] = first
  return el
end

-- An experiment's output block: its caption gets "Output 4.4:".
local function Div(el)
  local number = el.attributes["number"]
  if not number or not el.classes:includes("output") then return nil end
  el.attributes["number"] = nil
  local cap = el.content[1]
  if cap and cap.t == "Div" and cap.classes:includes("output-caption") then
    local para = cap.content[1]
    para.content = prefixed(pandoc.Strong(words("Output " .. number .. ":")),
                            para.content)
    cap.content[1] = para
    el.content[1] = cap
  end
  return el
end

return {
  { Meta = Meta },
  { Str = Str, Link = Link, Header = Header, Image = Image, Table = Table,
    Div = Div },
}
