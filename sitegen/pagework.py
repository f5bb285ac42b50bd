"""Stages 3 and 4 page by page, where the work is: a page's Markdown, its template, and a scan of
the finished HTML for its ids and links, in worker processes when many pages need them.

The main process looks each page up in the stage cache first (its body, then its HTML, then its
scan); only the pages some of that is missing for become jobs (`workers.py`), and what the jobs
make goes into the cache again. The result is the same for any number of processes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .cache import StageCache, fingerprint
from .config import LinkLevels
from .content import Page
from .errors import BuildError, SourceSpan
from .extensions import NO_EXTENSIONS, Extensions
from .htmlscan import Scan, scan_markup
from .markdown import MarkdownRenderer, PageBody
from .markdown.run import Expander
from .outputs import OutputFile
from .render import PageTemplates
from .workers import map_in_workers


@dataclass(frozen=True, kw_only=True)
class MarkdownInputs:
    """What every page's Markdown depends on besides the page itself."""

    page_urls: dict[str, str]  # content path -> URL path, for links between pages
    drafts: frozenset[str]
    make_expander: Callable[[], Expander] | None  # directives: made in the process using it
    directive_inputs: str  # a fingerprint of the tables and partials directives use
    raw_html: bool
    levels: LinkLevels
    extensions: Extensions = NO_EXTENSIONS  # the site's Markdown plugins and directives

    def key(self, page: Page, links: str) -> str:
        """The cache key of a page's body."""
        directives = self.directive_inputs if ":::" in page.body else ""
        return fingerprint(page, links, directives, self.extensions.key)

    def links_key(self) -> str:
        return fingerprint(
            sorted(self.page_urls.items()), sorted(self.drafts), self.raw_html, self.levels
        )


@dataclass(frozen=True, kw_only=True)
class PageResult:
    """One page made: its body, its file (None if its template failed), its problems."""

    body: PageBody
    file: OutputFile | None
    problems: list[BuildError]


def render_site_pages(
    pages: list[Page],
    templates: PageTemplates,
    inputs: MarkdownInputs,
    cache: StageCache,
    jobs: int = 1,
    only: frozenset[str] | None = None,
) -> dict[str, PageResult]:
    """Make every page of `pages` (the reading order), or those whose content paths are `only`;
    return each one's result by content path."""
    links = inputs.links_key()
    results: dict[str, PageResult] = {}
    todo: list[tuple[int, Page, str, tuple[PageBody, list[BuildError]] | None]] = []
    for index, page in enumerate(pages):
        if only is not None and page.content_path not in only:
            continue
        body_key = inputs.key(page, links)
        found, rendered = cache.lookup("body", body_key)
        if found:
            body, problems = rendered
            made = templates.cached(index, page, body)
            if made is not None:
                results[page.content_path] = _result(page, body, problems, made)
                continue
        todo.append((index, page, body_key, rendered if found else None))
    made_now = map_in_workers(
        lambda: _Worker(templates, inputs),
        lambda worker, job: worker.make(job[0], job[1], job[3]),
        todo,
        jobs,
    )
    for (_, page, body_key, known), (body, problems, html_key, made, scan) in zip(
        todo, made_now, strict=True
    ):
        if known is None:
            cache.put("body", body_key, (body, problems))
        cache.put("html", html_key, made)
        result = _result(page, body, problems, made)
        if scan is not None:
            cache.put("scan", fingerprint(result.file.data), scan)
        results[page.content_path] = result
    return results


def _result(
    page: Page,
    body: PageBody,
    problems: list[BuildError],
    made: tuple[bytes | None, BuildError | None],
) -> PageResult:
    html, error = made
    file = None
    if html is not None:
        origin = SourceSpan(page.source)
        file = OutputFile(page.output, html, origin=origin, template=page.template)
    return PageResult(body=body, file=file, problems=problems + ([error] if error else []))


class _Worker:
    """Makes pages: in this process, or in each process of the pool."""

    def __init__(self, templates: PageTemplates, inputs: MarkdownInputs) -> None:
        self.templates = templates
        self.inputs = inputs
        expand = inputs.make_expander() if inputs.make_expander else None
        self.markdown = MarkdownRenderer(expand, inputs.raw_html, inputs.levels, inputs.extensions)

    def make(
        self, index: int, page: Page, known: tuple[PageBody, list[BuildError]] | None
    ) -> tuple[
        PageBody, list[BuildError], str, tuple[bytes | None, BuildError | None], Scan | None
    ]:
        """A page's body (unless `known`), its HTML with that HTML's cache key, and its scan."""
        if known is None:
            body, problems = self.markdown.render(
                page, self.inputs.page_urls.get, self.inputs.drafts
            )
        else:
            body, problems = known
        html_key, (html, error) = self.templates.render(index, page, body)
        if html is None:
            return body, problems, html_key, (None, error), None
        scan = Scan.of(*scan_markup(html))
        # Sent back as the bytes the page is written as: the main process never holds a page
        # twice (as text and as bytes), which at 10,000 pages was a third of its peak memory.
        return body, problems, html_key, (html.encode("utf-8"), error), scan
