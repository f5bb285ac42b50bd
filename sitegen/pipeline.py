"""The pipeline in memory: config, content and data in; every output file out, checked.

Stages run top to bottom: load the config, load pages and tables, render Markdown, fill templates,
add the site files, check links and anchors. Each lives in its own module; this one only runs
them. `reassemble` runs them again for a few pages when the rest of the site is as an earlier
build left it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .blocks import BlockRenderer
from .cache import StageCache
from .checks import (
    LinkPlaces,
    check_internal_links,
    check_links_within,
    finished_page_ids,
    scan_html,
)
from .config import SiteConfig, load_config
from .content import CONTENT_DIR, DATA_DIR, Page, find_sources, load_pages, page_url, read_page
from .datapages import DataPage, data_pages
from .errors import BuildError, BuildFailed, SourceSpan, errors_only
from .extensions import load_extensions
from .images import process_images
from .markdown import PageBody, highlight_css, markdown_parser
from .navigation import NavLink, build_menu, reading_order
from .options import BuildOptions
from .outputs import (
    OutputFile,
    atom_feed,
    content_files,
    find_path_clashes,
    find_unsafe_paths,
    robots_txt,
    sitemap,
    static_files,
)
from .pagework import MarkdownInputs, render_site_pages
from .paths import check_source_tree
from .redirects import alias_problems, redirect_files
from .render import PageTemplates, TemplateRenderer, render_site_files
from .search import BUNDLE as SEARCH_BUNDLE
from .sections import Standing, families, section_pages
from .security import headers_file
from .tables import Table, load_tables, table_names
from .taxonomy import collect_tags, tag_links, tag_pages
from .themes import site_theme
from .urls import UrlMaker
from .write import check_output_folder


@dataclass(frozen=True, kw_only=True)
class Assembly:
    """The whole site, made in memory and checked, ready to be written or served."""

    files: list[OutputFile]
    pages: int
    tables: int
    static: int
    out: Path
    warnings: list[BuildError]
    config: SiteConfig
    published: list[Page]
    bodies: dict[str, PageBody]
    table_data: dict[str, Table]
    drafts: frozenset[str] = frozenset()
    menu: tuple[NavLink, ...] = ()
    row_pages: list[DataPage] = field(default_factory=list)
    standing: Standing | None = None

    @property
    def counts(self) -> tuple[int, int, int]:
        """Pages, tables and static files."""
        return self.pages, self.tables, self.static


@dataclass(frozen=True, kw_only=True)
class SiteState:
    """What rendering some pages again needs of the full build before: all but the bodies."""

    config: SiteConfig
    pages: list[Page]  # published, in reading order, their bodies left out
    drafts: frozenset[str]
    menu: tuple[NavLink, ...]
    tables: dict[str, Table]
    row_pages: list[DataPage]
    paths: frozenset[str]  # every file of the output
    ids: dict[str, frozenset[str]]  # the ids of each HTML file
    standing: Standing | None = None  # where each page stands, from the front matter


def assemble(options: BuildOptions, cache: StageCache) -> Assembly:
    """Run the pipeline in memory; `cache` lets unchanged pages and tables be reused."""
    source = options.source
    cache.start_run()
    config = load_config(source, options.base_url)
    out = options.out or source / config.output_dir
    urls = UrlMaker(config.base_url)
    fail_on_errors(check_source_tree(source))  # before anything reads through a stray link

    # Pages and tables that fail to load are left out, and the rest goes on: one run reports
    # every problem, and what links to a page or table with errors is not another error.
    sources = find_sources(source)
    pages, problems = load_pages(source, cache, options.jobs, sources)
    tables, table_problems = load_tables(source, cache)
    problems += table_problems
    unreadable = unloaded_pages(source, pages, sources)
    drafts = frozenset(p.content_path for p in pages if p.draft and not options.drafts)
    published = [p for p in pages if p.content_path not in drafts]
    taken = {p.url for p in pages} | set(unreadable.values())
    published = reading_order(published + section_pages(published, taken, config))
    menu, menu_problems = build_menu(config, published, urls, drafts, frozenset(unreadable))
    page_urls = {path: urls.path(url) for path, url in unreadable.items()}
    page_urls.update({p.content_path: urls.path(p.url) for p in published})

    row_pages, row_problems = data_pages(tables)
    broken = frozenset(table_names(source)) - tables.keys()
    tags, tag_problems = collect_tags(published)
    standing = Standing(families(published, urls), tag_links(tags, urls))
    made = make_pages(
        source, config, tables, row_pages, published, menu, page_urls, drafts, cache,
        jobs=options.jobs, broken=broken, standing=standing,
    )  # fmt: skip
    templates, bodies, html, page_problems = made
    more_html, more_problems = render_site_files(templates, config, row_pages)
    further_html, further_problems = templates.render_further(published, bodies)
    html += more_html + further_html
    more_problems += further_problems
    tag_files, tag_errors, tag_urls = tag_pages(templates, tags, config, options.jobs)
    html += tag_files
    problems += tag_problems + tag_errors
    problems += row_problems + menu_problems + once(page_problems + more_problems)
    if broken:
        fail_on_errors(problems)  # links into a table that did not load cannot be judged

    static = static_files(site_theme(source, config.theme)) + content_files(source)
    places = link_places(published, bodies, templates.renderer, config)
    html, variants, image_problems = process_images(html, static, urls, cache, places)
    problems += image_problems
    files = (
        html
        + static
        + variants
        + [
            sitemap(
                published,
                urls,
                [(p.url, tables[p.table].as_of) for p in row_pages] + [(u, None) for u in tag_urls],
            ),
            atom_feed(published, config, urls),
            headers_file(config),
            OutputFile("css/highlight.css", highlight_css().encode()),
        ]
        + robots_txt(urls)
        + redirect_files(published, urls, config.language)
    )
    problems += alias_problems(published)
    reserved = (f"{SEARCH_BUNDLE}/",) if config.search else ()
    problems += find_path_clashes(files, reserved) + find_unsafe_paths(files)
    # The pages that failed are reported already; links to them are not errors of their own.
    made_paths = {f.path for f in html}
    expected = [p.output for p in published] + [p.output for p in row_pages] + ["404.html"]
    unmade = {f"{url}index.html" for url in unreadable.values()}
    unmade |= {output for output in expected if output not in made_paths}
    problems += check_internal_links(files, urls, cache, places, options.jobs, frozenset(unmade))
    problems += check_output_folder(out, source)
    fail_on_errors(problems, strict=options.strict)
    files.sort(key=lambda f: f.path)
    return Assembly(
        files=files,
        pages=len(published),
        tables=len(tables),
        static=len(static),
        out=out,
        warnings=problems,
        config=config,
        published=published,
        bodies=bodies,
        table_data=tables,
        drafts=drafts,
        menu=menu,
        row_pages=row_pages,
        standing=standing,
    )


def make_pages(
    source: Path,
    config: SiteConfig,
    tables: dict[str, Table],
    row_pages: list[DataPage],
    ordered: list[Page],
    menu: tuple[NavLink, ...],
    page_urls: dict[str, str],
    drafts: frozenset[str],
    cache: StageCache,
    *,
    jobs: int = 1,
    broken: frozenset[str] = frozenset(),
    only: frozenset[str] | None = None,
    standing: Standing | None = None,
) -> tuple[PageTemplates, dict[str, PageBody], list[OutputFile], list[BuildError]]:
    """Render the pages of `ordered` (or those in `only`): Markdown, template and scan, in `jobs`
    processes; return the templates, the bodies, the files and the problems, in page order."""
    urls = UrlMaker(config.base_url)
    row_urls = {(p.table, p.key): p.url for p in row_pages}
    extensions = load_extensions(source, config.extensions)
    theme = site_theme(source, config.theme)
    renderer = TemplateRenderer(theme, urls, tables, row_urls, cache, broken, extensions)
    blocks = BlockRenderer(tables, renderer, broken, extensions)  # forked processes get a copy
    markdown_parser(config.raw_html, extensions)  # here, so that a plugin's failure is reported
    if standing is None:
        standing = Standing(families(ordered, urls), tag_links(collect_tags(ordered)[0], urls))
    templates = PageTemplates(renderer, config, ordered, menu, urls, row_pages, standing)
    inputs = MarkdownInputs(
        page_urls=page_urls,
        drafts=drafts,
        make_expander=lambda: blocks.expand,
        directive_inputs=blocks.fingerprint(),
        raw_html=config.raw_html,
        levels=config.links,
        extensions=extensions,
    )
    results = render_site_pages(ordered, templates, inputs, cache, jobs, only)
    bodies = {path: result.body for path, result in results.items()}
    files = [result.file for result in results.values() if result.file is not None]
    problems = once([problem for result in results.values() for problem in result.problems])
    return templates, bodies, files, problems


def once(problems: list[BuildError]) -> list[BuildError]:
    """Each problem once: a broken shared template fails every page it renders alike."""
    seen: set[tuple[SourceSpan, str]] = set()
    kept = []
    for problem in problems:
        if (problem.span, problem.message) not in seen:
            seen.add((problem.span, problem.message))
            kept.append(problem)
    return kept


def link_places(
    pages: list[Page], bodies: dict[str, PageBody], templates: TemplateRenderer, config: SiteConfig
) -> LinkPlaces:
    """How to say where a broken link was written: in a page's Markdown, else in a template."""
    by_output = {page.output: bodies[page.content_path] for page in pages}

    def locate(f: OutputFile, href: str) -> tuple[list[SourceSpan], str]:
        body = by_output.get(f.path)
        written = body.links_to(href) if body else []
        if written:
            kind = "reported" if any(link.reported for link in written) else "markdown"
            return [link.span for link in written], kind
        span = templates.find_written(f.template, href) if f.template else None
        return ([span] if span else []), "template"

    names = {page.output: page.content_path for page in pages}
    anchors = {output: body.ids for output, body in by_output.items()}
    return LinkPlaces(locate, names, anchors, config.links)


