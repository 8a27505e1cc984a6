#!/usr/bin/env python3
"""check-html.py DIR -- open every page of the HTML book in headless Chromium.

check-links.py reads the HTML as text; this looks at what a reader sees,
after the browser has run the scripts and laid the page out.  Each page
is loaded from file:// in a 400 px wide phone viewport, and fails on:

  * a console error, a page exception, or a resource that fails to load;
  * a request to anything but file:// (the book works offline);
  * a link or anchor that leads nowhere, #anchors on other pages included,
    or an id used twice on a page;
  * a chunk reference whose target chunk does not exist;
  * anything wider than the viewport that does not scroll in a box of its
    own (code, outputs, tables and figures do);
  * colours that do not change when the reader prefers a dark scheme, or
    body text whose contrast is below 4.5:1 (WCAG AA) in either scheme.

On the contents page it also types known functions into the search box
(book/theme/book.js) and fails if a result for each is missing.

Chromium is driven through its DevTools protocol over a pipe
(--remote-debugging-pipe: JSON messages ending in a NUL byte on file
descriptors 3 and 4), so nothing but Python's standard library is needed,
and no port is opened.  Prints each problem as FILE: what, exits 1 if any."""
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

SEARCH_FOR = ["kmalloc", "find_vma", "alloc_pages", "vmalloc"]
WIDTH, HEIGHT = 400, 800
PAGE_TIMEOUT = 20.0


