#!/usr/bin/env python3
"""Build the static site: site.yaml, content/, templates/ and static/ in, a folder of HTML out.

A build, top to bottom: compare the inputs with the snapshot of the last build (nothing changed:
done); run the pipeline of `sitegen.pipeline` (load config, load pages and tables, render Markdown,
fill templates, add the site files, check links and anchors); write the output; index it for
search; record the new snapshot. Each stage lives in its own module of `sitegen`.

The stages are imported by the commands that run them, not here: Markdown, Jinja2 and YAML take
longer to load than a build with nothing to do takes to finish.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import __version__
from sitegen.errors import BuildError, BuildFailed, SourceSpan, errors_only, warning
from sitegen.options import BuildOptions
from sitegen.snapshot import (
    Snapshot,
    SnapshotStore,
    output_intact,
    output_stats,
    read_inputs,
    restat,
    settings_key,
)

if TYPE_CHECKING:
    from sitegen.pipeline import Assembly

CACHE_DIR = ".cache"
VNU = "node_modules/vnu-jar/build/dist/vnu.jar"  # installed by `make test`


@dataclass(frozen=True)
class Outcome:
    """What a build did, for its summary line."""

    pages: int
    tables: int
    static: int
    out: Path
    warnings: list[BuildError]
    redone: str = ""  # what a build that skipped work did, e.g. 'nothing changed'


def build(options: BuildOptions) -> Outcome:
    """Make the site and write it; raise `BuildFailed` with every problem found.

    With the cache on, the snapshot of the last successful build says what may be skipped:
    everything when no input changed and the output is as it was left, or all but the pages
    whose text changed below unchanged front matter. Anything else is a full build.
    """
    started_ns = time.time_ns()
    if not options.use_cache:
        return build_all(options)
    folder = options.cache_dir or options.source / CACHE_DIR
    store = SnapshotStore(folder, settings_key(Path(__file__), *snapshot_options(options)))
    before = store.load_snapshot()
    inputs = read_inputs(options.source, before)
    intact = before is not None and output_intact(before)
    if intact and not inputs.changed:
        warnings = before.warnings + cache_warnings(store.ignored, options.source)
        return Outcome(*before.counts, Path(before.out), warnings, "nothing changed")

    from sitegen.cache import StageCache
    from sitegen.pipeline import assemble, edited_pages, reassemble, site_state
    from sitegen.write import update_files, write_site

    cache = StageCache(folder)
    # Pages alone may be redone only if the site had no warnings: a full build reports them all.
    edited = edited_pages(inputs.changed) if intact and not before.warnings else []
    site = reassemble(options, cache, store.load_state(), edited) if edited else None
    if site is None:
        site = assemble(options, cache)
        store.forget()  # until the new output is written and described
        write_site(site.files, site.out)
        state, outputs, counts = site_state(site, cache), None, site.counts
    else:
        store.forget()
        written = update_files(site.files, site.out)
        # One file is replaced in place; more means a new folder tree: describe it afresh.
        outputs = restat(before.outputs, site.out, written) if len(written) <= 1 else None
        state, counts = None, before.counts
    if index_if_asked(site, options):
        outputs = None  # the search index rewrote files of its own
    out = site.out.absolute()
    snapshot = Snapshot(
        store.settings,
        started_ns,
        inputs.files,
        outputs or output_stats(out),
        str(out),
        counts,
        list(site.warnings),
    )
    store.save(snapshot, state)
    warnings = site.warnings + cache_warnings(cache.ignored + store.ignored, options.source)
    redone = "" if state else f"{len(site.files)} of {counts[0]} pages rendered again"
    return Outcome(*counts, site.out, warnings, redone)


def build_all(options: BuildOptions) -> Outcome:
    """Build without the cache: every stage runs, and nothing is kept for the next build."""
    from sitegen.cache import StageCache
    from sitegen.pipeline import assemble
    from sitegen.write import write_site

    site = assemble(options, StageCache())
    write_site(site.files, site.out)
    index_if_asked(site, options)
    return Outcome(*site.counts, site.out, site.warnings)


def snapshot_options(options: BuildOptions) -> tuple:
    """The options that make a build's output differ (not --jobs: any N gives the same bytes)."""
    out = options.out.absolute() if options.out else None
    return options.source, out, options.base_url, options.drafts, options.strict, options.search


def index_if_asked(site: Assembly, options: BuildOptions) -> bool:
    """Index the written site for search if site.yaml asks and --no-search does not forbid it."""
    if site.config.search and options.search:
        from sitegen.search import index_site

        index_site(site.out)
        return True
    return False


def cache_warnings(ignored: list[Path], source: Path) -> list[BuildError]:
    """One warning for each of the first few damaged or foreign cache files found."""
    return [
        warning(
            SourceSpan(relative_to(entry, source)),
            "ignored a damaged or foreign cache entry",
            "it was rebuilt; delete the cache folder to start afresh",
        )
        for entry in ignored[:3]
    ]


def relative_to(path: Path, folder: Path) -> str:
    """Return `path` relative to `folder` when inside it, else as it is."""
    return path.relative_to(folder).as_posix() if path.is_relative_to(folder) else str(path)


class CheckFailed(Exception):
    """`check` found errors (already printed in the format asked for)."""

    def __init__(self, count: int):
        super().__init__(f"check failed: {count} error{'s' * (count != 1)}")


def check(options: BuildOptions) -> list[BuildError]:
    """Build, then check what a published site needs; return every problem found."""
    from sitegen.audit import (
        html_errors,
        images_without_alt,
        pages_without_description,
        stale_tables,
    )
    from sitegen.cache import StageCache
    from sitegen.pipeline import assemble
    from sitegen.scaffold import today
    from sitegen.write import write_site

    folder = options.cache_dir or options.source / CACHE_DIR
    cache = StageCache(folder if options.use_cache else None)
    try:
        site = assemble(options, cache)
    except BuildFailed as failure:
        return failure.errors
    write_site(site.files, site.out)
    index_if_asked(site, options)
    problems = site.warnings + cache_warnings(cache.ignored, options.source)
    problems += stale_tables(options.source, site.table_data, site.config.max_age, today())
    problems += images_without_alt(site.published, site.bodies)
    problems += pages_without_description(site.published)
    problems += html_errors(site.out, Path(__file__).resolve().parent / VNU)
    return problems


def write_schemas(source: Path, out: Path) -> int:
    """Write one JSON Schema per table into `out`; return how many were written."""
    from sitegen.pipeline import fail_on_errors
    from sitegen.tables import table_schemas

    schemas, problems = table_schemas(source)
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        text = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (out / f"{name}.schema.json").write_text(text, encoding="utf-8")
    fail_on_errors(problems)
    return len(schemas)


def serve(source: Path, host: str, port: int, drafts: bool, open_browser: bool) -> str:
    """Build, serve with live reload and rebuild on every change, until Ctrl-C."""
    from sitegen.cache import StageCache
    from sitegen.pipeline import assemble
    from sitegen.server import LOCAL_HOSTS, DevServer, Rebuilt, port_in_use

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
        from sitegen.scaffold import new_article, new_table

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
        from sitegen.audit import format_problems

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
    redone = f" ({summary.redone})" if summary.redone else ""
    return (
        f"built {summary.pages} pages, {summary.tables} tables, {summary.static} static files "
        f"in {seconds:.2f} s into {summary.out}{redone}"
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
