#!/usr/bin/env python3
"""nw2pandoc.py -- the book's noweb back end: noweb pipeline -> Pandoc Markdown.

Usage:
    /usr/lib/noweb/markup book/*.nw | nw2pandoc.py --exp build/exp \\
        --fig build/fig --out build/weave

All chapters go through noweb's `markup` together, so that chunk numbers,
"used in" lists and the identifier index span the whole book.  The back
end is split as noweb splits its own, so that each feature has one home:

    tangle/nwread.py    the reader and indexer: the markup stream into
                        chapters, chunk numbers ("2.7"), who defines and
                        who uses each chunk and identifier
    tangle/nwcode.py    the chunk renderer: code chunks, chunk names and
                        quoted code ([[...]]) as raw HTML or LaTeX
    tangle/nwprose.py   the prose: numbers for sections, figures, outputs
                        and tables, experiment values, figure paths,
                        references checked
    tangle/nw2pandoc.py (this file) the pages: the chapters, the contents,
                        the two indexes, the search index, and the label
                        table for the filters; files written only when
                        their text changes
    tangle/crossref.lua  (pandoc) numbers shown, @fig:NAME references and
                        [text](#id) links resolved, across pages
    tangle/outputs.lua   (pandoc) an experiment's output block filled in
                        from build/exp/NAME.txt
    tangle/breakable-code.lua  (pandoc, PDF) long inline code may break

It writes, under --out:

    html/NN-name.md     one page per chapter; code chunks are raw HTML
    html/index.md       the contents page
    html/chunks.md      the index of chunk names
    html/identifiers.md the index of identifiers (from `@ %def` lines)
    search-index.js     what the search box searches
    labels.lua          every label: its kind, number and page (for
                        crossref.lua)
    pdf/book.md         the whole book in one file; code chunks are raw LaTeX

Pandoc then turns those into build/html/*.html and build/book.pdf (see
tangle/weave.mk).  A file is rewritten only when its text changes, so make
reruns pandoc only for pages whose content moved.

Cross-references are computed here, not by noweb's `noidx`, because the
book numbers chunks per chapter (chunk 7 of chapter 2 is "2.7") in both
the HTML and the PDF, and noidx's labels are page-based.

What the book's prose may use, besides Pandoc Markdown (see
CONTRIBUTING.md):

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
import json
import os
import re
import sys

from nwread import ERR, Index, is_file_name, read_markup
from nwcode import CodeRenderer, esc_html, esc_latex, raw_block
from nwprose import Prose, plain_text
from nwio import write_if_changed

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


def html_pages(ix, code, prose):
    """{page name: Markdown text} for the HTML edition: each chapter, the
    contents and the two indexes, with the pager's links in its header."""
    chs = ix.chapters
    order = [("index", "Contents")] + [(c.base, c.title) for c in chs] + \
            [("chunks", "Index of chunks"), ("identifiers", "Index of identifiers")]

    def header(i, fields):
        # The pager's middle link is always the contents, so the first
        # chapter has no "previous" link (it would be the contents again).
        if i > 1:
            fields["prev-url"] = order[i - 1][0] + ".html"
            fields["prev-title"] = plain_text(code.plain_quotes(order[i - 1][1]))
        if i + 1 < len(order):
            fields["next-url"] = order[i + 1][0] + ".html"
            fields["next-title"] = plain_text(code.plain_quotes(order[i + 1][1]))
        fields["weave-page"] = order[i][0] + ".html"     # for crossref.lua
        return yaml_header(fields)

    pages = {}
    for i, ch in enumerate(chs, start=1):
        md = prose.render_chapter(ch, "html")
        pages[ch.base] = header(i, {
            "pagetitle": plain_text(code.plain_quotes(
                ("%s: " % chapter_heading(ch) if ch.label else "") + ch.title)),
            "chapter": True, "page-kind": "chapter"}) + md
    pages["index"] = header(0, {
        "pagetitle": "Contents", "page-kind": "contents", "contents": True}) \
        + contents_page(ix, code)
    pages["chunks"] = header(len(order) - 2, {
        "pagetitle": "Index of chunks", "page-kind": "index"}) \
        + chunk_index_page(ix, code)
    pages["identifiers"] = header(len(order) - 1, {
        "pagetitle": "Index of identifiers", "page-kind": "index"}) \
        + identifier_index_page(ix)
    return pages


