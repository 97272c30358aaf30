// Search on the search page, with the Pagefind index the build makes (pagefind/). Without
// this script the page says how to find a brief without search. A result links to the
// note a match is in: in a brief page, a note's heading has the id `<note>_h` and the note
// ends at `<note>_end` (note ids are slugs: they never hold `_`).
const form = document.getElementById("search_form");
const input = document.getElementById("search_query");
const status = document.getElementById("search_status");
const list = document.getElementById("search_results");
const filterBox = document.getElementById("search_filters");
const FILTERS = [
  ["type", "Note type"],
  ["verdict", "Verdict"],
  ["topic", "Topic"],
  ["entity", "Person or organisation"],
];
const SHOWN = 20;
let pagefind = null;
let latest = 0;

document.getElementById("search_without_script").hidden = true;

function say(text) {
  status.textContent = text;
}

function chosenFilters() {
  const chosen = {};
  for (const box of filterBox.querySelectorAll("input:checked")) {
    (chosen[box.name] ??= { any: [] }).any.push(box.value);
  }
  return chosen;
}

function showFilters(available) {
  for (const [name, legendText] of FILTERS) {
    const values = Object.keys(available[name] || {}).sort();
    if (!values.length) continue;
    const set = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = legendText;
    set.append(legend);
    for (const value of values) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = value;
      box.addEventListener("change", run);
      label.append(box, " ", value);
      set.append(label);
    }
    filterBox.append(set);
  }
}

// The note a result's matches are in, when they are in one: counted per note, and outside.
function noteOf(data) {
  const anchors = [...(data.anchors || [])].sort((a, b) => a.location - b.location);
  const hits = new Map();
  let outside = 0;
  for (const at of data.locations || []) {
    let current = null;
    for (const anchor of anchors) {
      if (anchor.location > at) break;
      if (anchor.element === "h4" && anchor.id.endsWith("_h")) current = anchor.id.slice(0, -2);
      else if (anchor.id.endsWith("_end")) current = null;
      else if (/^h[1-6]$/.test(anchor.element)) current = null;
    }
    if (current === null) outside += 1;
    else hits.set(current, (hits.get(current) || 0) + 1);
  }
  let best = null;
  for (const [note, count] of hits) {
    if (best === null || count > hits.get(best)) best = note;
  }
  return best !== null && hits.get(best) >= outside ? best : null;
}

function resultItem(data) {
  const item = document.createElement("li");
  const heading = document.createElement("p");
  const link = document.createElement("a");
  const note = noteOf(data);
  const page = new URL(data.url, location.href);
  link.href = note === null ? page.href : `${page.href.split("#")[0]}#${note}`;
  link.textContent = (data.meta && data.meta.title) || data.url;
  heading.append(link);
  item.append(heading);
  let excerpt = data.excerpt;
  if (note !== null) {
    const section = (data.sub_results || []).find((s) => s.anchor && s.anchor.id === `${note}_h`);
    const where = document.createElement("p");
    where.className = "result-where";
    where.textContent = section ? section.title : "In a note";
    item.append(where);
    if (section) excerpt = section.excerpt;
  }
  const text = document.createElement("p");
  text.innerHTML = excerpt; // Pagefind escapes the text and adds only <mark> elements
  item.append(text);
  return item;
}

async function run() {
  const query = input.value.trim();
  const mine = ++latest;
  const filters = chosenFilters();
  if (!query && !Object.keys(filters).length) {
    list.replaceChildren();
    say("");
    return;
  }
  const search = await pagefind.search(query || null, { filters });
  if (mine !== latest) return;
  const found = await Promise.all(search.results.slice(0, SHOWN).map((r) => r.data()));
  if (mine !== latest) return;
  list.replaceChildren(...found.map(resultItem));
  const count = search.results.length;
  say(count === 0 ? "No results." : `${count} result${count === 1 ? "" : "s"}.`);
}

async function start() {
  try {
    const root = new URL("../", document.baseURI);
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    // The site may live under a path prefix: results are addressed from its root.
    await pagefind.options({ baseUrl: root.pathname });
    await pagefind.init();
  } catch (error) {
    say("The search index is not available yet. Rebuild the site, then reload this page.");
    return;
  }
  showFilters(await pagefind.filters());
  const query = new URLSearchParams(location.search).get("q");
  if (query) input.value = query;
  input.addEventListener("input", run);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    run();
  });
  run();
}

start();
