"""nwcode.py -- the weave's chunk renderer (part of tangle/nw2pandoc.py).

Everything that is code on the page: a chunk, highlighted, with its
number, its links (a use links to the chunk's definition, an identifier to
the chunk that defines it) and the line under it (where it is used and
continued, what it defines); a chunk name; quoted code in prose ([[...]]).
Each comes as raw HTML or raw LaTeX, to sit in Pandoc Markdown as a raw
block or a raw inline.  tangle/nwread.py's Index says who defines what.
"""

import html
import re

from nwread import QUOTE_RE, CTokenizer, is_file_name

# --------------------------------------------------------------------------
# Escaping


def esc_html(s):
    return html.escape(s, quote=True).replace("`", "&#96;")


LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
    "#": r"\#", "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}",
    "`": r"\textasciigrave{}", "'": r"\textquotesingle{}", "<": r"\textless{}",
    ">": r"\textgreater{}", "|": r"\textbar{}", "-": r"-{}",
}


def esc_latex(s):
    """Escape text for normal LaTeX mode (prose, headings, \\texttt)."""
    return "".join(LATEX_SPECIAL.get(c, c) for c in s)


def esc_verb(s):
    """Escape text inside a Verbatim with commandchars=\\\\\\{\\}: only the
    three command characters are special there."""
    return (s.replace("\\", "\x00").replace("{", r"\{").replace("}", r"\}")
             .replace("\x00", r"\textbackslash{}"))


def md_code_span(s):
    """A Markdown code span holding s literally."""
    s = s.replace("\n", " ")
    longest = max([len(r) for r in re.findall("`+", s)] or [0])
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return fence + pad + s + pad + fence


def md_escape(s):
    """Backslash-escape Markdown punctuation so s reads as plain text."""
    return re.sub(r"([\\`*_{}\[\]<>#+|~^$@!])", r"\\\1", s)


def raw_block(fmt, text):
    fence = "`" * max(3, max([len(r) for r in re.findall("`+", text)] or [0]) + 1)
    return "\n%s{=%s}\n%s\n%s\n" % (fence, fmt, text, fence)


def raw_inline(fmt, text):
    text = text.replace("\n", " ")
    longest = max([len(r) for r in re.findall("`+", text)] or [0])
    fence = "`" * (longest + 1)
    return "%s%s%s{=%s}" % (fence, text, fence, fmt)



