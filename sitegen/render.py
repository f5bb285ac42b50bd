"""Stage 4: fill the Jinja2 templates with the site's pages."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
import jinja2.meta
from jinja2.defaults import DEFAULT_NAMESPACE
from markupsafe import Markup

from .cache import StageCache, fingerprint
from .config import SiteConfig
from .content import Page
from .datapages import DataPage, mentions
from .errors import BuildError, SourceSpan, did_you_mean, not_utf8
from .extensions import NO_EXTENSIONS, Extensions
from .markdown import PageBody, TocEntry
from .navigation import NavLink, breadcrumbs
from .outputs import OutputFile
from .pagination import Paginator, paginated_views
from .sections import Family, Standing, families
from .security import content_security_policy
from .sidebar import NavItem, SectionTree
from .structured import breadcrumb_list, website
from .tables import Table
from .themes import TEMPLATES_DIR, Theme
from .urls import UrlMaker
from .values import format_value

MISSING_KEY = re.compile(r"has no attribute '([^']+)'|^'([^']+)' is undefined")
NOT_FOUND_TEMPLATE = "404.html"


@dataclass(frozen=True, kw_only=True)
class PageView:
    """What a template sees as `page`."""

    title: str
    description: str
    url: str  # the page's URL path, base path included, e.g. '/guide/a/b/'
    source: str
    content: Markup
    toc: tuple[TocEntry, ...] = ()
    date: dt.date | None = None
    updated: dt.date | None = None
    draft: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    previous: NavLink | None = None
    next: NavLink | None = None
    breadcrumbs: tuple[NavLink, ...] = ()  # from the home page to this one, both included
    permalink: str = ""  # the page's full URL, for canonical links and social cards
    section: NavLink | None = None  # the page one level up (none for the home page)
    parents: tuple[NavLink, ...] = ()  # the pages above this one, from the home page down
    children: tuple[NavLink, ...] = ()  # the pages one level below, in reading order
    tags: tuple[NavLink, ...] = ()  # the page's tags, each a link to the tag's page
    paginator: Paginator | None = None  # where this page stands in its split list, if split
    nav: NavItem | None = None  # the section navigation: the home page's entry, opened to here
    edit_url: str = ""  # where the page's source is edited, when site.yaml names a repository


@dataclass(frozen=True, kw_only=True)
class SiteView:
    """What a template sees as `site`."""

    title: str
    description: str
    language: str
    base_url: str
    author: str
    source_title: str
    search: bool
    menu: tuple[NavLink, ...]
    pages: tuple[NavLink, ...]  # every published page, in reading order
    csp: str = ""  # the Content-Security-Policy for the pages' meta tag


def site_view(
    config: SiteConfig, menu: tuple[NavLink, ...], ordered: list[Page], urls: UrlMaker
) -> SiteView:
    """Return the `site` variable of templates."""
    pages = tuple(NavLink(p.title, urls.path(p.url), p.description) for p in ordered)
    return SiteView(
        title=config.title,
        description=config.description,
        language=config.language,
        base_url=config.base_url,
        author=config.author,
        source_title=config.source_title,
        search=config.search,
        menu=menu,
        pages=pages,
        csp=content_security_policy(config.search),
    )


def page_view(
    page: Page,
    body: PageBody,
    url: str,
    previous: NavLink | None,
    next_: NavLink | None,
    trail: tuple[NavLink, ...] = (),
    permalink: str = "",
    family: Family | None = None,
    tags: tuple[NavLink, ...] = (),
    nav: NavItem | None = None,
    edit_url: str = "",
) -> PageView:
    """Return the `page` variable of templates for one content page."""
    family = family or Family()
    return PageView(
        title=page.title,
        description=page.description,
        url=url,
        source=page.source,
        content=Markup(body.html),
        toc=body.toc,
        date=page.date,
        updated=page.updated,
        draft=page.draft,
        extra=page.extra,
        previous=previous,
        next=next_,
        breadcrumbs=trail,
        permalink=permalink,
        section=family.section,
        parents=family.parents,
        children=family.children,
        tags=tags,
        nav=nav,
        edit_url=edit_url,
    )


def not_found_view(config: SiteConfig, urls: UrlMaker) -> PageView:
    """Return the `page` variable of the 404 page."""
    return PageView(
        title="Page not found",
        description=config.description,
        url=urls.path("404.html"),
        source="",
        content=Markup(""),
    )


class CachedBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in the stage cache: signed like every entry, so never trusted blind.

    Compiling the theme takes longer than rendering one page, which is all an edit may need.
    """

    def __init__(self, cache: StageCache) -> None:
        self.cache = cache

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found, code = self.cache.lookup("jinja", fingerprint(bucket.key, bucket.checksum))
        if found:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = fingerprint(bucket.key, bucket.checksum)
        self.cache.put("jinja", key, bucket.bytecode_to_string())


