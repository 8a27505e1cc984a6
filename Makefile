# kmalloc, vmalloc, malloc, mmap -- the one entry point.
#
#   make            install what is missing, tangle, compile, run the
#                   experiments, weave build/book.pdf and build/html/
#   make test       every CUnit suite, plain and under ASan+UBSan
#   make tangle     write src/ from book/*.nw (only files whose text changed)
#   make book       = make html pdf
#   make bench      the benchmarks: one `bench NAME: ...` line each
#   make check-preload  real programs on chapter 11's malloc, against glibc
#   make check-html     every page of the HTML book in headless Chromium
#   make fuzz       each fuzz harness for FUZZ_SECONDS (default 60) on its corpus
#   make clean      remove src/ and build/
#
# The public targets are thin: each makes sure the tools are here and src/
# is tangled, then runs the real work in a second make, which sees the files
# that tangling has just written.

SHELL      := /bin/bash
NW         := $(sort $(wildcard book/*.nw))
SUBMAKE    := $(MAKE) --no-print-directory -f Makefile

CC         ?= cc
WARN       := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow \
              -Wstrict-prototypes -Wmissing-prototypes
CFLAGS_ALL := -std=gnu11 -g -D_GNU_SOURCE -Isrc $(WARN)
CFLAGS_OPT := $(CFLAGS_ALL) -O2
CFLAGS_SAN := $(CFLAGS_ALL) -O1 -fno-omit-frame-pointer \
              -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDLIBS     := -lm

.PHONY: all deps tangle lib test test-plain test-asan bench experiments \
        figures book html pdf clean check-preload _check-preload _malloc-bench \
        check-html check-exercise check-exercises fuzz _fuzz _replay-plain \
        _replay-asan _binaries _untimed
.DEFAULT_GOAL := all

all: deps
	@$(SUBMAKE) tangle
	@$(SUBMAKE) -j2 _binaries
	@$(SUBMAKE) -j2 _untimed
	@$(SUBMAKE) _experiments _figures
	@$(SUBMAKE) -j2 _book

book: all
html: deps
	@$(SUBMAKE) tangle
	@$(SUBMAKE) _html
pdf: deps
	@$(SUBMAKE) tangle
	@$(SUBMAKE) _pdf

test: deps
	@$(SUBMAKE) tangle
	@$(SUBMAKE) _test

test-plain: deps
	@$(SUBMAKE) tangle
	@$(SUBMAKE) _test-plain

test-asan: deps
	@$(SUBMAKE) tangle
	@$(SUBMAKE) _test-asan

bench: deps
	@$(SUBMAKE) tangle
	@$(SUBMAKE) _bench

check-preload: deps
	@$(SUBMAKE) tangle
	@$(SUBMAKE) _check-preload

# Chromium is needed by this target only, so deps looks for it alone here.
check-html: deps
	@$(SUBMAKE) deps NEED_CMDS=chromium:chromium NEED_HDRS= NEED_STY=
	@$(SUBMAKE) tangle
	@$(SUBMAKE) _check-html

# clang and its libFuzzer are needed by this target only.
fuzz: deps
	@$(SUBMAKE) deps NEED_CMDS=clang:clang NEED_HDRS=$(FUZZ_RT):$(FUZZ_RT_PKG) \
	  NEED_STY=
	@$(SUBMAKE) tangle
	@$(SUBMAKE) _fuzz

lib experiments figures: deps
	@$(SUBMAKE) tangle
	@$(SUBMAKE) _$@

check-exercise check-exercises: deps
	@$(SUBMAKE) tangle
	@$(SUBMAKE) _$@

# ---------------------------------------------------------------- tools
# Each entry is `command-or-file:debian-package`.  A file entry is looked
# for with kpsewhich (a LaTeX package) or as a path.
NEED_CMDS  := notangle:noweb pandoc:pandoc dot:graphviz pdflatex:texlive-latex-base \
              python3:python3 pdftoppm:poppler-utils
NEED_HDRS  := /usr/include/CUnit/CUnit.h:libcunit1-dev \
              /usr/include/readline/readline.h:libreadline-dev
NEED_STY   := fancyvrb.sty:texlive-latex-recommended lmodern.sty:lmodern \
              xcolor.sty:texlive-latex-recommended upquote.sty:texlive-latex-extra \
              microtype.sty:texlive-latex-recommended titlesec.sty:texlive-latex-extra \
              framed.sty:texlive-latex-extra parskip.sty:texlive-latex-recommended \
              bookmark.sty:texlive-latex-base t1enc.def:texlive-latex-base \
              textcomp.sty:texlive-latex-base booktabs.sty:texlive-latex-recommended \
              etoolbox.sty:texlive-latex-recommended needspace.sty:texlive-latex-extra \
              ec-lmr10.tfm:lmodern \
              fvextra.sty:texlive-latex-extra geometry.sty:texlive-latex-base \
              hyperref.sty:texlive-latex-base multicol.sty:texlive-latex-base \
              amssymb.sty:texlive-base

# Without TeX there is no kpsewhich to look for LaTeX files with, so then
# every package of NEED_STY counts as missing.
# After installing, deps runs once more to check (with DEPS_INSTALLED=1);
# anything still missing then is an error, not another install.
deps:
	@missing=""; \
	for e in $(NEED_CMDS); do command -v $${e%%:*} >/dev/null 2>&1 || missing="$$missing $${e##*:}"; done; \
	for e in $(NEED_HDRS); do test -e $${e%%:*} || missing="$$missing $${e##*:}"; done; \
	for e in $(NEED_STY); do \
	  command -v kpsewhich >/dev/null 2>&1 && test -n "$$(kpsewhich $${e%%:*})" \
	    || missing="$$missing $${e##*:}"; \
	done; \
	missing=$$(echo $$missing | tr ' ' '\n' | sort -u | tr '\n' ' '); \
	if [ -n "$${missing// /}" ]; then \
	  if [ -n "$(DEPS_INSTALLED)" ]; then \
	    echo "make: still missing after installing: $$missing" >&2; exit 1; \
	  elif [ "$$(id -u)" = 0 ]; then \
	    echo "make: installing: $$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -q && apt-get install -y -q --no-install-recommends $$missing || exit 1; \
	    $(SUBMAKE) deps DEPS_INSTALLED=1; \
	  else \
	    echo "make: these Debian packages are missing. Install them with:"; \
	    echo "    sudo apt-get install --no-install-recommends $$missing"; \
	    exit 1; \
	  fi; \
	fi

# ---------------------------------------------------------------- tangle
tangle:
	@python3 tangle/tangle.py $(NW)

# Everything below runs in the second make, after tangling.
SRC_C      := $(sort $(wildcard src/*.c))
SRC_H      := $(sort $(wildcard src/*.h))
EXP_C      := $(sort $(wildcard src/exp/*.c))
FIG_C      := $(sort $(wildcard src/fig/*.c))
BENCH_C    := $(sort $(wildcard src/bench/*.c))
TEST_C     := $(sort $(wildcard tests/*.c))
TEST_H     := $(sort $(wildcard tests/*.h))

LIB        := build/libmodel.a
LIB_SAN    := build/san/libmodel.a
OBJ        := $(SRC_C:src/%.c=build/obj/%.o)
OBJ_SAN    := $(SRC_C:src/%.c=build/san/obj/%.o)
EXP_BIN    := $(EXP_C:src/exp/%.c=build/exp/%)
EXP_OUT    := $(EXP_C:src/exp/%.c=build/exp/%.txt)
FIG_BIN    := $(FIG_C:src/fig/%.c=build/figbin/%)
FIG_DOT    := $(FIG_C:src/fig/%.c=build/fig/%.dot) \
              $(patsubst figures/%.dot,build/fig/%.dot,$(wildcard figures/*.dot))
FIG_OUT    := $(FIG_DOT:.dot=.svg) $(FIG_DOT:.dot=.pdf)
BENCH_BIN  := $(BENCH_C:src/bench/%.c=build/bench/%)

_lib: $(LIB)

$(LIB): $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIB_SAN): $(OBJ_SAN)
	@rm -f $@
	ar rcs $@ $^

build/obj/%.o: src/%.c $(SRC_H)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_OPT) -c $< -o $@

build/san/obj/%.o: src/%.c $(SRC_H)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) -c $< -o $@

# ---------------------------------------------------------------- tests
build/test-runner: $(TEST_C) $(TEST_H) $(LIB)
	$(CC) $(CFLAGS_OPT) -Itests $(TEST_C) $(LIB) -lcunit $(LDLIBS) -o $@

build/san/test-runner: $(TEST_C) $(TEST_H) $(LIB_SAN)
	$(CC) $(CFLAGS_SAN) -Itests $(TEST_C) $(LIB_SAN) -lcunit $(LDLIBS) -o $@

_test-plain: build/test-runner
	@echo "== the tests, compiled with -O2"
	build/test-runner

_test-asan: build/san/test-runner
	@echo "== the tests again, under AddressSanitizer and UBSan"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  build/san/test-runner

# The two runs are independent programs, so they run side by side, one
# per core; each one's output is printed whole when it finishes.
_test:
	@$(SUBMAKE) -j2 --output-sync=target _test-plain _test-asan

# ---------------------------------------------------------------- fuzzing
# tests/fuzz/fuzz-NAME.c is a libFuzzer harness (see tests/fuzz/fuzz.h).
# `make fuzz` builds each with clang's libFuzzer, ASan and UBSan and runs
# it for FUZZ_SECONDS on tests/fuzz/corpus/NAME/; what it finds that is
# new is merged into that corpus (-merge=1 -use_counters=0 keeps only
# inputs that reach a new edge, so the corpus stays small), to be
# committed.  `make test` replays the corpus through
# tests/fuzz/replay.c, built with the ordinary compiler, plain and under
# the sanitizers.  The explorer's harness joins once src/mmsh.h exists.
FUZZ_NAMES   := bootparams syscalls trace $(if $(wildcard src/mmsh.h),mmsh)
FUZZ_SECONDS ?= 60
FUZZ_RT      := $(or $(firstword $(wildcard \
                  /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a)),\
                  /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a)
FUZZ_RT_PKG   = libclang-rt-$(or $(shell clang -dumpversion 2>/dev/null | cut -d. -f1),14)-dev
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -D_GNU_SOURCE -Isrc -Itests/fuzz -Wall \
                -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=undefined
FUZZ_MAXLEN_bootparams := 256
FUZZ_MAXLEN_syscalls   := 512
FUZZ_MAXLEN_trace      := 2048
FUZZ_MAXLEN_mmsh       := 1024
FUZZ_FLAGS_syscalls    := -len_control=0
FUZZ_COMMON  := tests/fuzz/fuzz-common.c tests/fuzz/fuzz.h
OBJ_FUZZ     := $(SRC_C:src/%.c=build/fuzz/obj/%.o)
FUZZ_DEPS_trace := src/exp/malloc-model-traces.c

build/fuzz/obj/%.o: src/%.c $(SRC_H)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

build/fuzz/libmodel.a: $(OBJ_FUZZ)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/%: tests/fuzz/fuzz-%.c $(FUZZ_COMMON) build/fuzz/libmodel.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $< tests/fuzz/fuzz-common.c \
	  build/fuzz/libmodel.a $(LDLIBS) -o $@

_fuzz: $(FUZZ_NAMES:%=_fuzz-%)

# Made through the pattern rule below, they would count as intermediate.
.PRECIOUS: build/fuzz/%

# One harness: new inputs go to build/fuzz/new/NAME, and are merged into
# the corpus afterwards; a finding is saved as build/fuzz/NAME-crash-*.
_fuzz-%: build/fuzz/%
	@rm -rf build/fuzz/new/$* && mkdir -p build/fuzz/new/$* tests/fuzz/corpus/$*
	@echo "== fuzz $* for $(FUZZ_SECONDS) s"
	@build/fuzz/$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	  -max_len=$(FUZZ_MAXLEN_$*) $(FUZZ_FLAGS_$*) -print_final_stats=1 \
	  -artifact_prefix=build/fuzz/$*- build/fuzz/new/$* tests/fuzz/corpus/$* \
	  > build/fuzz/$*.log 2>&1 \
	  || { tail -40 build/fuzz/$*.log; echo "fuzz $*: FOUND (build/fuzz/$*-*)"; exit 1; }
	@build/fuzz/$* -merge=1 -use_counters=0 tests/fuzz/corpus/$* build/fuzz/new/$* \
	  >> build/fuzz/$*.log 2>&1
	@echo "fuzz $*: $$(sed -n 's/^stat::number_of_executed_units: *//p' \
	  build/fuzz/$*.log) executions in $(FUZZ_SECONDS) s, nothing found;" \
	  "corpus $$(ls tests/fuzz/corpus/$* | wc -l) files"

# The corpus replay, part of make test.
build/replay/%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c $(FUZZ_COMMON) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_OPT) -Itests/fuzz $< tests/fuzz/replay.c \
	  tests/fuzz/fuzz-common.c $(LIB) $(LDLIBS) -o $@

build/san/replay/%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c $(FUZZ_COMMON) $(LIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) -Itests/fuzz $< tests/fuzz/replay.c \
	  tests/fuzz/fuzz-common.c $(LIB_SAN) $(LDLIBS) -o $@

build/fuzz/trace build/replay/trace build/san/replay/trace: $(FUZZ_DEPS_trace)

_replay-plain: $(FUZZ_NAMES:%=build/replay/%)
	@echo "== the fuzz corpus, replayed"
	@for n in $(FUZZ_NAMES); do build/replay/$$n tests/fuzz/corpus/$$n || exit 1; done

_replay-asan: $(FUZZ_NAMES:%=build/san/replay/%)
	@echo "== the fuzz corpus, replayed under AddressSanitizer and UBSan"
	@for n in $(FUZZ_NAMES); do \
	  ASAN_OPTIONS=detect_leaks=1 build/san/replay/$$n tests/fuzz/corpus/$$n \
	    || exit 1; done

_test-plain: _replay-plain
_test-asan: _replay-asan

# ---------------------------------------------------------------- experiments
# An experiment is a program tangled from the book to src/exp/NAME.c.  Its
# standard output becomes build/exp/NAME.txt, which the book includes.
_experiments: $(EXP_OUT)

# `make` compiles every program on both cores first, then runs on both
# cores the experiments that only count, then one at a time those that
# time the host (they must have it to themselves), then weaves the HTML
# and the PDF side by side.
TIMED_EXP  := alloc-cost compare ctor-cost find-vma kmalloc-mix pgtable-cost \
              read-vs-mmap tlb-cost vmalloc-cost malloc-versions malloc-real
_binaries: $(EXP_BIN) $(FIG_BIN)
_untimed: $(filter-out $(TIMED_EXP:%=build/exp/%.txt),$(EXP_OUT)) _figures

build/exp/%: src/exp/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_OPT) $< $(LIB) $(LDLIBS) -o $@

