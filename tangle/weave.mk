# tangle/weave.mk -- weave book/*.nw into build/html/ and build/book.pdf.
#
# Included by the Makefile, and run in its second make (after tangling), as
# the targets _html and _pdf.  From the Makefile it uses NW (the chapters in
# reading order), EXP_OUT (build/exp/NAME.txt) and FIG_OUT (build/fig/NAME.svg
# and .pdf), and the targets _experiments and _figures that make them.
#
#   book/*.nw --markup--> nw2pandoc.py --> build/weave/stamp, and
#       build/weave/html/PAGE.md --pandoc--> build/html/PAGE.html
#       build/weave/pdf/book.md --pandoc--> book.tex --pdflatex--> build/book.pdf
#
# The back end (tangle/nw2pandoc.py and the nw*.py it imports) sees the whole
# book at once (chunk numbers and cross-references span chapters) but
# rewrites a page's Markdown only when its text changes, so pandoc reruns
# only for the pages that a change really touched.  pandoc's Lua filters
# (crossref.lua, outputs.lua) read the label table and the experiments'
# output, so every page depends on those too.

WEAVE          := build/weave
HTML           := build/html
NOWEB_LIB      ?= /usr/lib/noweb
WEAVE_BACKEND  := tangle/nw2pandoc.py
WEAVE_PY       := $(WEAVE_BACKEND) tangle/nwread.py tangle/nwcode.py tangle/nwprose.py \
                  tangle/nwio.py
WEAVE_LABELS   := $(WEAVE)/labels.lua
WEAVE_FILTERS  := tangle/crossref.lua tangle/outputs.lua
WEAVE_PAGES    := $(patsubst book/%.nw,%,$(NW)) index chunks identifiers
WEAVE_HTML_MD  := $(WEAVE_PAGES:%=$(WEAVE)/html/%.md)
WEAVE_HTML     := $(WEAVE_PAGES:%=$(HTML)/%.html)
WEAVE_STATIC   := $(HTML)/style.css $(HTML)/book.js $(HTML)/search-index.js
WEAVE_FIG_SVG  := $(patsubst build/fig/%,$(HTML)/fig/%,$(filter %.svg,$(FIG_OUT)))
WEAVE_FIG_PDF  := $(filter %.pdf,$(FIG_OUT))

PANDOC_COMMON  := pandoc --from=markdown-citations --metadata-file=book/theme/metadata.yaml \
                  --no-highlight --metadata=weave-labels:$(WEAVE_LABELS) \
                  $(WEAVE_FILTERS:%=--lua-filter=%)
PANDOC_HTML    := $(PANDOC_COMMON) --to=html5 --standalone --template=book/theme/template.html \
                  --toc --toc-depth=3 --mathml
PANDOC_LATEX   := $(PANDOC_COMMON) --to=latex --standalone --top-level-division=chapter \
                  --number-sections --toc --include-in-header=book/theme/preamble.tex \
                  --lua-filter=tangle/breakable-code.lua

.PHONY: _html _pdf _check-html

_html: _experiments _figures $(WEAVE_HTML) $(WEAVE_STATIC) $(WEAVE_FIG_SVG)
	@for f in $(HTML)/*.html; do \
	  case " $(WEAVE_HTML) " in *" $$f "*) ;; *) echo "weave: removing stale $$f"; rm -f "$$f" ;; esac; \
	done
	@python3 tangle/check-links.py $(HTML)

_pdf: _experiments _figures build/book.pdf

# make check-html: the woven pages as a reader's browser shows them
# (headless Chromium): console errors, links and anchors, chunk references,
# the search box, width on a 400 px screen, dark mode.
_check-html: _html
	@python3 tangle/check-html.py $(HTML)

# All chapters through noweb's markup at once, then the back end.  It exits
# non-zero, writing nothing, on an error (a code line over 80 columns, a
# missing experiment value or figure, an unknown @fig: reference).
$(WEAVE)/stamp: $(NW) $(WEAVE_PY) $(EXP_OUT) $(FIG_OUT)
	@mkdir -p $(WEAVE)
	@echo "weave: $(NOWEB_LIB)/markup book/*.nw | $(WEAVE_BACKEND)"
	@set -o pipefail; $(NOWEB_LIB)/markup $(NW) | \
	  python3 -B $(WEAVE_BACKEND) --exp build/exp --fig build/fig --out $(WEAVE)
	@touch $@

# The back end's outputs: made by the rule above, each rewritten only when
# its text changed (so the empty recipe: make looks at the file's time).
$(WEAVE_HTML_MD) $(WEAVE)/pdf/book.md $(WEAVE)/search-index.js $(WEAVE_LABELS): $(WEAVE)/stamp ;

# ---------------------------------------------------------------- HTML
$(HTML)/%.html: $(WEAVE)/html/%.md book/theme/template.html book/theme/metadata.yaml \
                $(WEAVE_LABELS) $(WEAVE_FILTERS) $(EXP_OUT)
	@mkdir -p $(HTML)
	$(PANDOC_HTML) -o $@ $<

$(HTML)/style.css: book/theme/style.css
	@mkdir -p $(HTML)
	cp $< $@

$(HTML)/book.js: book/theme/book.js
	@mkdir -p $(HTML)
	cp $< $@

$(HTML)/search-index.js: $(WEAVE)/search-index.js
	@mkdir -p $(HTML)
	cp $< $@

$(HTML)/fig/%.svg: build/fig/%.svg
	@mkdir -p $(HTML)/fig
	cp $< $@

# ---------------------------------------------------------------- PDF
$(WEAVE)/pdf/book.tex: $(WEAVE)/pdf/book.md book/theme/preamble.tex book/theme/metadata.yaml \
                      tangle/breakable-code.lua $(WEAVE_LABELS) $(WEAVE_FILTERS) $(EXP_OUT)
	$(PANDOC_LATEX) -o $@ $<

# pdflatex (the engine pandoc's --pdf-engine=pdflatex would run), run by a
# script that reruns it for the table of contents and reports overfull lines.
build/book.pdf: $(WEAVE)/pdf/book.tex $(WEAVE_FIG_PDF) tangle/pdflatex.sh
	tangle/pdflatex.sh $<
	cp $(WEAVE)/pdf/book.pdf $@
