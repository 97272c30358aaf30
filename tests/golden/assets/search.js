// Search on the search page, with the Pagefind index the build makes: the base
// (pagefind/), and the pages changed since it was made (pagefind-delta/, with the list of
// the pages it replaces; each page's `page` filter names it). Without this script the
// page says how to find a brief without search. A result links to the note a match is
// in: in a brief page, a note's heading has the id `<note>_h` and the note ends at
// `<note>_end` (note ids are slugs: they never hold `_`).
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
let delta = null; // the index of the pages changed since the base was made, if any
let replaced = []; // the pages (from the site's root) the base must not answer for
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
  const baseFilters = replaced.length ? { ...filters, page: { none: replaced } } : filters;
  const [base, newer] = await Promise.all([
    pagefind.search(query || null, { filters: baseFilters }),
    delta ? delta.search(query || null, { filters }) : { results: [] },
  ]);
  if (mine !== latest) return;
  const results = [...base.results, ...newer.results].sort((a, b) => b.score - a.score);
  const found = await Promise.all(results.slice(0, SHOWN).map((r) => r.data()));
  if (mine !== latest) return;
  list.replaceChildren(...found.map(resultItem));
  const count = results.length;
  say(count === 0 ? "No results." : `${count} result${count === 1 ? "" : "s"}.`);
}

// One Pagefind index, its results addressed from the site's root (which may be a path).
async function open(bundle, root) {
  const index = await import(new URL("pagefind.js", bundle).href);
  await index.options({ baseUrl: root.pathname });
  await index.init();
  return index;
}

async function start() {
  try {
    const root = new URL("../", document.baseURI);
    pagefind = await open(new URL("pagefind/", root), root);
    const changes = await fetch(new URL("pagefind-delta/briefsite-changes.json", root))
      .then((response) => (response.ok ? response.json() : null))
      .catch(() => null);
    if (changes) {
      replaced = changes.replaced;
      if (changes.indexed.length) delta = await open(new URL("pagefind-delta/", root), root);
    }
  } catch (error) {
    say("The search index is not available yet. Rebuild the site, then reload this page.");
    return;
  }
  const available = await pagefind.filters();
  if (delta) {
    for (const [name, values] of Object.entries(await delta.filters())) {
      available[name] = { ...(available[name] || {}), ...values };
    }
  }
  showFilters(available);
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