def unloaded_pages(source: Path, pages: list[Page], sources: list[Path]) -> dict[str, str]:
    """The pages whose files (of `sources`) are there but did not load (their errors are
    reported), with the URLs they would have: links to them are not errors of their own."""
    loaded = {page.content_path for page in pages}
    root = source / CONTENT_DIR
    found = (path.relative_to(root).as_posix() for path in sources)
    return {path: page_url(path, None) or "" for path in found if path not in loaded}


def fail_on_errors(problems: list[BuildError], strict: bool = False) -> None:
    """Stop the build if any problem is an error (or, under --strict, any at all)."""
    if errors_only(problems) or (strict and problems):
        # File by file, top to bottom, whichever check found each: as an editor fixes them.
        raise BuildFailed(sorted(problems, key=lambda problem: problem.span))


def site_state(site: Assembly, cache: StageCache) -> SiteState:
    """Keep what `reassemble` needs of a full build (its page scans are in `cache`)."""
    html = [f for f in site.files if f.path.endswith(".html") and f.data is not None]
    return SiteState(
        config=site.config,
        pages=[replace(page, body="") for page in site.published],
        drafts=site.drafts,
        menu=site.menu,
        tables=site.table_data,
        row_pages=site.row_pages,
        paths=frozenset(f.path for f in site.files),
        ids={f.path: scan_html(f.data, cache).ids for f in html},
        standing=site.standing,
    )


