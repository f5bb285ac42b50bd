"""Write a screenshot of every page at 360 and 1280 px in light and dark, for a person to look at.

Usage: python tests/screenshots.py [OUT]   (default _artifacts/screenshots)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from browser import chromium
from conftest import ROOT, html_pages, run_build
from serving import serve

WIDTHS = (360, 1280)
SCHEMES = ("light", "dark")


def main(out: Path) -> int:
    """Build the site, serve it, and photograph each page at each width."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        result = run_build("--source", ROOT, "--out", site)
        if result.code != 0:
            print(result.stderr, file=sys.stderr)
            return 1
        paths = sorted(path.removesuffix("index.html") for path in html_pages(site))
        with serve(site) as root, chromium() as browser:
            for width in WIDTHS:
                for scheme in SCHEMES:
                    context = browser.new_context(
                        viewport={"width": width, "height": 900}, color_scheme=scheme
                    )
                    page = context.new_page()
                    for path in paths:
                        page.goto(root + path)
                        name = path.strip("/").replace("/", "_").removesuffix(".html") or "home"
                        shot = out / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(shot), full_page=True)
                    context.close()
    print(f"wrote {len(paths) * len(WIDTHS) * len(SCHEMES)} screenshots into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_artifacts" / "screenshots"))
