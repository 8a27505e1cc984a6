#!/usr/bin/env python3
"""nw2pandoc.py -- the book's noweb back end: noweb pipeline -> Pandoc Markdown.

Usage:
    /usr/lib/noweb/markup book/*.nw | nw2pandoc.py --exp build/exp \\
        --fig build/fig --out build/weave

All chapters go through noweb's `markup` together, so that chunk numbers,
"used in" lists and the identifier index span the whole book.  This script
reads that stream (the format in noweb's hacker's guide: @file, @begin docs,
@begin code, @text, @nl, @defn, @use, @quote, @endquote, @index defn) and
writes, under --out:

    html/NN-name.md     one page per chapter; code chunks are raw HTML
    html/index.md       the contents page
    html/chunks.md      the index of chunk names
    html/identifiers.md the index of identifiers (from `@ %def` lines)
    search-index.js     what the search box searches
    pdf/book.md         the whole book in one file; code chunks are raw LaTeX

Pandoc then turns those into build/html/*.html and build/book.pdf (see
tangle/weave.mk).  A file is rewritten only when its text changes, so make
reruns pandoc only for pages whose content moved.

Cross-references are computed here, not by noweb's `noidx`, because the
book numbers chunks per chapter (chunk 7 of chapter 2 is "2.7") in both
the HTML and the PDF, and noidx's labels are page-based.

What the book's prose may use, besides Pandoc Markdown (see DESIGN.md):

    [[code]]                 quoted code; identifiers in it link
    [[<<chunk name>>]]       a link to a chunk, with its number
    ![Caption.](fig/NAME){#fig:NAME}    a numbered figure
    ::: {.output file="NAME" caption="..."}
    :::                      the text of build/exp/NAME.txt, verbatim
    {{NAME.KEY}}             the value of `@value KEY ...` in build/exp/NAME.txt
    @fig:NAME @out:NAME @tbl:NAME @sec:ID @ch:ID
                             "Figure 2.1" etc., as a link
    [Figure](#fig:NAME)      the same; a link text that is just the kind
                             ("Figure", "Output", "Table", "Section",
                             "Chapter") or empty gets the number added
    Table: Caption {#tbl:NAME}   a numbered table

Errors (a code line wider than 80 columns, a missing experiment file or
value, a reference to an unknown label, a missing figure) are printed as
`book/FILE.nw:LINE: message`, and the script exits with status 1 without
writing anything.

Python 3 standard library only.
"""

import argparse
import html
import json
import os
import re
import sys

MAX_CODE_COLUMNS = 80

# Characters that stand in for pieces of text while the prose is rewritten
# with regular expressions: \x01N\x02 is quoted code number N ([[...]]),
# \x03N\x04 is a generated block or span that later passes must not touch.
QUOTE_RE = re.compile('\x01(\\d+)\x02')
STASH_RE = re.compile('\x03(\\d+)\x04')

# --------------------------------------------------------------------------
# Errors


class Errors:
    """Collects `file:line: message` errors, so that one run reports all."""

    def __init__(self):
        self.seen = []

    def add(self, file, line, msg):
        text = "%s:%s: %s" % (file, line, msg)
        if text not in self.seen:
            self.seen.append(text)

    def warn(self, file, line, msg):
        print("%s:%s: warning: %s" % (file, line, msg), file=sys.stderr)


ERR = Errors()

# --------------------------------------------------------------------------
# Reading the noweb stream


class Chapter:
    """One .nw file: its blocks (Doc and Chunk objects) in order."""

    def __init__(self, file):
        self.file = file
        self.base = os.path.splitext(os.path.basename(file))[0]
        self.page = self.base + ".html"
        self.blocks = []
        self.title = ""          # Markdown text of the `# Title` line
        self.title_attrs = []
        # The chapter's anchor: "ch:machine" for 02-machine.nw (an id may
        # not begin with a digit), so prose can write @ch:machine.
        self.id = "ch:" + (re.sub(r"^\d+-", "", self.base) or self.base)
        self.appendix = False
        self.numbered = True
        self.label = ""          # "2", "A", or "" when unnumbered
        self.sections = []       # (level, number, title markdown, id)


class Doc:
    """A documentation chunk: Markdown text with placeholders for quotes."""

    def __init__(self, line):
        self.line = line         # source line of its first character
        self.parts = []          # strings; quotes become \x01N\x02

    def text(self):
        return "".join(self.parts)


class Chunk:
    """A code chunk: one definition of a named chunk."""

    def __init__(self, chapter, line):
        self.chapter = chapter
        self.line = line         # source line of `<<name>>=`
        self.name = None
        self.lines = []          # each line: list of ("text", s) / ("use", name)
        self.linenos = []        # source line of each code line
        self.defs = []           # identifiers from `@ %def`
        self.num = ""            # "2.7"
        self.anchor = ""         # "chunk2.7"
        self._cur = None         # line being read; None until the header ends

    @property
    def page(self):
        return self.chapter.page


class Quote:
    """Quoted code in prose: [[text]] or [[<<name>>]]."""

    def __init__(self, file, line):
        self.file = file
        self.line = line
        self.parts = []          # ("text", s) / ("use", name)

    def is_chunk_ref(self):
        parts = [p for p in self.parts if not (p[0] == "text" and not p[1].strip())]
        return len(parts) == 1 and parts[0][0] == "use"

    def code_text(self):
        return "".join(p[1] if p[0] == "text" else "<<%s>>" % p[1] for p in self.parts)


