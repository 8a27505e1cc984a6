"""nwread.py -- the weave's reader and indexer (part of tangle/nw2pandoc.py).

It reads the output of noweb's `markup` (the format of noweb's hacker's
guide: @file, @begin docs, @begin code, @text, @nl, @defn, @use, @quote,
@endquote, @index defn) into Chapters of Doc and Chunk blocks, then does
what noweb's `finduses` and `noidx` do for its own back ends, but with the
book's numbering: chapter labels ("2", "A"), chunk numbers per chapter
("2.7"), who defines and who uses each chunk and each identifier.  It
writes nothing; tangle/nwcode.py and tangle/nwprose.py render what it read.
"""

import os
import re
import sys

MAX_CODE_COLUMNS = 80

# Quoted code in prose ([[...]]) is kept out of the Markdown text while the
# prose is rewritten: the text holds \x01N\x02, N an index into the quotes.
QUOTE_RE = re.compile('\x01(\\d+)\x02')

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
        self.kind = "Chapter"    # or "Appendix"


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
# Names and attributes


def is_file_name(name):
    return re.match(r"^[\w./+-]+\.\w+$", name) is not None and "/" in name


def alpha_label(n):
    """1 -> A, 2 -> B, ... 27 -> AA."""
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(ord("A") + r) + s
    return s


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


# --------------------------------------------------------------------------
# The index: numbering and cross-references

HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+\{([^{}\n]*)\})?[ \t]*#*[ \t]*$", re.M)


class Index:
    """The whole book read: chapters, chunks and who uses what."""

    def __init__(self, chapters, quotes):
        self.chapters = chapters
        self.quotes = quotes     # Quote objects, numbered as in \x01N\x02
        self.chunks = [b for ch in chapters for b in ch.blocks if isinstance(b, Chunk)]
        self.defs_of = {}        # chunk name -> [Chunk] in book order
        self.uses_of = {}        # chunk name -> [Chunk] that use it
        self.ident_defs = {}     # identifier -> [Chunk]
        self.ident_uses = {}     # identifier -> [Chunk]
        self.index_labels = {}   # "chunks"/"identifiers" -> appendix letter
        self.number_chapters()
        self.cross_reference()
        self.check_widths()

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
