"""nwprose.py -- the weave's prose: documentation chunks to Pandoc Markdown
(part of tangle/nw2pandoc.py).

The prose of a chapter is Pandoc Markdown already.  What this module adds
is what needs the whole book or the build, and can report an error at a
.nw line:

  - numbers: chapters, sections, figures, outputs and tables are numbered
    per chapter, and every label (an id such as fig:layout) is recorded
    with its kind, number and page, for references from anywhere;
  - experiment output blocks are checked and given their number (the text
    of build/exp/NAME.txt is read in by tangle/outputs.lua);
  - {{NAME.KEY}} becomes the value an experiment printed;
  - figure paths become the .svg (HTML) or .pdf (PDF) the build drew;
  - every @fig:NAME reference must name a label;
  - quoted code ([[...]]) becomes links (tangle/nwcode.py).

The numbers go into the Markdown as attributes (label="2.1",
number="2.1"); tangle/crossref.lua sets them on the page and turns
references into links, in pandoc, where the Markdown is already parsed.
"""

import os
import re

from nwread import ERR, QUOTE_RE, Doc, parse_attrs
from nwcode import md_escape, raw_block

HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+\{([^{}\n]*)\})?[ \t]*#*[ \t]*$", re.M)
OUTPUT_RE = re.compile(r"^:::+[ \t]*\{([^{}\n]*\.output\b[^{}\n]*)\}[ \t]*\n((?:.*\n)*?):::+[ \t]*$", re.M)
VALUE_RE = re.compile(r"\{\{([A-Za-z0-9_-]+)\.([A-Za-z0-9_.-]+)\}\}")
FIGURE_RE = re.compile(r"!\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\((fig/[^)\s]+)\)(\{[^{}]*\})?")
TABLE_CAPTION_RE = re.compile(r"^(Table)?:[ \t]+(.*?)(?:[ \t]*\{#(tbl:[^}\s]+)\})?[ \t]*$", re.M)
REF_RE = re.compile(r"(?<![\w@\\])@(fig|out|tbl|sec|ch):([\w.:-]*\w)")
LINK_RE = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(#([^)\s]+)\)")
FENCE_RE = re.compile(r"^([ \t]*)(`{3,}|~{3,})")


def slugify(text):
    text = QUOTE_RE.sub("", text)
    text = re.sub(r"[^\w\s-]", "", text.lower())
    text = re.sub(r"[\s_]+", "-", text).strip("-")
    return text or "section"


def plain_text(md):
    """A rough plain-text version of a line of Markdown (for search, titles)."""
    md = re.sub(r"`+([^`]*)`+(\{=\w+\})?", r"\1", md)
    md = re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", md)
    md = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", md)
    md = re.sub(r"[*_]", "", md)
    return md.replace("\\", "").strip()


def format_attrs(ident, classes, pairs):
    items = []
    if ident:
        items.append("#" + ident)
    items += ["." + c for c in classes]
    items += ['%s="%s"' % (k, v) for k, v in pairs]
    return "{%s}" % " ".join(items) if items else ""


class ChapterState:
    """What one pass over one chapter counts as it goes."""

    def __init__(self, ch, fmt, collect):
        self.ch = ch
        self.fmt = fmt           # "html" or "latex"
        self.collect = collect   # the first pass: record sections, search
        self.fig = self.out = self.tbl = 0
        self.sec = [0, 0]        # section and subsection counters
        self.headings = 0        # headings so far (the key of their ids)


class Prose:
    """Renders the documentation chunks of the book, and numbers it."""

    def __init__(self, index, code, exp_dir, fig_dir, out_dir):
        self.ix = index
        self.code = code
        self.exp_dir = exp_dir
        self.fig_dir = fig_dir
        self.out_dir = out_dir
        self.labels = {}         # id -> (kind word, number, page, file)
        self.search = []         # search entries for figures
        self.exp_cache = {}      # experiment name -> (text, values) or None
        self.heading_ids = {}    # (file, n) -> the id of the nth heading
        self.appendix_started = False   # the PDF has had its \appendix

    # -- labels -------------------------------------------------------------

    def add_label(self, ident, word, number, page, file, line):
        old = self.labels.get(ident)
        if old and (old[2], old[1]) != (page, number):
            ERR.add(file, line, "label #%s is defined twice (also in %s)" % (ident, old[3]))
            return
        self.labels[ident] = (word, number, page, file)

    def unique_id(self, slug, ch, key):
        """A heading id unique in the whole book (the PDF is one document),
        the same in every pass (the key counts the chapter's headings)."""
        k = (ch.file, key)
        if k in self.heading_ids:
            return self.heading_ids[k]
        ident, n = slug, 1
        used = set(self.heading_ids.values()) | {c.id for c in self.ix.chapters}
        while ident in used or ident in self.labels:
            n += 1
            ident = "%s-%d" % (slug, n)
        self.heading_ids[k] = ident
        return ident

    # -- experiment output --------------------------------------------------

    def experiment(self, name, file, line):
        """(visible text, {key: value}) of build/exp/NAME.txt, or None."""
        if name not in self.exp_cache:
            path = os.path.join(self.exp_dir, name + ".txt")
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
            ERR.add(file, line, "experiment output %s/%s.txt does not exist" % (self.exp_dir, name))
        return result

    # -- whole chapters and documentation chunks -----------------------------

    def render_chapter(self, ch, fmt, collect=False):
        st = ChapterState(ch, fmt, collect)
        parts = []
        for b in ch.blocks:
            if isinstance(b, Doc):
                parts.append(self.render_doc(b, st))
            else:
                parts.append(self.code.render_chunk(b, fmt))
        return "\n".join(parts).strip("\n") + "\n"

    def render_doc(self, doc, st):
        """One documentation chunk as Pandoc Markdown.  Fenced code blocks
        in it are left alone (except that [[...]] in them is put back as
        typed); the rest is Markdown for render_markdown."""
        lines = doc.text().split("\n")
        pieces = []              # (is_fence, text, first line)
        cur, cur_line, fence = [], doc.line, None
        for i, l in enumerate(lines):
            m = FENCE_RE.match(l)
            if fence is None and m:
                if cur:
                    pieces.append((False, "\n".join(cur), cur_line))
                cur, cur_line, fence = [l], doc.line + i, m.group(2)
            elif fence is not None and m and m.group(2)[0] == fence[0] and len(m.group(2)) >= len(fence) \
                    and l.strip() == m.group(2):
                cur.append(l)
                pieces.append((True, "\n".join(cur), cur_line))
                cur, cur_line, fence = [], doc.line + i + 1, None
            else:
                if not cur:
                    cur_line = doc.line + i
                cur.append(l)
        if cur:
            pieces.append((fence is not None, "\n".join(cur), cur_line))
        out = []
        for is_fence, s, line in pieces:
            if is_fence:
                out.append(QUOTE_RE.sub(lambda m: "[[%s]]" % self.ix.quotes[int(m.group(1))].code_text(), s))
            else:
                out.append(self.render_markdown(s, line, st))
        return "\n".join(out)

    def render_markdown(self, s, first_line, st):
        """Markdown prose, a pass for each thing the book adds to Markdown.
        The order matters: an output block's caption may hold a value, and
        quotes go last, since the earlier passes look at the lines they
        sit in (a heading's or a caption's quotes are plain code)."""
        src = (st.ch.file, first_line)
        s = OUTPUT_RE.sub(lambda m: self.output(m, s, src, st), s)
        s = VALUE_RE.sub(lambda m: self.value(m, s, src), s)
        s = HEADING_RE.sub(lambda m: self.heading(m, s, src, st), s)
        s = FIGURE_RE.sub(lambda m: self.figure(m, s, src, st), s)
        s = TABLE_CAPTION_RE.sub(lambda m: self.table_caption(m, s, src, st), s)
        if not st.collect and st.fmt == "html":
            self.check_references(s, src)
        return self.quotes(s, st)

    @staticmethod
    def lineno(m, s, src):
        """The .nw line of a match m in the text s that begins at src."""
        return src[1] + s.count("\n", 0, m.start())

    def output(self, m, s, src, st):
        """::: {.output file="NAME" caption="..."} ::: -- an experiment's
        output, numbered when it has a caption."""
        file, line = src[0], self.lineno(m, s, src)
        ch = st.ch
        ident, classes, pairs = parse_attrs(m.group(1))
        attrs = dict(pairs)
        name = attrs.get("file")
        if not name:
            ERR.add(file, line, "an output block needs file=\"NAME\"")
            return ""
        if m.group(2).strip():
            ERR.add(file, line, "an output block must be empty (its text comes from %s.txt)" % name)
        ident = ident or "out:" + name
        self.experiment(name, file, line)
        caption = attrs.get("caption")
        number = ""
        if caption:
            st.out += 1
            number = "%s.%d" % (ch.label or "0", st.out)
            self.add_label(ident, "Output", number, ch.page, file, line)
        path = os.path.join(self.exp_dir, name + ".txt")
        out = ["", '::: {#%s .output file="%s"%s}' % (
            ident, path, ' number="%s"' % number if number else "")]
        if caption:
            out += ["::: {.output-caption}", caption, ":::"]
        out += [":::", ""]
        return "\n".join(out)

    def value(self, m, s, src):
        """{{NAME.KEY}}: the value that build/exp/NAME.txt gives KEY."""
        file, line = src[0], self.lineno(m, s, src)
        exp = self.experiment(m.group(1), file, line)
        if exp is None:
            return m.group(0)
        if m.group(2) not in exp[1]:
            ERR.add(file, line, "no value %s in %s/%s.txt (for {{%s.%s}})" % (
                m.group(2), self.exp_dir, m.group(1), m.group(1), m.group(2)))
            return m.group(0)
        return md_escape(exp[1][m.group(2)])

    def heading(self, m, s, src, st):
        """A heading gets an id, and a number unless it is below level 3
        or unnumbered; label="..." is what the HTML shows before it (the
        PDF's numbers are LaTeX's)."""
        file, line = src[0], self.lineno(m, s, src)
        ch = st.ch
        level = len(m.group(1))
        title = m.group(2)
        ident, classes, pairs = parse_attrs(m.group(3) or "")
        classes = [c for c in classes if c != "appendix"]
        unnumbered = "unnumbered" in classes
        st.headings += 1
        if level == 1:
            ident = ch.id
            number = ch.label if ch.numbered else ""
            word = ch.kind
            label = "%s %s" % (ch.kind, ch.label) if number else ""
            st.sec = [0, 0]
        else:
            if not ident:
                ident = self.unique_id(slugify(title), ch, st.headings)
            number = ""
            if level <= 3 and not unnumbered and ch.numbered:
                if level == 2:
                    st.sec[0] += 1
                    st.sec[1] = 0
                else:
                    st.sec[1] += 1
                number = "%s.%d" % (ch.label, st.sec[0])
                if level == 3:
                    number += ".%d" % st.sec[1]
            word = "Section"
            label = number
        self.add_label(ident, word, number, ch.page, file, line)
        if st.collect and level <= 3:
            ch.sections.append((level, number, title, ident))
        if label:
            pairs = pairs + [("label", label)]
        prefix = ""
        if st.fmt == "latex" and level == 1 and ch.appendix and not self.appendix_started:
            self.appendix_started = True
            prefix = raw_block("latex", "\\appendix") + "\n\n"
        return prefix + "%s %s %s" % (m.group(1), title, format_attrs(ident, classes, pairs))

    def figure(self, m, s, src, st):
        """![Caption.](fig/NAME){#fig:NAME}: the drawing the build made;
        numbered when it is a figure (alone in its paragraph)."""
        file, line = src[0], self.lineno(m, s, src)
        ch = st.ch
        caption, path, attrs = m.group(1), m.group(2), m.group(3) or ""
        ident, classes, pairs = parse_attrs(attrs[1:-1]) if attrs else (None, [], [])
        name = path[len("fig/"):]
        base, ext = os.path.splitext(name)
        want = ".svg" if st.fmt == "html" else ".pdf"
        if not ext:
            ext = want
        fig = os.path.join(self.fig_dir, base + ext)
        if not os.path.exists(fig):
            ERR.add(file, line, "figure %s does not exist" % fig)
        if st.fmt == "html":
            new_path = "fig/" + base + ext
        else:
            new_path = os.path.relpath(os.path.abspath(fig),
                                       os.path.abspath(os.path.join(self.out_dir, "pdf")))
        # Only an image alone in its paragraph is a figure (Pandoc's rule).
        before = s[:m.start()].rsplit("\n\n", 1)[-1]
        after = s[m.end():].split("\n\n", 1)[0]
        if caption and not before.strip() and not after.strip():
            st.fig += 1
            number = "%s.%d" % (ch.label or "0", st.fig)
            ident = ident or "fig:" + base
            self.add_label(ident, "Figure", number, ch.page, file, line)
            if st.collect:
                self.search.append({"k": "figure", "t": "Figure %s: %s" % (
                    number, plain_text(self.code.plain_quotes(caption))),
                    "u": ch.page + "#" + ident})
            pairs = pairs + [("number", number)]
        return "![%s](%s)%s" % (caption, new_path, format_attrs(ident, classes, pairs))

    def table_caption(self, m, s, src, st):
        """Table: Caption {#tbl:NAME} -- a numbered table."""
        if not m.group(3) and not m.group(1):
            return m.group(0)        # ": text" without an id may be a definition
        file, line = src[0], self.lineno(m, s, src)
        ch = st.ch
        st.tbl += 1
        number = "%s.%d" % (ch.label or "0", st.tbl)
        if m.group(3):
            self.add_label(m.group(3), "Table", number, ch.page, file, line)
        anchor = format_attrs(m.group(3), [], [("number", number)])
        return "Table: []%s%s" % (anchor, m.group(2))

    def check_references(self, s, src):
        """Every @fig:NAME names a label (crossref.lua makes it a link);
        a [link](#id) to no label is worth a warning."""
        for m in REF_RE.finditer(s):
            ident = "%s:%s" % (m.group(1), m.group(2))
            if ident not in self.labels:
                ERR.add(src[0], self.lineno(m, s, src), "reference to unknown label @%s" % ident)
        for m in LINK_RE.finditer(s):
            if m.group(2) not in self.labels:
                ERR.warn(src[0], self.lineno(m, s, src), "link to unknown #%s" % m.group(2))

    def quotes(self, s, st):
        """Quoted code.  In headings and captions it is plain code; a
        caption may run over several lines: it lasts from the line that
        opens it to the end of its paragraph."""
        page = st.ch.page
        out = []
        in_caption = False
        for l in s.split("\n"):
            if l.startswith("![") or l.startswith("Table:"):
                in_caption = True
            elif not l.strip():
                in_caption = False
            plain = in_caption or l.startswith("#")
            out.append(QUOTE_RE.sub(lambda m: self.code.render_quote(
                self.ix.quotes[int(m.group(1))], st.fmt, page, plain), l))
        return "\n".join(out)
