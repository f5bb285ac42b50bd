"""The command line: `sitegen build | serve | check | schemas | new`, each a short function over a
build session (`session.py`). Only here do problems become an exit status.

The stages are imported by the commands that run them, not here: Markdown, Jinja2 and YAML take
longer to load than a build with nothing to do takes to finish.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
from dataclasses import replace
from pathlib import Path

from . import __version__
from .errors import BuildError, BuildFailed, SourceSpan, errors_only
from .options import BuildOptions
from .session import Session, previous_output, relative_to

VNU = "node_modules/vnu-jar/build/dist/vnu.jar"  # the Nu HTML Checker, if the site installed it


class CheckFailed(Exception):
    """`check` found errors (already printed in the format asked for)."""

    def __init__(self, count: int):
        super().__init__(f"check failed: {count} error{'s' * (count != 1)}")


def build(options: BuildOptions, started: float) -> str:
    """Build the site into its output folder; return the summary line."""
    with Session(options) as session:
        outcome = session.build()
    for problem in outcome.warnings:
        print(problem.format(), file=sys.stderr)
    redone = f" ({outcome.redone})" if outcome.redone else ""
    return (
        f"built {outcome.pages} pages, {outcome.tables} tables, {outcome.static} static files "
        f"in {time.perf_counter() - started:.2f} s into {outcome.out}{redone}"
    )


def check(options: BuildOptions) -> list[BuildError]:
    """Build into a temporary folder, then check what a published site needs; return problems.

    The published output folder is never touched: a check is not a deploy.
    """
    from .audit import (
        html_errors,
        images_without_alt,
        pages_without_description,
        placeholder_descriptions,
        robots_placement,
        stale_tables,
    )
    from .scaffold import PLACEHOLDER_DESCRIPTION, today

    with (
        tempfile.TemporaryDirectory(prefix="sitegen-check-") as scratch,
        Session(replace(options, out=Path(scratch) / "site"), snapshot=False) as session,
    ):
        try:
            outcome = session.build()
        except BuildFailed as failure:
            return failure.errors
        site = outcome.site
        problems = list(outcome.warnings)
        problems += stale_tables(options.source, site.table_data, site.config.max_age, today())
        problems += images_without_alt(site.published, site.bodies)
        problems += pages_without_description(site.published)
        problems += placeholder_descriptions(site.published, PLACEHOLDER_DESCRIPTION)
        problems += robots_placement(site.config)
        published = options.out or options.source / site.config.output_dir
        shown_as = relative_to(published.absolute(), options.source)
        problems += html_errors(site.out, nu_checker(options.source), shown_as)
        return problems


def nu_checker(source: Path) -> Path:
    """Where vnu.jar is: installed in the site's folder, else in the current one."""
    candidates = [source / VNU, Path.cwd() / VNU]
    return next((path for path in candidates if path.is_file()), candidates[0])


def write_schemas(source: Path, out: Path) -> int:
    """Write one JSON Schema per table into `out`; return how many were written."""
    from .pipeline import fail_on_errors
    from .tables import table_schemas

    schemas, problems = table_schemas(source)
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        text = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (out / f"{name}.schema.json").write_text(text, encoding="utf-8")
    fail_on_errors(problems)
    return len(schemas)