class Browser:
    """A headless Chromium and one tab in it, spoken to over the pipe."""

    def __init__(self, exe):
        self.profile = tempfile.mkdtemp(prefix="check-html-")
        to_child, self.wfd = os.pipe()
        self.rfd, from_child = os.pipe()

        def fds():          # the child reads fd 3 and writes fd 4
            r, w = os.dup(to_child), os.dup(from_child)
            os.dup2(r, 3)
            os.dup2(w, 4)
        args = [exe, "--headless", "--remote-debugging-pipe",
                "--user-data-dir=" + self.profile, "--no-first-run",
                "--no-default-browser-check", "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-extensions", "--disable-background-networking",
                "--disable-sync", "--disable-component-update",
                "--hide-scrollbars", "--mute-audio", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")      # Chromium refuses otherwise
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=self.log,
                                     preexec_fn=fds,
                                     pass_fds=(3, 4))
        os.close(to_child)
        os.close(from_child)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None
        try:
            target = self.call("Target.createTarget", url="about:blank")
            self.session = self.call("Target.attachToTarget", flatten=True,
                                     targetId=target["targetId"])["sessionId"]
        except Exception:
            self.close()
            raise

    def send(self, method, params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if self.session:
            msg["sessionId"] = self.session
        data = json.dumps(msg).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self.wfd, data):]
        except BrokenPipeError:
            raise self.died()
        return self.next_id

    def receive(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.rfd], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.rfd, 1 << 16)
            if not chunk:
                raise self.died()
            self.buf += chunk
        msg, _, self.buf = self.buf.partition(b"\0")
        return json.loads(msg)

    def died(self):
        self.log.seek(0)
        return RuntimeError("Chromium exited:\n" +
                            self.log.read().decode(errors="replace"))

    def call(self, method, **params):
        want = self.send(method, params)
        deadline = time.monotonic() + PAGE_TIMEOUT
        while True:
            msg = self.receive(deadline)
            if msg.get("id") == want:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, method):
        deadline = time.monotonic() + PAGE_TIMEOUT
        while True:
            for i, msg in enumerate(self.events):
                if msg["method"] == method:
                    del self.events[i]
                    return msg
            self.events.append(self.receive(deadline))

    def js(self, expr):
        """Evaluate EXPR in the page; return its value (JSON-able)."""
        r = self.call("Runtime.evaluate", expression=expr,
                      returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError("in the checker's script: " +
                               json.dumps(r["exceptionDetails"])[:500])
        return r["result"].get("value")

    def close(self):
        try:
            self.session = None
            self.send("Browser.close", {})
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        os.close(self.wfd)
        os.close(self.rfd)
        shutil.rmtree(self.profile, ignore_errors=True)


# Run in each page once it has loaded: what the page links to, its ids,
# its chunk references, and what sticks out of a 400 px screen.
SURVEY = r"""
(function () {
  var W = document.documentElement.clientWidth, out = {};
  out.links = [];
  document.querySelectorAll("a[href], link[href], img[src], script[src]")
    .forEach(function (e) {
      out.links.push(e.getAttribute("href") || e.getAttribute("src"));
    });
  out.ids = Array.prototype.map.call(document.querySelectorAll("[id]"),
                                     function (e) { return e.id; });
  out.chunkrefs = [];
  document.querySelectorAll(".chunkref").forEach(function (e) {
    var a = e.querySelector("a[href]");
    out.chunkrefs.push([e.textContent.trim(),
                        a ? a.getAttribute("href") : null]);
  });
  out.chunks = Array.prototype.map.call(
    document.querySelectorAll(".chunk[id]"), function (e) { return e.id; });
  // An element sticks out if it reaches past the viewport and no box
  // around it clips or scrolls it.  Only the outermost is reported.
  function contained(e) {
    for (var p = e.parentElement; p && p !== document.body;
         p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  }
  function describe(e) {
    var s = e.tagName.toLowerCase();
    if (e.id) s += "#" + e.id;
    if (e.className && typeof e.className === "string")
      s += "." + e.className.trim().split(/\s+/).join(".");
    var r = e.getBoundingClientRect();
    return s + " (" + Math.round(r.left) + " to " + Math.round(r.right) +
           " px): " + e.textContent.trim().slice(0, 50);
  }
  out.wide = [];
  var all = document.body.querySelectorAll("*"), flagged = [];
  for (var i = 0; i < all.length; i++) {
    var e = all[i], r = e.getBoundingClientRect();
    if (r.width === 0 || (r.right <= W + 0.5 && r.left >= -0.5)) continue;
    if (getComputedStyle(e).position === "fixed") continue;
    if (contained(e)) continue;
    if (flagged.some(function (f) { return f.contains(e); })) continue;
    flagged.push(e);
    out.wide.push(describe(e));
  }
  out.scrollWidth = document.documentElement.scrollWidth;
  out.width = W;
  return out;
})()
"""

# The colours of the page's main parts, to compare light with dark.
COLOURS = r"""
(function () {
  var out = {};
  [["html", "html"], ["body", "body"], ["main", "main"],
   ["a", "main a[href]"], ["code", "pre.code"], ["header", ".topbar"]]
  .forEach(function (p) {
    var e = document.querySelector(p[1]);
    if (!e) return;
    var s = getComputedStyle(e);
    out[p[0]] = [s.color, s.backgroundColor];
  });
  return out;
})()
"""

# Type TERM into the search box as a reader would; return the results.
SEARCH = r"""
(function (term) {
  var input = document.getElementById("search");
  if (!input) return null;
  input.focus();
  input.value = term;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  var list = document.getElementById("search-results");
  if (!list || list.hidden) return [];
  return Array.prototype.map.call(list.querySelectorAll("li a"),
    function (a) { return [a.textContent, a.getAttribute("href")]; });
})(%s)
"""


def rgb(css):
    """'rgb(1, 2, 3)' or 'rgba(1, 2, 3, 0.5)' -> (r, g, b, a)."""
    nums = css[css.index("(") + 1:css.index(")")].replace("/", ",")
    parts = [float(x) for x in nums.replace(",", " ").split()]
    return tuple(parts[:3]) + ((parts[3] if len(parts) > 3 else 1.0),)


def luminance(c):
    def lin(v):
        v /= 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])


def background(colours):
    """The page's background: the first opaque one from main outwards."""
    return next((rgb(colours[k][1]) for k in ("main", "body", "html")
                 if k in colours and rgb(colours[k][1])[3] > 0),
                (255.0, 255.0, 255.0, 1.0))