def make_environment(
    folders: tuple[Path, ...], cache: StageCache | None = None
) -> jinja2.Environment:
    """Return the Jinja2 environment for templates looked up in `folders` in turn: autoescaping,
    strict undefined."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders, encoding="utf-8-sig"),  # a BOM is not content
        bytecode_cache=CachedBytecode(cache) if cache else None,
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class TemplateRenderer:
    """A Jinja2 environment over the site's templates and its theme's, strict about undefined
    variables."""

    def __init__(
        self,
        theme: Theme,
        urls: UrlMaker,
        tables: dict[str, Table] | None = None,
        row_pages: dict[tuple[str, str], str] | None = None,
        cache: StageCache | None = None,
        broken_tables: frozenset[str] = frozenset(),
        extensions: Extensions = NO_EXTENSIONS,
    ) -> None:
        self.theme = theme
        self.folders = theme.template_folders
        self.broken_tables = broken_tables  # tables with errors: a template using one is skipped
        self.cache = cache or StageCache()
        # Kept across runs: Jinja recompiles only templates whose files changed.
        shared = f"jinja:{self.folders}:{extensions.key}"
        self.env = self.cache.shared.setdefault(shared, make_environment(self.folders, self.cache))
        self.row_pages = row_pages or {}
        self._inputs = fingerprint(
            tables, self.row_pages, urls, sorted(broken_tables), extensions.key
        )
        self._chains: dict[str, str] = {}
        self.urls = urls
        self.env.globals.update(
            url=urls.path,
            absolute_url=urls.absolute,
            data=tables or {},
            row_url=self.row_url,
            breadcrumb_json_ld=lambda crumbs: breadcrumb_list(crumbs, urls),
            website_json_ld=website,
        )
        self.env.filters.update(cell=format_value, isodate=lambda d: d.isoformat() if d else "")
        extensions.configure_templates(self.env)  # after ours: a site may replace one
        self._failed: dict[str, BuildError] = {}
        self._used: dict[str, list[str]] = {}  # template: those it uses, for locating links
        self._texts: dict[str, list[str]] = {}

    def row_url(self, table: str, key: object) -> str:
        """Return the URL of the page made for a table row (for templates and tables)."""
        return self.urls.path(self.row_pages[(table, str(key))])

    def render(
        self,
        template: str,
        context: dict[str, Any],
        source: str,
        source_line: int = 1,
        context_key: str | None = None,
    ) -> tuple[str | None, BuildError | None]:
        """Render one template; return the HTML, or the error with the template's file and line.

        The result depends on the template and those it uses, the context, the tables and the
        URLs; the same inputs as in an earlier run give the earlier result. `context_key`, a
        fingerprint of the context made by the caller, saves hashing shared parts once per page.
        """
        key = self.key(template, context_key or fingerprint(context), source)
        return self.cache.get(
            "html", key, lambda: self._render(template, context, source, source_line)
        )

    def key(self, template: str, context_key: str, source: str) -> str:
        """The cache key of a render: the template's chain, the context's key and the inputs."""
        return fingerprint(self.template_fingerprint(template), context_key, self._inputs, source)

    def render_now(
        self, template: str, context: dict[str, Any], source: str, source_line: int = 1
    ) -> tuple[str | None, BuildError | None]:
        """Render one template, without the cache (whose key the caller knows)."""
        return self._render(template, context, source, source_line)

    def template_fingerprint(self, name: str, seen: frozenset[str] = frozenset()) -> str:
        """Return a fingerprint of a template and every template it extends, includes or imports."""
        if name in self._chains:
            return self._chains[name]
        try:
            text = self._file(name).read_text(encoding="utf-8-sig")
            known = f"uses:{fingerprint(text)}"  # parsing is slow; a template's text says it all
            if known not in self.cache.shared:
                parsed = self.env.parse(text)
                self.cache.shared[known] = list(jinja2.meta.find_referenced_templates(parsed))
            used = self.cache.shared[known]
        except (OSError, UnicodeDecodeError, jinja2.TemplateSyntaxError) as exc:
            return fingerprint(name, type(exc).__name__, str(exc))  # the render reports it
        parts = [
            self.template_fingerprint(u, seen | {name})
            for u in sorted(filter(None, used))
            if u not in seen and u != name
        ]
        self._chains[name] = fingerprint(text, parts)
        return self._chains[name]

    def find_written(self, template: str, href: str) -> SourceSpan | None:
        """Where `template`, or a template it uses, writes the link `href` (or the path that
        url() made it from), if it is written there literally."""
        relative = href.removeprefix(self.urls.base_path) if href.startswith("/") else ""
        wanted = [f'"{href}"', f"'{href}'"] + ([f"'{relative}'", f'"{relative}"'] * bool(relative))
        for name in self._templates_used(template):
            for number, line in enumerate(self._lines(name), 1):
                column = min((line.find(w) for w in wanted if w in line), default=-1)
                if column >= 0:
                    return SourceSpan(self.theme.template_display(name), number, column + 2)
        return None

    def mentions(self, template: str, word: str) -> bool:
        """Whether `template`, or a template it uses, has `word` in it (kept across runs for
        the same templates: finding those a template uses means parsing them)."""
        key = f"mentions:{self.template_fingerprint(template)}:{word}"
        if key not in self.cache.shared:
            used = self._templates_used(template)
            self.cache.shared[key] = any(word in line for n in used for line in self._lines(n))
        return self.cache.shared[key]

    def _templates_used(self, name: str) -> list[str]:
        """`name` and every template it extends, includes or imports, nearest first."""
        if name in self._used:
            return self._used[name]
        found, todo = [], [name]
        while todo:
            current = todo.pop(0)
            if current in found:
                continue
            found.append(current)
            try:
                parsed = self.env.parse("\n".join(self._lines(current)))
                todo += sorted(filter(None, jinja2.meta.find_referenced_templates(parsed)))
            except jinja2.TemplateSyntaxError:
                continue
        self._used[name] = found
        return found

    def _lines(self, name: str) -> list[str]:
        """The lines of a template (none if it cannot be read), read once a build."""
        if name not in self._texts:
            try:
                text = self._file(name).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = ""
            self._texts[name] = text.splitlines()
        return self._texts[name]

    def _file(self, name: str) -> Path:
        """The file of template `name` (the site's, where it would be if there is none)."""
        return self.theme.find_template(name) or self.folders[0] / name

    def _render(
        self, template: str, context: dict[str, Any], source: str, source_line: int
    ) -> tuple[str | None, BuildError | None]:
        if template in self._failed:
            return None, self._failed[template]
        try:
            compiled = self.env.get_template(template)
        except jinja2.TemplateSyntaxError as exc:
            where = (
                self.theme.display(exc.filename)
                if exc.filename
                else self.theme.template_display(exc.name or template)
            )
            error = BuildError(
                SourceSpan(where, exc.lineno or 1, 1),
                f"template syntax error: {exc.message}",
            )
            self._failed[template] = error
            return None, error
        except jinja2.TemplateNotFound as exc:
            return None, self._missing_template(exc, template, source, source_line)
        except UnicodeDecodeError:
            return None, self._undecodable()
        try:
            return compiled.render(context), None
        except jinja2.TemplateNotFound as exc:  # an include or import names a missing file
            return None, self._missing_template(exc, template, source, source_line)
        except UnicodeDecodeError:  # so does one that is not UTF-8
            return None, self._undecodable()
        except Exception as exc:  # noqa: BLE001 - any template failure becomes a located error
            if self._uses_broken_table(exc):
                return None, None  # the table's own errors are reported; this would only echo
            return None, self._runtime_error(exc, source)

    def _uses_broken_table(self, exc: Exception) -> bool:
        found = isinstance(exc, jinja2.UndefinedError) and MISSING_KEY.search(str(exc.message))
        return bool(found) and found[1] in self.broken_tables

    def _undecodable(self) -> BuildError:
        """Name the template that is not UTF-8 (Jinja's error does not say which it was)."""
        for name in self.theme.template_names():
            path = self._file(name)
            raw = path.read_bytes()
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return not_utf8(raw, self.theme.display(path), exc.start)
        return BuildError(SourceSpan(TEMPLATES_DIR), "a template is not UTF-8", "save it as UTF-8")

    def _runtime_error(self, exc: Exception, source: str) -> BuildError:
        line, path = self._template_frame(exc.__traceback__)
        hint = f"while rendering {source}"
        if path is None:
            return BuildError(SourceSpan(source), f"template failed: {exc}", hint)
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        if isinstance(exc, jinja2.UndefinedError):
            names = tuple(k for k in self.env.globals if k not in DEFAULT_NAMESPACE)
            message, column, suggestion = describe_undefined(
                str(exc.message), text, names + ("site", "page")
            )
            hint = f"{suggestion}; {hint}" if suggestion else hint
        else:
            message, column = f"template failed: {type(exc).__name__}: {exc}", 1
        return BuildError(SourceSpan(self.theme.display(path), line, column), message, hint)

    def _missing_template(
        self, exc: jinja2.TemplateNotFound, template: str, source: str, source_line: int
    ) -> BuildError:
        available = self.theme.template_names()
        hint = did_you_mean(str(exc.name), available) if available else f"add {TEMPLATES_DIR}/"
        if exc.name == template:  # named by the page itself
            return BuildError(
                SourceSpan(source, source_line), f"template '{template}' not found", hint
            )
        line, path = self._template_frame(exc.__traceback__)
        span = SourceSpan(self.theme.display(path), line) if path else SourceSpan(source)
        return BuildError(span, f"template '{exc.name}' not found", hint)

    def _template_frame(self, tb: TracebackType | None) -> tuple[int, Path | None]:
        """Return the innermost template line in a traceback (Jinja maps frames to templates)."""
        found: tuple[int, Path | None] = (1, None)
        while tb is not None:
            filename = Path(tb.tb_frame.f_code.co_filename)
            if any(filename.is_relative_to(folder) for folder in self.folders):
                found = (tb.tb_lineno, filename)
            tb = tb.tb_next
        return found


VIEW_FIELDS = {
    cls.__name__: [f.name for f in fields(cls)] for cls in (PageView, SiteView, NavLink, TocEntry)
}


def describe_undefined(message: str, line: str, names: tuple[str, ...]) -> tuple[str, int, str]:
    """Turn Jinja's undefined message into (message, column on `line`, did-you-mean hint)."""
    if match := re.fullmatch(r"'(\w+)' is undefined", message):
        name = match[1]
        expression, choices = name, tuple(sorted(set(names)))
    elif match := re.fullmatch(r"'(.+?) object' has no attribute '(\w+)'", message):
        name = match[2]
        found = re.search(rf"[A-Za-z_][\w.]*\.{name}\b", line)
        expression = found[0] if found else name
        choices = tuple(VIEW_FIELDS.get(match[1].rsplit(".", 1)[-1], ()))
    else:
        return f"undefined variable: {message}", 1, ""
    at = re.search(rf"(?<![\w.]){re.escape(expression)}\b", line)
    hint = did_you_mean(name, choices) if choices else ""
    return f"undefined variable '{expression}'", at.start() + 1 if at else 1, hint


class PageTemplates:
    """The templates of a site's pages, with what every page's template sees of the site.

    Made once a build (the `site` variable lists every page, so it is fingerprinted once); a
    page is then rendered by its place in the reading order, here or in a worker process.
    """

    def __init__(
        self,
        renderer: TemplateRenderer,
        config: SiteConfig,
        ordered: list[Page],
        menu: tuple[NavLink, ...],
        urls: UrlMaker,
        data_pages: list[DataPage] = (),
        standing: Standing | None = None,
    ) -> None:
        self.renderer = renderer
        self.per_page = config.paginate
        standing = standing or Standing(families(ordered, urls), {})
        self.tags = standing.tags  # each tagged page's tags, by content path
        self.positions = {p.content_path: index for index, p in enumerate(ordered)}
        self.urls = urls
        self.site = site_view(config, menu, ordered, urls)
        self.site_key = fingerprint(self.site)
        self.families = standing.families
        relative = {urls.path(p.url): p.url for p in ordered}
        home = next((link for link in self.site.pages if relative[link.url] == ""), None)
        self.tree = SectionTree(
            self.families, relative, home or NavLink(config.title, urls.path(""))
        )
        self.edit_base = config.edit_base
        self.titles = {p.url: p.title for p in ordered}
        self.pages = ordered
        self.titles.update({d.url: d.title for d in data_pages})

    def _prepared(self, index: int, page: Page, body: PageBody) -> tuple[dict[str, Any], str]:
        view = self.views(index, page, body)[0][0]
        context = {"site": self.site, "page": view}
        key = self.renderer.key(page.template, fingerprint(self.site_key, view), page.source)
        return context, key

    def views(self, index: int, page: Page, body: PageBody) -> list[tuple[PageView, str]]:
        """The page's view, and one for each further page of its list (with their addresses)."""
        links = self.site.pages
        view = page_view(
            page,
            body,
            links[index].url,
            links[index - 1] if index > 0 else None,
            links[index + 1] if index + 1 < len(links) else None,
            breadcrumbs(page.url, self.titles, self.urls),
            self.urls.absolute(page.url),
            self.families[page.url],
            self.tags.get(page.content_path, ()),
            self.tree.nav(page.url),
            self.edit_base + page.source if self.edit_base and not page.generated else "",
        )
        if not self.renderer.mentions(page.template, "page.children"):
            return [(view, page.url)]  # it shows no list: further pages would be copies
        return paginated_views(view, self.per_page, page.url, self.urls)

    def render_further(
        self, pages: list[Page], bodies: dict[str, PageBody]
    ) -> tuple[list[OutputFile], list[BuildError]]:
        """Render page 2 onwards of the split lists of `pages`."""
        files: list[OutputFile] = []
        errors: list[BuildError] = []
        for page in pages:
            if len(self.families[page.url].children) <= self.per_page:
                continue
            body = bodies[page.content_path]
            for view, address in self.views(self.positions[page.content_path], page, body)[1:]:
                key = fingerprint(self.site_key, view)
                line = page.key_lines.get("template", 1)
                html, error = self.renderer.render(
                    page.template, {"site": self.site, "page": view}, page.source, line, key
                )
                made = OutputFile(f"{address}index.html", origin=SourceSpan(page.source))
                collect_file(files, errors, replace(made, template=page.template), html, error)
        return files, errors

    def cached(
        self, index: int, page: Page, body: PageBody
    ) -> tuple[bytes | None, BuildError | None] | None:
        """The page's HTML (or its template's error) as an earlier run made it, if one did."""
        _, key = self._prepared(index, page, body)
        found, made = self.renderer.cache.lookup("html", key)
        return made if found else None

    def render(
        self, index: int, page: Page, body: PageBody
    ) -> tuple[str, tuple[str | None, BuildError | None]]:
        """Render the page's template now; return the result's cache key and the result."""
        context, key = self._prepared(index, page, body)
        line = page.key_lines.get("template", 1)
        return key, self.renderer.render_now(page.template, context, page.source, line)


def render_site_files(
    templates: PageTemplates, config: SiteConfig, data_pages: list[DataPage]
) -> tuple[list[OutputFile], list[BuildError]]:
    """Render the pages made from table rows and the 404 page."""
    renderer, urls, site_var = templates.renderer, templates.urls, templates.site
    files, errors = [], []
    tables = renderer.env.globals["data"]
    named = mentions(data_pages, templates.pages)
    by_table: dict[str, list[NavLink]] = {}
    for item in data_pages:
        by_table.setdefault(item.table, []).append(NavLink(item.title, urls.path(item.url)))
    for item in data_pages:
        table = tables[item.table]
        trail = breadcrumbs(item.url, templates.titles, urls)
        view = PageView(
            title=item.title,
            description=f"{item.title}: {table.title.lower()}, with its source.",
            url=urls.path(item.url),
            source=item.span.path,
            content=Markup(""),
            breadcrumbs=trail,
            permalink=urls.absolute(item.url),
            section=trail[-2] if len(trail) > 1 else None,
            parents=trail[:-1],
            nav=templates.tree.nav(item.url),
        )
        context = {
            "site": site_var,
            "page": view,
            "table": table,
            "row": table.get(item.key),
            "rows": tuple(by_table[item.table]),  # the table's row pages, this one's included
            "mentions": tuple(  # the pages that name this row
                NavLink(p.title, urls.path(p.url), p.description) for p in named.get(item.url, ())
            ),
        }
        key = fingerprint(
            templates.site_key, view, item.table, item.key, context["rows"], context["mentions"]
        )
        html, error = renderer.render(item.template, context, item.span.path, item.span.line, key)
        collect_file(
            files,
            errors,
            OutputFile(item.output, origin=item.span, template=item.template),
            html,
            error,
        )
    view = not_found_view(config, urls)
    where = renderer.theme.template_display(NOT_FOUND_TEMPLATE)
    html, error = renderer.render(
        NOT_FOUND_TEMPLATE,
        {"site": site_var, "page": view},
        where,
        1,
        fingerprint(templates.site_key, view),
    )
    origin = SourceSpan(where)
    collect_file(
        files,
        errors,
        OutputFile("404.html", origin=origin, template=NOT_FOUND_TEMPLATE),
        html,
        error,
    )
    return files, errors


def collect_file(
    files: list[OutputFile],
    errors: list[BuildError],
    made: OutputFile,
    html: str | bytes | None,
    error: BuildError | None,
) -> None:
    """Keep a rendered file (`made` without its bytes yet), or the error that stopped it (none:
    the page was left out because of an error reported elsewhere)."""
    if html is None and error is None:
        return
    if error is not None:
        # A broken shared template fails every page the same way: report it once.
        if not any((e.span, e.message) == (error.span, error.message) for e in errors):
            errors.append(error)
    else:
        data = html if isinstance(html, bytes) else (html or "").encode("utf-8")
        files.append(replace(made, data=data))
