// book/theme/book.js -- the little the HTML edition does in the browser:
//   * a Copy button on every code chunk (copies the code without line
//     numbers, which are drawn by CSS and are not part of the text);
//   * the search box, over window.BOOK_SEARCH (search-index.js, written by
//     tangle/nw2pandoc.py): chapter and section titles, chunk names,
//     identifiers and figure captions;
//   * the chapter's table of contents starts closed on a narrow screen;
//   * a figure shown smaller than its natural size opens at full size,
//     scrolling sideways, when tapped.
// No libraries, nothing fetched: it works from file:// too.
(function () {
  "use strict";

  // ---------------------------------------------------------- copy buttons
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Fallback for browsers that refuse the clipboard API here.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  document.querySelectorAll(".chunk button.copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var code = button.closest(".chunk").querySelector("pre.code code");
      copyText(code.textContent).then(function () {
        button.textContent = "Copied";
      }, function () {
        button.textContent = "Failed";
      });
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    });
  });

  // ---------------------------------------------------------- figures
  // A Graphviz drawing is often wider than the column, and on a phone its
  // text shrinks to a few pixels.  A figure that is shown smaller than its
  // natural size opens at full size when tapped (or clicked, or Enter),
  // in a frame that scrolls sideways; another tap fits it to the column.
  var verb = window.matchMedia("(hover: hover)").matches ? "Click" : "Tap";
  document.querySelectorAll("figure > img").forEach(function (img) {
    var figure = img.parentNode;
    var frame = document.createElement("div");
    var hint = document.createElement("p");
    frame.className = "fig-frame";
    hint.className = "fig-hint";
    figure.insertBefore(frame, img);
    frame.appendChild(img);
    figure.insertBefore(hint, frame.nextSibling);

    function update() {
      var full = figure.classList.contains("full");
      var scaled = full || img.naturalWidth > img.width + 1;
      figure.classList.toggle("scaled", scaled);
      img.tabIndex = scaled ? 0 : -1;
      img.setAttribute("role", scaled ? "button" : "img");
      hint.textContent = !scaled ? "" : full
        ? "Scroll sideways to see all of it; " + verb.toLowerCase() + " it to fit it again."
        : verb + " the figure to see it at full size.";
    }
    function toggle() {
      if (!figure.classList.contains("scaled")) return;
      figure.classList.toggle("full");
      update();
    }
    img.addEventListener("load", update);
    window.addEventListener("resize", update);
    img.addEventListener("click", toggle);
    img.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { toggle(); ev.preventDefault(); }
    });
    if (img.complete) update();
  });

  // ---------------------------------------------------------- table of contents
  var toc = document.querySelector("#toc details");
  if (toc && window.matchMedia("(max-width: 1099px)").matches) {
    toc.removeAttribute("open");
  }

  // ---------------------------------------------------------- search
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var entries = window.BOOK_SEARCH || [];
  var KIND_ORDER = { chapter: 0, section: 1, figure: 2, chunk: 3, identifier: 4 };
  var active = -1;

  function score(entry, terms) {
    var t = entry.t.toLowerCase();
    var s = 0;
    for (var i = 0; i < terms.length; i++) {
      var at = t.indexOf(terms[i]);
      if (at < 0) return -1;
      if (at === 0) s += 3;
      else if (/[^a-z0-9]/.test(t.charAt(at - 1))) s += 2;
      else s += 1;
    }
    if (t === terms.join(" ")) s += 10;
    return s;
  }

  function render(query) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    list.innerHTML = "";
    active = -1;
    if (!terms.length) { list.hidden = true; return; }
    var hits = [];
    entries.forEach(function (e) {
      var s = score(e, terms);
      if (s >= 0) hits.push([s, e]);
    });
    hits.sort(function (a, b) {
      return b[0] - a[0] || KIND_ORDER[a[1].k] - KIND_ORDER[b[1].k] ||
             a[1].t.length - b[1].t.length;
    });
    hits.slice(0, 30).forEach(function (h) {
      var e = h[1];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = e.u;
      var k = document.createElement("span");
      k.className = "k";
      k.textContent = e.k;
      var t = document.createElement("span");
      t.className = "t";
      t.textContent = e.k === "chunk" ? "\u27e8" + e.t + "\u27e9" : e.t;
      a.appendChild(k);
      a.appendChild(t);
      if (e.n) {
        var n = document.createElement("span");
        n.className = "n";
        n.textContent = e.n;
        a.appendChild(n);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "Nothing found.";
      list.appendChild(none);
    }
    list.hidden = false;
  }

  function move(delta) {
    var items = list.querySelectorAll("li a");
    if (!items.length) return;
    if (active >= 0) items[active].parentNode.classList.remove("active");
    active = (active + delta + items.length) % items.length;
    items[active].parentNode.classList.add("active");
    items[active].scrollIntoView({ block: "nearest" });
  }

  if (input && list) {
    input.addEventListener("input", function () { render(input.value); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { move(1); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { move(-1); ev.preventDefault(); }
      else if (ev.key === "Enter") {
        var items = list.querySelectorAll("li a");
        var target = items[active >= 0 ? active : 0];
        if (target) window.location.href = target.href;
      } else if (ev.key === "Escape") {
        input.value = "";
        render("");
        input.blur();
      }
    });
    input.addEventListener("focus", function () { if (input.value) render(input.value); });
    document.addEventListener("click", function (ev) {
      if (!ev.target.closest(".search")) list.hidden = true;
    });
    // "/" jumps to the search box, as on many documentation sites.
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "/" && document.activeElement !== input &&
          !/^(INPUT|TEXTAREA)$/.test(document.activeElement.tagName)) {
        input.focus();
        ev.preventDefault();
      }
    });
  }
})();