def contrast(colours):
    """Contrast of body text on the page background."""
    fg, bg = rgb(colours["body"][0]), background(colours)
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def main():
    root = os.path.abspath(sys.argv[1])
    exe = os.environ.get("CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    if not exe:
        sys.exit("check-html: no chromium; install Debian's package chromium")
    pages = sorted(f for f in os.listdir(root) if f.endswith(".html"))
    problems = []

    def complain(page, what):
        problems.append(page)
        print("check-html: %s: %s" % (os.path.join(sys.argv[1], page), what))

    start = time.monotonic()
    b = Browser(exe)
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            b.call(domain + ".enable")
        b.call("Emulation.setDeviceMetricsOverride", width=WIDTH,
               height=HEIGHT, deviceScaleFactor=1, mobile=True)
        surveys = {}
        for page in pages:
            b.call("Emulation.setEmulatedMedia", features=[
                {"name": "prefers-color-scheme", "value": "light"}])
            b.events.clear()
            b.call("Page.navigate",
                   url="file://" + urllib.parse.quote(
                       os.path.join(root, page)))
            b.wait_for("Page.loadEventFired")
            s = surveys[page] = b.js(SURVEY)
            light = b.js(COLOURS)
            b.call("Emulation.setEmulatedMedia", features=[
                {"name": "prefers-color-scheme", "value": "dark"}])
            dark = b.js(COLOURS)
            if page == "index.html":
                for term in SEARCH_FOR:
                    hits = b.js(SEARCH % json.dumps(term))
                    if hits is None:
                        complain(page, "no search box")
                        break
                    hit = [h for h in hits if term in h[0]]
                    if not hit:
                        complain(page, "searching for %s finds %s" % (
                            term, [h[0] for h in hits[:3]] or "nothing"))
                    else:
                        s["links"].append(hit[0][1])
                # The list of results, open, must fit the screen too.
                for w in b.js(SURVEY)["wide"][:5]:
                    complain(page, "with search results open, wider than "
                             "%d px: %s" % (WIDTH, w))
            b.call("Runtime.evaluate", expression="0")   # drain events
            for ev in b.events:
                m, p = ev["method"], ev["params"]
                if m == "Runtime.exceptionThrown":
                    d = p["exceptionDetails"]
                    complain(page, "exception: %s" % (
                        d.get("exception", {}).get("description")
                        or d.get("text")))
                elif m == "Runtime.consoleAPICalled" and \
                        p["type"] in ("error", "assert"):
                    complain(page, "console.%s: %s" % (p["type"], " ".join(
                        str(a.get("value", a.get("description", "")))
                        for a in p["args"])))
                elif m == "Log.entryAdded" and \
                        p["entry"]["level"] == "error":
                    e = p["entry"]
                    complain(page, "console error: %s %s" % (
                        e["text"], e.get("url", "")))
                elif m == "Network.requestWillBeSent":
                    url = p["request"]["url"]
                    if not url.startswith(("file:", "data:", "about:")):
                        complain(page, "fetches from the network: " + url)
            for w in s["wide"][:5]:
                complain(page, "wider than %d px: %s" % (WIDTH, w))
            if len(s["wide"]) > 5:
                complain(page, "and %d more wider than %d px"
                         % (len(s["wide"]) - 5, WIDTH))
            if s["scrollWidth"] > s["width"] and not s["wide"]:
                complain(page, "the page scrolls sideways (%d px wide)"
                         % s["scrollWidth"])
            # The browser's own colours change with the meta color-scheme;
            # the book's must too: its text and its background.
            if light["body"][0] == dark["body"][0] or \
                    background(light) == background(dark):
                complain(page, "text or background colour is the same "
                         "in dark mode: %s" % dark["body"])
            for name, c in (("light", light), ("dark", dark)):
                if "body" in c and contrast(c) < 4.5:
                    complain(page, "body text contrast %.1f:1 in %s mode"
                             % (contrast(c), name))
    finally:
        b.close()

    ids = {p: s["ids"] for p, s in surveys.items()}
    for page, s in surveys.items():
        seen = set()
        for i in s["ids"]:
            if i in seen:
                complain(page, "id used twice: " + i)
            seen.add(i)
        for ref in s["links"]:
            ref = urllib.parse.unquote(ref)
            if ref.split(":")[0] in ("http", "https", "ftp", "mailto") \
                    or ref.startswith("//"):
                complain(page, "refers outside the book: " + ref)
                continue
            target, _, frag = ref.partition("#")
            target = target or page
            if target == "../book.pdf":          # made by `make pdf`
                continue
            if not os.path.exists(os.path.join(root, target)):
                complain(page, "no such file: " + ref)
            elif frag and target in ids and frag not in ids[target]:
                complain(page, "no such anchor: " + ref)
        for name, href in s["chunkrefs"]:
            target, _, frag = (href or "").partition("#")
            target = target or page
            if not href:
                complain(page, "chunk %s is used but never defined" % name)
            elif frag not in surveys.get(target, {}).get("chunks", []):
                complain(page, "chunk reference %s leads to %s, not a chunk"
                         % (name, href))
    print("check-html: %d pages in Chromium, %d links, %d chunk references,"
          " %.1f s: %d problems" % (
              len(pages), sum(len(s["links"]) for s in surveys.values()),
              sum(len(s["chunkrefs"]) for s in surveys.values()),
              time.monotonic() - start, len(problems)))
    sys.exit(1 if problems else 0)


try:
    main()
except (RuntimeError, TimeoutError) as e:
    sys.exit("check-html: %s" % e)
