"""Stage 3: turn a page's Markdown into HTML, rewriting links between pages."""

from __future__ import annotations

import multiprocessing
import posixpath
import xml.etree.ElementTree as etree
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pygments.formatters import HtmlFormatter

from ..cache import StageCache, fingerprint
from ..content import Page
from ..directives import is_directive
from ..errors import BuildError, SourceSpan
from ..htmlscan import scan_markup

HIGHLIGHT_CLASS = "highlight"
LIGHT_STYLE, DARK_STYLE = "default", "github-dark"


@dataclass(frozen=True)
class TocEntry:
    """A heading of a page, for its on-page table of contents."""

    level: int
    id: str
    title: str
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True)
class Link:
    """A link written in Markdown to a page of the site (or to an anchor of this one)."""

    target: str  # content path of the page linked to; the page's own for '#anchor'
    anchor: str
    span: SourceSpan


@dataclass(frozen=True)
class PageBody:
    """A page's Markdown rendered to HTML, with what later stages check or show."""

    html: str
    toc: tuple[TocEntry, ...]
    ids: frozenset[str]
    links: tuple[Link, ...]


SCRIPT_SCHEMES = ("javascript", "vbscript", "data")
# Maps a content path ('a/b.md') to the site-absolute URL of that page, or None if unpublished.
UrlLookup = Callable[[str], str | None]
# Expands a directive line at a place to HTML, given the ids the page already uses.
Expander = Callable[[str, SourceSpan, set[str]], tuple[str, BuildError | None]]


class MarkdownRenderer:
    """Renders pages with one configured Python-Markdown instance, reused between pages."""

    def __init__(self, expand: Expander | None = None, raw_html: bool = True) -> None:
        self._links = _LinkRewriter(raw_html)
        self._directives = _DirectiveExpander(expand)
        self._md = markdown.Markdown(
            extensions=[
                "tables",
                "fenced_code",
                "codehilite",
                "footnotes",
                "admonition",
                "attr_list",
                "def_list",
                "toc",
            ],
            extension_configs={
                "codehilite": {"css_class": HIGHLIGHT_CLASS, "guess_lang": False},
                "toc": {
                    "permalink": "#",
                    "permalink_class": "anchor",
                    "permalink_title": "Link to this section",
                },
                "footnotes": {"BACKLINK_TITLE": "Back to reference %d"},
            },
            output_format="html",
        )
        # After fenced code is set aside (25), so a directive inside a code block stays text.
        self._directives.md = self._md
        self._md.preprocessors.register(self._directives, "site-directives", 22)
        # After inline links exist (20) and attributes are set (8); before the toc adds anchors (5).
        self._md.treeprocessors.register(self._links, "site-links", 7)
        self._md.treeprocessors.register(_AnchorLabels(self._md), "anchor-labels", 4)
        self._md.treeprocessors.register(_ScrollingTables(self._md), "scrolling-tables", 3)
        if not raw_html:  # site.yaml forbids it: HTML written in Markdown is shown as text
            self._md.preprocessors.deregister("html_block")
            self._md.inlinePatterns.deregister("html")

    def render(
        self, page: Page, lookup: UrlLookup, drafts: frozenset[str] = frozenset()
    ) -> tuple[PageBody, list[BuildError]]:
        """Render `page`; report links to pages that do not exist or are drafts."""
        self._md.reset()
        self._links.start(page, lookup, drafts)
        self._directives.start(page)
        html = self._md.convert(page.body)
        toc = tuple(_toc_entry(token) for token in getattr(self._md, "toc_tokens", []))
        body = PageBody(html, toc, frozenset(collect_ids(html)), tuple(self._links.found))
        return body, self._directives.errors + self._links.errors


def check_anchors(
    bodies: dict[str, PageBody], page_ids: dict[str, frozenset[str]]
) -> list[BuildError]:
    """Report Markdown links whose `#anchor` is not an id of the finished page they point to.

    `page_ids` holds the ids of each page's finished HTML (by content path), since templates add
    ids too; a page whose template failed is not checked, its error being reported already.
    """
    errors = []
    for source, body in bodies.items():
        for link in body.links:
            ids = page_ids.get(link.target)
            if link.anchor and ids is not None and link.anchor not in ids:
                known = sorted(bodies[link.target].ids) or sorted(ids)
                hint = "anchors on that page: " + (", ".join(known[:8]) or "none")
                where = "this page" if link.target == source else link.target
                errors.append(
                    BuildError(
                        link.span, f"anchor '#{link.anchor}' does not exist on {where}", hint
                    )
                )
    return errors


