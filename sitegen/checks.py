"""Stage 7: check the finished site before it is written: every internal link and anchor.

Each broken link is reported where it was written: at its line and column in a page's Markdown,
else in the template that made it, else in the file it is in.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from .cache import StageCache, fingerprint
from .config import LinkLevels
from .content import Page
from .errors import BuildError, SourceSpan
from .htmlscan import Scan, scan_markup
from .outputs import OutputFile
from .urls import UrlMaker
from .workers import map_in_workers

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")


def scan_html(data: bytes, cache: StageCache) -> Scan:
    """Return the ids and links of an HTML file (reused while its bytes are unchanged)."""
    return cache.get("scan", fingerprint(data), lambda: Scan.of(*scan_markup(data.decode())))


def finished_page_ids(
    html: list[OutputFile], pages: list[Page], cache: StageCache
) -> dict[str, frozenset[str]]:
    """Return the ids of each page's finished HTML, by content path."""
    finished = {f.path: f for f in html}
    return {
        p.content_path: scan_html(finished[p.output].data, cache).ids
        for p in pages
        if p.output in finished
    }


@dataclass(frozen=True)
class LinkPlaces:
    """What reporting a broken link needs besides the site: where it was written, and names."""

    # Where a link of an output file is written (every place, if known), and in what:
    # 'markdown', 'template', or 'reported' for a link the Markdown stage reported already.
    locate: Callable[[OutputFile, str], tuple[list[SourceSpan], str]] | None = None
    names: Mapping[str, str] = field(default_factory=dict)  # output path -> its page's source
    anchors: Mapping[str, frozenset[str]] = field(default_factory=dict)  # ids Markdown gave
    levels: LinkLevels = LinkLevels()


@dataclass(frozen=True)
class BrokenLink:
    """A link of an output file that the site cannot satisfy, before it is located."""

    href: str
    target: str  # the output path it leads to
    anchor: str  # the missing anchor, or '' if the file itself is missing
    problem: str = ""  # set for a link that can never work here (outside the base path)


def check_internal_links(
    files: list[OutputFile],
    urls: UrlMaker,
    cache: StageCache | None = None,
    places: LinkPlaces = LinkPlaces(),
    jobs: int = 1,
    unmade: frozenset[str] = frozenset(),
) -> list[BuildError]:
    """Report links in the built HTML to files or anchors the site does not have; the files'
    links are checked in `jobs` processes, and the broken ones located here. Links to `unmade`
    files (pages that failed, with errors of their own) are taken as good."""
    cache = cache or StageCache()
    paths = {f.path for f in files} | unmade
    scans = {
        f.path: scan_html(f.data, cache)
        for f in files
        if f.path.endswith(".html") and f.data is not None
    }
    ids = {path: scan.ids for path, scan in scans.items()}
    # What every link's validity depends on: the site's files and each page's ids.
    site_key = fingerprint(urls, sorted(paths), sorted((p, sorted(i)) for p, i in ids.items()))
    checked = [f for f in files if f.path in scans]

    def check(known: dict, f: OutputFile) -> tuple[str, bool | None, list[BrokenLink]]:
        scan = scans[f.path]
        key = fingerprint(site_key, f.path, scan.links)
        found, broken = cache.peek("links", key)
        return key, found, broken if found else _broken_links(f, scan, urls, paths, ids, known)

    errors = []
    for f, (key, found, broken) in zip(
        checked, map_in_workers(dict, check, checked, jobs, chunk=256), strict=True
    ):
        cache.record("links", key, broken, found)
        errors += [error for link in broken for error in _report(f, link, places, ids)]
    return sorted(errors, key=lambda error: error.span)


def check_links_within(
    files: list[OutputFile],
    urls: UrlMaker,
    paths: frozenset[str],
    ids: dict[str, frozenset[str]],
    cache: StageCache,
    places: LinkPlaces = LinkPlaces(),
) -> list[BuildError]:
    """Report links in `files` that a site with these file `paths` and page `ids` lacks."""
    errors = [
        error
        for f in files
        if f.path.endswith(".html") and f.data is not None
        for link in _broken_links(f, scan_html(f.data, cache), urls, paths, ids)
        for error in _report(f, link, places, ids)
    ]
    return sorted(errors, key=lambda error: error.span)


def _broken_links(
    f: OutputFile,
    scan: Scan,
    urls: UrlMaker,
    paths: Set[str],
    ids: Mapping[str, frozenset[str]],
    known: dict | None = None,
) -> list[BrokenLink]:
    # The 404 page is served at any address, so only root-absolute links work from it.
    page_url = urls.path("/" if f.path == "404.html" else f.path.removesuffix("index.html"))
    found = (_check_link(link, page_url, f.path, urls, paths, ids, known) for link in scan.links)
    return [link for link in found if link is not None]