build/exp/%.txt: build/exp/%
	$< > $@.tmp && mv $@.tmp $@

# A figure drawn from the model is a program tangled to src/fig/NAME.c that
# prints Graphviz to standard output; a hand-made one is figures/NAME.dot.
_figures: $(FIG_OUT)

build/figbin/%: src/fig/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_OPT) $< $(LIB) $(LDLIBS) -o $@

build/fig/%.dot: build/figbin/%
	@mkdir -p $(dir $@)
	$< > $@.tmp && mv $@.tmp $@

build/fig/%.dot: figures/%.dot
	@mkdir -p $(dir $@)
	cp $< $@

build/fig/%.svg: build/fig/%.dot
	dot -Tsvg $< -o $@

build/fig/%.pdf: build/fig/%.dot
	dot -Tpdf -Gmargin=0 $< -o $@

# ---------------------------------------------------------------- benchmarks
build/bench/%: src/bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_OPT) $< $(LIB) $(LDLIBS) -o $@

_bench: $(BENCH_BIN)
	@for b in $(BENCH_BIN); do $$b || exit 1; done

# ---------------------------------------------------------------- exercises
# make check-exercise EX=3.4: build and run tests/exercises/ex-3.4.c against
# the model as it stands (the student's changes included); PASS or FAIL.
# make check-exercises: every check, one line each, then a count.
EX_C       := $(sort $(wildcard tests/exercises/ex-*.c))
EX_BIN     := $(EX_C:tests/exercises/%.c=build/exercises/%)