def highlight_css() -> str:
    """Return one stylesheet for highlighted code, light by default and dark on request."""
    light = HtmlFormatter(style=LIGHT_STYLE).get_style_defs(f".{HIGHLIGHT_CLASS}")
    dark = HtmlFormatter(style=DARK_STYLE).get_style_defs(f".{HIGHLIGHT_CLASS}")
    dark = "\n".join("  " + line for line in dark.splitlines())
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"


class _LinkRewriter(Treeprocessor):
    """Turns `other.md#x` links into page URLs and records each for checking."""

    def __init__(self, raw_html: bool = True) -> None:
        super().__init__()
        self.raw_html = raw_html  # when False, links that run code are errors

    def start(self, page: Page, lookup: UrlLookup, drafts: frozenset[str]) -> None:
        self.page, self.lookup, self.drafts = page, lookup, drafts
        self.found: list[Link] = []
        self.errors: list[BuildError] = []
        self._positions = _PositionFinder(page)

    def run(self, root) -> None:
        for element in root.iter("a"):
            href = element.get("href", "")
            parts = urlsplit(href)
            if not self.raw_html and parts.scheme.lower() in SCRIPT_SCHEMES:
                span = self._positions.find(href) or SourceSpan(
                    self.page.source, self.page.body_line
                )
                self.errors.append(
                    BuildError(
                        span,
                        f"link to a {parts.scheme}: URL, which runs code",
                        "site.yaml forbids raw HTML (raw_html: false), and with it such links",
                    )
                )
                element.set("href", "#")
                continue
            if parts.scheme or parts.netloc or href.startswith("/"):
                continue
            if not parts.path:  # '#anchor' on this page
                if parts.fragment:
                    span = self._positions.find(href)
                    if span:
                        self.found.append(Link(self.page.content_path, parts.fragment, span))
                continue
            if not parts.path.endswith(".md"):
                continue
            span = self._positions.find(href) or SourceSpan(self.page.source, self.page.body_line)
            base = posixpath.dirname(self.page.content_path)
            target = posixpath.normpath(posixpath.join(base, parts.path))
            url = self.lookup(target)
            if url is None:
                self.errors.append(self._missing(target, span))
                continue
            element.set("href", url + (f"#{parts.fragment}" if parts.fragment else ""))
            self.found.append(Link(target, parts.fragment, span))

    def _missing(self, target: str, span: SourceSpan) -> BuildError:
        if target in self.drafts:
            return BuildError(
                span,
                f"link to draft page content/{target}",
                "publish that page (remove 'draft: true') or build with --drafts",
            )
        return BuildError(
            span,
            f"link to missing page content/{target}",
            "links to other pages are relative paths to their .md files",
        )


class _DirectiveExpander(Preprocessor):
    """Replaces each `::: table` or `::: chart` line with the HTML it stands for."""

    def __init__(self, expand: Expander | None) -> None:
        super().__init__()
        self.expand = expand

    def start(self, page: Page) -> None:
        self.errors: list[BuildError] = []
        self._ids: set[str] = set()
        self._positions = _PositionFinder(page)
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        out = []
        for line in lines:
            if not is_directive(line):
                out.append(line)
                continue
            span = self._positions.find(line) or SourceSpan(self.page.source, self.page.body_line)
            if self.expand is None:
                self.errors.append(
                    BuildError(
                        span, "directives need data tables", "add the table to content/data/"
                    )
                )
                continue
            html, error = self.expand(line, span, self._ids)
            if error is not None:
                self.errors.append(error)
                continue
            out += ["", self.md.htmlStash.store(html), ""]
        return out


class _AnchorLabels(Treeprocessor):
    """Names each heading's anchor link after its heading, for screen readers."""

    def run(self, root) -> None:
        for level in range(1, 7):
            for heading in root.iter(f"h{level}"):
                for anchor in heading.iter("a"):
                    if anchor.get("class") == "anchor":
                        text = "".join(heading.itertext()).removesuffix(anchor.text or "")
                        anchor.set("aria-label", f"Link to section: {text.strip()}")


