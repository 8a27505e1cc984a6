#!/bin/bash
# pdflatex.sh DIR/BOOK.tex -- typeset BOOK.tex into DIR/BOOK.pdf.
#
# pdflatex runs in DIR, again while the log asks for a rerun (the table of
# contents and the hyperlinks need two or three runs), at most four times.
# On an error the end of the log is shown.  Afterwards every overfull line
# is reported: in a code chunk that means a line runs into the margin, which
# the 80-column check in tangle/nw2pandoc.py is there to prevent.
set -u
tex=$1
dir=$(dirname "$tex")
base=$(basename "$tex" .tex)
cd "$dir" || exit 1
for run in 1 2 3 4; do
    if ! pdflatex -interaction=nonstopmode -halt-on-error "$base.tex" > /dev/null 2>&1; then
        echo "pdflatex.sh: pdflatex failed on $tex; the end of $dir/$base.log:" >&2
        grep -n -A12 '^!' "$base.log" | head -40 >&2
        exit 1
    fi
    grep -q -E 'Rerun to get|Label\(s\) may have changed|No file .*\.toc' "$base.log" || break
done
overfull=$(grep -c '^Overfull \\hbox' "$base.log")
if [ "$overfull" -gt 0 ]; then
    echo "pdflatex.sh: warning: $overfull overfull line(s) in $dir/$base.pdf (lines of $dir/$base.tex):" >&2
    grep '^Overfull \\hbox' "$base.log" | sed 's/^/    /' | head -20 >&2
fi
grep -E '^(LaTeX|Package [a-z]+) Warning' "$base.log" | grep -v -E 'Rerun|may have changed' \
    | sort -u | sed 's/^/pdflatex.sh: /' | head -20 >&2
exit 0
