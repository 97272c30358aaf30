/* briefsite preview: select words of the article to get a note to paste into the brief.
   Added only by `serve`, and only a preview build's article says where its words are in the
   seed (`data-o` on each run of text). The note itself is made by the server from the seed's
   document text; this script only tells it which words, by their offsets. */
(function () {
  "use strict";
  var article = document.querySelector(".article-text[data-brief]");
  if (!article) return;
  var runs = article.querySelectorAll("[data-o]");
  var panel = null;
  var asked = "";
  var timer = 0;

  function text(run) {
    var node = run.firstChild;
    return node && node.nodeType === 3 ? node : null;
  }

  // The document offset of a boundary of the selection: inside a run of the article's
  // text, where it is; elsewhere (a note number, words for screen readers), the start of
  // the next run (for a start) or the end of the last one before it (for an end).
  function offset(node, at, isStart) {
    var range = document.createRange();
    var found = null;
    for (var i = 0; i < runs.length; i++) {
      var run = runs[i];
      var inner = text(run);
      if (!inner) continue;
      var base = parseInt(run.getAttribute("data-o"), 10);
      if (node === inner) return base + at;
      if (node === run) return base + (at > 0 ? inner.length : 0);
      range.selectNodeContents(run);
      var where = range.comparePoint(node, at);
      if (isStart && where < 0) return base;
      if (!isStart && where > 0) found = base + inner.length;
      if (!isStart && where < 0) break;
    }
    return found;
  }

  function hide() {
    if (panel) panel.remove();
    panel = null;
    asked = "";
  }

  function add(parent, tag, words, style) {
    var node = document.createElement(tag);
    if (words) node.textContent = words;
    if (style) node.setAttribute("style", style);
    parent.appendChild(node);
    return node;
  }

  function show(answer) {
    if (panel) panel.remove();
    panel = document.createElement("div");
    panel.id = "briefsite-picker";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", "A note for the selected words");
    panel.setAttribute(
      "style",
      "position:fixed;right:1rem;bottom:1rem;z-index:2147483646;max-width:min(34rem,92vw);" +
        "background:#fff;color:#111;border:2px solid #0b57d0;border-radius:6px;padding:.75rem;" +
        "font:14px/1.4 system-ui,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.25)"
    );
    add(panel, "p", "Paste under annotations: in the brief (preview only)", "margin:0 0 .4rem;font-weight:600");
    if (answer.error) {
      add(panel, "p", answer.error, "margin:0");
    } else {
      var yaml = add(
        panel,
        "pre",
        answer.yaml,
        "margin:0 0 .5rem;padding:.5rem;background:#f3f4f6;color:#111;white-space:pre-wrap;" +
          "overflow-wrap:anywhere;font:13px/1.4 ui-monospace,monospace"
      );
      yaml.className = "briefsite-picker-yaml";
      var copy = add(panel, "button", "Copy", "margin-right:.5rem");
      copy.type = "button";
      copy.className = "briefsite-picker-copy";
      copy.addEventListener("click", function () {
        var done = function () { copy.textContent = "Copied"; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(answer.yaml).then(done, function () { select(yaml); });
        } else {
          select(yaml);
        }
      });
    }
    var close = add(panel, "button", "Close");
    close.type = "button";
    close.addEventListener("click", hide);
    document.body.appendChild(panel);
  }

  // Without the clipboard API (an insecure origin), the note is selected for Ctrl-C.
  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function picked() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    var range = selection.getRangeAt(0);
    if (!article.contains(range.commonAncestorContainer) && !range.intersectsNode(article)) return;
    if (panel && panel.contains(range.commonAncestorContainer)) return;
    var start = offset(range.startContainer, range.startOffset, true);
    var end = offset(range.endContainer, range.endOffset, false);
    if (start === null || end === null || end <= start) return;
    var query =
      "brief=" + encodeURIComponent(article.getAttribute("data-brief")) +
      "&seed=" + encodeURIComponent(article.getAttribute("data-seed")) +
      "&start=" + start + "&end=" + end;
    if (query === asked) return;
    asked = query;
    fetch("/__briefsite/snippet?" + query, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (answer) { if (asked === query) show(answer); })
      .catch(function () { show({ error: "The preview server did not answer." }); });
  }

  document.addEventListener("selectionchange", function () {
    clearTimeout(timer);
    timer = setTimeout(picked, 250);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel) hide();
  });
})();
