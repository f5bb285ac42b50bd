// The colour scheme the reader chose (system, light or dark), set before the page is painted:
// this script is loaded, not deferred, in <head>. The switch is added to the header once the
// page is read; without scripts there is none, and the system's scheme applies.
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

  // The switch: three buttons in the header, made here (they do nothing without scripts).
  const CHOICES = [
    ["system", "◐", "System", "The system's scheme"],
    ["light", "☀", "Light", "Light"],
    ["dark", "☾", "Dark", "Dark"],
  ];
  document.addEventListener("DOMContentLoaded", () => {
    const header = document.querySelector(".site-header");
    if (!header) return;
    const group = document.createElement("div");
    group.className = "theme-switch";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Colour scheme");
    const buttons = CHOICES.map(([scheme, glyph, name, title]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.scheme = scheme;
      button.textContent = glyph;
      button.setAttribute("aria-label", name);
      button.title = title;
      group.append(button);
      return button;
    });
    header.append(group);
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
  });
})();
