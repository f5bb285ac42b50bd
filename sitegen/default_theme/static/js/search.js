// The header's search box: shown only when scripts run, it loads Pagefind's index on first use.
const form = document.querySelector("form.search");

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
      await loaded.options({ baseUrl: form.dataset.base });
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

  const clear = () => {
    list.replaceChildren();
    status.textContent = "";
  };

  const run = async () => {
    const term = input.value.trim();
    const ticket = ++latest;
    if (!term) return clear();
    const found = await (await load()).search(term);
    const pages = await Promise.all(found.results.slice(0, 8).map((result) => result.data()));
    if (ticket !== latest) return; // a newer search has started
    list.replaceChildren(...pages.map((page) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = page.url;
      link.textContent = page.meta.title;
      item.append(link);
      return item;
    }));
    const count = found.results.length;
    status.textContent = count ? `${count} page${count === 1 ? "" : "s"} found` : "Nothing found";
  };

  input.addEventListener("input", run);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await run();
    const first = list.querySelector("a");
    if (first) window.location.assign(first.href);
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      input.value = "";
      clear();
    }
  });
  form.hidden = false;
}