def contents_page(ix, code):
    """The contents: every chapter with its numbered sections."""
    md = []
    for ch in ix.chapters:
        label = chapter_heading(ch)
        md.append('- [%s%s](%s)%s' % ("[%s]{.chapno} " % label if label else "",
                                       code.plain_quotes(ch.title), ch.page, ""))
        secs = [s for s in ch.sections if s[0] == 2]
        for level, number, title, ident in secs:
            md.append('    - [%s%s](%s#%s)' % ("[%s]{.secno} " % number if number else "",
                                                code.plain_quotes(title), ch.page, ident))
    md.append("- [[Appendix %s]{.chapno} Index of chunks](chunks.html)" % ix.index_labels["chunks"])
    md.append("- [[Appendix %s]{.chapno} Index of identifiers](identifiers.html)"
              % ix.index_labels["identifiers"])
    pdf_note = ("The whole book is also one PDF, for printing and offline "
                "reading: [book.pdf](../book.pdf), beside this folder.\n\n")
    return pdf_note + "::: {.contents}\n" + "\n".join(md) + "\n:::\n"


def chunk_index_page(ix, code):
    """The index of chunks, by name: where each is defined and used."""
    rows = []
    letter = None
    for name in sorted(ix.defs_of, key=sort_key):
        defs = ix.defs_of[name]
        first = sort_key(name)[0][:1].upper() or "#"
        if first != letter:
            if letter is not None:
                rows.append("</dl>")
            letter = first
            rows.append('<h2 id="chunks-%s">%s</h2>\n<dl class="index">' % (esc_html(letter), esc_html(letter)))
        d_links = ", ".join('<a href="%s#%s">%s</a>' % (d.page, d.anchor, d.num) for d in defs)
        uses = ix.uses_of.get(name, [])
        u_links = ", ".join('<a href="%s#%s">%s</a>' % (u.page, u.anchor, u.num) for u in uses)
        rows.append('<dt>⟨<a href="%s#%s">%s</a>⟩</dt><dd>Defined in %s.%s</dd>' % (
            defs[0].page, defs[0].anchor, code.name_markup(name, "html"), d_links,
            (" Used in %s." % u_links) if uses else (" Root: written to a file." if is_file_name(name) else "")))
    if letter is not None:
        rows.append("</dl>")
    intro = ("# [Appendix %s]{.chapno} Index of chunks {#chunk-index}\n\n"
             "Every chunk of code in the book, by name, with the chunks that define it "
             "(the first is the one the name links to) and the chunks that use it.\n"
             % ix.index_labels["chunks"])
    return intro + raw_block("html", "\n".join(rows))


def identifier_index_page(ix):
    """The index of identifiers (from `@ %def`): defined and used where."""
    rows, letters, letter = [], [], None
    for ident in sorted(ix.ident_defs, key=lambda s: (s.lower().lstrip("_"), s)):
        first = ident.lstrip("_")[:1].upper() or "_"
        if first != letter:
            if letter is not None:
                rows.append("</dl>")
            letter = first
            letters.append(letter)
            rows.append('<h2 id="ids-%s">%s</h2>\n<dl class="index ids">' % (letter, letter))
        defs = ix.ident_defs[ident]
        uses = ix.ident_uses.get(ident, [])
        d_links = ", ".join('<a class="defn" href="%s#%s">%s</a>' % (d.page, d.anchor, d.num) for d in defs)
        u_links = ", ".join('<a href="%s#%s">%s</a>' % (u.page, u.anchor, u.num) for u in uses)
        rows.append('<div><dt id="id-%s"><code>%s</code></dt><dd>Defined in %s.%s</dd></div>' % (
            esc_html(ident), esc_html(ident), d_links, (" Used in %s." % u_links) if uses else " Not used elsewhere."))
    if letter is not None:
        rows.append("</dl>")
    jump = '<p class="letters">%s</p>' % " ".join('<a href="#ids-%s">%s</a>' % (l, l) for l in letters)
    intro = ("# [Appendix %s]{.chapno} Index of identifiers {#identifier-index}\n\n"
             "Every identifier declared with `@ %%def` in the book, with the chunk that "
             "defines it (in bold) and the chunks whose code uses it.\n" % ix.index_labels["identifiers"])
    return intro + raw_block("html", jump + "\n" + "\n".join(rows))


