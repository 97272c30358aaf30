/* Progressive enhancement for brief pages; every page reads whole without it.
   - A click on a highlight or note number opens (on narrow screens) and focuses its note.
   - Hovering or focusing a note lights up its passage.
   - The legend becomes a set of filters by note type.
   - Esc closes the open note and returns to the passage. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var text = document.querySelector(".article-text");
  if (!text) return;
  var open = null;
  var opener = null;

  function noteFor(hash) {
    if (!hash || hash.length < 2) return null;
    var el = document.getElementById(decodeURIComponent(hash.slice(1)));
    return el && el.classList.contains("note") ? el : null;
  }
  function marksOf(note) {
    return Array.prototype.filter.call(text.querySelectorAll("mark[data-notes]"), function (m) {
      return m.getAttribute("data-notes").split(" ").indexOf(note.id) >= 0;
    });
  }
  function light(note, on) {
    marksOf(note).forEach(function (m) { m.classList.toggle("lit", on); });
  }
  function close(restore) {
    if (!open) return;
    var was = open;
    open.classList.remove("is-open");
    light(was, false);
    open = null;
    if (location.hash === "#" + was.id) {
      history.replaceState(null, "", location.pathname + location.search);
    }
    if (restore) {
      var back = opener && document.contains(opener) ? opener : text.querySelector('a[href="#' + was.id + '"]');
      if (back) back.focus();
    }
    opener = null;
  }
  function show(note, from) {
    if (open && open !== note) close(false);
    open = note;
    opener = from || null;
    note.classList.add("is-open");
    light(note, true);
    var reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    note.focus({ preventScroll: true });
    note.scrollIntoView({ block: "nearest", behavior: reduce ? "auto" : "smooth" });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (!link) return;
    var note = noteFor(link.getAttribute("href"));
    if (!note || note.hidden) return;
    event.preventDefault();
    if (location.hash !== "#" + note.id) history.pushState(null, "", "#" + note.id);
    show(note, link);
  });
  window.addEventListener("hashchange", function () {
    var note = noteFor(location.hash);
    if (note) show(note, null); else close(false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) {
      event.preventDefault();
      close(true);
    }
  });
  Array.prototype.forEach.call(text.querySelectorAll(".note"), function (note) {
    note.addEventListener("mouseenter", function () { light(note, true); });
    note.addEventListener("mouseleave", function () { if (note !== open) light(note, false); });
    note.addEventListener("focusin", function () { light(note, true); });
    note.addEventListener("focusout", function (event) {
      if (note !== open && !note.contains(event.relatedTarget)) light(note, false);
    });
  });
  var first = noteFor(location.hash);
  if (first) show(first, null);

  /* The legend's types become toggle buttons that show or hide notes of that type. */
  var legend = document.querySelector(".legend-list");
  if (!legend) return;
  var status = document.createElement("p");
  status.className = "sr";
  status.setAttribute("role", "status");
  legend.parentNode.appendChild(status);
  var hint = document.querySelector(".legend-how");
  if (hint) hint.appendChild(document.createTextNode(" Press a type to show or hide its notes."));
  Array.prototype.forEach.call(legend.querySelectorAll("li[data-type]"), function (item) {
    var type = item.getAttribute("data-type");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "filter";
    button.setAttribute("aria-pressed", "true");
    while (item.firstChild) button.appendChild(item.firstChild);
    item.appendChild(button);
    button.addEventListener("click", function () {
      var shown = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", shown ? "true" : "false");
      text.classList.toggle("hide-" + type, !shown);
      Array.prototype.forEach.call(text.querySelectorAll(".note.t-" + type), function (note) {
        note.hidden = !shown;
        if (!shown && note === open) close(false);
      });
      var label = button.querySelector(".hl");
      status.textContent = (label ? label.textContent : type) + (shown ? " notes shown." : " notes hidden.");
    });
  });
})();
