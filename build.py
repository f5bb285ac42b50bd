#!/usr/bin/env python3
"""Build the static site: site.yaml, content/, templates/ and static/ in, a folder of HTML out.

The pipeline, top to bottom: load config, load content, render Markdown, render templates,
add the site files, check the result, write it. Each stage lives in its own module of `sitegen`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sitegen import __version__
from sitegen.blocks import BlockRenderer
from sitegen.cache import StageCache
from sitegen.checks import check_internal_links, finished_page_ids
from sitegen.config import load_config
from sitegen.content import load_pages
from sitegen.datapages import data_pages
from sitegen.errors import BuildError, BuildFailed, errors_only
from sitegen.markup import check_anchors, highlight_css, render_bodies
from sitegen.navigation import build_menu, reading_order
from sitegen.outputs import OutputFile, find_path_clashes, robots_txt, sitemap, static_files
from sitegen.render import TemplateRenderer, render_pages
from sitegen.tables import load_tables, table_schemas
from sitegen.urls import UrlMaker
from sitegen.write import check_output_folder, write_site


@dataclass(frozen=True)
class BuildOptions:
    """What the command line asked for."""

    source: Path
    out: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False


@dataclass(frozen=True)
class Assembly:
    """The whole site, made in memory and checked, ready to be written or served."""

    files: list[OutputFile]
    pages: int
    tables: int
    static: int
    out: Path
    warnings: list[BuildError]


def build(options: BuildOptions, cache: StageCache | None = None) -> Assembly:
    """Make the site and write it; raise `BuildFailed` with every problem found."""
    site = assemble(options, cache or StageCache())
    write_site(site.files, site.out)
    return site


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
    blocks = BlockRenderer(tables, templates)
    bodies, body_problems = render_bodies(
        published, page_urls, drafts, blocks.expand, cache, blocks.fingerprint()
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
            OutputFile("css/highlight.css", highlight_css().encode(), origin="highlight.css"),
        ]
    )
    problems += find_path_clashes(files) + check_internal_links(files, urls, cache)
    problems += check_output_folder(out, source)
    fail_on_errors(problems, strict=options.strict)
    files.sort(key=lambda f: f.path)
    return Assembly(files, len(published), len(tables), len(static), out, problems)


def fail_on_errors(problems: list[BuildError], strict: bool = False) -> None:
    """Stop the build if any problem is an error (or, under --strict, any at all)."""
    if errors_only(problems) or (strict and problems):
        raise BuildFailed(problems)


def write_schemas(source: Path, out: Path) -> int:
    """Write one JSON Schema per table into `out`; return how many were written."""
    schemas, problems = table_schemas(source)
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        text = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (out / f"{name}.schema.json").write_text(text, encoding="utf-8")
    fail_on_errors(problems)
    return len(schemas)


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
    for command in (build_cmd, schemas_cmd):
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
    build_cmd.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="output folder (default: output_dir of site.yaml, '_site', inside the site folder)",
    )
    build_cmd.add_argument(
        "--base-url",
        metavar="URL",
        help="URL the site is published at, overriding base_url of site.yaml; "
        "may have a sub-path, e.g. https://example.org/guide/",
    )
    build_cmd.add_argument(
        "--drafts", action="store_true", help="also build pages marked 'draft: true'"
    )
    build_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    return parser.parse_args(argv)


def default_source() -> Path:
    """The folder of build.py, or the current folder when build.py is installed elsewhere."""
    here = Path(__file__).resolve().parent
    return here if (here / "site.yaml").is_file() else Path.cwd()


def run(args: argparse.Namespace) -> str:
    """Run the command asked for; return its one-line summary."""
    source = (args.source or default_source()).resolve()
    started = time.perf_counter()
    if args.command == "schemas":
        out = args.out or source / "schemas"
        count = write_schemas(source, out)
        return f"wrote {count} table schemas into {out}"
    options = BuildOptions(source, args.out, args.base_url, args.drafts, args.strict)
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
    unchanged = "the previous output is unchanged"
    try:
        print(run(args))
        return 0
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