def latex_book(ix, code, prose):
    """The whole book as one Markdown file for the PDF."""
    parts = [prose.render_chapter(ch, "latex") for ch in ix.chapters]
    tex = []
    if not prose.appendix_started:
        tex.append("\\appendix")
    # The index of chunks.
    tex.append("\\chapter{Index of chunks}\\label{chunk-index}")
    tex.append("Every chunk of code in the book, by name, with the chunks that define it "
               "and the chunks that use it.\n")
    tex.append("\\begin{nwindex}")
    for name in sorted(ix.defs_of, key=sort_key):
        defs = ix.defs_of[name]
        uses = ix.uses_of.get(name, [])
        tex.append("\\nwindexentry{%s}{%s}{%s}" % (
            code.chunk_link(name, "latex", None),
            ", ".join("\\nwlink{%s}{%s}" % (d.anchor, d.num) for d in defs),
            ", ".join("\\nwlink{%s}{%s}" % (u.anchor, u.num) for u in uses)))
    tex.append("\\end{nwindex}")
    # The index of identifiers.
    tex.append("\\chapter{Index of identifiers}\\label{identifier-index}")
    tex.append("Every identifier declared with \\texttt{@ \\%def} in the book, with the chunk "
               "that defines it (in bold) and the chunks whose code uses it.\n")
    tex.append("\\begin{nwidindex}")
    for ident in sorted(ix.ident_defs, key=lambda s: (s.lower().lstrip("_"), s)):
        defs = ix.ident_defs[ident]
        uses = ix.ident_uses.get(ident, [])
        tex.append("\\nwidentry{%s}{%s}{%s}" % (
            esc_latex(ident),
            ", ".join("\\nwdeflink{%s}{%s}" % (d.anchor, d.num) for d in defs),
            ", ".join("\\nwlink{%s}{%s}" % (u.anchor, u.num) for u in uses)))
    tex.append("\\end{nwidindex}")
    return "\n\n".join(p.strip("\n") for p in parts) + "\n\n" + raw_block("latex", "\n".join(tex))


def search_index(ix, code, prose):
    entries = []
    for ch in ix.chapters:
        label = chapter_heading(ch)
        entries.append({"k": "chapter", "t": plain_text(code.plain_quotes(ch.title)),
                        "n": label, "u": ch.page})
        for level, number, title, ident in ch.sections:
            if level > 1:
                entries.append({"k": "section", "t": plain_text(code.plain_quotes(title)),
                                "n": number, "u": "%s#%s" % (ch.page, ident)})
    for name, defs in ix.defs_of.items():
        entries.append({"k": "chunk", "t": name.replace("[[", "").replace("]]", ""),
                        "n": defs[0].num, "u": "%s#%s" % (defs[0].page, defs[0].anchor)})
    for ident, defs in sorted(ix.ident_defs.items()):
        entries.append({"k": "identifier", "t": ident, "n": defs[0].num,
                        "u": "%s#%s" % (defs[0].page, defs[0].anchor)})
    entries += prose.search
    return ("// Generated by tangle/nw2pandoc.py: what the search box searches.\n"
            "window.BOOK_SEARCH = " + json.dumps(entries, ensure_ascii=False, indent=0) + ";\n")




def labels_lua(prose):
    """The label table crossref.lua reads: id -> {word, number, page}."""
    rows = ["-- Generated by tangle/nw2pandoc.py: every label of the book, for",
            "-- tangle/crossref.lua: id = {kind word, number, page}.",
            "return {"]
    for ident in sorted(prose.labels):
        word, number, page, _ = prose.labels[ident]
        rows.append("  [%s] = {%s, %s, %s}," % tuple(
            json.dumps(v, ensure_ascii=False) for v in (ident, word, number, page)))
    rows.append("}")
    return "\n".join(rows) + "\n"


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
    ix = Index(chapters, quotes)
    code = CodeRenderer(ix)
    prose = Prose(ix, code, args.exp, args.fig, args.out)
    # First pass: collect every label (sections, figures, outputs, tables)
    # so that references may point forward.
    for ch in chapters:
        prose.render_chapter(ch, "html", collect=True)
    pages = html_pages(ix, code, prose)
    latex = latex_book(ix, code, prose)
    if ERR.seen:
        for e in ERR.seen:
            print(e, file=sys.stderr)
        print("nw2pandoc: %d error(s); nothing written" % len(ERR.seen), file=sys.stderr)
        return 1
    for name, text in pages.items():
        write_if_changed(os.path.join(args.out, "html", name + ".md"), text)
    write_if_changed(os.path.join(args.out, "pdf", "book.md"), latex)
    write_if_changed(os.path.join(args.out, "search-index.js"), search_index(ix, code, prose))
    write_if_changed(os.path.join(args.out, "labels.lua"), labels_lua(prose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