def read_markup(stream):
    """Parse the output of noweb's markup into Chapters; return (chapters, quotes)."""
    chapters, quotes = [], []
    chapter = block = quote = None
    line = 1
    for raw in stream:
        raw = raw.rstrip("\n")
        kw, _, arg = raw.partition(" ")
        if kw == "@file":
            chapter = Chapter(arg)
            chapters.append(chapter)
            line = 1
        elif kw == "@begin":
            if arg.split()[0] == "docs":
                block = Doc(line)
            else:
                block = Chunk(chapter, line)
            chapter.blocks.append(block)
        elif kw == "@end":
            if isinstance(block, Chunk) and block._cur:
                block.lines.append(block._cur)
                block.linenos.append(line)
            block = None
        elif kw == "@defn":
            block.name = arg
        elif kw == "@quote":
            quote = Quote(chapter.file, line)
        elif kw == "@endquote":
            quotes.append(quote)
            block.parts.append("\x01%d\x02" % (len(quotes) - 1))
            quote = None
        elif kw in ("@text", "@use"):
            part = ("text" if kw == "@text" else "use", arg)
            if quote is not None:
                quote.parts.append(part)
            elif isinstance(block, Doc):
                block.parts.append(arg)      # a @use in docs only occurs quoted
            elif block._cur is not None:
                block._cur.append(part)
        elif kw == "@nl":
            if quote is not None:
                quote.parts.append(("text", " "))
            elif isinstance(block, Doc):
                block.parts.append("\n")
            elif block._cur is None:         # the end of the `<<name>>=` line
                block._cur = []
            else:
                block.lines.append(block._cur)
                block.linenos.append(line)
                block._cur = []
            line += 1
        elif kw == "@index":
            sub, _, rest = arg.partition(" ")
            if sub == "defn" and isinstance(block, Chunk):
                block.defs.append(rest.strip())
            elif sub == "nl":                # the `@ %def` line
                line += 1
        # other keywords (@xref, @language, @fatal, ...) are not produced by
        # markup alone, or carry nothing the book shows.
    return chapters, quotes


# --------------------------------------------------------------------------
# A small C tokenizer, for highlighting and for linking identifiers

KEYWORDS = set("""auto break case const continue default do else enum extern
for goto if inline register restrict return sizeof static struct switch
typedef union volatile while _Alignas _Alignof _Atomic _Generic _Noreturn
_Static_assert _Thread_local asm __asm__ __attribute__ typeof __typeof__
__inline__ __volatile__ __restrict __builtin_expect""".split())
TYPES = set("""void char short int long float double signed unsigned bool
_Bool size_t ssize_t ptrdiff_t intptr_t uintptr_t int8_t int16_t int32_t
int64_t uint8_t uint16_t uint32_t uint64_t off_t pid_t FILE va_list
jmp_buf sigjmp_buf siginfo_t ucontext_t""".split())
CONSTANTS = set("NULL true false EOF".split())

TOKEN_RE = re.compile(r"""
    (?P<com>/\*)                                   # block comment start
  | (?P<lcom>//.*)                                 # line comment
  | (?P<str>"(?:\\.|[^"\\])*"?)                    # string literal
  | (?P<chr>'(?:\\.|[^'\\])*'?)                    # character literal
  | (?P<num>(?:0[xX][0-9A-Fa-f]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)[uUlLfF]*)
  | (?P<id>[A-Za-z_]\w*)
  | (?P<sp>\s+)
  | (?P<op>.)
""", re.X)
PP_RE = re.compile(r"(\s*)(#\s*[A-Za-z_]\w*|#)")
INCLUDE_RE = re.compile(r"(\s*)(<[^>]*>)")


class CTokenizer:
    """Splits C text into (class, text) tokens, carrying the state of an
    open /* comment from one piece of text to the next."""

    def __init__(self):
        self.in_comment = False

    def tokens(self, text, line_start):
        out = []
        pos = 0
        if line_start:
            m = PP_RE.match(text)
            if m and not self.in_comment:
                out.append((None, m.group(1)))
                out.append(("pp", m.group(2)))
                pos = m.end()
                if m.group(2).replace(" ", "") == "#include":
                    m2 = INCLUDE_RE.match(text, pos)
                    if m2:
                        out.append((None, m2.group(1)))
                        out.append(("str", m2.group(2)))
                        pos = m2.end()
        while pos < len(text):
            if self.in_comment:
                end = text.find("*/", pos)
                stop = len(text) if end < 0 else end + 2
                out.append(("com", text[pos:stop]))
                self.in_comment = end < 0
                pos = stop
                continue
            m = TOKEN_RE.match(text, pos)
            kind = m.lastgroup
            tok = m.group()
            if kind == "com":
                self.in_comment = True
                out.append(("com", "/*"))
            elif kind == "lcom":
                out.append(("com", tok))
            elif kind in ("str", "chr"):
                out.append(("str", tok))
            elif kind == "num":
                out.append(("num", tok))
            elif kind == "id":
                if tok in KEYWORDS:
                    out.append(("kw", tok))
                elif tok in TYPES:
                    out.append(("type", tok))
                elif tok in CONSTANTS:
                    out.append(("num", tok))
                else:
                    out.append(("id", tok))
            else:
                out.append((None, tok))
            pos = m.end()
        # Merge neighbours of one class ("/*" and the rest of a comment).
        merged = []
        for cls, t in out:
            if merged and merged[-1][0] == cls and cls not in ("id", "kw", "type"):
                merged[-1] = (cls, merged[-1][1] + t)
            else:
                merged.append((cls, t))
        return merged


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


