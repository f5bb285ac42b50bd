// The colour scheme the reader chose (system, light or dark), set before the page is painted:
// this script is loaded, not deferred, in <head>. The switch in the header is wired once the
// page is read; without scripts it stays hidden and the system's scheme applies.
(() => {
  const root = document.documentElement;
  const KEY = "colour-scheme";
  const stored = () => {
    try {
      return localStorage.getItem(KEY);
    } catch {
      return null; // storage refused (a private window, say): the system's scheme
    }
  };
  const apply = (choice) => {
    if (choice === "light" || choice === "dark") root.dataset.theme = choice;
    else delete root.dataset.theme;
  };
  apply(stored());

  document.addEventListener("DOMContentLoaded", () => {
    const group = document.querySelector(".theme-switch");
    if (!group) return;
    const buttons = [...group.querySelectorAll("button[data-scheme]")];
    const show = () => {
      const current = root.dataset.theme || "system";
      for (const button of buttons) {
        button.setAttribute("aria-pressed", String(button.dataset.scheme === current));
      }
    };
    for (const button of buttons) {
      button.addEventListener("click", () => {
        const choice = button.dataset.scheme;
        try {
          if (choice === "system") localStorage.removeItem(KEY);
          else localStorage.setItem(KEY, choice);
        } catch {
          // not kept, but applied to this page
        }
        apply(choice);
        show();
      });
    }
    show();
    group.hidden = false;
  });
})();
