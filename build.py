#!/usr/bin/env python3
"""Build the static site: site.yaml, content/, templates/ and static/ in, a folder of HTML out.

The pipeline, top to bottom: load config, load content, render Markdown, render templates,
add the site files, check the result, write it. Each stage lives in its own module of `sitegen`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sitegen import __version__
from sitegen.audit import (
    format_problems,
    html_errors,
    images_without_alt,
    pages_without_description,
    stale_tables,
)
from sitegen.blocks import BlockRenderer
from sitegen.cache import StageCache
from sitegen.checks import check_internal_links, finished_page_ids
from sitegen.config import SiteConfig, load_config
from sitegen.content import Page, load_pages
from sitegen.datapages import data_pages
from sitegen.errors import BuildError, BuildFailed, SourceSpan, errors_only, warning
from sitegen.markup import PageBody, check_anchors, highlight_css, render_bodies
from sitegen.navigation import build_menu, reading_order
from sitegen.outputs import (
    OutputFile,
    atom_feed,
    find_path_clashes,
    robots_txt,
    sitemap,
    static_files,
)
from sitegen.render import TemplateRenderer, render_pages
from sitegen.scaffold import new_article, new_table, today
from sitegen.search import index_site
from sitegen.server import LOCAL_HOSTS, DevServer, Rebuilt, port_in_use
from sitegen.tables import Table, load_tables, table_schemas
from sitegen.urls import UrlMaker
from sitegen.write import check_output_folder, write_site

CACHE_DIR = ".cache"
VNU = "node_modules/vnu-jar/build/dist/vnu.jar"  # installed by `make test`


@dataclass(frozen=True)
class BuildOptions:
    """What the command line asked for."""

    source: Path
    out: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    cache_dir: Path | None = None  # default: .cache/ in the site folder
    use_cache: bool = True
    jobs: int = os.cpu_count() or 1
    search: bool = True  # index for search when site.yaml asks for it


@dataclass(frozen=True)
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


def build(options: BuildOptions) -> Assembly:
    """Make the site and write it; raise `BuildFailed` with every problem found."""
    folder = options.cache_dir or options.source / CACHE_DIR
    cache = StageCache(folder if options.use_cache else None)
    site = assemble(options, cache)
    write_site(site.files, site.out)
    if site.config.search and options.search:
        index_site(site.out)
    for entry in cache.ignored[:3]:
        site.warnings.append(
            warning(
                SourceSpan(relative_to(entry, options.source)),
                "ignored a damaged or foreign cache entry",
                "it was rebuilt; delete the cache folder to start afresh",
            )
        )
    return site


def relative_to(path: Path, folder: Path) -> str:
    """Return `path` relative to `folder` when inside it, else as it is."""
    return path.relative_to(folder).as_posix() if path.is_relative_to(folder) else str(path)


def assemble(options: BuildOptions, cache: StageCache) -> Assembly:
    """Run the pipeline in memory; `cache` lets unchanged pages and tables be reused."""
    source = options.source
    cache.start_run()
    config = load_config(source, options.base_url)
    out = options.out or source / config.output_dir
    urls = UrlMaker(config.base_url)

    pages, problems = load_pages(source, cache)
    tables, table_problems = load_tables(source, cache)
    problems += table_problems
    fail_on_errors(problems)
    drafts = frozenset(p.content_path for p in pages if p.draft and not options.drafts)
    published = reading_order([p for p in pages if p.content_path not in drafts])
    menu, menu_problems = build_menu(config, published, urls, drafts)
    page_urls = {p.content_path: urls.path(p.url) for p in published}

    row_pages, row_problems = data_pages(tables)
    row_urls = {(p.table, p.key): p.url for p in row_pages}
    templates = TemplateRenderer(source, urls, tables, row_urls, cache)
    blocks = BlockRenderer(tables, templates)  # forked rendering processes get a copy
    bodies, body_problems = render_bodies(
        published,
        page_urls,
        drafts,
        lambda: blocks.expand,
        cache,
        blocks.fingerprint(),
        options.jobs,
    )
    html, template_problems = render_pages(
        templates, config, published, bodies, menu, urls, row_pages
    )
    problems += row_problems + menu_problems + body_problems + template_problems
    problems += check_anchors(bodies, finished_page_ids(html, published, cache))
    fail_on_errors(problems)

    static = static_files(source)
    files = (
        html
        + static
        + [
            sitemap(published, urls, [(p.url, tables[p.table].as_of) for p in row_pages]),
            robots_txt(urls),
            atom_feed(published, config, urls),
            OutputFile("css/highlight.css", highlight_css().encode(), origin="highlight.css"),
        ]
    )
    problems += find_path_clashes(files) + check_internal_links(files, urls, cache)
    problems += check_output_folder(out, source)
    fail_on_errors(problems, strict=options.strict)
    files.sort(key=lambda f: f.path)
    return Assembly(
        files,
        len(published),
        len(tables),
        len(static),
        out,
        problems,
        config,
        published,
        bodies,
        tables,
    )


def fail_on_errors(problems: list[BuildError], strict: bool = False) -> None:
    """Stop the build if any problem is an error (or, under --strict, any at all)."""
    if errors_only(problems) or (strict and problems):
        raise BuildFailed(problems)


class CheckFailed(Exception):
    """`check` found errors (already printed in the format asked for)."""

    def __init__(self, count: int):
        super().__init__(f"check failed: {count} error{'s' * (count != 1)}")


def check(options: BuildOptions) -> list[BuildError]:
    """Build, then check what a published site needs; return every problem found."""
    try:
        site = build(options)
    except BuildFailed as failure:
        return failure.errors
    problems = list(site.warnings)
    problems += stale_tables(options.source, site.table_data, site.config.max_age, today())
    problems += images_without_alt(site.published, site.bodies)
    problems += pages_without_description(site.published)
    problems += html_errors(site.out, Path(__file__).resolve().parent / VNU)
    return problems


def write_schemas(source: Path, out: Path) -> int:
    """Write one JSON Schema per table into `out`; return how many were written."""
    schemas, problems = table_schemas(source)
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        text = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (out / f"{name}.schema.json").write_text(text, encoding="utf-8")
    fail_on_errors(problems)
    return len(schemas)


def serve(source: Path, host: str, port: int, drafts: bool, open_browser: bool) -> str:
    """Build, serve with live reload and rebuild on every change, until Ctrl-C."""
    if host not in LOCAL_HOSTS:
        print(
            f"warning: serving on {host} lets other machines read the site; "
            "the default, 127.0.0.1, does not",
            file=sys.stderr,
            flush=True,
        )
    options = BuildOptions(source, None, f"http://{host}:{port}/", drafts)
    cache = StageCache()

    def rebuild() -> Rebuilt:
        started = time.perf_counter()
        try:
            site = assemble(options, cache)
        except BuildFailed as failure:
            count = len(errors_only(failure.errors))
            return Rebuilt(
                None,
                failure.errors,
                f"{count} error{'s' * (count != 1)}; still serving the last good site",
            )
        except Exception as exc:  # noqa: BLE001 - the server must outlive any failed rebuild
            error = BuildError(
                SourceSpan("build"),
                f"the build stopped unexpectedly: {type(exc).__name__}: {exc}",
                "run 'build.py build --debug'",
            )
            return Rebuilt(None, [error], "still serving the last good site")
        ms = (time.perf_counter() - started) * 1000
        return Rebuilt(
            site.files,
            site.warnings,
            f"rebuilt {cache.done['body']} page bodies and {cache.done['html']} "
            f"templates ({cache.reused['body']} bodies reused) in {ms:.0f} ms",
        )

    watch = [source / name for name in ("content", "templates", "static", "site.yaml")]
    server = DevServer(rebuild, source, watch, host, port, lambda m: print(m, flush=True))
    try:
        server.run(open_browser)
    except OSError as exc:
        if port_in_use(exc):
            raise BuildFailed(
                [
                    BuildError(
                        SourceSpan("--port"),
                        f"port {port} is in use",
                        f"stop what uses it, or pick another: --port {port + 1}",
                    )
                ]
            ) from exc
        raise
    except KeyboardInterrupt:
        pass
    return "stopped"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="build.py", description="A static site generator for data-rich guides."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_cmd = commands.add_parser(
        "build",
        help="build the site into the output folder",
        description="Build the site. The new output replaces the old only if the build succeeds.",
    )
    schemas_cmd = commands.add_parser(
        "schemas",
        help="write a JSON Schema per data table, for editors",
        description="Write NAME.schema.json (JSON Schema 2020-12) for each table of "
        "content/data/, so that an editor with a YAML language server checks tables as you type.",
    )
    serve_cmd = commands.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 and reload the browser on every change",
        description="Build the site in memory, serve it with live reload, and rebuild only what a "
        "change touches. A failed rebuild keeps the last good pages served, with the errors shown "
        "on every page. Nothing is written to the output folder.",
    )
    serve_cmd.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only)",
    )
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve_cmd.add_argument("--open", action="store_true", help="open the site in a browser")
    serve_cmd.add_argument("--drafts", action="store_true", help="also serve draft pages")
    new_cmd = commands.add_parser(
        "new",
        help="start a new article or data table",
        description="Write a new article (content/SLUG.md, the slug from the title, today's date) "
        "or a table skeleton (content/data/NAME.yaml) and print its path. Never overwrites.",
    )
    new_cmd.add_argument("kind", choices=["article", "table"], help="what to create")
    new_cmd.add_argument("name", help="the article's title, or the table's name")
    for command in (build_cmd, schemas_cmd, serve_cmd, new_cmd):
        command.add_argument(
            "--source",
            type=Path,
            metavar="DIR",
            default=None,
            help="site folder holding site.yaml, content/, templates/ and static/ "
            "(default: the folder of build.py)",
        )
        command.add_argument(
            "--debug",
            action="store_true",
            help="show a Python traceback when the command fails unexpectedly",
        )
    schemas_cmd.add_argument(
        "--out", type=Path, metavar="DIR", help="folder for the schemas (default: schemas/)"
    )
    check_cmd = commands.add_parser(
        "check",
        help="build, then check what publishing needs; exit 1 on any error",
        description="Build the site, then check every internal link and anchor, HTML validity "
        "(with the Nu HTML Checker when Java is there), each table's as_of date against max_age "
        "of site.yaml (stale data is a warning), images without alt text and pages without a "
        "description.",
    )
    check_cmd.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="text lines, JSON for tools, or GitHub Actions annotations",
    )
    check_cmd.add_argument(
        "--source",
        type=Path,
        metavar="DIR",
        default=None,
        help="site folder (default: the folder of build.py)",
    )
    check_cmd.add_argument(
        "--debug",
        action="store_true",
        help="show a Python traceback when the command fails unexpectedly",
    )
    for command in (build_cmd, check_cmd):
        command.add_argument(
            "--out",
            type=Path,
            metavar="DIR",
            help="output folder (default: output_dir of site.yaml, '_site', in the site folder)",
        )
        command.add_argument(
            "--base-url",
            metavar="URL",
            help="URL the site is published at, overriding base_url of site.yaml; "
            "may have a sub-path, e.g. https://example.org/guide/",
        )
        command.add_argument(
            "--drafts", action="store_true", help="also build pages marked 'draft: true'"
        )
        command.add_argument("--strict", action="store_true", help="treat warnings as errors")
        command.add_argument(
            "--cache-dir",
            type=Path,
            metavar="DIR",
            help="where results are kept between builds (default: .cache in the site folder)",
        )
        command.add_argument(
            "--no-search",
            action="store_true",
            help="skip the search index even if site.yaml asks for one (search: true)",
        )
        command.add_argument(
            "--no-cache", action="store_true", help="neither use nor update the cache: a cold build"
        )
        command.add_argument(
            "--jobs",
            type=int,
            metavar="N",
            default=os.cpu_count() or 1,
            help="processes rendering pages (default: the number of cores); "
            "the output is the same for any N",
        )
    return parser.parse_args(argv)


def default_source() -> Path:
    """The folder of build.py, or the current folder when build.py is installed elsewhere."""
    here = Path(__file__).resolve().parent
    return here if (here / "site.yaml").is_file() else Path.cwd()


def run(args: argparse.Namespace) -> str:
    """Run the command asked for; return its one-line summary."""
    source = (args.source or default_source()).resolve()
    started = time.perf_counter()
    if args.command == "new":
        made = (new_article if args.kind == "article" else new_table)(source, args.name)
        return relative_to(made, source)
    if args.command == "serve":
        return serve(source, args.host, args.port, args.drafts, args.open)
    if args.command == "schemas":
        out = args.out or source / "schemas"
        count = write_schemas(source, out)
        return f"wrote {count} table schemas into {out}"
    options = BuildOptions(
        source,
        args.out,
        args.base_url,
        args.drafts,
        args.strict,
        args.cache_dir,
        not args.no_cache,
        max(1, args.jobs),
        not args.no_search,
    )
    if args.command == "check":
        problems = check(options)
        if problems:
            print(format_problems(problems, args.format))
        if errors_only(problems) or (args.strict and problems):
            raise CheckFailed(len(errors_only(problems)) or len(problems))
        return f"checked: {len(problems)} warning{'s' * (len(problems) != 1)}, no errors"
    summary = build(options)
    for problem in summary.warnings:
        print(problem.format(), file=sys.stderr)
    seconds = time.perf_counter() - started
    return (
        f"built {summary.pages} pages, {summary.tables} tables, {summary.static} static files "
        f"in {seconds:.2f} s into {summary.out}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status. Only here do problems become a status."""
    args = parse_args(argv)
    unchanged = "the previous output is unchanged" if args.command == "build" else "nothing written"
    try:
        print(run(args))
        return 0
    except CheckFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    except BuildFailed as failure:
        for problem in failure.errors:
            print(problem.format(), file=sys.stderr)
        count = len(errors_only(failure.errors)) or len(failure.errors)
        print(
            f"{args.command} failed: {count} error{'s' * (count != 1)}; {unchanged}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(f"{args.command} interrupted; {unchanged}", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the command line owns the exit status
        if args.debug:
            raise
        where = getattr(exc, "filename", None) or args.command
        reason = getattr(exc, "strerror", None) or f"{type(exc).__name__}: {exc}"
        print(
            f"{where}: error: {reason} (run with --debug for the traceback; {unchanged})",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
