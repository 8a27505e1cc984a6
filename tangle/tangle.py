#!/usr/bin/env python3
"""tangle.py BOOK.nw... -- write every root chunk named src/... to its file.

    tangle/tangle.py book/*.nw

All chapters are tangled together, so a chunk begun in one chapter may be
continued in a later one.  noweb.s `markup -t` (NOWEB_LIB/markup; -t keeps tabs) reads the
chapters; this script does what `notangle -L` and `cpif` did, with one
difference that matters to a reader of src/:

  - An expanded chunk is indented as its use is: a chunk used inside a loop
    body sits in the loop body's column, as it does in the book.
    (`notangle -L` leaves every expanded line at the column it was written
    in, so a loop body that is a chunk of its own starts at column 0.)
  - C files get #line directives, so that compiler errors, gdb and the
    sanitizers point at the .nw lines.  A directive is written only where
    the source line does not simply follow the previous one; it always
    starts in column 0, and the indentation is in the code line after it.
  - A file is rewritten only when its text changed (as cpif does), so make
    rebuilds only what a change to the book really touched.
  - Files in src/ that no root writes any more are removed.

A use of an undefined chunk, or a chunk that uses itself, is an error: the
script says where and exits with status 1 (after writing the other roots).

Python 3 standard library only.
"""

import os
import subprocess
import sys

from nwio import write_if_changed

NOWEB_LIB = os.environ.get("NOWEB_LIB", "/usr/lib/noweb")


def read_chunks(stream):
    """{chunk name: [code line, ...]} from noweb's markup, in book order.
    A code line is (file, line number, [("text", s) | ("use", name), ...])."""
    chunks = {}
    file, line = None, 1
    cur = None                 # the chunk definition being read, or None
    parts = None               # the code line being read; None in the header
    for raw in stream:
        kw, _, arg = raw.rstrip("\n").partition(" ")
        if kw == "@file":
            file, line = arg, 1
        elif kw == "@begin" and arg.split()[0] == "code":
            cur, parts = [], None
        elif kw == "@defn":
            chunks.setdefault(arg, []).append(cur)
        elif kw == "@end":
            if cur is not None and parts:
                cur.append((file, line, parts))
            cur = None
        elif kw in ("@text", "@use") and cur is not None and parts is not None:
            parts.append(("text" if kw == "@text" else "use", arg))
        elif kw == "@nl":
            if cur is not None:
                if parts is not None:
                    cur.append((file, line, parts))
                parts = []         # the header line `<<name>>=` ends here
            line += 1
        elif kw == "@index" and arg.startswith("nl"):
            line += 1              # the `@ %def` line
    # One list of lines per name: the definitions concatenated in order.
    return {name: [l for d in defs for l in d] for name, defs in chunks.items()}


def indentation(prefix):
    """The indentation that lines after the first of an expansion get:
    the text before the use, with every character but a tab as a space."""
    return "".join(c if c == "\t" else " " for c in prefix)


class Tangler:
    def __init__(self, chunks):
        self.chunks = chunks
        self.errors = []

    def expand(self, name, indent, active, where):
        """The lines of chunk `name`, each [text, (file, line)], the lines
        after the first indented by `indent` (the text before the use, on
        the using line); `active` holds the chunks being expanded (a chunk
        may not use itself)."""
        if name not in self.chunks:
            self.errors.append("%s:%d: chunk <<%s>> is used but never defined"
                               % (where + (name,)))
            return []
        if name in active:
            self.errors.append("%s:%d: chunk <<%s>> uses itself"
                               % (where + (name,)))
            return []
        active = active | {name}
        out = []
        for file, lineno, parts in self.chunks[name]:
            line = ["", (file, lineno)]
            out.append(line)
            for kind, s in parts:
                if kind == "text":
                    line[0] += s
                    continue
                inner = self.expand(s, indentation(line[0]),
                                    active, (file, lineno))
                if not inner:
                    continue
                # The first line continues this one; the rest are new lines,
                # and what follows the use continues the last of them.  A use
                # that begins its line gives the line the place of the
                # chunk's own first line, which is where its code was written.
                if not line[0].strip():
                    line[1] = inner[0][1]
                line[0] += inner[0][0]
                out.extend(inner[1:])
                line = out[-1]
        # Every line after the first begins at the use's column.  A blank
        # line stays empty (no trailing white space).
        for i, l in enumerate(out):
            if i > 0 and l[0].strip():
                l[0] = indent + l[0]
        return out

    def root(self, name, line_directives):
        lines = self.expand(name, "", frozenset(), ("<root>", 0))
        text, expect = [], None
        for body, (file, lineno) in lines:
            # A directive may not split a macro continued with a backslash.
            continued = bool(text) and text[-1].endswith("\\")
            if line_directives and expect != (file, lineno) and not continued:
                text.append('#line %d "%s"' % (lineno, file))
            text.append(body)
            expect = (file, lineno + 1)
        return "".join(l + "\n" for l in text)


def main(argv):
    if not argv:
        print("tangle.py: no .nw files given", file=sys.stderr)
        return 2
    markup = subprocess.run([os.path.join(NOWEB_LIB, "markup"), "-t"] + argv,
                            stdout=subprocess.PIPE, encoding="utf-8",
                            errors="replace")
    if markup.returncode != 0:
        return 1
    chunks = read_chunks(markup.stdout.splitlines())
    roots = sorted(n for n in chunks if n.startswith("src/"))
    tangler = Tangler(chunks)
    for root in roots:
        text = tangler.root(root, root.endswith((".c", ".h")))
        write_if_changed(root, text)
    for e in tangler.errors:
        print("tangle: " + e, file=sys.stderr)
    os.makedirs("src", exist_ok=True)
    for dirpath, _, files in os.walk("src"):
        for f in sorted(files):
            path = os.path.join(dirpath, f)
            if path not in roots:
                print("tangle: removing stale " + path)
                os.remove(path)
    return 1 if tangler.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
