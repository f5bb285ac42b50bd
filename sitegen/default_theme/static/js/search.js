// The header's search box: shown only when scripts run, it loads Pagefind's index on first use
// and lists, for each page found, its title, an excerpt with the words found marked, and the
// sections of the page that match. `/` focuses the box; the arrow keys move through the pages
// found, Enter opens one, Escape closes the list.
const form = document.querySelector("form.search");
const PAGES = 8; // pages listed
const SECTIONS = 3; // sections listed under each

if (form) {
  const input = form.querySelector("input");
  const list = form.querySelector("ol");
  const status = form.querySelector("[aria-live]");
  let pagefind = null;
  let latest = 0;

  // The index comes in shards: the first with Pagefind's scripts, the others merged into it,
  // once, however many searches start while it loads.
  const load = () => {
    pagefind ??= (async () => {
      const bundle = form.dataset.bundle;
      const loaded = await import(bundle + "pagefind.js");
      await loaded.options({ baseUrl: form.dataset.base, excerptLength: 24 });
      const listed = await fetch(bundle + "shards.json")
        .then((response) => (response.ok ? response.json() : { shards: [] }))
        .catch(() => ({ shards: [] }));
      for (const shard of listed.shards) {
        await loaded.mergeIndex(bundle + shard, { baseUrl: form.dataset.base });
      }
      return loaded;
    })().catch((error) => {
      pagefind = null; // try again with the next search
      throw error;
    });
    return pagefind;
  };

  // An excerpt as Pagefind gives it: text with the words found in <mark>. Only the text and
  // the marks are kept, as nodes: nothing of it is read as markup.
  const excerpt = (html) => {
    const paragraph = document.createElement("p");
    const parsed = new DOMParser().parseFromString(html, "text/html").body;
    for (const node of parsed.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.append(mark);
      } else {
        paragraph.append(node.textContent);
      }
    }
    return paragraph;
  };

  const link = (url, text) => {
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.textContent = text;
    return anchor;
  };

  const entry = (page) => {
    const item = document.createElement("li");
    item.append(link(page.url, page.meta.title || page.url), excerpt(page.excerpt));
    const sections = (page.sub_results || [])
      .filter((sub) => sub.url !== page.url && sub.title && sub.title !== page.meta.title)
      .slice(0, SECTIONS);
    if (sections.length) {
      const list = document.createElement("ul");
      for (const sub of sections) {
        const section = document.createElement("li");
        section.append(link(sub.url, sub.title), excerpt(sub.excerpt));
        list.append(section);
      }
      item.append(list);
    }
    return item;
  };

  const clear = () => {
    list.replaceChildren();
    status.textContent = "";
  };

  // What is said instead of results: shown in the list, and read out by the status.
  const note = (text) => {
    const item = document.createElement("li");
    item.className = "search-note";
    item.textContent = text;
    list.replaceChildren(item);
    status.textContent = text;
  };

  const run = async () => {
    const term = input.value.trim();
    const ticket = ++latest;
    if (!term) return clear();
    let found, pages;
    try {
      found = await (await load()).debouncedSearch(term, {}, 120);
      if (found === null || ticket !== latest) return; // a newer search has started
      pages = await Promise.all(found.results.slice(0, PAGES).map((result) => result.data()));
    } catch {
      // The index is missing (a copy saved without it, a server still making it) or broken.
      if (ticket === latest) note("Search is not available: its index did not load.");
      return;
    }
    if (ticket !== latest) return;
    const count = found.results.length;
    if (!count) return note("Nothing found");
    list.replaceChildren(...pages.map(entry));
    const listed = count > PAGES ? `, the first ${PAGES} listed` : "";
    status.textContent = `${count} page${count === 1 ? "" : "s"} found${listed}`;
  };

  // The pages found, by their title links: what the arrow keys move through.
  const results = () => [...list.querySelectorAll(":scope > li > a")];

  input.addEventListener("input", run);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await run();
    const first = results()[0];
    if (first) window.location.assign(first.href);
  });
  form.addEventListener("keydown", (event) => {
    const links = results();
    const at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!links.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = at + step;
      if (next < 0) input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    } else if (event.key === "Escape") {
      input.value = "";
      clear();
      input.focus();
    }
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
    }
  });
  const key = document.createElement("kbd"); // the shortcut, shown in the empty box
  key.className = "search-key";
  key.setAttribute("aria-hidden", "true");
  key.textContent = "/";
  input.after(key);
  form.hidden = false;
}