class _ScrollingTables(Treeprocessor):
    """Wraps each Markdown table in a box that scrolls sideways on narrow screens.

    The box is focusable and named, so keyboard users can scroll it too.
    """

    def run(self, root) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "table":
                    continue
                headers = [("".join(th.itertext())).strip() for th in child.iter("th")]
                box = etree.Element(
                    "div",
                    {
                        "class": "table-wrap",
                        "role": "region",
                        "tabindex": "0",
                        "aria-label": "Table: " + ", ".join(headers),
                    },
                )
                parent.remove(child)
                box.append(child)
                parent.insert(index, box)


class _PositionFinder:
    """Finds where each link target was written in a page's Markdown, in order of use."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self._next: dict[str, int] = {}

    def find(self, href: str) -> SourceSpan | None:
        start = self._next.get(href, 0)
        at = self.page.body.find(href, start)
        if at < 0:
            return None
        self._next[href] = at + len(href)
        line_start = self.page.body.rfind("\n", 0, at) + 1
        line = self.page.body_line + self.page.body.count("\n", 0, at)
        return SourceSpan(self.page.source, line, at - line_start + 1)


def collect_ids(html: str) -> list[str]:
    """Return every id attribute in an HTML fragment or document."""
    return sorted(scan_markup(html)[0])


def _toc_entry(token: dict) -> TocEntry:
    children = tuple(_toc_entry(child) for child in token.get("children", []))
    return TocEntry(token["level"], token["id"], token["name"], children)


def render_bodies(
    pages: list[Page],
    page_urls: dict[str, str],
    drafts: frozenset[str] = frozenset(),
    make_expander: Callable[[], Expander] | None = None,
    cache: StageCache | None = None,
    directive_inputs: str = "",
    jobs: int = 1,
    raw_html: bool = True,
) -> tuple[dict[str, PageBody], list[BuildError]]:
    """Render every page's Markdown; return bodies by content path and all their problems.

    A body depends on its page, on the URLs of all pages (for links) and, if it places tables or
    charts, on `directive_inputs` (a fingerprint of the tables and their templates). Bodies not in
    the cache are rendered by `jobs` processes when there are enough of them to be worth it.
    """
    cache = cache or StageCache()
    links = fingerprint(sorted(page_urls.items()), sorted(drafts), raw_html)
    results: dict[str, tuple[PageBody, list[BuildError]]] = {}
    missing: list[tuple[Page, str]] = []
    for page in pages:
        uses_directives = ":::" in page.body and any(map(is_directive, page.body.splitlines()))
        key = fingerprint(page, links, directive_inputs if uses_directives else "")
        found, result = cache.lookup("body", key)
        if found:
            results[page.content_path] = result
        else:
            missing.append((page, key))
    todo = [page for page, _ in missing]
    if jobs > 1 and len(todo) >= PARALLEL_FROM:
        rendered = _render_in_pool(todo, page_urls, drafts, make_expander, jobs, raw_html)
    else:
        renderer = MarkdownRenderer(make_expander() if make_expander else None, raw_html)
        rendered = [renderer.render(page, page_urls.get, drafts) for page in todo]
    for (page, key), result in zip(missing, rendered, strict=True):
        cache.put("body", key, result)
        results[page.content_path] = result
    bodies = {page.content_path: results[page.content_path][0] for page in pages}
    errors = [error for page in pages for error in results[page.content_path][1]]
    return bodies, errors


PARALLEL_FROM = 200  # fewer pages render faster in this process than a pool starts
CHUNK = 64
_worker: dict[str, object] = {}  # set in each pool process by _start_worker


def _render_in_pool(pages, page_urls, drafts, make_expander, jobs, raw_html):
    """Render pages in `jobs` forked processes; the result is the same as rendering them here."""
    context = multiprocessing.get_context("fork")
    chunks = [pages[i : i + CHUNK] for i in range(0, len(pages), CHUNK)]
    with ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(page_urls, drafts, make_expander, raw_html),
    ) as pool:
        return [result for chunk in pool.map(_render_chunk, chunks) for result in chunk]


def _start_worker(page_urls, drafts, make_expander, raw_html) -> None:
    _worker.update(
        renderer=MarkdownRenderer(make_expander() if make_expander else None, raw_html),
        urls=page_urls,
        drafts=drafts,
    )


def _render_chunk(pages: list[Page]) -> list[tuple[PageBody, list[BuildError]]]:
    renderer, urls, drafts = _worker["renderer"], _worker["urls"], _worker["drafts"]
    return [renderer.render(page, urls.get, drafts) for page in pages]