EX_H       := $(wildcard tests/exercises/*.h tests/*.h)
EX_KNOWN   := $(filter build/exercises/ex-$(EX),$(EX_BIN))

build/exercises/%: tests/exercises/%.c $(EX_H) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_OPT) -Itests $< $(LIB) $(LDLIBS) -o $@

_check-exercise: $(EX_KNOWN)
	@test -n "$(EX_KNOWN)" || { echo "usage: make check-exercise EX=N.M," \
	  "where N.M is one of:" $(EX_BIN:build/exercises/ex-%=%); exit 2; }
	@build/exercises/ex-$(EX)

_check-exercises: $(EX_BIN)
	@pass=0; n=0; for b in $(EX_BIN); do n=$$((n+1)); \
	  $$b && pass=$$((pass+1)); done; echo "$$pass of $$n exercises pass"

# ---------------------------------------------------------------- malloc on the host
# Chapter 11's allocator built for the host (src/host/bookmalloc.c): a
# shared library exporting malloc and friends, for LD_PRELOAD.  The trace
# recorder is another preloadable library; the trace driver and the
# misuse probe are host programs (tests/host/, not the model).
HOST_SO    := $(CFLAGS_ALL) -O2 -fPIC -shared -fno-builtin

HOST_PROG  := $(CFLAGS_ALL) -O2
MALLOC_SO  := build/libbookmalloc.so build/malloc/v1-bump.so \
              build/malloc/v2-implicit.so build/malloc/v3-tags.so \
              build/malloc/v4-bins.so build/malloc/v5-mmap.so
MALLOC_TR  := $(patsubst %,build/malloc/traces/%.trace,python3 cc1 awk \
              small tree random realloc coalesce)
MALLOC_REC  = MALLOC_TRACE_MAX=60000 MALLOC_TRACE_OUT=$(CURDIR)/$@.tmp \
              LD_PRELOAD=$(CURDIR)/build/libmallocrecord.so

_malloc-host: $(MALLOC_SO) build/libmallocrecord.so build/malloc/trace

# Linked to span whole 64 KiB fault-around windows (src/host/pad64k.ld,
# chapter 11's "Real programs"), so that preloading it moves libc by whole
# windows and check-preload's RSS ratios compare like with like.
build/libbookmalloc.so: src/host/bookmalloc.c src/host/pad64k.ld
	@mkdir -p $(dir $@)
	$(CC) $(HOST_SO) $< -Wl,-T,src/host/pad64k.ld -o $@

build/malloc/v4-bins.so: src/host/bookmalloc.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_SO) -DNO_LARGE_MMAP -DNO_RUNS $< -o $@

build/malloc/v5-mmap.so: src/host/bookmalloc.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_SO) -DNO_RUNS $< -o $@

build/malloc/%.so: src/host/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_SO) $< -o $@

build/libmallocrecord.so: src/host/malloc-record.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_SO) $< -o $@

build/malloc/trace build/malloc/gen: build/malloc/%: src/host/malloc-%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_PROG) $< -o $@

build/malloc/versions: src/host/malloc-versions.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_PROG) $< -lm -o $@

# The traces: five generated, three recorded from real programs (each
# recording capped at 60000 calls; see book/11-malloc.nw).
build/malloc/traces/%.trace: build/malloc/gen
	@mkdir -p $(dir $@)
	build/malloc/gen $* > $@.tmp && mv $@.tmp $@

build/malloc/lines.txt:
	@mkdir -p $(dir $@)
	seq 1000000 | awk '{ print ($$1 * 7919) % 1000003, "line", $$1 }' > $@

build/malloc/traces/python3.trace: build/libmallocrecord.so src/host/objects.py
	@mkdir -p $(dir $@)
	MALLOC_TRACE_PROG=python3 PYTHONMALLOC=malloc $(MALLOC_REC) \
	  python3 src/host/objects.py > /dev/null && mv $@.tmp $@

build/malloc/traces/cc1.trace: build/libmallocrecord.so src/mmap.c $(SRC_H)
	@mkdir -p $(dir $@)
	MALLOC_TRACE_PROG=cc1 $(MALLOC_REC) \
	  $(CC) $(CFLAGS_OPT) -c src/mmap.c -o /dev/null && mv $@.tmp $@

build/malloc/traces/awk.trace: build/libmallocrecord.so build/malloc/lines.txt
	@mkdir -p $(dir $@)
	head -200000 build/malloc/lines.txt | MALLOC_TRACE_PROG=awk $(MALLOC_REC) \
	  awk '{ c[$$1]++ } END { for (k in c) n++; print n }' > /dev/null \
	  && mv $@.tmp $@

# Host programs that are tests, not book code.
build/malloc/host-test build/malloc/misuse: build/malloc/%: tests/host/malloc-%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_PROG) -fno-builtin $< -lpthread -ldl -o $@

# The versions table and the misuse table are experiments of the book,
# made on the host.
_experiments: build/exp/malloc-versions.txt build/exp/malloc-misuse.txt

build/exp/malloc-model-traces.txt: $(MALLOC_TR)

build/exp/malloc-misuse.txt: build/malloc/misuse build/libbookmalloc.so
	@mkdir -p $(dir $@)
	build/malloc/misuse $(CURDIR)/build/libbookmalloc.so > $@.tmp 2>/dev/null \
	  && mv $@.tmp $@

# The real programs of check-preload, once each way, as chapter 11's table.
_experiments: build/exp/malloc-real.txt

build/exp/malloc-real.txt: build/libbookmalloc.so build/malloc/lines.txt \
                           tests/host/check-preload.py src/host/objects.py
	@mkdir -p $(dir $@)
	python3 tests/host/check-preload.py --table --runs 1 > $@.tmp \
	  && mv $@.tmp $@

# What preloading alone costs a small gzip: empty libraries of two spans.
_experiments: build/exp/malloc-windows.txt

build/malloc/empty.so:
	@mkdir -p $(dir $@)
	$(CC) -shared -x c /dev/null -o $@

build/malloc/empty64k.so: src/host/pad64k.ld
	@mkdir -p $(dir $@)
	$(CC) -shared -x c /dev/null -Wl,-T,src/host/pad64k.ld -o $@

build/malloc/atfork64k.so: src/host/atfork-only.c src/host/pad64k.ld
	@mkdir -p $(dir $@)
	$(CC) $(HOST_SO) $< -Wl,-T,src/host/pad64k.ld -o $@

build/exp/malloc-windows.txt: build/libbookmalloc.so build/malloc/empty.so \
                              build/malloc/empty64k.so \
                              build/malloc/atfork64k.so \
                              tests/host/check-preload.py src/host/objects.py
	@mkdir -p $(dir $@)
	python3 tests/host/check-preload.py --windows --runs 20 > $@.tmp \
	  && mv $@.tmp $@

# make check-preload: the host tests under the book's allocator, then real
# programs on it against glibc (outputs must be identical; the time and
# RSS ratios are printed, not asserted).
_check-preload: build/libbookmalloc.so build/malloc/host-test build/malloc/lines.txt
	LD_PRELOAD=$(CURDIR)/build/libbookmalloc.so build/malloc/host-test
	python3 tests/host/check-preload.py

# make bench: the trace set and the real programs, against glibc.
_bench: _malloc-bench
_malloc-bench: build/malloc/bench build/malloc/trace $(MALLOC_TR) \
               build/libbookmalloc.so build/malloc/lines.txt
	@build/malloc/bench
	@python3 tests/host/check-preload.py --bench

build/malloc/bench: src/host/malloc-bench.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_PROG) $< -lm -o $@

build/exp/malloc-versions.txt: build/malloc/versions build/malloc/trace \
                               $(MALLOC_SO) $(MALLOC_TR)
	@mkdir -p $(dir $@)
	build/malloc/versions > $@.tmp && mv $@.tmp $@

# ---------------------------------------------------------------- the explorer
# build/mmsh, the shell of book/92-explorer.nw: the library's mmsh.c with
# a main of its own (src/tools/), linked with GNU readline.  A scenario
# is a script tangled to src/scenarios/NAME.mmsh; its transcript becomes
# build/exp/NAME.txt, which the book includes like an experiment's output.
# A scenario may show errors on purpose (mmsh then exits 1); a crash or a
# usage error (status 2 and up) fails the build.
SCEN       := $(sort $(wildcard src/scenarios/*.mmsh))
SCEN_OUT   := $(SCEN:src/scenarios/%.mmsh=build/exp/%.txt) build/exp/mmsh-help.txt
EXP_OUT    += $(SCEN_OUT)

build/mmsh: src/tools/mmsh-main.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_OPT) $< $(LIB) -lreadline $(LDLIBS) -o $@

_experiments: build/mmsh $(SCEN_OUT)

build/exp/%.txt: src/scenarios/%.mmsh build/mmsh
	@mkdir -p $(dir $@)
	build/mmsh -x $< > $@.tmp; test $$? -le 1 && mv $@.tmp $@

build/exp/mmsh-help.txt: build/mmsh
	@mkdir -p $(dir $@)
	echo help | build/mmsh > $@.tmp && mv $@.tmp $@

# ---------------------------------------------------------------- the book
# tangle/weave.mk turns book/*.nw, build/exp/*.txt and build/fig/* into
# build/html/ and build/book.pdf.
-include tangle/weave.mk

_book: _html _pdf

clean:
	rm -rf src build

.PRECIOUS: build/exp/% build/figbin/% build/fig/%.dot

# ---------------------------------------------------------------- stress
# The randomized whole-model stress run (tests/stress/stress.c; the
# checker is book/95-invariants.nw): STRESS_OPS operations from seed
# STRESS_SEED, model_check() every STRESS_EVERY.  `make stress` runs it
# plainly, then under ASan and UBSan; `make test` runs a short one of
# each (STRESS_SHORT operations).
STRESS_SEED  ?= 2
STRESS_OPS   ?= 1000000
STRESS_EVERY ?= 5000
STRESS_SHORT ?= 20000
STRESS_ARGS   = --seed $(STRESS_SEED) --check-every $(STRESS_EVERY)

.PHONY: stress _stress _stress-short-plain _stress-short-asan

stress: deps
	@$(SUBMAKE) tangle
	@$(SUBMAKE) _stress

build/stress: tests/stress/stress.c $(LIB)
	$(CC) $(CFLAGS_OPT) $< $(LIB) $(LDLIBS) -o $@

build/san/stress: tests/stress/stress.c $(LIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) $< $(LIB_SAN) $(LDLIBS) -o $@

_stress: build/stress build/san/stress
	@echo "== stress, compiled with -O2"
	build/stress $(STRESS_ARGS) --ops $(STRESS_OPS)
	@echo "== stress, under AddressSanitizer and UBSan"
	ASAN_OPTIONS=detect_leaks=1 build/san/stress $(STRESS_ARGS) \
	  --ops $(STRESS_OPS)

_stress-short-plain: build/stress
	@echo "== a short stress run, compiled with -O2"
	build/stress --seed $(STRESS_SEED) --check-every 2000 --ops $(STRESS_SHORT)

_stress-short-asan: build/san/stress
	@echo "== a short stress run, under AddressSanitizer and UBSan"
	ASAN_OPTIONS=detect_leaks=1 build/san/stress --seed $(STRESS_SEED) \
	  --check-every 2000 --ops $(STRESS_SHORT)

_test-plain: _stress-short-plain
_test-asan: _stress-short-asan
