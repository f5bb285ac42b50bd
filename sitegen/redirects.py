"""Old addresses of moved pages: `aliases:` in front matter gives a redirect page at each, and a
`_redirects` file for hosts that read one (Netlify, Cloudflare Pages).

A redirect page needs no script: a refresh to the new address, a canonical link to it, `noindex`
so that search engines keep the new one, and a visible link for whoever lands there.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import unquote

from .content import Page
from .errors import BuildError, SourceSpan
from .outputs import OutputFile
from .paths import name_problem
from .urls import UrlMaker, encoded

REDIRECTS_FILE = "_redirects"
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # javascript:, mailto:, https:, C: ...


def alias_output(alias: str) -> tuple[str, str]:
    """The URL path (relative to the site root) and output file of an alias, or ('', problem).

    An alias may be written as a browser shows it ('old%20page/') or as it reads ('old page/'):
    both are the file `old page/index.html`."""
    written = alias.strip()
    if not written.lstrip("/") or SCHEME.match(written) or written.startswith("//"):
        return "", "must be a path of this site, such as 'old/address/'"
    if "?" in written or "#" in written:
        return "", "must be a path alone: a query ('?') or a fragment ('#') has no file of its own"
    path = unquote(written).lstrip("/")
    parts = path.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "", "must not have empty, '.' or '..' parts"
    for part in parts:
        if problem := name_problem(part):
            return "", f"has a part that {problem}"
    if path.endswith(".html"):
        return path, path
    url = path.rstrip("/") + "/"
    return url, f"{url}index.html"


def alias_problems(pages: list[Page]) -> list[BuildError]:
    """What is wrong with the `aliases` of the pages' front matter."""
    return [problem for page in pages for problem in _page_alias_problems(page)]


def _page_alias_problems(page: Page) -> list[BuildError]:
    span = SourceSpan(page.source, page.key_lines.get("aliases", 1))
    problems = []
    for alias in page.aliases:
        if not isinstance(alias, str):
            problems.append(BuildError(span, f"alias {alias!r} must be text, a path of the site"))
            continue
        url, problem = alias_output(alias)
        if not url:
            problems.append(BuildError(span, f"alias {alias!r} {problem}"))
        elif url == page.url:
            problems.append(BuildError(span, f"alias {alias!r} is the page's own address"))
    return problems


def redirect_files(pages: list[Page], urls: UrlMaker, language: str) -> list[OutputFile]:
    """A redirect page at each alias of `pages`, and `_redirects` if there is any alias."""
    files, lines = [], []
    for page in pages:
        span = SourceSpan(page.source, page.key_lines.get("aliases", 1))
        target, full = urls.path(page.url), urls.absolute(page.url)
        for alias in page.aliases:
            url, output = alias_output(alias) if isinstance(alias, str) else ("", "")
            if not url or url == page.url:
                continue  # reported by `alias_problems`
            html = (
                f'<!doctype html>\n<html lang="{escape(language)}">\n<head>\n'
                '<meta charset="utf-8">\n'
                f"<title>Moved: {escape(page.title)}</title>\n"
                f'<link rel="canonical" href="{escape(full)}">\n'
                '<meta name="robots" content="noindex">\n'
                f'<meta http-equiv="refresh" content="0; url={escape(target)}">\n'
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                "</head>\n<body>\n"
                f'<p>This page has moved to <a href="{escape(target)}">'
                f"{escape(page.title)}</a>.</p>\n"
                "</body>\n</html>\n"
            )
            files.append(OutputFile(output, html.encode(), origin=span))
            # Hosts split each line at spaces and read it as URLs: both are written encoded.
            lines.append(f"{encoded(urls.path(url))} {encoded(target)} 301")
    if lines:
        text = "# Moved pages: old address, new address, status\n" + "\n".join(sorted(lines))
        files.append(OutputFile(REDIRECTS_FILE, (text + "\n").encode()))
    return files
