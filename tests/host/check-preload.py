#!/usr/bin/env python3
"""check-preload.py -- real programs on build/libbookmalloc.so against glibc.

Runs each program with glibc's malloc and with LD_PRELOAD of the book's
allocator, asserts that the outputs are byte-identical, and prints the
ratios of wall time (best of RUNS runs each) and of peak RSS.  Exits non-zero
only if an output differs or a program fails: timing is noisy and is
reported, never asserted.  With --bench it prints `bench NAME: ...` lines.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

LIB = os.path.abspath("build/libbookmalloc.so")
LINES = "build/malloc/lines.txt"
RUNS = 3
PROGRAMS = [
    ("python3", ["python3", "src/host/objects.py"]),
    ("cc", ["cc", "-std=gnu11", "-D_GNU_SOURCE", "-Isrc", "-O2", "-S",
            "src/mmap.c", "-o", "-"]),
    ("sort", ["sort", LINES]),
    ("gzip", ["gzip", "-c", "-6", LINES]),
    ("sed", ["sed", "s/line/LINE/; s/9/nine/g", LINES]),
    ("awk", ["awk", "{ c[$1 % 5000] += $3 } END { for (k in c) s += c[k]; "
             "print length(c), s }", LINES]),
    ("tar", ["tar", "-cf", "-", "--sort=name", "--mtime=@0", "--owner=0",
             "--group=0", "--numeric-owner", "book"]),
]


TIME = shutil.which("time") and "/usr/bin/time"


def run(argv, preload):
    """(output digest and length, wall seconds, peak RSS in KiB, status).

    A child forked from this script would inherit its resident set as a
    starting peak, so the peak is measured by GNU time where it is
    installed (a small process), else by wait4; and the output is hashed
    as it streams, never held."""
    env = dict(os.environ)
    if preload:
        env["LD_PRELOAD"] = LIB
    with tempfile.NamedTemporaryFile() as tf:
        cmd = [TIME, "-f", "%M", "-o", tf.name] + argv if TIME else argv
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env)
        h, n = hashlib.sha256(), 0
        for block in iter(lambda: p.stdout.read(1 << 16), b""):
            h.update(block)
            n += len(block)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = status
        rss = usage.ru_maxrss
        if TIME:
            text = open(tf.name).read().split()
            rss = int(text[-1]) if text else rss
    return (h.hexdigest(), n), wall, rss, status


def main():
    bench = "--bench" in sys.argv
    failed = 0
    passed = 0
    for name, argv in PROGRAMS:
        bad = False
        best = {}
        for _ in range(RUNS):
            for preload in (False, True):
                out, wall, rss, status = run(argv, preload)
                if status != 0:
                    print(f"check-preload {name}: exit status {status} "
                          f"({'book' if preload else 'glibc'})")
                    bad = True
                b = best.setdefault(preload, [out, wall, rss])
                b[1] = min(b[1], wall)
                b[2] = max(b[2], rss)
                if out != best[False][0] and preload:
                    print(f"check-preload {name}: OUTPUT DIFFERS")
                    bad = True
        g, m = best[False], best[True]
        if bench:
            print(f"bench malloc_{name}: {m[1] / g[1]:.2f} x "
                  f"(model {m[1]:.3f} s, host {g[1]:.3f} s)")
        else:
            same = "different output" if bad else "same output"
            print(f"check-preload {name:8s} {same} ({g[0][1]} bytes)"
                  f"  wall {m[1] / g[1]:.2f} x  RSS {m[2] / g[2]:.2f} x"
                  f"  ({m[2]} KiB vs {g[2]} KiB)")
        failed += bad
        passed += not bad
    if not bench:
        print(f"check-preload: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
