#!/usr/bin/env python3
"""check-preload.py -- real programs on build/libbookmalloc.so against glibc.

Runs each program with glibc's malloc and with LD_PRELOAD of the book's
allocator, asserts that the outputs are byte-identical, and prints the
ratios of wall time (best of the runs) and of peak RSS (median of the
runs).  Exits non-zero only if an output differs or a program fails:
timing is noisy and is reported, never asserted.

    check-preload.py [--runs N] [--bench | --table | --windows] [--aslr]
                     [--free]

--bench prints `bench NAME: ...` lines; --table prints the table of
chapter 11 (build/exp/malloc-real.txt) with its `@value` lines;
--windows prints the table of what preloading alone costs a small gzip
(build/exp/malloc-windows.txt).

Both sides run under `setarch -R` (util-linux), which turns address-space
randomization off for the program: then libc is mapped at the same
address in every run, and the kernel's fault-around (64 KiB windows,
aligned on the virtual address) maps the same pages of it every time.
The library is linked with a span that is a whole number of 64 KiB
windows (src/host/pad64k.ld), so preloading it moves libc down by whole
windows and the same libc pages are faulted in with it and without it.
Each program is also kept on one CPU (taskset, util-linux), because the
kernel reads a process's peak approximately when it has run on several
(see one_cpu).  --aslr leaves randomization on and --free lets programs
move between CPUs, to see the noise each causes.
"""
import hashlib
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

LIB = os.path.abspath(os.environ.get("BOOKMALLOC_SO",
                                     "build/libbookmalloc.so"))
LINES = "build/malloc/lines.txt"
RUNS = 3
PROGRAMS = [
    ("python3", ["python3", "src/host/objects.py"]),
    ("cc", ["cc", "-std=gnu11", "-D_GNU_SOURCE", "-Isrc", "-O2", "-S",
            "src/mmap.c", "-o", "-"]),
    ("sort", ["sort", "--parallel=2", LINES]),        # threads, on one CPU
    ("gzip", ["gzip", "-c", "-6", LINES]),
    ("sed", ["sed", "s/line/LINE/; s/9/nine/g", LINES]),
    ("awk", ["awk", "{ c[$1 % 5000] += $3 } END { for (k in c) s += c[k]; "
             "print length(c), s }", LINES]),
    ("tar", ["tar", "-cf", "-", "--sort=name", "--mtime=@0", "--owner=0",
             "--group=0", "--numeric-owner", "book"]),
]


TIME = shutil.which("time") and "/usr/bin/time"


def no_aslr():
    """The prefix that runs a program without address randomization, or
    [] where setarch is missing or may not change the personality."""
    if "--aslr" in sys.argv or not shutil.which("setarch"):
        return []
    ok = subprocess.run(["setarch", "-R", "true"],
                        stderr=subprocess.DEVNULL).returncode == 0
    return ["setarch", "-R"] if ok else []


def one_cpu():
    """The prefix that keeps a program on one CPU, or [] where taskset is
    missing.  Since around Linux 6.2 a process's count of resident pages
    is kept per CPU, and the peak is read without the part each CPU has
    not yet added in: a program that moves between CPUs can have its
    peak read some dozens of pages low."""
    if "--free" in sys.argv or not shutil.which("taskset"):
        return []
    cpu = max(os.sched_getaffinity(0))
    ok = subprocess.run(["taskset", "-c", str(cpu), "true"],
                        stderr=subprocess.DEVNULL).returncode == 0
    return ["taskset", "-c", str(cpu)] if ok else []


SETARCH = no_aslr()
PIN = one_cpu()


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
        p = subprocess.Popen(PIN + SETARCH + cmd, stdout=subprocess.PIPE,
                             env=env)
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


def measure(name, argv, runs):
    """Run a program `runs` times each way, glibc first then the book,
    in turn.  Returns (bad, output length, {preload: (best wall, median
    RSS, all RSS)})."""
    bad = False
    outs, walls, rsss = {}, {False: [], True: []}, {False: [], True: []}
    for _ in range(runs):
        for preload in (False, True):
            out, wall, rss, status = run(argv, preload)
            if status != 0:
                print(f"check-preload {name}: exit status {status} "
                      f"({'book' if preload else 'glibc'})")
                bad = True
            outs.setdefault(preload, out)
            if out != outs[False]:
                print(f"check-preload {name}: OUTPUT DIFFERS")
                bad = True
            walls[preload].append(wall)
            rsss[preload].append(rss)
    res = {p: (min(walls[p]), int(statistics.median(rsss[p])), rsss[p])
           for p in (False, True)}
    return bad, outs[False][1], res