def serve(source: Path, host: str, port: int, drafts: bool, open_browser: bool) -> str:
    """Build, serve with live reload and rebuild on every change, until Ctrl-C."""
    from .config import CONFIG_FILE, EXTENSIONS_FILE, named_inputs
    from .paths import SOURCE_DIRS
    from .search import stop_background
    from .server import LOCAL_HOSTS, DevServer, Rebuilt, port_in_use
    from .themes import site_theme

    if host not in LOCAL_HOSTS:
        print(
            f"warning: serving on {host} lets other machines read the site; "
            "the default, 127.0.0.1, does not",
            file=sys.stderr,
            flush=True,
        )
    options = BuildOptions(source=source, base_url=f"http://{host}:{port}/", drafts=drafts)
    session = Session(options, on_disk=False, write=False)

    def rebuild(changed: frozenset[str] | None) -> Rebuilt:
        started = time.perf_counter()
        try:
            outcome = session.build(told=changed)
        except BuildFailed as failure:
            errors = errors_only(failure.errors)
            files = sorted({error.span.path for error in errors})
            named = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
            return Rebuilt(
                None,
                failure.errors,
                f"{len(errors)} error{'s' * (len(errors) != 1)} in {named}; "
                "still serving the last good site",
            )
        except Exception as exc:  # noqa: BLE001 - the server must outlive any failed rebuild
            error = BuildError(
                SourceSpan("build"),
                f"the build stopped unexpectedly: {type(exc).__name__}: {exc}",
                "run the build with --debug",
            )
            return Rebuilt(None, [error], "still serving the last good site")
        ms = (time.perf_counter() - started) * 1000
        cache, site = session.cache, outcome.site
        return Rebuilt(
            site.files,
            outcome.warnings,
            f"rebuilt {cache.done['body']} page bodies and {cache.done['html']} "
            f"templates ({cache.reused['body']} bodies reused) in {ms:.0f} ms",
            later=lambda: session.search_files(site, site.files),  # served when made
            theme=site_theme(source, site.config.theme).folder,
        )

    watch = [source / name for name in (*SOURCE_DIRS, CONFIG_FILE, EXTENSIONS_FILE)]
    watch += [source / name for name in named_inputs(source)]
    server = DevServer(rebuild, source, watch, host, port, lambda m: print(m, flush=True))
    try:
        with session:
            try:
                server.run(open_browser)
            finally:
                # The index being made in the background stops before its folder is removed.
                stop_background()
                server.finish_later()
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


