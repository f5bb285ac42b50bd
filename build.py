#!/usr/bin/env python3
"""Build the static site: site.yaml, content/, templates/ and static/ in, a folder of HTML out.

    python build.py build | serve | check | schemas | new     (the same as `sitegen ...`)

The story of a build, each step a module of `sitegen`, run by one session (`session.py`) for
every command:

1. Compare the inputs with the snapshot of the last build (`snapshot.py`). Nothing changed and
   the output as it was left: done, without even loading Markdown, Jinja2 or YAML.
2. Load `site.yaml` (`config.py`), the pages and their front matter (`content.py`) and the data
   tables (`tables.py`).
3. Render each page's Markdown (`markdown/`): CommonMark with GitHub's extensions, links between
   pages made URLs, and table and chart directives expanded (`blocks.py`, `charts.py`).
4. Fill the templates (`render.py`), for the pages, the pages made from table rows
   (`datapages.py`) and the 404 page; add the sitemap, feed, robots.txt, headers and static files
   (`outputs.py`, `security.py`).
5. Check every link and anchor of the finished site (`checks.py`), reporting each problem where
   it is written. Any error: the build stops here, and the last good site is left as it was.
6. Write the site in one atomic switch (`write.py`), index it for search (`search.py`), and record
   the new snapshot. When only some pages' text changed, steps 2 to 6 do just those pages.

The command line itself is `sitegen/cli.py`; this file only runs it, from the site's folder.
"""

import sys
from pathlib import Path

from sitegen.cli import main

if __name__ == "__main__":
    sys.exit(main(home=Path(__file__).resolve().parent))