def table(rows, runs):
    """The table of chapter 11 and its values."""
    print(f"{'program':8s} {'output':>10s} {'same':>4s} {'wall':>6s}"
          f" {'RSS':>6s} {'glibc':>10s} {'book':>10s}")
    print(f"{'':8s} {'bytes':>10s} {'':>4s} {'ratio':>6s}"
          f" {'ratio':>6s} {'KiB':>10s} {'KiB':>10s}")
    wr, rr = [], []
    for name, bad, n, g, m in rows:
        w, r = m[0] / g[0], m[1] / g[1]
        wr.append(w)
        rr.append(r)
        print(f"{name:8s} {n:10d} {'no' if bad else 'yes':>4s} {w:6.2f}"
              f" {r:6.2f} {g[1]:10d} {m[1]:10d}")
        print(f"@value wall_{name} {w:.2f}")
        print(f"@value rss_{name} {r:.2f}")
        print(f"@value kib_glibc_{name} {g[1]}")
        print(f"@value kib_book_{name} {m[1]}")
        print(f"@value kib_diff_{name} {m[1] - g[1]}")
    print(f"@value runs {runs}")
    print(f"@value programs {len(rows)}")
    print(f"@value same {sum(not r[1] for r in rows)}")
    print(f"@value wall_max {max(wr):.2f}")
    print(f"@value wall_min {min(wr):.2f}")
    print(f"@value rss_max {max(rr):.2f}")
    print(f"@value rss_min {min(rr):.2f}")
    print(f"@value aslr {'on' if not SETARCH else 'off'}")


SMALL = ["gzip", "-c", "-6", "src/host/objects.py"]
EMPTY = [("none", None), ("empty", "build/malloc/empty.so"),
         ("empty64k", "build/malloc/empty64k.so"),
         ("atfork", "build/malloc/atfork64k.so"), ("book", LIB)]


def span_kib(path):
    """The address space a shared library's loadable segments span, from
    its ELF program headers (64-bit little-endian), in KiB."""
    with open(path, "rb") as f:
        elf = f.read()
    phoff, = struct.unpack_from("<Q", elf, 32)
    phentsize, phnum = struct.unpack_from("<HH", elf, 54)
    end = 0
    for i in range(phnum):
        ptype, _, _, vaddr, _, _, memsz, _ = struct.unpack_from(
            "<IIQQQQQQ", elf, phoff + i * phentsize)
        if ptype == 1:                                  # PT_LOAD
            end = max(end, vaddr + memsz)
    return -(-end // 4096) * 4


def windows(runs):
    """Peak RSS of a small gzip, which calls no malloc, with nothing
    preloaded, with an empty library, with an empty library whose span
    is one 64 KiB window, with a library of that span that only
    registers fork handlers, and with the book's allocator: the range over
    `runs` runs with address randomization, and one run without."""
    global SETARCH
    off = SETARCH
    print(f"{'preloaded':10s} {'span':>6s} {'randomized':>14s}"
          f" {'fixed':>6s} {'added':>6s}")
    print(f"{'':10s} {'KiB':>6s} {'KiB':>14s} {'KiB':>6s} {'KiB':>6s}")
    base = None
    for name, so in EMPTY:
        lib = os.path.abspath(so) if so else ""
        SETARCH = []
        rss = [run_lib(lib) for _ in range(runs)]
        SETARCH = off
        fixed = run_lib(lib)
        base = fixed if base is None else base
        span = span_kib(lib) if lib else 0
        print(f"{name:10s} {span:6d} {min(rss):6d} .. {max(rss):6d}"
              f" {fixed:6d} {fixed - base:+6d}")
        for key, val in (("span", span), ("min", min(rss)),
                         ("max", max(rss)), ("spread", max(rss) - min(rss)),
                         ("fixed", fixed), ("added", fixed - base)):
            print(f"@value {name}_{key} {val}")
    print(f"@value runs {runs}")
    print(f"@value aslr {'on' if not off else 'off'}")


def run_lib(lib):
    """Peak RSS in KiB of the small gzip with `lib` preloaded."""
    global LIB
    keep, LIB = LIB, lib
    rss = run(SMALL, bool(lib))[2]
    LIB = keep
    return rss


def main():
    bench = "--bench" in sys.argv
    tab = "--table" in sys.argv
    runs = RUNS
    if "--runs" in sys.argv:
        runs = int(sys.argv[sys.argv.index("--runs") + 1])
    if "--windows" in sys.argv:
        windows(runs)
        return 0
    failed = passed = 0
    rows = []
    for name, argv in PROGRAMS:
        bad, n, res = measure(name, argv, runs)
        g, m = res[False], res[True]
        if bench:
            print(f"bench malloc_{name}: {m[0] / g[0]:.2f} x "
                  f"(model {m[0]:.3f} s, host {g[0]:.3f} s)")
        elif not tab:
            same = "different output" if bad else "same output"
            print(f"check-preload {name:8s} {same} ({n} bytes)"
                  f"  wall {m[0] / g[0]:.2f} x  RSS {m[1] / g[1]:.2f} x"
                  f"  ({m[1]} KiB vs {g[1]} KiB; runs {m[2]} vs {g[2]})")
        rows.append((name, bad, n, g, m))
        failed += bad
        passed += not bad
    if tab:
        table(rows, runs)
    elif not bench:
        print(f"check-preload: {passed} passed, {failed} failed"
              f" (address randomization {'on' if not SETARCH else 'off'})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
