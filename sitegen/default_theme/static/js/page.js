// What scripts add to a page: copy buttons on code, sortable tables, the section being read
// marked in "On this page", and focus handled by the menu. Each works on what the page has.

const announcer = document.createElement("p");
announcer.className = "visually-hidden";
announcer.setAttribute("aria-live", "polite");
document.body.append(announcer);
const announce = (message) => {
  announcer.textContent = "";
  // A fresh text node after a tick: screen readers announce the same message again.
  setTimeout(() => (announcer.textContent = message), 50);
};

// Code blocks: a button that copies the code's text.
for (const pre of document.querySelectorAll("main pre")) {
  const wrap = document.createElement("div");
  wrap.className = "code-wrap";
  pre.before(wrap);
  wrap.append(pre);
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy-code";
  button.textContent = "Copy";
  button.setAttribute("aria-label", "Copy code");
  button.addEventListener("click", async () => {
    const text = (pre.querySelector("code") ?? pre).innerText.replace(/\n$/, "");
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
      announce("Copied to the clipboard");
    } catch {
      button.textContent = "Copy failed";
      announce("Could not copy: the browser refused the clipboard");
    }
    setTimeout(() => (button.textContent = "Copy"), 2000);
  });
  wrap.append(button);
}

// Data tables: each column's header sorts the rows by it (numbers as numbers); a second
// press reverses the order. Without scripts the order is the table's own.
const NUMBER = /^[^\d-]*(-?[\d,]*\.?\d+)/;
const sortValue = (cell) => {
  const text = cell.textContent.trim();
  const number = text.match(NUMBER);
  return number && cell.classList.contains("num") ? Number(number[1].replace(/,/g, "")) : text;
};
for (const table of document.querySelectorAll("table.data-table")) {
  const body = table.tBodies[0];
  const headers = [...(table.tHead?.rows[0]?.cells ?? [])];
  if (!body || body.rows.length < 2) continue;
  headers.forEach((header, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.append(...header.childNodes);
    header.append(button);
    button.addEventListener("click", () => {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      for (const other of headers) other.removeAttribute("aria-sort");
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const rows = [...body.rows];
      const collator = new Intl.Collator(document.documentElement.lang, { numeric: true });
      rows.sort((a, b) => {
        const x = sortValue(a.cells[column]);
        const y = sortValue(b.cells[column]);
        const order =
          typeof x === "number" && typeof y === "number" ? x - y : collator.compare(String(x), String(y));
        return ascending ? order : -order;
      });
      body.append(...rows);
      announce(`Sorted by ${button.textContent.trim()}, ${ascending ? "ascending" : "descending"}`);
    });
  });
}

// "On this page": the link of the section being read is marked while the page scrolls.
const tocLinks = [...document.querySelectorAll(".toc a[href^='#']")];
const sections = tocLinks
  .map((link) => document.getElementById(decodeURIComponent(link.hash.slice(1))))
  .filter(Boolean);
if (sections.length) {
  let pending = false;
  const mark = () => {
    pending = false;
    const atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    const line = window.innerHeight * 0.3;
    let current = sections[0];
    for (const heading of sections) {
      if (heading.getBoundingClientRect().top <= line) current = heading;
    }
    if (atEnd) current = sections[sections.length - 1];
    for (const link of tocLinks) {
      if (decodeURIComponent(link.hash.slice(1)) === current.id) {
        link.setAttribute("aria-current", "true");
      } else link.removeAttribute("aria-current");
    }
  };
  const later = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(mark);
    }
  };
  window.addEventListener("scroll", later, { passive: true });
  window.addEventListener("resize", later);
  mark();
}

// The menu below 768 px: opening it moves focus to its first link; Escape closes it.
const menu = document.querySelector("details.site-nav");
if (menu) {
  const summary = menu.querySelector("summary");
  menu.addEventListener("toggle", () => {
    if (menu.open && getComputedStyle(summary).display !== "none") {
      menu.querySelector("nav a")?.focus();
    }
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open && getComputedStyle(summary).display !== "none") {
      menu.open = false;
      summary.focus();
    }
  });
}
