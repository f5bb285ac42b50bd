"""Stage 4: fill the Jinja2 templates with the site's pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from markupsafe import Markup

from .config import SiteConfig
from .content import Page
from .errors import BuildError, SourceSpan
from .markup import PageBody, TocEntry
from .navigation import NavLink
from .outputs import OutputFile
from .urls import UrlMaker

TEMPLATES_DIR = "templates"
NOT_FOUND_TEMPLATE = "404.html"


@dataclass(frozen=True)
class PageView:
    """What a template sees as `page`."""

    title: str
    description: str
    url: str  # site-root URL path, e.g. 'a/b/'; pass it to url() for a link
    source: str
    content: Markup
    toc: tuple[TocEntry, ...] = ()
    date: dt.date | None = None
    updated: dt.date | None = None
    draft: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    previous: NavLink | None = None
    next: NavLink | None = None


@dataclass(frozen=True)
class SiteView:
    """What a template sees as `site`."""

    title: str
    description: str
    language: str
    base_url: str
    author: str
    menu: tuple[NavLink, ...]
    pages: tuple[NavLink, ...]  # every published page, in reading order


def site_view(
    config: SiteConfig, menu: tuple[NavLink, ...], ordered: list[Page], urls: UrlMaker
) -> SiteView:
    """Return the `site` variable of templates."""
    pages = tuple(NavLink(p.title, urls.path(p.url), p.url) for p in ordered)
    return SiteView(
        config.title,
        config.description,
        config.language,
        config.base_url,
        config.author,
        menu,
        pages,
    )


def page_view(
    page: Page, body: PageBody, previous: NavLink | None, next_: NavLink | None
) -> PageView:
    """Return the `page` variable of templates for one content page."""
    return PageView(
        page.title,
        page.description,
        page.url,
        page.source,
        Markup(body.html),
        body.toc,
        page.date,
        page.updated,
        page.draft,
        page.extra,
        previous,
        next_,
    )


def not_found_view(config: SiteConfig) -> PageView:
    """Return the `page` variable of the 404 page."""
    return PageView("Page not found", config.description, "404.html", "", Markup(""))


class TemplateRenderer:
    """A Jinja2 environment over templates/, strict about undefined variables."""

    def __init__(self, site: Path, urls: UrlMaker) -> None:
        self.folder = (site / TEMPLATES_DIR).resolve()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.folder),
            autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(url=urls.path, absolute_url=urls.absolute)
        self.env.filters["isodate"] = lambda d: d.isoformat() if d else ""
        self._failed: dict[str, BuildError] = {}

    def render(
        self, template: str, context: dict[str, Any], source: str
    ) -> tuple[str | None, BuildError | None]:
        """Render one template; return the HTML, or the error with the template's file and line."""
        if template in self._failed:
            return None, self._failed[template]
        try:
            compiled = self.env.get_template(template)
        except jinja2.TemplateSyntaxError as exc:
            name = exc.name or exc.filename or template
            error = BuildError(
                SourceSpan(f"{TEMPLATES_DIR}/{name}", exc.lineno or 1, 1),
                f"template syntax error: {exc.message}",
            )
            self._failed[template] = error
            return None, error
        except jinja2.TemplateNotFound as exc:
            return None, BuildError(
                SourceSpan(source),
                f"template '{exc.name}' not found",
                f"templates are looked up in {TEMPLATES_DIR}/",
            )
        try:
            return compiled.render(context), None
        except Exception as exc:  # noqa: BLE001 - any template failure becomes a located error
            return None, self._runtime_error(exc, source)

    def _runtime_error(self, exc: Exception, source: str) -> BuildError:
        line, name = self._template_frame(exc.__traceback__)
        if isinstance(exc, jinja2.UndefinedError):
            message = f"undefined variable: {exc.message}"
            hint = f"while rendering {source}; templates see site, page, url() and absolute_url()"
        else:
            message, hint = (
                f"template failed: {type(exc).__name__}: {exc}",
                f"while rendering {source}",
            )
        if name is None:
            return BuildError(SourceSpan(source), message, hint)
        column = self._column(name, line, exc)
        return BuildError(SourceSpan(f"{TEMPLATES_DIR}/{name}", line, column), message, hint)

    def _template_frame(self, tb: TracebackType | None) -> tuple[int, str | None]:
        """Return the innermost template line in a traceback (Jinja maps frames to templates)."""
        found: tuple[int, str | None] = (1, None)
        while tb is not None:
            filename = Path(tb.tb_frame.f_code.co_filename)
            if filename.is_relative_to(self.folder):
                found = (tb.tb_lineno, filename.relative_to(self.folder).as_posix())
            tb = tb.tb_next
        return found

    def _column(self, name: str, line: int, exc: Exception) -> int:
        """Best effort: the column of the undefined name on its template line."""
        text = (self.folder / name).read_text(encoding="utf-8").splitlines()
        if not 0 < line <= len(text) or not isinstance(exc, jinja2.UndefinedError):
            return 1
        word = str(exc.message).split("'")
        needle = word[-2] if len(word) >= 3 else ""
        at = text[line - 1].find(needle) if needle else -1
        return at + 1 if at >= 0 else 1


def render_pages(
    site: Path,
    config: SiteConfig,
    ordered: list[Page],
    bodies: dict[str, PageBody],
    menu: tuple[NavLink, ...],
    urls: UrlMaker,
) -> tuple[list[OutputFile], list[BuildError]]:
    """Render every page, in reading order, and the 404 page through their templates."""
    renderer = TemplateRenderer(site, urls)
    site_var = site_view(config, menu, ordered, urls)
    files, errors = [], []
    links = site_var.pages
    for index, page in enumerate(ordered):
        previous = links[index - 1] if index > 0 else None
        next_ = links[index + 1] if index + 1 < len(links) else None
        view = page_view(page, bodies[page.content_path], previous, next_)
        html, error = renderer.render(page.template, {"site": site_var, "page": view}, page.source)
        _collect(files, errors, page.output, html, error, page.source)
    html, error = renderer.render(
        NOT_FOUND_TEMPLATE,
        {"site": site_var, "page": not_found_view(config)},
        f"{TEMPLATES_DIR}/{NOT_FOUND_TEMPLATE}",
    )
    _collect(files, errors, "404.html", html, error, f"{TEMPLATES_DIR}/{NOT_FOUND_TEMPLATE}")
    return files, errors


def _collect(
    files: list[OutputFile],
    errors: list[BuildError],
    path: str,
    html: str | None,
    error: BuildError | None,
    origin: str,
) -> None:
    if error is not None:
        # A broken shared template fails every page the same way: report it once.
        if not any((e.span, e.message) == (error.span, error.message) for e in errors):
            errors.append(error)
    else:
        files.append(OutputFile(path, (html or "").encode("utf-8"), origin=origin))