def program_name() -> str:
    """The command as it was called: `sitegen`, `build.py` or `python -m sitegen`."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "sitegen"
    return "python -m sitegen" if name == "__main__.py" else name


def parse_args(argv: list[str] | None, home: Path | None = None) -> argparse.Namespace:
    """Read the command line; `home` is the folder a script such as build.py was run from."""
    default_folder = "the folder of build.py" if home else "the current folder"
    parser = argparse.ArgumentParser(
        prog=program_name(), description="A static site generator for data-rich sites."
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
    new_cmd.add_argument("kind", choices=["article", "page", "table"], help="what to create")
    new_cmd.add_argument(
        "name",
        help="the article's title; the page's path in content/ ('index': the home page); "
        "or the table's name",
    )
    check_cmd = commands.add_parser(
        "check",
        help="build, then check what publishing needs; exit 1 on any error",
        description="Build the site into a temporary folder (the output folder is left as it "
        "is), then check every internal link and anchor, HTML validity (with the Nu HTML Checker "
        "when Java and node_modules/vnu-jar are there), each table's as_of date against max_age "
        "of site.yaml (stale data is a warning), images without alt text and pages without a "
        "description.",
    )
    check_cmd.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="text lines, JSON for tools (only JSON on standard output), or GitHub Actions "
        "annotations",
    )
    init_cmd = commands.add_parser(
        "init",
        help="start a new site in a folder",
        description="Write a new site into DIR (made if missing): site.yaml, a home page, an "
        "article with a data table shown as a table and a chart, a .gitignore and a GitHub Pages "
        "workflow. It uses the default theme, so it has no templates of its own. Never "
        "overwrites: if one of these files exists, nothing is written.",
    )
    init_cmd.add_argument("folder", type=Path, metavar="DIR", help="the new site's folder")
    init_cmd.add_argument("--title", default="My Site", help="the site's title (default: My Site)")
    init_cmd.add_argument(
        "--base-url",
        default="https://example.org/",
        metavar="URL",
        help="the URL the site will be published at (default: https://example.org/)",
    )
    init_cmd.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    for command in (build_cmd, schemas_cmd, serve_cmd, new_cmd, check_cmd):
        command.add_argument(
            "--source",
            type=Path,
            metavar="DIR",
            default=None,
            help="site folder holding site.yaml, content/, templates/ and static/ "
            f"(default: {default_folder})",
        )
        command.add_argument(
            "--debug",
            action="store_true",
            help="show a Python traceback when the command fails unexpectedly",
        )
    schemas_cmd.add_argument(
        "--out", type=Path, metavar="DIR", help="folder for the schemas (default: schemas/)"
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


def default_source(home: Path | None) -> Path:
    """The folder of the calling script if it holds a site, else the current folder."""
    return home if home is not None and (home / "site.yaml").is_file() else Path.cwd()


def run(args: argparse.Namespace, home: Path | None = None) -> str:
    """Run the command asked for; return its one-line summary."""
    if args.command == "init":
        from .starter import init_site

        init_site(args.folder, args.title, args.base_url)
        where = args.folder
        return f"started a site in {where}: cd {where} && {program_name()} serve"
    source = (args.source or default_source(home)).resolve()
    started = time.perf_counter()
    if args.command in ("new", "serve"):
        from .config import require_site

        require_site(source)  # a page, or a server, for no site at all helps nobody
    if args.command == "new":
        from .scaffold import new_article, new_page, new_table

        make = {"article": new_article, "page": new_page, "table": new_table}[args.kind]
        made = make(source, args.name)
        return relative_to(made, source)
    if args.command == "serve":
        return serve(source, args.host, args.port, args.drafts, args.open)
    if args.command == "schemas":
        out = args.out or source / "schemas"
        count = write_schemas(source, out)
        return f"wrote {count} table schemas into {out}"
    options = BuildOptions(
        source=source,
        out=args.out,
        base_url=args.base_url,
        drafts=args.drafts,
        strict=args.strict,
        cache_dir=args.cache_dir,
        use_cache=not args.no_cache,
        jobs=max(1, args.jobs),
        search=not args.no_search,
    )
    if args.command == "check":
        from .audit import format_problems

        problems = check(options)
        if problems or args.format == "json":  # JSON is always a document, if an empty one
            print(format_problems(problems, args.format))
        if errors_only(problems) or (args.strict and problems):
            raise CheckFailed(len(errors_only(problems)) or len(problems))
        return f"checked: {len(problems)} warning{'s' * (len(problems) != 1)}, no errors"
    return build(options, started)


def main(argv: list[str] | None = None, home: Path | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parse_args(argv, home)

    def unchanged() -> str:
        source = (getattr(args, "source", None) or default_source(home)).resolve()
        if args.command == "build" and previous_output(source, args.out) is not None:
            return "the previous output is unchanged"
        return "nothing written"

    # A summary goes to standard error where standard output carries data for tools.
    summary_to = sys.stderr if getattr(args, "format", "text") == "json" else sys.stdout
    try:
        print(run(args, home), file=summary_to)
        return 0
    except CheckFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    except BuildFailed as failure:
        if args.debug and failure.__cause__ is not None:  # the site's own code failed
            traceback.print_exception(failure.__cause__, file=sys.stderr)
        for problem in failure.errors:
            print(problem.format(), file=sys.stderr)
        count = len(errors_only(failure.errors)) or len(failure.errors)
        print(
            f"{args.command} failed: {count} error{'s' * (count != 1)}; {unchanged()}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(f"{args.command} interrupted; {unchanged()}", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the command line owns the exit status
        if args.debug:
            raise
        where = getattr(exc, "filename", None) or args.command
        reason = getattr(exc, "strerror", None) or f"{type(exc).__name__}: {exc}"
        print(
            f"{where}: error: {reason} (run with --debug for the traceback; {unchanged()})",
            file=sys.stderr,
        )
        return 1