def alpha_label(n):
    """1 -> A, 2 -> B, ... 27 -> AA."""
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(ord("A") + r) + s
    return s


def slugify(text):
    text = QUOTE_RE.sub("", text)
    text = re.sub(r"[^\w\s-]", "", text.lower())
    text = re.sub(r"[\s_]+", "-", text).strip("-")
    return text or "section"


def output_font_size(text):
    """The PDF font size for an experiment's output: 8.5pt, or smaller so
    that its widest line fits inside the shaded box on the 390pt text width
    (Latin Modern Mono is
    0.525em a character), but never below 6pt: /proc/slabinfo's lines are
    too wide for any readable size, and those break."""
    widest = max((len(l.expandtabs().rstrip()) for l in text.split("\n")),
                 default=0)
    usable = 390 - 2 * 8                        # less the shading's margins
    size = 8.5 if widest == 0 else min(8.5, usable / (0.525 * widest))
    size = max(6.0, int(size * 4) / 4)          # quarter points, rounded down
    return "\\fontsize{%.2f}{%.2f}\\selectfont" % (size, size * 1.18)


def plain_text(md):
    """A rough plain-text version of a line of Markdown (for search, titles)."""
    md = re.sub(r"`+([^`]*)`+(\{=\w+\})?", r"\1", md)
    md = re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", md)
    md = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", md)
    md = re.sub(r"[*_]", "", md)
    return md.replace("\\", "").strip()


def parse_attrs(s):
    """Parse a Pandoc attribute list `#id .class key="val" -` into
    (id, classes, pairs)."""
    ident, classes, pairs = None, [], []
    for m in re.finditer(r'#([^\s}]+)|\.([^\s}]+)|([\w-]+)=("[^"]*"|\S+)|(-)', s):
        if m.group(1):
            ident = m.group(1)
        elif m.group(2):
            classes.append(m.group(2))
        elif m.group(3):
            val = m.group(4)
            pairs.append((m.group(3), val[1:-1] if val.startswith('"') else val))
        else:
            classes.append("unnumbered")
    return ident, classes, pairs


def format_attrs(ident, classes, pairs):
    items = []
    if ident:
        items.append("#" + ident)
    items += ["." + c for c in classes]
    items += ['%s="%s"' % (k, v) for k, v in pairs]
    return "{%s}" % " ".join(items) if items else ""


def write_if_changed(path, text):
    """Write text to path unless the file already holds exactly that text."""
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


# --------------------------------------------------------------------------
# The book: numbering and cross-references


