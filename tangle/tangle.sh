#!/bin/sh
# tangle.sh BOOK.nw... -- write every root chunk named src/... to its file.
#
# All chapters are tangled together, so a chunk begun in one chapter may be
# continued in a later one.  C files get #line directives (notangle -L) so
# that compiler errors, gdb and the sanitizers point at the .nw lines.
# cpif rewrites a file only when its text changed, so make rebuilds only
# what a change to the book really touched.  Files in src/ that are no
# longer roots are removed.
set -eu
[ $# -gt 0 ] || { echo "tangle.sh: no .nw files given" >&2; exit 2; }
roots=$(noroots "$@" | sed -n 's/^<<\(src\/.*\)>>$/\1/p' | sort -u)
mkdir -p src
status=0
for root in $roots; do
    mkdir -p "$(dirname "$root")"
    case "$root" in
        *.c|*.h) opt='-L' ;;
        *)       opt='' ;;
    esac
    if ! notangle $opt -R"$root" "$@" > src/.tangle.tmp 2> src/.tangle.err; then
        status=1
    fi
    if [ -s src/.tangle.err ]; then
        sed "s|^|tangle: $root: |" src/.tangle.err >&2
        status=1
    fi
    cpif "$root" < src/.tangle.tmp
done
rm -f src/.tangle.tmp src/.tangle.err
# Remove files that no root writes any more.
find src -type f | sort | while read -r f; do
    echo "$roots" | grep -qx "$f" || { echo "tangle: removing stale $f"; rm -f "$f"; }
done
exit $status
