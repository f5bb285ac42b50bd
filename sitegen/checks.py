"""Stage 7: check the finished site before it is written: every internal link and anchor."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from .cache import StageCache, fingerprint
from .content import Page
from .errors import BuildError, SourceSpan
from .htmlscan import scan_markup
from .outputs import OutputFile
from .urls import UrlMaker


@dataclass(frozen=True)
class Scan:
    """What link checking needs of one HTML file: its ids and the links it makes."""

    ids: frozenset[str]
    links: tuple[str, ...]


def scan_html(data: bytes, cache: StageCache) -> Scan:
    """Return the ids and links of an HTML file (reused while its bytes are unchanged)."""

    def scan() -> Scan:
        ids, links = scan_markup(data.decode("utf-8"))
        return Scan(frozenset(ids), tuple(sorted(set(links))))

    return cache.get("scan", fingerprint(data), scan)


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


def check_internal_links(
    files: list[OutputFile], urls: UrlMaker, cache: StageCache | None = None
) -> list[BuildError]:
    """Report links in the built HTML to files or anchors the site does not have."""
    cache = cache or StageCache()
    paths = {f.path for f in files}
    scans = {
        f.path: scan_html(f.data, cache)
        for f in files
        if f.path.endswith(".html") and f.data is not None
    }
    ids = {path: scan.ids for path, scan in scans.items()}
    # What every link's validity depends on: the site's files and each page's ids.
    site_key = fingerprint(urls, sorted(paths), sorted((p, sorted(i)) for p, i in ids.items()))
    errors = []
    for f in files:
        scan = scans.get(f.path)
        if scan is None:
            continue
        key = fingerprint(site_key, f.path, f.origin, scan.links)
        errors += cache.get(
            "links", key, lambda f=f, s=scan: _page_link_errors(f, s, urls, paths, ids)
        )
    return errors


def check_links_within(
    files: list[OutputFile],
    urls: UrlMaker,
    paths: frozenset[str],
    ids: dict[str, frozenset[str]],
    cache: StageCache,
) -> list[BuildError]:
    """Report links in `files` that a site with these file `paths` and page `ids` lacks."""
    return [
        error
        for f in files
        if f.path.endswith(".html") and f.data is not None
        for error in _page_link_errors(f, scan_html(f.data, cache), urls, paths, ids)
    ]


def _page_link_errors(
    f: OutputFile, scan: Scan, urls: UrlMaker, paths: Set[str], ids: Mapping[str, frozenset[str]]
) -> list[BuildError]:
    # The 404 page is served at any address, so only root-absolute links work from it.
    page_url = urls.path("/" if f.path == "404.html" else f.path.removesuffix("index.html"))
    errors = []
    for link in scan.links:
        problem = _check_link(link, page_url, f.path, urls, paths, ids)
        if problem:
            errors.append(
                BuildError(
                    SourceSpan(f.origin or f.path),
                    problem,
                    "links made by templates should use url(); "
                    "links in Markdown point to .md files",
                )
            )
    return errors


def _check_link(
    link: str,
    page_url: str,
    page_path: str,
    urls: UrlMaker,
    paths: Set[str],
    ids: Mapping[str, frozenset[str]],
) -> str:
    parts = urlsplit(link)
    if parts.scheme in ("mailto", "tel", "data", "javascript"):
        return ""
    if parts.scheme or parts.netloc:
        if not link.startswith(urls.base_url):
            return ""  # another site
        parts = urlsplit(urls.base_path + link[len(urls.base_url) :])
    resolved = urlsplit(urljoin(page_url, parts.path)).path if parts.path else page_url
    if not resolved.startswith(urls.base_path):
        return f"link '{link}' leads outside the site's base path {urls.base_path}"
    target = unquote(resolved[len(urls.base_path) :])
    if target == "" or target.endswith("/"):
        target += "index.html"
    if parts.path == "" and page_path != "404.html":
        target = page_path
    if target not in paths:
        return f"link '{link}' leads to {target}, which the site does not have"
    if parts.fragment and target in ids and unquote(parts.fragment) not in ids[target]:
        return f"link '{link}': anchor '#{parts.fragment}' does not exist on {target}"
    return ""