class CodeRenderer:
    """Renders chunks and quoted code, with the links of an Index."""

    def __init__(self, index):
        self.ix = index

    # -- rendering names, quotes and code ----------------------------------

    def name_markup(self, name, fmt, verb=False):
        """A chunk name; [[code]] in it is set in the code font."""
        out = []
        for i, piece in enumerate(re.split(r"\[\[(.*?)\]\]", name)):
            if fmt == "html":
                out.append(("<code>%s</code>" if i % 2 else "%s") % esc_html(piece))
            else:
                e = esc_verb(piece) if verb else esc_latex(piece)
                out.append(("\\texttt{%s}" if i % 2 else "%s") % e)
        return "".join(out)

    def chunk_link(self, name, fmt, from_page, verb=False):
        """⟨name 2.7⟩ as a link to the first definition of the chunk."""
        defs = self.ix.defs_of.get(name)
        label = self.name_markup(name, fmt, verb)
        if is_file_name(name):
            label = ("<code>%s</code>" if fmt == "html" else "\\texttt{%s}") % label
        if fmt == "html":
            if not defs:
                return '<span class="chunkref undefined">⟨%s⟩</span>' % label
            d = defs[0]
            href = ("#" if d.page == from_page else d.page + "#") + d.anchor
            return ('<span class="chunkref">⟨<a href="%s">%s</a>&#8239;'
                    '<span class="cnum">%s</span>⟩</span>' % (href, label, d.num))
        if not defs:
            return "\\nwundefined{%s}" % label
        return "\\nwuse{%s}{%s}{%s}" % (defs[0].anchor, label, defs[0].num)

    def ident_link(self, ident, fmt, from_page, chunk=None):
        """An identifier in code: a link to the chunk that defines it."""
        defs = self.ix.ident_defs.get(ident)
        if fmt == "html":
            if not defs:
                return esc_html(ident)
            if chunk is not None and chunk in defs:
                return '<span class="def" title="defined here">%s</span>' % esc_html(ident)
            d = defs[0]
            href = ("#" if d.page == from_page else d.page + "#") + d.anchor
            return '<a class="id" href="%s" title="defined in %s">%s</a>' % (href, d.num, esc_html(ident))
        e = esc_verb(ident) if chunk is not None else esc_latex(ident)
        if not defs:
            return e
        if chunk is not None and chunk in defs:
            return "\\nwdef{%s}" % e
        if chunk is None and len(ident) >= 16:
            # In prose a long name may break after an underscore, as the
            # PDF's other inline code may (tangle/breakable-code.lua).
            e = e.replace("\\_", "\\_\\allowbreak{}")
        return "\\nwid{%s}{%s}" % (defs[0].anchor, e)

    def render_quote(self, q, fmt, page, plain):
        """[[...]] in prose.  `plain` (headings, captions): no links."""
        if q.is_chunk_ref():
            name = [p[1] for p in q.parts if p[0] == "use"][0]
            if plain:
                return md_escape("<<%s>>" % name)
            return raw_inline(fmt, self.chunk_link(name, fmt, page))
        text = q.code_text()
        tok = CTokenizer()
        toks = tok.tokens(text, False)
        linkable = any(c == "id" and t in self.ix.ident_defs for c, t in toks)
        if plain or not linkable or any(p[0] == "use" for p in q.parts):
            return md_code_span(text)
        if fmt == "html":
            body = "".join(self.ident_link(t, fmt, page) if c == "id" else esc_html(t) for c, t in toks)
            return raw_inline("html", "<code>%s</code>" % body)
        body = "".join(self.ident_link(t, fmt, page) if c == "id" else esc_latex(t) for c, t in toks)
        return raw_inline("latex", "\\texttt{%s}" % body)

    def code_lines(self, chunk, fmt):
        """The chunk's lines, highlighted, as HTML or as LaTeX for Verbatim."""
        tok = CTokenizer()
        out = []
        for line in chunk.lines:
            pieces = []
            start = True
            for kind, s in line:
                if kind == "use":
                    pieces.append(self.chunk_link(s, fmt, chunk.page, verb=True))
                    start = False
                    continue
                s = s.expandtabs(8)
                for cls, t in tok.tokens(s, start):
                    if cls == "id":
                        pieces.append(self.ident_link(t, fmt, chunk.page, chunk))
                    elif fmt == "html":
                        pieces.append('<span class="%s">%s</span>' % (cls, esc_html(t)) if cls else esc_html(t))
                    else:
                        pieces.append("\\nw%s{%s}" % (cls, esc_verb(t)) if cls and t.strip() else esc_verb(t))
                start = False
            out.append("".join(pieces))
        return out

    def chunk_refs(self, chunk, fmt):
        """The line under a chunk: where it is used, where it continues."""
        def link(c):
            if fmt == "html":
                href = ("#" if c.page == chunk.page else c.page + "#") + c.anchor
                return '<a href="%s">%s</a>' % (href, c.num)
            return "\\nwlink{%s}{%s}" % (c.anchor, c.num)
        defs = self.ix.defs_of[chunk.name]
        i = defs.index(chunk)
        items = []
        uses = self.ix.uses_of.get(chunk.name, [])
        if uses:
            items.append("Used in " + ", ".join(link(c) for c in uses) + ".")
        elif is_file_name(chunk.name):
            items.append("Written to " + (("<code>%s</code>" % esc_html(chunk.name)) if fmt == "html"
                                          else "\\texttt{%s}" % esc_latex(chunk.name)) + " by " +
                         ("<code>make tangle</code>" if fmt == "html" else "\\texttt{make tangle}") + ".")
        else:
            items.append("Never used.")
        if i > 0:
            items.append("Continues " + link(defs[i - 1]) + ".")
        if i + 1 < len(defs):
            items.append("Continued in " + link(defs[i + 1]) + ".")
        if chunk.defs:
            if fmt == "html":
                ids = ", ".join('<a href="identifiers.html#id-%s"><code>%s</code></a>' % (esc_html(d), esc_html(d))
                                for d in chunk.defs)
            else:
                ids = ", ".join("\\texttt{%s}" % esc_latex(d) for d in chunk.defs)
            items.append("Defines " + ids + ".")
        return items

    def render_chunk(self, chunk, fmt):
        first = self.ix.defs_of[chunk.name][0] is chunk
        lines = self.code_lines(chunk, fmt)
        refs = self.chunk_refs(chunk, fmt)
        name_cls = " file" if is_file_name(chunk.name) else ""
        if fmt == "html":
            body = "".join('<span class="ln" data-ln="%d"></span>%s\n' % (i + 1, l)
                           for i, l in enumerate(lines))
            return raw_block("html", (
                '<div class="chunk" id="%s">\n'
                '<div class="chunk-head"><span class="chunk-name%s">⟨%s⟩</span>'
                '<span class="eqv">%s</span>'
                '<a class="chunk-num" href="#%s" title="link to this chunk">%s</a>'
                '<button class="copy" type="button" title="Copy the code">Copy</button></div>\n'
                '<pre class="code"><code>%s</code></pre>\n'
                '<div class="chunk-refs">%s</div>\n</div>') % (
                    chunk.anchor, name_cls, self.name_markup(chunk.name, "html"),
                    "≡" if first else "+≡", chunk.anchor, chunk.num, body,
                    " ".join(refs)))
        name = self.name_markup(chunk.name, "latex")
        if name_cls:
            name = "\\textup{\\texttt{%s}}" % name
        return raw_block("latex", (
            "\\nwbegin{%s}{%s}{%s}{%s}\n"
            "\\begin{nwcode}\n%s\n\\end{nwcode}\n"
            "\\nwend{%s}") % (chunk.anchor, chunk.num, name, "\\equiv" if first else "\\mathrel{+}\\equiv",
                              "\n".join(lines), " ".join(refs)))

    # -- prose --------------------------------------------------------------

    def plain_quotes(self, text):
        """Markdown text with each \x01N\x02 as a plain code span."""
        return QUOTE_RE.sub(lambda m: md_code_span(self.ix.quotes[int(m.group(1))].code_text()), text)
