"""Stage 3: turn a page's Markdown into HTML, with its contents, ids and links, and their places.

One markdown-it parser per process (`parser.py`) reads CommonMark with GitHub's extensions and
the site's own; the modules beside this one each add one kind of rule. Problems (a link to a
missing page, a bad directive) are located at the line and column where they are written.
"""

from __future__ import annotations

from ..config import LinkLevels
from ..content import Page
from ..errors import BuildError
from ..extensions import NO_EXTENSIONS, Extensions
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
    "markdown_parser",
]


class MarkdownRenderer:
    """Renders pages with the process's configured parser; directives expand with `expand`."""

    def __init__(
        self,
        expand: Expander | None = None,
        raw_html: bool = True,
        levels: LinkLevels | None = None,
        extensions: Extensions = NO_EXTENSIONS,
    ) -> None:
        self.expand = expand
        self.raw_html = raw_html
        self.levels = levels or LinkLevels()
        self.extensions = extensions
        self._md = markdown_parser(raw_html, extensions)

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
        except Exception as exc:  # noqa: BLE001 - a plugin of the site's failed: locate it
            if not self.extensions.markdown:
                raise
            error = self.extensions.located(exc, f"a Markdown plugin failed on {page.source}")
            return PageBody("", (), frozenset(), ()), [error]
        body = PageBody(html, run.toc, frozenset(run.ids), tuple(run.links))
        return body, sorted(run.problems, key=lambda problem: problem.span)
