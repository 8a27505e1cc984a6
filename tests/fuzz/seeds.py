#!/usr/bin/env python3
"""seeds.py -- write the hand-made seed programs of fuzz-syscalls.c into
corpus/syscalls/ (run once; the fuzzer adds its own files beside them).
A program is a list of calls: (call number, argument bytes...).  An argument
byte below len(NASTY) picks tests/fuzz/fuzz-syscalls.c's nasty[] entry."""
import os, sys

NASTY = ["0", "1", "2", "3", "4", "7", "8", "15", "16", "0x20", "0x22",
         "0x21", "0x32", "0x31", "0x12", "0x11", "0x100000", "0x100022",
         "-1", "-4095", "-4096", "P-1", "P", "P+1", "2P", "3P", "16P",
         "256P", "1M", "16M", "0x7fffffff", "0x80000000", "TASK_SIZE-P",
         "TASK_SIZE-1", "TASK_SIZE", "TASK_SIZE+P", "0xfffff000", "4G",
         "4G+P", "0x08048000", "0x0804d000", "0x20000000", "0x20001000",
         "0x20000800", "0x40000000", "0x7ffff000", "10000", "12288", "63",
         "64", "65"]
N = len(NASTY)
def v(name): return NASTY.index(name)
def res(i): return N + i            # the i-th newest result
def res_page(i): return N + 8 + i   # ... plus a page
def res_one(i): return N + 16 + i   # ... plus one (unaligned)
BRK = N + 24
def small(k): return N + 24 + 6 + k
CALLS = ["brk", "mmap", "munmap", "mprotect", "mremap", "madvise", "msync",
         "mlock", "munlock", "open", "read", "write", "close", "ftruncate",
         "lseek", "fsync", "malloc", "free", "realloc", "calloc", "touch",
         "poke", "pokes", "fork", "switch"]
PATHS = ["f", "empty", "d", "new", "../escape", "/proc/self/maps",
         "/proc/meminfo", "", "f/x", "d/../f", "/f", "d/"]

def call(name, *args):
    n = CALLS.index(name)
    a = list(args)
    if name in ("fork",):
        return bytes([n])
    if name == "switch":
        return bytes([n] + a)
    need = 6 if name == "mmap" else 5 if name == "mremap" else 4
    a += [0] * (need - len(a))
    return bytes([n] + a)

RW = 3
seeds = {
  "anon-map-touch-unmap": [call("mmap", v("0"), v("3P"), small(RW), v("0x22"), v("-1"), v("0")),
                           call("pokes", res(0), small(3), small(7)),
                           call("mprotect", res(0), v("P"), small(1)),
                           call("poke", res(0), small(9)),
                           call("munmap", res(0), v("3P"))],
  "brk-grow-shrink": [call("brk", v("0")), call("brk", res_page(0)),
                      call("poke", res(1)), call("brk", res(1)),
                      call("brk", v("TASK_SIZE"))],
  "file-map-past-eof": [call("open", small(0), small(2), small(0)),
                        call("mmap", v("0"), v("16P"), small(RW), small(1), res(0), v("0")),
                        call("touch", res(0)), call("touch", res_page(0)),
                        call("touch", v("0")),
                        call("pokes", res(1), small(5), small(1))],
  "file-read-write": [call("open", small(0), small(2), small(0)),
                      call("mmap", v("0"), v("P"), small(RW), v("0x22"), v("-1"), v("0")),
                      call("read", res(1), res(0), v("P")),
                      call("write", res(2), res(1), v("16")),
                      call("lseek", res(3), v("-1"), small(2)),
                      call("ftruncate", res(4), v("3P")),
                      call("close", res(5)), call("read", res(6), res(5), v("P"))],
  "malloc-free-realloc": [call("malloc", v("16")), call("malloc", v("1M")),
                          call("realloc", res(1), v("10000")),
                          call("free", res(0)), call("free", res(1)),
                          call("calloc", v("-1"), v("16")), call("free", res_one(2))],
  "fork-cow": [call("mmap", v("0"), v("2P"), small(RW), v("0x22"), v("-1"), v("0")),
               call("pokes", res(0), small(2), small(4)), call("fork"),
               call("switch", 1), call("pokes", v("0"), small(2), small(6))],
  "mremap-mlock-madvise": [call("mmap", v("0x20000000"), v("3P"), small(RW), v("0x32"), v("-1"), v("0")),
                           call("mremap", res(0), v("3P"), v("16P"), small(1), v("0")),
                           call("mlock", res(0), v("2P")),
                           call("madvise", res(1), v("16P"), small(4)),
                           call("msync", res(2), v("P"), small(4)),
                           call("munlock", res(3), v("TASK_SIZE"))],
  "nasty-ranges": [call("munmap", v("TASK_SIZE-P"), v("2P")),
                   call("mprotect", v("P+1"), v("P"), small(1)),
                   call("mmap", v("TASK_SIZE-P"), v("2P"), small(RW), v("0x32"), v("-1"), v("0")),
                   call("mremap", v("0x08048000"), v("P"), v("-1"), small(3), v("0x7fffffff")),
                   call("madvise", v("0"), v("-1"), small(9)),
                   call("read", v("63"), v("0"), v("-1"))],
}

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "syscalls")
os.makedirs(out, exist_ok=True)
for name, calls in seeds.items():
    with open(os.path.join(out, "seed-" + name), "wb") as f:
        f.write(b"".join(calls))
