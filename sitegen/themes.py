"""Where a site's templates and static files come from: the site's own folders, then its theme's.

A theme is a folder with `templates/` and `static/`. The default one ships inside the package;
`theme:` in site.yaml names another. Each template and static file is looked up in the site
first, so a site overrides one file of its theme and keeps the rest.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_THEME = Path(__file__).parent / "default_theme"
TEMPLATES_DIR = "templates"
STATIC_DIR = "static"


@dataclass(frozen=True)
class Theme:
    """The folders a site's templates and static files are looked up in, nearest first."""

    site: Path
    folder: Path = DEFAULT_THEME

    @property
    def template_folders(self) -> tuple[Path, ...]:
        """The site's templates folder, then the theme's."""
        return (self.site / TEMPLATES_DIR).resolve(), (self.folder / TEMPLATES_DIR).resolve()

    @property
    def static_folders(self) -> tuple[Path, ...]:
        """The site's static folder, then the theme's."""
        return self.site / STATIC_DIR, self.folder / STATIC_DIR

    def find_template(self, name: str) -> Path | None:
        """The file a template name stands for: the site's, else the theme's, else none."""
        for folder in self.template_folders:
            path = folder / name
            if path.is_file():
                return path
        return None

    def template_names(self) -> list[str]:
        """Every template name either folder has, sorted."""
        return sorted(
            {
                path.relative_to(folder).as_posix()
                for folder in self.template_folders
                if folder.is_dir()
                for path in folder.rglob("*.html")
            }
        )

    def display(self, path: str | Path) -> str:
        """How a message names a file of the site or its theme: relative to the site folder
        when it is inside it, else in full."""
        full = Path(os.path.abspath(path))
        site = Path(os.path.abspath(self.site))
        if full.is_relative_to(site):
            return full.relative_to(site).as_posix()
        return full.as_posix()

    def template_display(self, name: str) -> str:
        """How a message names the template `name`: its file, or where the site's would be."""
        found = self.find_template(name)
        return self.display(found) if found else f"{TEMPLATES_DIR}/{name}"


def site_theme(site: Path, theme: str = "") -> Theme:
    """The theme of the site in `site`: the folder `theme` names (relative to the site folder),
    or the default theme."""
    return Theme(site, (site / theme) if theme else DEFAULT_THEME)
