"""Links written in a page: `other.md#x` made a page URL, each link kept with where it was written.

Markdown links and images and the links of raw HTML (`<a href>`, `<img src>`) are all handled, so
a link to a missing page is an error at its line and column wherever it stands: in a nested list,
a table cell, a footnote or a block of HTML. The finished site's link check uses the same places.
"""

from __future__ import annotations

import posixpath
from html import escape, unescape
from urllib.parse import quote, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..errors import BuildError, SourceSpan
from ..htmlscan import link_attributes
from .body import Link
from .locations import OFFSET, TARGET
from .run import RenderRun

SCRIPT_SCHEMES = ("javascript", "vbscript", "data")  # never a link; data: may be an image
CELLS = ("th_open", "td_open")


def install(md: MarkdownIt) -> None:
    """Add the rule that resolves and records every link of the page."""
    md.validateLink = lambda url: True  # a script link is refused here, with its place
    md.core.ruler.push("page_links", page_links)


def page_links(state: StateCore) -> None:
    """Resolve `.md` links to page URLs and record each link with its place in the source."""
    run: RenderRun = state.env["run"]
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            _find_cells(run, tokens, index)
        elif token.type == "inline" and token.children and _may_link(token.content):
            cell = index > 0 and tokens[index - 1].type in CELLS
            for child in token.children:
                if child.type in ("link_open", "image"):
                    _markdown_link(run, token, child, cell)
                elif child.type == "html_inline":
                    start = child.meta.get(OFFSET, 0)
                    child.content = _raw_html(run, token, child.content, start, cell)
        elif token.type == "html_block":
            token.content = _raw_html(run, token, token.content, 0, False)


def _find_cells(run: RenderRun, tokens: list[Token], row: int) -> None:
    """Find where each cell of a table row holding a link starts, left to right: a cell's text
    may appear in an earlier cell too (in code, say)."""
    cells, at = [], row + 1
    while at < len(tokens) and tokens[at].type != "tr_close":  # no slice: rows are many
        if tokens[at].type == "inline":
            cells.append(tokens[at])
        at += 1
    if any(_may_link(cell.content) for cell in cells):
        for cell in cells:
            run.locate.offset(cell, cell.content, 0, cell=True)


def _may_link(content: str) -> bool:
    """Whether inline text can hold a link of the site: one in Markdown, `<...>` or raw HTML."""
    return "[" in content or "<" in content


def _markdown_link(run: RenderRun, block: Token, link: Token, cell: bool) -> None:
    attribute = "src" if link.type == "image" else "href"
    href = str(link.attrs.get(attribute, ""))
    span = run.locate.offset(block, block.content, link.meta.get(TARGET, 0), cell)
    scheme = urlsplit(href).scheme.lower() if ":" in href else ""
    if scheme in SCRIPT_SCHEMES and not (link.type == "image" and scheme == "data"):
        hint = (
            "site.yaml forbids raw HTML (raw_html: false), and with it such links"
            if not run.raw_html
            else "the site's Content Security Policy would block it; link to a page or an address"
        )
        run.problems.append(BuildError(span, f"link to a {scheme}: URL, which runs code", hint))
        link.attrs[attribute] = "#"
        return
    if link.type == "image" or is_file(href):
        href = beside_page(run, href)
    link.attrs[attribute] = resolve(run, href, span)


def is_file(href: str) -> bool:
    """Whether a relative link names a file kept beside pages (`report.pdf`), not a page."""
    if ":" in href or href.startswith(("/", "#")):
        return False
    path = href.split("#", 1)[0].split("?", 1)[0]
    return posixpath.splitext(path)[1].lower() not in ("", ".md", ".html", ".htm")


def beside_page(run: RenderRun, src: str) -> str:
    """An image's or a file's address as the site serves it: a relative one from the page's
    file in content/ (where the file is kept beside it), not from the page's URL one folder deeper;
    one from the site's root below the base path."""
    try:
        parts = urlsplit(src)
    except ValueError:
        return src
    if parts.scheme or parts.netloc or not parts.path or parts.path.endswith(".md"):
        return src  # another site's, or a page (resolved as links to pages are)
    own = run.lookup(run.page.content_path) or "/" + run.page.url
    base = own[: len(own) - len(run.page.url)] if own.endswith(run.page.url) else "/"
    if parts.path.startswith("/"):  # from the site's root, e.g. an image of static/
        return src if src.startswith(base) else base + src[1:]
    folder = posixpath.dirname(run.page.content_path)
    target = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
    if target == ".." or target.startswith("../"):
        return src  # outside content/: the link check says so
    query = f"?{parts.query}" if parts.query else ""
    return base + quote(target) + query + (f"#{parts.fragment}" if parts.fragment else "")


def _raw_html(run: RenderRun, block: Token, html: str, start: int, cell: bool) -> str:
    """Resolve and record the links of a piece of raw HTML; return it with `.md` links made URLs."""
    pieces, at = [], 0
    for value_start, value_end, value, tag in link_attributes(html):
        span = run.locate.offset(block, block.content, start + value_start, cell)
        written = unescape(value)
        href = written
        # As GitHub shows it: an image or a file of raw HTML is found from the page's file too.
        if (tag in ("img", "source") and not href.startswith("#")) or is_file(href):
            href = beside_page(run, href)
        resolved = resolve(run, href, span)
        if resolved != written:
            pieces += [html[at:value_start], escape(resolved, quote=True)]
            at = value_end
    return "".join(pieces) + html[at:] if pieces else html


def resolve(run: RenderRun, href: str, span: SourceSpan) -> str:
    """Return the URL a link written as `href` stands for, recording it (and any problem)."""
    try:
        parts = urlsplit(href)
    except ValueError:  # such as an unclosed '[' of an IPv6 address: not a link of this site
        return href
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() in ("http", "https"):  # the site's own address may be written
            run.links.append(Link(href, span))
        return href
    if not parts.path.endswith(".md") or parts.path.startswith("/"):
        run.links.append(Link(href, span))  # an anchor, a file or a path: the site's check
        return href
    base = posixpath.dirname(run.page.content_path)
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    url = run.lookup(target)
    if url is None:
        run.problems.append(_missing(run, target, span))
        run.links.append(Link(href, span, reported=True))
        return href
    resolved = url + (f"?{parts.query}" if parts.query else "")
    resolved += f"#{parts.fragment}" if parts.fragment else ""
    run.links.append(Link(resolved, span))
    return resolved


def _missing(run: RenderRun, target: str, span: SourceSpan) -> BuildError:
    severity = run.levels.missing_page
    if target == ".." or target.startswith("../"):
        return BuildError(
            span,
            f"link to {target} leads outside content/",
            "pages link to pages inside content/, by their .md files",
            severity,
        )
    if target in run.drafts:
        return BuildError(
            span,
            f"link to draft page content/{target}",
            "publish that page (remove 'draft: true') or build with --drafts",
            severity,
        )
    return BuildError(
        span,
        f"link to missing page content/{target}",
        "links to other pages are relative paths to their .md files",
        severity,
    )
