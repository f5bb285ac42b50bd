"""`sitegen init DIR`: a new site that builds and serves at once, with the default theme.

It writes site.yaml, a home page, one article placing an example table as a table and a chart,
a .gitignore, a requirements file and a GitHub Pages workflow. It never overwrites: if any of
those files is there already, nothing is written.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import __version__
from .config import check_base_url
from .errors import BuildError, BuildFailed, SourceSpan
from .scaffold import today

DEFAULT_TITLE = "My Site"
DEFAULT_BASE_URL = "https://example.org/"


def starter_files(title: str, base_url: str) -> dict[str, str]:
    """The files of a new site, by path in its folder."""
    quoted = json.dumps(title, ensure_ascii=False)
    home = json.dumps(
        f"The home page of {title}, with every page of the site listed.", ensure_ascii=False
    )
    return {
        "site.yaml": f"""\
# The site's settings: every key is checked, and an unknown one is an error.
title: {quoted}
description: {json.dumps(f"{title}: articles, tables and charts.", ensure_ascii=False)}
language: en
base_url: {base_url}
menu:
  - title: First article
    page: first-article.md
search: true
""",
        "content/index.md": f"""\
---
title: {quoted}
description: {home}
template: home.html
weight: 0
---
Welcome. This page is `content/index.md`; the list of pages below is made by the theme.

Start with the [first article](first-article.md), which shows a table of `content/data/`.
""",
        "content/first-article.md": f"""\
---
title: First article
description: An article in Markdown, with a data table shown as a table and as a chart.
date: {today().isoformat()}
weight: 10
---
Articles are Markdown files in `content/`, written as GitHub shows Markdown. Link to another
page by its file: [the home page](index.md).

## A table

The figures below live in `content/data/tasks.yaml`; this line places them:

::: table tasks

## The same figures as a chart

::: chart tasks
""",
        "content/data/tasks.yaml": f"""\
# A data table: its columns are declared, and every row is checked against them.
title: Hours spent on each task in a week
caption: Example figures; replace them with your own.
source: Example data written for this starter site.
as_of: {today().isoformat()}
columns:
  task:
    type: text
    label: Task
  hours:
    type: number
    label: Hours
    required: true
rows:
  - task: Writing
    hours: 12
  - task: Editing
    hours: 8
  - task: Research
    hours: 6
""",
        ".gitignore": "/_site/\n.cache/\n__pycache__/\n",
        "requirements.txt": f"mlguide-sitegen>={__version__}\n",
        ".github/workflows/pages.yml": PAGES_WORKFLOW,
    }


PAGES_WORKFLOW = """\
# Build the site and publish it with GitHub Pages on every push to main.
name: Publish the site
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
      - uses: actions/cache@v4  # the build's cache: unchanged pages are not made again
        with:
          path: .cache
          key: sitegen-${{ github.sha }}
          restore-keys: sitegen-
      - id: pages
        uses: actions/configure-pages@v5
      - run: pip install -r requirements.txt
      - run: sitegen build --base-url "${{ steps.pages.outputs.base_url }}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def init_site(
    folder: Path, title: str = DEFAULT_TITLE, base_url: str = DEFAULT_BASE_URL
) -> list[str]:
    """Write a new site into `folder` (made if missing); return the paths written. Refuse,
    writing nothing, if one of them exists or the title or URL is not usable."""
    problems = []
    if not title.strip() or "\n" in title:
        problems.append(BuildError(SourceSpan("--title"), "the title must be one line of text"))
    if problem := check_base_url(base_url):
        problems.append(BuildError(SourceSpan("--base-url"), f"--base-url {problem}"))
    if folder.exists() and not folder.is_dir():
        problems.append(BuildError(SourceSpan(str(folder)), "is a file, not a folder"))
    if problems:
        raise BuildFailed(problems)
    files = starter_files(title.strip(), base_url.rstrip("/") + "/")
    there = [path for path in files if (folder / path).exists() or (folder / path).is_symlink()]
    if there:
        raise BuildFailed(
            [
                BuildError(
                    SourceSpan(str(folder / path)),
                    "already exists; nothing was written",
                    "init a new folder, or move the file away",
                )
                for path in there
            ]
        )
    for path, text in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as stream:  # 'x': never overwrite, even in a race
            stream.write(text)
    return list(files)
