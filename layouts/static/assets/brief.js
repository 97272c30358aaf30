/* Brief pages, which read whole without it. Wide screens: each note is set level with its
   passage, or just below the note above; one too long for its place is cut, with "More".
   A highlight (click, Enter, Space) opens and focuses its note; Esc goes back. A highlight
   and its note light each other. The legend's types filter the notes. */
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");
  var text = doc.querySelector(".article-text");
  if (!text) return;
  var notes = [].slice.call(text.querySelectorAll(".note"));
  var open = null, opener = null, queued = 0;
  var GAP = 10;

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function noteFor(hash) {
    var el = hash && hash.length > 1 && doc.getElementById(decodeURIComponent(hash.slice(1)));
    return el && el.classList.contains("note") ? el : null;
  }
  function marksOf(note) { return text.querySelectorAll('mark[data-notes~="' + note.id + '"]'); }
  function light(note, on) {
    note.classList.toggle("lit", on);
    each(marksOf(note), function (m) { m.classList.toggle("lit", on); });
  }

  /* Read every passage's top and note's height, then write: one layout for all notes. */
  function place() {
    queued = 0;
    var live = notes.filter(function (n) { return !n.hidden; });
    each(live, function (n) { n.classList.remove("cut"); n.style.maxHeight = ""; });
    if (!live.length || getComputedStyle(live[0]).position !== "absolute") {
      text.style.minHeight = "";
      each(text.querySelectorAll(".more"), function (b) { b.remove(); });
      return;
    }
    var base = text.getBoundingClientRect().top;
    var end = text.lastElementChild.getBoundingClientRect().bottom - base;
    var want = live.map(function (n) { return marksOf(n)[0].getClientRects()[0].top - base; });
    var high = live.map(function (n) { return n.offsetHeight; });
    var line = parseFloat(getComputedStyle(live[0]).lineHeight);
    var bottom = -GAP, plan = live.map(function (n, i) {
      var top = Math.max(want[i], bottom + GAP);
      var room = (i + 1 < live.length ? want[i + 1] - GAP : end) - top;
      // A cut note keeps 2.6 lines (its head runs into the first); with 3, the notes of
      // the example brief drift 80 px on the median, with 2.6 15 px.
      var keep = Math.max(room, 2.6 * line + 4);
      var long = high[i] > keep + line, cut = long && !n.classList.contains("full");
      bottom = top + (cut ? keep : high[i]);
      return [top, long, cut && keep];
    });
    live.forEach(function (n, i) {
      n.style.top = plan[i][0] + "px";
      if (plan[i][2]) {
        n.classList.add("cut");
        n.style.maxHeight = plan[i][2] + "px";
      }
      more(n, plan[i][1]);
    });
    text.style.minHeight = bottom + "px";
  }
  function later() {
    if (!queued) queued = requestAnimationFrame(place);
  }
  /* "More" opens a long note in place, pushing the notes below it down. */
  function more(note, long) {
    var button = note.querySelector(":scope > .more");
    if (!long) {
      if (button) button.remove();
      return;
    }
    if (!button) {
      button = doc.createElement("button");
      button.type = "button";
      button.className = "more";
      button.setAttribute("aria-describedby", note.id + "_h");
      button.addEventListener("click", function () {
        note.classList.toggle("full");
        place();
      });
      note.appendChild(button);
    }
    var full = note.classList.contains("full");
    button.textContent = full ? "Less" : "More";
    button.setAttribute("aria-expanded", full ? "true" : "false");
  }

  function close(restore) {
    if (!open) return;
    var was = open;
    was.classList.remove("is-open", "full");
    light(was, false);
    open = null;
    place();
    if (location.hash === "#" + was.id) history.replaceState(null, "", location.pathname + location.search);
    if (restore) {
      var back = opener && doc.contains(opener) ? opener : text.querySelector('a[href="#' + was.id + '"]');
      if (back) back.focus();
    }
    opener = null;
  }
  function show(note, from) {
    if (open && open !== note) close(false);
    open = note;
    opener = from || null;
    note.classList.add("is-open", "full");
    place();
    light(note, true);
    var reduce = matchMedia("(prefers-reduced-motion: reduce)").matches;
    note.focus({ preventScroll: true });
    note.scrollIntoView({ block: "nearest", behavior: reduce ? "auto" : "smooth" });
  }

  doc.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    var note = link && noteFor(link.getAttribute("href"));
    if (!note || note.hidden) return;
    event.preventDefault();
    if (location.hash !== "#" + note.id) history.pushState(null, "", "#" + note.id);
    show(note, link);
  });
  addEventListener("hashchange", function () {
    var note = noteFor(location.hash);
    if (note) show(note, null); else close(false);
  });
  doc.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key === "Escape" && open) {
      event.preventDefault();
      close(true);
    } else if (event.key === " " && el.matches && el.matches(".hl-link, .ref")) {
      event.preventDefault(); // links open with Enter; these with Space too
      el.click();
    }
  });

  function noteOf(el) {
    var link = el && el.closest && el.closest(".hl-link, .ref");
    return link ? noteFor(link.getAttribute("href")) : el && el.closest && el.closest(".note");
  }
  function hover(on) {
    return function (event) {
      var note = noteOf(event.target);
      if (!note || (!on && (note === open || noteOf(event.relatedTarget) === note))) return;
      light(note, on);
      // Tabbing into a cut note opens it.
      if (on && event.type === "focusin" && note.classList.contains("cut") && !event.target.closest(".more")) {
        note.classList.add("full");
        place();
      }
    };
  }
  each(["mouseover", "focusin"], function (type) { text.addEventListener(type, hover(true)); });
  each(["mouseout", "focusout"], function (type) { text.addEventListener(type, hover(false)); });

  text.classList.add("placed");
  place();
  if (window.ResizeObserver) new ResizeObserver(later).observe(text);
  addEventListener("resize", later);
  if (doc.fonts) {
    doc.fonts.addEventListener("loadingdone", later);
    doc.fonts.ready.then(later);
  }
  var first = noteFor(location.hash);
  if (first) show(first, null);

  /* Each type of the legend becomes a button showing or hiding its notes. */
  var legend = doc.querySelector(".legend-list");
  if (!legend) return;
  var status = doc.createElement("p");
  status.className = "sr";
  status.setAttribute("role", "status");
  legend.parentNode.appendChild(status);
  var hint = doc.querySelector(".legend-how");
  if (hint) hint.appendChild(doc.createTextNode(" Press a type to show or hide its notes."));
  each(legend.querySelectorAll("li[data-type]"), function (item) {
    var type = item.getAttribute("data-type");
    var button = doc.createElement("button");
    button.type = "button";
    button.className = "filter";
    button.setAttribute("aria-pressed", "true");
    while (item.firstChild) button.appendChild(item.firstChild);
    item.appendChild(button);
    button.addEventListener("click", function () {
      var shown = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", String(shown));
      text.classList.toggle("hide-" + type, !shown);
      each(text.querySelectorAll(".note.t-" + type), function (note) {
        note.hidden = !shown;
        if (!shown && note === open) close(false);
      });
      place();
      var label = button.querySelector(".hl");
      status.textContent = (label ? label.textContent : type) + (shown ? " notes shown." : " notes hidden.");
    });
  });
})();
