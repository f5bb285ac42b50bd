"""Stage 3: turn a page's Markdown into HTML, with its contents, ids and links, and their places.

One markdown-it parser per process (`parser.py`) reads CommonMark with GitHub's extensions and
the site's own; the modules beside this one each add one kind of rule. Problems (a link to a
missing page, a bad directive) are located at the line and column where they are written.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from ..cache import StageCache, fingerprint
from ..config import LinkLevels
from ..content import Page
from ..errors import BuildError
from .body import Link, PageBody, TocEntry
from .code import highlight_css
from .locations import Locator
from .parser import markdown_parser
from .run import Expander, RenderRun, UrlLookup

__all__ = [
    "Link",
    "MarkdownRenderer",
    "PageBody",
    "TocEntry",
    "highlight_css",
    "render_bodies",
]


class MarkdownRenderer:
    """Renders pages with the process's configured parser; directives expand with `expand`."""

    def __init__(
        self,
        expand: Expander | None = None,
        raw_html: bool = True,
        levels: LinkLevels | None = None,
    ) -> None:
        self.expand = expand
        self.raw_html = raw_html
        self.levels = levels or LinkLevels()
        self._md = markdown_parser(raw_html)

    def render(
        self, page: Page, lookup: UrlLookup, drafts: frozenset[str] = frozenset()
    ) -> tuple[PageBody, list[BuildError]]:
        """Render `page`; report links to pages that do not exist or are drafts, and the like."""
        locate = Locator(page)
        run = RenderRun(
            page=page,
            lookup=lookup,
            drafts=drafts,
            expand=self.expand,
            levels=self.levels,
            raw_html=self.raw_html,
            locate=locate,
        )
        env = {"run": run}
        try:
            tokens = self._md.parse(page.body, env)
            html = self._md.renderer.render(tokens, self._md.options, env)
        except RecursionError:  # the limits above should make this impossible; still located
            error = BuildError(
                locate.start(None),
                "the Markdown of this page is nested too deeply to read",
                "nest lists, quotes and emphasis less deeply",
            )
            return PageBody("", (), frozenset(), ()), [error]
        body = PageBody(html, run.toc, frozenset(run.ids), tuple(run.links))
        return body, sorted(run.problems, key=lambda problem: problem.span)


def render_bodies(
    pages: list[Page],
    page_urls: dict[str, str],
    drafts: frozenset[str] = frozenset(),
    make_expander: Callable[[], Expander] | None = None,
    cache: StageCache | None = None,
    directive_inputs: str = "",
    jobs: int = 1,
    raw_html: bool = True,
    levels: LinkLevels | None = None,
) -> tuple[dict[str, PageBody], list[BuildError]]:
    """Render every page's Markdown; return bodies by content path and all their problems.

    A body depends on its page, on the URLs of all pages (for links) and, if it places tables or
    charts, on `directive_inputs` (a fingerprint of the tables and their templates). Bodies not in
    the cache are rendered by `jobs` processes when there are enough of them to be worth it.
    """
    cache = cache or StageCache()
    levels = levels or LinkLevels()
    links = fingerprint(sorted(page_urls.items()), sorted(drafts), raw_html, levels)
    results: dict[str, tuple[PageBody, list[BuildError]]] = {}
    missing: list[tuple[Page, str]] = []
    for page in pages:
        key = fingerprint(page, links, directive_inputs if ":::" in page.body else "")
        found, result = cache.lookup("body", key)
        if found:
            results[page.content_path] = result
        else:
            missing.append((page, key))
    todo = [page for page, _ in missing]
    if jobs > 1 and len(todo) >= PARALLEL_FROM:
        rendered = _render_in_pool(todo, page_urls, drafts, make_expander, jobs, raw_html, levels)
    else:
        renderer = MarkdownRenderer(make_expander() if make_expander else None, raw_html, levels)
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


def _render_in_pool(pages, page_urls, drafts, make_expander, jobs, raw_html, levels):
    """Render pages in `jobs` forked processes; the result is the same as rendering them here."""
    context = multiprocessing.get_context("fork")
    chunks = [pages[i : i + CHUNK] for i in range(0, len(pages), CHUNK)]
    with ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(page_urls, drafts, make_expander, raw_html, levels),
    ) as pool:
        return [result for chunk in pool.map(_render_chunk, chunks) for result in chunk]


def _start_worker(page_urls, drafts, make_expander, raw_html, levels) -> None:
    _worker.update(
        renderer=MarkdownRenderer(make_expander() if make_expander else None, raw_html, levels),
        urls=page_urls,
        drafts=drafts,
    )


def _render_chunk(pages: list[Page]) -> list[tuple[PageBody, list[BuildError]]]:
    renderer, urls, drafts = _worker["renderer"], _worker["urls"], _worker["drafts"]
    return [renderer.render(page, urls.get, drafts) for page in pages]