KIND_WORD = {"fig": "Figure", "out": "Output", "tbl": "Table", "sec": "Section",
             "ch": "Chapter"}
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+\{([^{}\n]*)\})?[ \t]*#*[ \t]*$", re.M)
OUTPUT_RE = re.compile(r"^:::+[ \t]*\{([^{}\n]*\.output\b[^{}\n]*)\}[ \t]*\n((?:.*\n)*?):::+[ \t]*$", re.M)
VALUE_RE = re.compile(r"\{\{([A-Za-z0-9_-]+)\.([A-Za-z0-9_.-]+)\}\}")
FIGURE_RE = re.compile(r"!\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\((fig/[^)\s]+)\)(\{[^{}]*\})?")
TABLE_CAPTION_RE = re.compile(r"^(Table)?:[ \t]+(.*?)(?:[ \t]*\{#(tbl:[^}\s]+)\})?[ \t]*$", re.M)
REF_RE = re.compile(r"(?<![\w@\\])@(fig|out|tbl|sec|ch):([\w.:-]*\w)")
LINK_RE = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(#([^)\s]+)\)")
FENCE_RE = re.compile(r"^([ \t]*)(`{3,}|~{3,})")


class Book:
    def __init__(self, chapters, quotes, args):
        self.chapters = chapters
        self.quotes = quotes
        self.args = args
        self.chunks = [b for ch in chapters for b in ch.blocks if isinstance(b, Chunk)]
        self.defs_of = {}        # chunk name -> [Chunk] in book order
        self.uses_of = {}        # chunk name -> [Chunk] that use it
        self.ident_defs = {}     # identifier -> [Chunk]
        self.ident_uses = {}     # identifier -> [Chunk]
        self.labels = {}         # id -> (kind word, number, page, file)
        self.exp_cache = {}
        self.search = []         # entries for the search box
        self.stash = []          # generated text protected from later passes
        self.index_labels = {}   # "chunks"/"identifiers" -> appendix letter

    # -- numbering ---------------------------------------------------------

    def number_chapters(self):
        """Give chapters their labels and chunks their numbers."""
        numbered = appendices = 0
        for ch in self.chapters:
            docs = [b for b in ch.blocks if isinstance(b, Doc)]
            first = docs[0].text().lstrip("\n") if docs else ""
            m = HEADING_RE.match(first)
            if not m or len(m.group(1)) != 1:
                ERR.add(ch.file, 1, "a chapter must begin with a `# Title` line")
                ch.title = ch.base
            else:
                ch.title = m.group(2)
                ident, classes, _ = parse_attrs(m.group(3) or "")
                ch.id = ident or ch.id
                ch.appendix = "appendix" in classes or re.match(r"9\d-", ch.base) is not None
                ch.numbered = "unnumbered" not in classes
            if not ch.numbered:
                ch.label = ""
            elif ch.appendix:
                appendices += 1
                ch.label = alpha_label(appendices)
            else:
                numbered += 1
                ch.label = str(numbered)
            ch.kind = "Appendix" if ch.appendix else "Chapter"
            prefix = ch.label or "0"
            n = 0
            for b in ch.blocks:
                if isinstance(b, Chunk):
                    n += 1
                    b.num = "%s.%d" % (prefix, n)
                    b.anchor = "chunk" + b.num
        # The two indexes are the last appendices.
        self.index_labels["chunks"] = alpha_label(appendices + 1)
        self.index_labels["identifiers"] = alpha_label(appendices + 2)

    def cross_reference(self):
        """Who defines and who uses each chunk and each identifier."""
        for c in self.chunks:
            self.defs_of.setdefault(c.name, []).append(c)
            for ident in c.defs:
                self.ident_defs.setdefault(ident, []).append(c)
        for c in self.chunks:
            for line in c.lines:
                for kind, s in line:
                    if kind == "use":
                        lst = self.uses_of.setdefault(s, [])
                        if c not in lst:
                            lst.append(c)
        # Identifier uses: every chunk (other than a defining one) in whose
        # code, outside comments and strings, the identifier occurs.
        for c in self.chunks:
            tok = CTokenizer()
            seen = set()
            for line in c.lines:
                start = True
                for kind, s in line:
                    if kind == "text":
                        for cls, t in tok.tokens(s, start):
                            if cls == "id" and t in self.ident_defs:
                                seen.add(t)
                    start = False
            for ident in sorted(seen):
                if c not in self.ident_defs[ident]:
                    self.ident_uses.setdefault(ident, []).append(c)
        # Problems noweb would not report until tangling.
        for c in self.chunks:
            for line, lineno in zip(c.lines, c.linenos):
                for kind, s in line:
                    if kind == "use" and s not in self.defs_of:
                        ERR.warn(c.chapter.file, lineno, "chunk <<%s>> is used but never defined" % s)
        for name, defs in self.defs_of.items():
            if name not in self.uses_of and not is_file_name(name):
                ERR.warn(defs[0].chapter.file, defs[0].line,
                         "chunk <<%s>> is never used and is not a file" % name)

    def check_widths(self):
        for c in self.chunks:
            for line, lineno in zip(c.lines, c.linenos):
                text = "".join(s if k == "text" else "<<%s>>" % s for k, s in line)
                if len(text.expandtabs(8)) > MAX_CODE_COLUMNS:
                    ERR.add(c.chapter.file, lineno, "code line longer than %d columns" % MAX_CODE_COLUMNS)

    # -- labels -------------------------------------------------------------

    def add_label(self, ident, word, number, page, file, line):
        old = self.labels.get(ident)
        if old and (old[2], old[1]) != (page, number):
            ERR.add(file, line, "label #%s is defined twice (also in %s)" % (ident, old[3]))
            return
        self.labels[ident] = (word, number, page, file)

    def href(self, ident, from_page):
        """The link to a label from from_page (None: the PDF, one document)."""
        page = self.labels[ident][2]
        if from_page is None:
            return "#" + ident
        return ("#" if page == from_page else page + "#") + ident

    # -- experiment output --------------------------------------------------

    def experiment(self, name, file, line):
        """(visible text, {key: value}) of build/exp/NAME.txt, or None."""
        if name not in self.exp_cache:
            path = os.path.join(self.args.exp, name + ".txt")
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    lines = f.read().splitlines()
            except OSError:
                self.exp_cache[name] = None
            else:
                values, shown = {}, []
                for l in lines:
                    if l.startswith("@value "):
                        key, _, val = l[len("@value "):].strip().partition(" ")
                        values[key] = val.strip()
                    else:
                        shown.append(l.expandtabs(8))
                self.exp_cache[name] = ("\n".join(shown), values)
        result = self.exp_cache[name]
        if result is None:
            ERR.add(file, line, "experiment output %s/%s.txt does not exist" % (self.args.exp, name))
        return result

    def stash_text(self, text):
        self.stash.append(text)
        return "\x03%d\x04" % (len(self.stash) - 1)

    def unstash(self, text):
        while STASH_RE.search(text):
            text = STASH_RE.sub(lambda m: self.stash[int(m.group(1))], text)
        return text

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
        defs = self.defs_of.get(name)
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
        defs = self.ident_defs.get(ident)
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
        linkable = any(c == "id" and t in self.ident_defs for c, t in toks)
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
        defs = self.defs_of[chunk.name]
        i = defs.index(chunk)
        items = []
        uses = self.uses_of.get(chunk.name, [])
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
        first = self.defs_of[chunk.name][0] is chunk
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

    def render_doc(self, ch, doc, fmt, state):
        """Rewrite one documentation chunk into Pandoc Markdown for fmt."""
        text = doc.text()
        out = []
        pos = 0
        # Split off fenced code blocks in the prose: they are left alone
        # (except that [[...]] in them is put back as typed).
        lines = text.split("\n")
        chunks_of_text = []      # (is_fence, text, first line)
        cur, cur_line, fence = [], doc.line, None
        for i, l in enumerate(lines):
            m = FENCE_RE.match(l)
            if fence is None and m:
                if cur:
                    chunks_of_text.append((False, "\n".join(cur), cur_line))
                cur, cur_line, fence = [l], doc.line + i, m.group(2)
            elif fence is not None and m and m.group(2)[0] == fence[0] and len(m.group(2)) >= len(fence) \
                    and l.strip() == m.group(2):
                cur.append(l)
                chunks_of_text.append((True, "\n".join(cur), cur_line))
                cur, cur_line, fence = [], doc.line + i + 1, None
            else:
                if not cur:
                    cur_line = doc.line + i
                cur.append(l)
        if cur:
            chunks_of_text.append((fence is not None, "\n".join(cur), cur_line))
        for is_fence, s, line in chunks_of_text:
            if is_fence:
                out.append(QUOTE_RE.sub(lambda m: "[[%s]]" % self.quotes[int(m.group(1))].code_text(), s))
            else:
                out.append(self.render_markdown(ch, s, line, fmt, state))
        return "\n".join(out)

    def render_markdown(self, ch, s, first_line, fmt, state):
        file = ch.file
        page = ch.page
        link_page = page if fmt == "html" else None

        def lineno(m):
            return first_line + s.count("\n", 0, m.start())

        # 1. Experiment output: ::: {.output file="NAME" caption="..."} :::
        def output(m):
            ident, classes, pairs = parse_attrs(m.group(1))
            attrs = dict(pairs)
            name = attrs.get("file")
            if not name:
                ERR.add(file, lineno(m), "an output block needs file=\"NAME\"")
                return ""
            if m.group(2).strip():
                ERR.add(file, lineno(m), "an output block must be empty (its text comes from %s.txt)" % name)
            ident = ident or "out:" + name
            exp = self.experiment(name, file, lineno(m))
            body = exp[0] if exp else ""
            caption = attrs.get("caption")
            label = ""
            if caption:
                state["out"] += 1
                number = "%s.%d" % (ch.label or "0", state["out"])
                self.add_label(ident, "Output", number, page, file, lineno(m))
                label = "Output %s:" % number
            if fmt == "html":
                pre = raw_block("html", '<pre class="output-text">%s</pre>' % esc_html(body))
            else:
                pre = raw_block("latex", "\\begin{nwoutput}[%s]\n%s\n\\end{nwoutput}"
                                % (output_font_size(body), body))
            out = ["", "::: {#%s .output}" % ident]
            if fmt == "latex":
                out.insert(1, self.stash_text(raw_block("latex", "\\nwoutbegin")))
            if caption:
                out += ["::: {.output-caption}", "**%s** %s" % (label, caption), ":::"]
            out += [self.stash_text(pre), ":::", ""]
            return "\n".join(out)
        s = OUTPUT_RE.sub(output, s)

        # 2. {{NAME.KEY}} -> the value printed by the experiment.
        def value(m):
            exp = self.experiment(m.group(1), file, lineno(m))
            if exp is None:
                return m.group(0)
            if m.group(2) not in exp[1]:
                ERR.add(file, lineno(m), "no value %s in %s/%s.txt (for {{%s.%s}})" % (
                    m.group(2), self.args.exp, m.group(1), m.group(1), m.group(2)))
                return m.group(0)
            return md_escape(exp[1][m.group(2)])
        s = VALUE_RE.sub(value, s)

        # 3. Headings: numbered here for HTML, by LaTeX for the PDF.
        def heading(m):
            level = len(m.group(1))
            title = m.group(2)
            ident, classes, pairs = parse_attrs(m.group(3) or "")
            classes = [c for c in classes if c != "appendix"]
            unnumbered = "unnumbered" in classes
            if level == 1:
                ident = ch.id
                number = ch.label if ch.numbered else ""
                word = ch.kind
                html_label = "%s %s" % (ch.kind, ch.label) if number else ""
                state["sec"] = [0, 0]
            else:
                if not ident:
                    ident = self.unique_id(slugify(title), ch, lineno(m))
                number = ""
                if level <= 3 and not unnumbered and ch.numbered:
                    counters = state["sec"]
                    if level == 2:
                        counters[0] += 1
                        counters[1] = 0
                    else:
                        counters[1] += 1
                    number = "%s.%d" % (ch.label, counters[0])
                    if level == 3:
                        number += ".%d" % counters[1]
                word = "Section"
                html_label = number
            self.add_label(ident, word, number, page, file, lineno(m))
            if state["collect"] and level <= 3:
                ch.sections.append((level, number, title, ident))
            attrs = format_attrs(ident, classes, pairs)
            prefix = ""
            if fmt == "latex" and level == 1 and ch.appendix and not state["appendix_started"]:
                state["appendix_started"] = True
                prefix = self.stash_text(raw_block("latex", "\\appendix")) + "\n\n"
            if fmt == "html" and html_label:
                cls = "chapno" if level == 1 else "secno"
                return prefix + "%s [%s]{.%s} %s %s" % (m.group(1), html_label, cls, title, attrs)
            return prefix + "%s %s %s" % (m.group(1), title, attrs)
        s = HEADING_RE.sub(heading, s)

        # 4. Figures: ![Caption.](fig/NAME){#fig:NAME}
        def figure(m):
            caption, path, attrs = m.group(1), m.group(2), m.group(3) or ""
            ident, classes, pairs = parse_attrs(attrs[1:-1]) if attrs else (None, [], [])
            name = path[len("fig/"):]
            base, ext = os.path.splitext(name)
            want = ".svg" if fmt == "html" else ".pdf"
            if not ext:
                ext = want
            src = os.path.join(self.args.fig, base + ext)
            if not os.path.exists(src):
                ERR.add(file, lineno(m), "figure %s does not exist" % src)
            if fmt == "html":
                new_path = "fig/" + base + ext
            else:
                new_path = os.path.relpath(os.path.abspath(src), os.path.abspath(os.path.join(self.args.out, "pdf")))
            # Only an image alone in its paragraph is a figure (Pandoc's rule).
            before = s[:m.start()].rsplit("\n\n", 1)[-1]
            after = s[m.end():].split("\n\n", 1)[0]
            if caption and not before.strip() and not after.strip():
                state["fig"] += 1
                number = "%s.%d" % (ch.label or "0", state["fig"])
                ident = ident or "fig:" + base
                self.add_label(ident, "Figure", number, page, file, lineno(m))
                if state["collect"]:
                    self.search.append({"k": "figure", "t": "Figure %s: %s" % (number, plain_text(self.plain_quotes(caption))),
                                        "u": page + "#" + ident})
                if fmt == "html":
                    caption = "[Figure %s:]{.lbl} %s" % (number, caption)
            return "![%s](%s)%s" % (caption, new_path, format_attrs(ident, classes, pairs))
        s = FIGURE_RE.sub(figure, s)

        # 5. Table captions with an id: Table: Caption {#tbl:NAME}
        def table_caption(m):
            if not m.group(3) and not m.group(1):
                return m.group(0)        # ": text" without an id may be a definition
            state["tbl"] += 1
            number = "%s.%d" % (ch.label or "0", state["tbl"])
            cap = m.group(2)
            anchor = ""
            if m.group(3):
                self.add_label(m.group(3), "Table", number, page, file, lineno(m))
                anchor = "[]{#%s}" % m.group(3)
            if fmt == "html":
                return "Table: %s[Table %s:]{.lbl} %s" % (anchor, number, cap)
            return "Table: %s%s" % (anchor, cap)
        s = TABLE_CAPTION_RE.sub(table_caption, s)

        # 6. References: @fig:NAME, and [text](#id) across pages.
        def ref(m):
            ident = "%s:%s" % (m.group(1), m.group(2))
            if ident not in self.labels:
                if not state["collect"]:
                    ERR.add(file, lineno(m), "reference to unknown label @%s" % ident)
                return m.group(0)
            word, number, _, _ = self.labels[ident]
            return self.stash_text("[%s %s](%s)" % (word, number, self.href(ident, link_page)))
        s = REF_RE.sub(ref, s)

        def link(m):
            text, ident = m.group(1), m.group(2)
            if ident not in self.labels:
                if not state["collect"]:
                    ERR.warn(file, lineno(m), "link to unknown #%s" % ident)
                return m.group(0)
            word, number, _, _ = self.labels[ident]
            if number and text.strip().lower() in ("", word.lower()):
                text = "%s %s" % (word, number)
            return self.stash_text("[%s](%s)" % (text, self.href(ident, link_page)))
        s = LINK_RE.sub(link, s)

        # 7. Quoted code.  In headings and captions it is plain code.
        def quote(m, plain=False):
            return self.render_quote(self.quotes[int(m.group(1))], fmt, page, plain)
        # A caption may run over several lines: it lasts from the line
        # that opens it to the end of its paragraph.
        out = []
        in_caption = False
        for l in s.split("\n"):
            if l.startswith("![") or l.startswith("Table:"):
                in_caption = True
            elif not l.strip():
                in_caption = False
            plain = in_caption or l.startswith("#")
            out.append(QUOTE_RE.sub(lambda m: quote(m, plain), l))
        return self.unstash("\n".join(out))

    def inline_md(self, text):
        """Markdown for a caption given in an attribute: quotes are plain."""
        return self.plain_quotes(text)

    def plain_quotes(self, text):
        return QUOTE_RE.sub(lambda m: md_code_span(self.quotes[int(m.group(1))].code_text()), text)

    def unique_id(self, slug, ch, key):
        """A heading id unique in the whole book (the PDF is one document)."""
        taken = self.__dict__.setdefault("_ids", {})
        k = (ch.file, key)
        if k in taken:
            return taken[k]
        ident, n = slug, 1
        used = set(taken.values()) | {c.id for c in self.chapters}
        while ident in used or ident in self.labels:
            n += 1
            ident = "%s-%d" % (slug, n)
        taken[k] = ident
        return ident

    # -- whole chapters ---------------------------------------------------

    def render_chapter(self, ch, fmt, collect=False):
        state = {"fig": 0, "out": 0, "tbl": 0, "sec": [0, 0], "collect": collect,
                 "appendix_started": self.__dict__.get("_appendix_started", False)}
        parts = []
        for b in ch.blocks:
            if isinstance(b, Doc):
                parts.append(self.render_doc(ch, b, fmt, state))
            else:
                parts.append(self.render_chunk(b, fmt))
        if fmt == "latex":
            self._appendix_started = state["appendix_started"]
        return "\n".join(parts).strip("\n") + "\n"


def is_file_name(name):
    return re.match(r"^[\w./+-]+\.\w+$", name) is not None and "/" in name


# --------------------------------------------------------------------------
# Pages


def yaml_header(fields):
    lines = ["---"]
    for k, v in fields.items():
        if isinstance(v, bool):
            lines.append("%s: %s" % (k, "true" if v else "false"))
        else:
            lines.append("%s: %s" % (k, json.dumps(v, ensure_ascii=False)))
    lines.append("---\n")
    return "\n".join(lines) + "\n"


def chapter_heading(ch):
    return "%s %s" % (ch.kind, ch.label) if ch.label else ""


def sort_key(name):
    return re.sub(r"[^a-z0-9 ]", "", name.lower().replace("[[", "").replace("]]", "")), name


def html_pages(book):
    """{page name: Markdown text} for the HTML edition."""
    pages = {}
    chs = book.chapters
    order = [("index", "Contents")] + [(c.base, c.title) for c in chs] + \
            [("chunks", "Index of chunks"), ("identifiers", "Index of identifiers")]

    def nav(i):
        f = {}
        if i > 0:
            f["prev-url"] = order[i - 1][0] + ".html"
            f["prev-title"] = plain_text(book.plain_quotes(order[i - 1][1]))
        if i + 1 < len(order):
            f["next-url"] = order[i + 1][0] + ".html"
            f["next-title"] = plain_text(book.plain_quotes(order[i + 1][1]))
        return f

    for i, ch in enumerate(chs, start=1):
        md = book.render_chapter(ch, "html")
        head = {"pagetitle": plain_text(book.plain_quotes(
                    ("%s: " % chapter_heading(ch) if ch.label else "") + ch.title)),
                "chapter": True, "page-kind": "chapter"}
        head.update(nav(i))
        pages[ch.base] = yaml_header(head) + md

    # The contents page.
    md = []
    for ch in chs:
        label = chapter_heading(ch)
        md.append('- [%s%s](%s)%s' % ("[%s]{.chapno} " % label if label else "",
                                       book.plain_quotes(ch.title), ch.page, ""))
        secs = [s for s in ch.sections if s[0] == 2]
        for level, number, title, ident in secs:
            md.append('    - [%s%s](%s#%s)' % ("[%s]{.secno} " % number if number else "",
                                                book.plain_quotes(title), ch.page, ident))
    md.append("- [[Appendix %s]{.chapno} Index of chunks](chunks.html)" % book.index_labels["chunks"])
    md.append("- [[Appendix %s]{.chapno} Index of identifiers](identifiers.html)"
              % book.index_labels["identifiers"])
    head = {"pagetitle": "Contents", "page-kind": "contents", "contents": True}
    head.update(nav(0))
    pdf_note = ("The whole book is also one PDF, for printing and offline "
                "reading: [book.pdf](../book.pdf), beside this folder.\n\n")
    pages["index"] = (yaml_header(head) + pdf_note + "::: {.contents}\n"
                      + "\n".join(md) + "\n:::\n")

    # The index of chunks.
    rows = []
    letter = None
    for name in sorted(book.defs_of, key=sort_key):
        defs = book.defs_of[name]
        first = sort_key(name)[0][:1].upper() or "#"
        if first != letter:
            if letter is not None:
                rows.append("</dl>")
            letter = first
            rows.append('<h2 id="chunks-%s">%s</h2>\n<dl class="index">' % (esc_html(letter), esc_html(letter)))
        d_links = ", ".join('<a href="%s#%s">%s</a>' % (d.page, d.anchor, d.num) for d in defs)
        uses = book.uses_of.get(name, [])
        u_links = ", ".join('<a href="%s#%s">%s</a>' % (u.page, u.anchor, u.num) for u in uses)
        rows.append('<dt>⟨<a href="%s#%s">%s</a>⟩</dt><dd>Defined in %s.%s</dd>' % (
            defs[0].page, defs[0].anchor, book.name_markup(name, "html"), d_links,
            (" Used in %s." % u_links) if uses else (" Root: written to a file." if is_file_name(name) else "")))
    if letter is not None:
        rows.append("</dl>")
    head = {"pagetitle": "Index of chunks", "page-kind": "index"}
    head.update(nav(len(order) - 2))
    intro = ("# [Appendix %s]{.chapno} Index of chunks {#chunk-index}\n\n"
             "Every chunk of code in the book, by name, with the chunks that define it "
             "(the first is the one the name links to) and the chunks that use it.\n"
             % book.index_labels["chunks"])
    pages["chunks"] = yaml_header(head) + intro + raw_block("html", "\n".join(rows))

    # The index of identifiers.
    rows, letters, letter = [], [], None
    for ident in sorted(book.ident_defs, key=lambda s: (s.lower().lstrip("_"), s)):
        first = ident.lstrip("_")[:1].upper() or "_"
        if first != letter:
            if letter is not None:
                rows.append("</dl>")
            letter = first
            letters.append(letter)
            rows.append('<h2 id="ids-%s">%s</h2>\n<dl class="index ids">' % (letter, letter))
        defs = book.ident_defs[ident]
        uses = book.ident_uses.get(ident, [])
        d_links = ", ".join('<a class="defn" href="%s#%s">%s</a>' % (d.page, d.anchor, d.num) for d in defs)
        u_links = ", ".join('<a href="%s#%s">%s</a>' % (u.page, u.anchor, u.num) for u in uses)
        rows.append('<div><dt id="id-%s"><code>%s</code></dt><dd>Defined in %s.%s</dd></div>' % (
            esc_html(ident), esc_html(ident), d_links, (" Used in %s." % u_links) if uses else " Not used elsewhere."))
    if letter is not None:
        rows.append("</dl>")
    jump = '<p class="letters">%s</p>' % " ".join('<a href="#ids-%s">%s</a>' % (l, l) for l in letters)
    head = {"pagetitle": "Index of identifiers", "page-kind": "index"}
    head.update(nav(len(order) - 1))
    intro = ("# [Appendix %s]{.chapno} Index of identifiers {#identifier-index}\n\n"
             "Every identifier declared with `@ %%def` in the book, with the chunk that "
             "defines it (in bold) and the chunks whose code uses it.\n" % book.index_labels["identifiers"])
    pages["identifiers"] = yaml_header(head) + intro + raw_block("html", jump + "\n" + "\n".join(rows))
    return pages


def latex_book(book):
    """The whole book as one Markdown file for the PDF."""
    parts = [book.render_chapter(ch, "latex") for ch in book.chapters]
    tex = []
    if not getattr(book, "_appendix_started", False):
        tex.append("\\appendix")
    # The index of chunks.
    tex.append("\\chapter{Index of chunks}\\label{chunk-index}")
    tex.append("Every chunk of code in the book, by name, with the chunks that define it "
               "and the chunks that use it.\n")
    tex.append("\\begin{nwindex}")
    for name in sorted(book.defs_of, key=sort_key):
        defs = book.defs_of[name]
        uses = book.uses_of.get(name, [])
        tex.append("\\nwindexentry{%s}{%s}{%s}" % (
            book.chunk_link(name, "latex", None),
            ", ".join("\\nwlink{%s}{%s}" % (d.anchor, d.num) for d in defs),
            ", ".join("\\nwlink{%s}{%s}" % (u.anchor, u.num) for u in uses)))
    tex.append("\\end{nwindex}")
    # The index of identifiers.
    tex.append("\\chapter{Index of identifiers}\\label{identifier-index}")
    tex.append("Every identifier declared with \\texttt{@ \\%def} in the book, with the chunk "
               "that defines it (in bold) and the chunks whose code uses it.\n")
    tex.append("\\begin{nwidindex}")
    for ident in sorted(book.ident_defs, key=lambda s: (s.lower().lstrip("_"), s)):
        defs = book.ident_defs[ident]
        uses = book.ident_uses.get(ident, [])
        tex.append("\\nwidentry{%s}{%s}{%s}" % (
            esc_latex(ident),
            ", ".join("\\nwdeflink{%s}{%s}" % (d.anchor, d.num) for d in defs),
            ", ".join("\\nwlink{%s}{%s}" % (u.anchor, u.num) for u in uses)))
    tex.append("\\end{nwidindex}")
    return "\n\n".join(p.strip("\n") for p in parts) + "\n\n" + raw_block("latex", "\n".join(tex))


def search_index(book):
    entries = []
    for ch in book.chapters:
        label = chapter_heading(ch)
        entries.append({"k": "chapter", "t": plain_text(book.plain_quotes(ch.title)),
                        "n": label, "u": ch.page})
        for level, number, title, ident in ch.sections:
            if level > 1:
                entries.append({"k": "section", "t": plain_text(book.plain_quotes(title)),
                                "n": number, "u": "%s#%s" % (ch.page, ident)})
    for name, defs in book.defs_of.items():
        entries.append({"k": "chunk", "t": name.replace("[[", "").replace("]]", ""),
                        "n": defs[0].num, "u": "%s#%s" % (defs[0].page, defs[0].anchor)})
    for ident, defs in sorted(book.ident_defs.items()):
        entries.append({"k": "identifier", "t": ident, "n": defs[0].num,
                        "u": "%s#%s" % (defs[0].page, defs[0].anchor)})
    entries += book.search
    return ("// Generated by tangle/nw2pandoc.py: what the search box searches.\n"
            "window.BOOK_SEARCH = " + json.dumps(entries, ensure_ascii=False, indent=0) + ";\n")


# --------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--exp", default="build/exp", help="experiment output directory")
    ap.add_argument("--fig", default="build/fig", help="figure directory (NAME.svg, NAME.pdf)")
    ap.add_argument("--out", default="build/weave", help="where to write the Markdown")
    ap.add_argument("input", nargs="?", help="markup output (default: standard input)")
    args = ap.parse_args()

    stream = open(args.input, encoding="utf-8") if args.input else \
        open(sys.stdin.fileno(), encoding="utf-8", errors="replace")
    chapters, quotes = read_markup(stream)
    if not chapters:
        print("nw2pandoc: no input (expected the output of noweb's markup)", file=sys.stderr)
        return 1
    book = Book(chapters, quotes, args)
    book.number_chapters()
    book.cross_reference()
    book.check_widths()
    # First pass: collect every label (sections, figures, outputs, tables)
    # so that references may point forward.
    for ch in chapters:
        book.render_chapter(ch, "html", collect=True)
    book.search_collected = list(book.search)
    pages = html_pages(book)
    latex = latex_book(book)
    if ERR.seen:
        for e in ERR.seen:
            print(e, file=sys.stderr)
        print("nw2pandoc: %d error(s); nothing written" % len(ERR.seen), file=sys.stderr)
        return 1
    for name, text in pages.items():
        write_if_changed(os.path.join(args.out, "html", name + ".md"), text)
    write_if_changed(os.path.join(args.out, "pdf", "book.md"), latex)
    write_if_changed(os.path.join(args.out, "search-index.js"), search_index(book))
    return 0


if __name__ == "__main__":
    sys.exit(main())