def _report(
    f: OutputFile, link: BrokenLink, places: LinkPlaces, ids: Mapping[str, frozenset[str]]
) -> list[BuildError]:
    """The errors of a broken link: one for each place it is written, if those are known."""
    spans, written_in = places.locate(f, link.href) if places.locate else ([], "")
    if written_in == "reported":
        return []
    spans = spans or [f.origin or SourceSpan(f.path)]
    if link.problem:
        hint = "links within the site are relative paths"
        return [BuildError(span, link.problem, hint) for span in spans]
    if not link.anchor:
        image = link.target.lower().endswith(IMAGE_SUFFIXES)
        if image and written_in == "markdown":
            hint = "an image is a path relative to its page's .md file, or to a file in static/"
        elif written_in == "markdown":
            hint = "links to other pages are relative paths to their .md files"
        else:
            hint = "links made by templates should use url(); links in Markdown point to .md files"
        kind = "image" if image else "link"
        message = f"{kind} '{link.href}' leads to {link.target}, which the site does not have"
        return [BuildError(span, message, hint, places.levels.missing_page) for span in spans]
    where = "this page" if link.target == f.path else places.names.get(link.target, link.target)
    hint = _anchors_hint(link.target, places, ids)
    message = f"anchor '#{link.anchor}' does not exist on {where}"
    return [BuildError(span, message, hint, places.levels.missing_anchor) for span in spans]


def _anchors_hint(target: str, places: LinkPlaces, ids: Mapping[str, frozenset[str]]) -> str:
    # The ids the target's Markdown gives say most; a page made by templates alone has its own.
    known = places.anchors.get(target) or ids.get(target, frozenset())
    return "anchors on that page: " + (", ".join(_first_sorted(known)) or "none")


@functools.lru_cache(maxsize=64)  # a page with many broken anchors asks for the same ids each time
def _first_sorted(ids: frozenset[str], count: int = 8) -> list[str]:
    return heapq.nsmallest(count, ids)


def _check_link(
    link: str,
    page_url: str,
    page_path: str,
    urls: UrlMaker,
    paths: Set[str],
    ids: Mapping[str, frozenset[str]],
    known: dict[str, tuple[str, str, str] | None] | None = None,
) -> BrokenLink | None:
    """Check one link of the file at `page_path`; `known` keeps where site-absolute links lead,
    the same from every page (most links are: the templates' and Markdown's, made by url())."""
    if link.startswith("#") and page_path != "404.html":
        # A link within the page (a contents entry, a heading's own link): no URL to resolve.
        anchor = unquote(link[1:])
        ids_here = ids.get(page_path)
        if anchor and ids_here is not None and anchor not in ids_here:
            return BrokenLink(link, page_path, anchor)
        return None
    absolute = link.startswith(("/", urls.base_url)) and not link.startswith("//")
    if absolute and known is not None and link in known:
        where = known[link]
    else:
        where = _target(link, page_url, page_path, urls)
        if absolute and known is not None:
            known[link] = where
    if where is None:
        return None
    target, anchor, problem = where
    if problem:
        return BrokenLink(link, "", "", problem)
    if target not in paths:
        return BrokenLink(link, target, "")
    if anchor and target in ids and anchor not in ids[target]:
        return BrokenLink(link, target, anchor)
    return None


def _target(
    link: str, page_url: str, page_path: str, urls: UrlMaker
) -> tuple[str, str, str] | None:
    """The output file a link leads to and its anchor, or why it leads nowhere in the site
    (target, anchor, problem); None for a link to another site or that runs nothing here."""
    try:
        parts = urlsplit(link)
    except ValueError:
        return None  # not a URL a browser would follow within the site
    if parts.scheme in ("mailto", "tel", "data", "javascript"):
        return None
    if parts.scheme or parts.netloc:
        if not link.startswith(urls.base_url):
            return None  # another site
        parts = urlsplit(urls.base_path + link[len(urls.base_url) :])
    resolved = urlsplit(urljoin(page_url, parts.path)).path if parts.path else page_url
    if not resolved.startswith(urls.base_path):
        return "", "", f"link '{link}' leads outside the site's base path {urls.base_path}"
    target = unquote(resolved[len(urls.base_path) :])
    if target == "" or target.endswith("/"):
        target += "index.html"
    if parts.path == "" and page_path != "404.html":
        target = page_path
    return target, unquote(parts.fragment), ""
