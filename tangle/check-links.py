#!/usr/bin/env python3
"""check-links.py DIR -- every link and image in DIR/*.html must resolve.

A link is to a page of the book (which must exist), to an anchor (which
must be an id on that page), or to ../book.pdf beside the HTML.  Nothing
may be fetched from the network: the book works offline.  Prints each
broken link as FILE: what, and exits 1 if there is any."""
import html
import os
import re
import sys

root = sys.argv[1]
pages = {f: open(os.path.join(root, f), encoding="utf-8").read()
         for f in os.listdir(root) if f.endswith(".html")}
ids = {f: set(re.findall(r'\bid="([^"]+)"', t)) for f, t in pages.items()}
broken = 0


def complain(page, what):
    global broken
    broken += 1
    print("check-links: %s: %s" % (os.path.join(root, page), what))


for page, text in pages.items():
    for ref in re.findall(r'\b(?:href|src)="([^"]+)"', text):
        ref = html.unescape(ref)
        if re.match(r"[a-z]+:", ref):
            complain(page, "refers outside the book: " + ref)
            continue
        target, _, frag = ref.partition("#")
        target = target or page
        if not os.path.exists(os.path.join(root, target)):
            if target != "../book.pdf":        # made by `make pdf`
                complain(page, "no such file: " + ref)
        elif frag and target in ids and frag not in ids[target]:
            complain(page, "no such anchor: " + ref)
sys.exit(1 if broken else 0)