def edited_pages(changed: frozenset[str]) -> list[str]:
    """Return the changed files if all are Markdown pages (not tables), else nothing."""
    pages = [
        path
        for path in changed
        if path.startswith(f"{CONTENT_DIR}/")
        and path.endswith(".md")
        and not path.startswith(f"{CONTENT_DIR}/{DATA_DIR}/")
    ]
    return sorted(pages) if len(pages) == len(changed) else []


def reassemble(
    options: BuildOptions, cache: StageCache, state: SiteState | None, edited: list[str]
) -> Assembly | None:
    """Render again just the `edited` pages, if only their text below the front matter changed.

    Everything else must be as the build that kept `state` left it. Return the pages' new files,
    or None when the edits reach further (front matter, ids, warnings): then build it all.
    """
    if state is None:
        return None
    source = options.source
    cache.start_run()
    known = {page.source: page for page in state.pages}
    pages = []
    for path in edited:
        if path not in known or not (source / path).is_file() or (source / path).is_symlink():
            return None  # a page added, removed or unpublished changes what others show
        page, problems = read_page(source, source / path)
        if page is None or problems or known[path] != replace(page, body=""):
            return None
        pages.append(page)
    urls = UrlMaker(state.config.base_url)
    page_urls = {p.content_path: urls.path(p.url) for p in state.pages}
    fresh = {page.source: page for page in pages}
    ordered = [fresh.get(page.source, page) for page in state.pages]
    only = frozenset(page.content_path for page in pages)
    templates, bodies, html, problems = make_pages(
        source, state.config, state.tables, state.row_pages, ordered, state.menu, page_urls,
        state.drafts, cache, only=only, standing=state.standing,
    )  # fmt: skip
    further, further_problems = templates.render_further(pages, bodies)
    html, problems = html + further, problems + further_problems
    fail_on_errors(problems)
    ids = finished_page_ids(html, pages, cache)
    if any(ids[page.content_path] != state.ids[page.output] for page in pages):
        return None  # links to these pages from elsewhere must be checked again
    places = link_places(pages, bodies, templates.renderer, state.config)
    if any(b"<img" in (f.data or b"") for f in html):  # else the site's files need no listing
        assets = static_files(site_theme(source, state.config.theme)) + content_files(source)
        html, variants, image_problems = process_images(html, assets, urls, cache, places)
        problems += image_problems
        if any(variant.path not in state.paths for variant in variants):
            return None  # an image new to the site: its variants are written by a full build
    problems += check_links_within(html, urls, state.paths, state.ids, cache, places)
    fail_on_errors(problems)
    if problems:
        return None  # warnings: a full build reports them with the rest of the site's
    out = options.out or source / state.config.output_dir
    return Assembly(
        files=html,
        pages=len(state.pages),
        tables=len(state.tables),
        static=0,
        out=out,
        warnings=[],
        config=state.config,
        published=ordered,
        bodies=bodies,
        table_data=state.tables,
        drafts=state.drafts,
        menu=state.menu,
        row_pages=state.row_pages,
    )
