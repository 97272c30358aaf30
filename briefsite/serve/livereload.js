/* briefsite preview: reload this page after a rebuild that changed it, swap changed
   stylesheets in place, and show build errors over the page. Added only by `serve`. */
(function () {
  "use strict";
  var script = document.getElementById("briefsite-livereload");
  var version = script ? script.getAttribute("data-version") : "";
  var panel = null;

  function key(pathname) {
    var path = decodeURIComponent(pathname).replace(/^\/+/, "");
    return path === "" || path.slice(-1) === "/" ? path + "index.html" : path;
  }

  function add(parent, tag, text, style) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (style) node.setAttribute("style", style);
    parent.appendChild(node);
    return node;
  }

  function hide() {
    if (panel) panel.remove();
    panel = null;
  }

  function show(errors) {
    hide();
    if (!errors.length) return;
    panel = document.createElement("div");
    panel.id = "briefsite-errors";
    panel.setAttribute("role", "alert");
    panel.setAttribute("style", "position:fixed;inset:0 0 auto 0;max-height:80vh;overflow:auto;" +
      "z-index:2147483647;background:#fff;color:#1b1b1b;border-bottom:4px solid #b00020;" +
      "padding:1rem 1.25rem;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;" +
      "box-shadow:0 4px 16px rgba(0,0,0,.35)");
    var title = errors.length === 1 ? "1 error" : errors.length + " errors";
    add(panel, "strong", "Build failed: " + title + ". The page below is the last good build.",
      "display:block;color:#b00020;margin-bottom:.5rem;font-size:15px");
    errors.forEach(function (error) {
      var item = add(panel, "div", "", "margin:.75rem 0;white-space:pre-wrap");
      if (error.traceback) {
        add(item, "div", "Internal error (a bug in briefsite):", "font-weight:bold");
        add(item, "pre", error.traceback, "margin:.25rem 0;white-space:pre-wrap");
        return;
      }
      add(item, "div", error.path + ":" + error.line + ":" + error.col + ": " +
        error.severity + ": " + error.message, "font-weight:bold");
      if (error.source !== null && error.source !== undefined) {
        add(item, "pre", " " + error.line + " | " + error.source + "\n " +
          String(error.line).replace(/./g, " ") + " | " +
          new Array(Math.max(error.col, 1)).join(" ") + "^",
          "margin:.25rem 0;background:#f4f4f4;padding:.25rem .5rem;overflow:auto");
      }
      if (error.hint) add(item, "div", "hint: " + error.hint, "color:#444");
    });
    var close = add(panel, "button", "Hide", "margin-top:.5rem;font:inherit");
    close.type = "button";
    close.addEventListener("click", hide);
    document.body.appendChild(panel);
  }

  function swapStyles(changed) {
    Array.prototype.forEach.call(document.querySelectorAll('link[rel~="stylesheet"]'),
      function (link) {
        var url = new URL(link.href);
        if (changed.indexOf(key(url.pathname)) < 0) return;
        url.searchParams.set("v", version);
        link.href = url.toString();
      });
  }

  var source = new EventSource("/__briefsite/events");
  source.addEventListener("hello", function (event) {
    var data = JSON.parse(event.data);
    if (data.version !== version) {
      location.reload(); // built again while this page was loading, or the server restarted
      return;
    }
    show(data.errors);
  });
  source.addEventListener("reload", function (event) {
    var data = JSON.parse(event.data);
    version = data.version;
    hide();
    var styles = data.changed.filter(function (path) { return /\.css$/.test(path); });
    var others = data.changed.filter(function (path) { return !/\.css$/.test(path); });
    if (others.indexOf(key(location.pathname)) >= 0) location.reload();
    else if (styles.length) swapStyles(styles);
  });
  source.addEventListener("errors", function (event) {
    show(JSON.parse(event.data).errors);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
})();
