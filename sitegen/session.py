"""One build of a site, for every command: what may be skipped, the pipeline, where the site goes.

A session owns a build: its options, the stage cache, the snapshot of the last build, the choice
between nothing to do, some pages again and everything, and where the result goes: written to
the output folder, or kept in memory for the dev server. `build`, `check` and `serve` each make a
session and ask it for builds; none assembles a site its own way.

The story of one build:
1. compare the inputs with the snapshot of the last build; if nothing changed and the output is
   as it was left, that is all (Markdown, Jinja2 and YAML are not even imported);
2. if only the text below some pages' front matter changed, render those pages alone against the
   state the last full build kept (`pipeline.reassemble`);
3. else run the whole pipeline (`pipeline.assemble`): site.yaml, pages and tables, Markdown,
   templates, the site's other files, and every link and anchor checked;
4. write the site (one atomic switch), index it for search, and record the new snapshot.
"""

from __future__ import annotations

import gc
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BuildError, SourceSpan, warning
from .options import BuildOptions
from .snapshot import (
    Inputs,
    Snapshot,
    SnapshotStore,
    output_intact,
    output_stats,
    read_inputs,
    read_told_inputs,
    restat,
    settings_key,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from .cache import StageCache
    from .outputs import OutputFile
    from .pipeline import Assembly, SiteState
    from .search import SearchIndex

CACHE_DIR = ".cache"


@dataclass(frozen=True, kw_only=True)
class Held:
    """The last good build of a session that keeps its site in memory, and what it read."""

    inputs: Snapshot  # its inputs alone (nothing is written, so there are no outputs)
    site: Assembly
    state: SiteState  # what rendering some pages again needs
    linked: bool = False  # its inputs include a linked folder: a watcher cannot see them all


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What a build did, for its summary line, and the site it made (None if it made none)."""

    pages: int
    tables: int
    static: int
    out: Path
    warnings: list[BuildError] = field(default_factory=list)
    redone: str = ""  # what a build that skipped work did, e.g. 'nothing changed'
    site: Assembly | None = None


class Session:
    """Builds one site, again and again, with one set of options.

    `on_disk`: keep the stage cache in the cache folder (when the options allow a cache at all);
    else it lives in memory for as long as the session. `write`: write each build to the output
    folder; else keep it in memory (the dev server serves it from there). `snapshot`: record each
    build, to skip what the next need not do (only for builds written with a cache on disk).
    """

    def __init__(
        self,
        options: BuildOptions,
        *,
        on_disk: bool = True,
        write: bool = True,
        snapshot: bool = True,
    ) -> None:
        self.options = options
        self.folder = options.cache_dir or options.source / CACHE_DIR
        self.on_disk = on_disk and options.use_cache
        self.write = write
        self.snapshot = snapshot and self.on_disk and write
        self._cache: StageCache | None = None
        self._held: Held | None = None  # the last good site, when it is kept in memory
        self._scratch: tempfile.TemporaryDirectory | None = None  # search shards, if no cache
        # Kept in memory: the pages the last search index was made of, and for which build.
        self._indexed: tuple[int, dict[str, OutputFile]] = (0, {})

    def close(self) -> None:
        """Remove what the session keeps outside its objects (the search index's shards, for
        a session without a cache folder): a session that is not closed leaves them for the
        interpreter to remove at exit, which a process ended by os._exit never does."""
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def cache(self) -> StageCache:
        """The stage cache (made on first use: it imports the libraries it fingerprints)."""
        if self._cache is None:
            from .cache import StageCache

            self._cache = StageCache(self.folder if self.on_disk else None)
        return self._cache

    def build(self, told: frozenset[str] | None = None) -> Outcome:
        """Make the site and put it where it goes; raise `BuildFailed` with every problem found.
        A session kept in memory may be `told` which files (paths in the site folder) may have
        changed since its last build, by a watcher that sees every change: only those are
        looked at."""
        started_ns = time.time_ns()
        if not self.write:
            return self._in_memory(started_ns, told)
        if not self.snapshot:
            return self._holding(self._full)
        store = SnapshotStore(self.folder, settings_key(*self.options.output_settings()))
        before = store.load_snapshot()
        inputs = read_inputs(self.options.source, before)
        intact = before is not None and output_intact(before)
        if intact and not inputs.changed:
            warnings = before.warnings + self._cache_warnings(store.ignored)
            pages, tables, static = before.counts
            return Outcome(
                pages=pages,
                tables=tables,
                static=static,
                out=Path(before.out),
                warnings=warnings,
                redone="nothing changed",
            )
        return self._holding(lambda: self._changed(started_ns, store, before, inputs, intact))

    def _holding(self, run: Callable[[], Outcome]) -> Outcome:
        """Run a build that writes, keeping what its stages computed only if it succeeds or
        there was an output before it: a failed first build leaves nothing behind."""
        cache = self.cache
        cache.hold()
        try:
            outcome = run()
        except BaseException:
            cache.release(keep=previous_output(self.options.source, self.options.out) is not None)
            raise
        cache.release(keep=True)
        return outcome

    def _changed(
        self,
        started_ns: int,
        store: SnapshotStore,
        before: Snapshot | None,
        inputs: Inputs,
        intact: bool,
    ) -> Outcome:
        """A build that writes after some inputs changed (or the output did)."""
        from .outputs import OutputFile
        from .pipeline import assemble, edited_pages, reassemble, site_state
        from .write import update_files, write_site

        cache = self.cache
        # Pages alone may be redone only if the site had no warnings: a full build reports them all.
        edited = edited_pages(inputs.changed) if intact and not before.warnings else []
        kept = store.load_state() if edited else None
        site = reassemble(self.options, cache, kept, edited) if edited else None
        if site is None:
            site = assemble(self.options, cache)
            store.forget()  # until the new output is written and described
            files = write_site(
                site.files,
                site.out,
                later=lambda: self.search_index(site, site.files, build=started_ns).files,
            )
            state, counts = site_state(replace(site, files=files), cache), site.counts
            outputs = None
        else:
            store.forget()
            others = [
                OutputFile(path, copy_from=site.out / path)
                for path in sorted(kept.paths - {f.path for f in site.files})
                if path.endswith(".html")
            ]
            remade = {f.path for f in site.files}
            index = self.search_index(
                site,
                site.files + others,
                build=started_ns,
                since=before.taken_ns,  # whose output is intact: its pages are as it wrote them
                same=lambda path: path not in remade,
            )
            folder = renewed_folder(index)
            written = update_files(
                site.files + index.files, site.out, renewed=folder, as_before=index.as_before
            )
            # One file is replaced in place, or the index's folder and a page; more means a new
            # folder tree: describe it afresh.
            index_and_page = index.files and sum(not p.startswith(BUNDLE) for p in written) <= 1
            if len(written) <= 1 or index_and_page:
                renewed = folder if len(written) > 1 else ""
                outputs = restat(before.outputs, site.out, written, renewed)
            else:
                outputs = None
            state, counts = None, before.counts
        out = site.out.absolute()
        inputs = self._with_named(inputs, site, before)
        snapshot = Snapshot(
            settings=store.settings,
            taken_ns=started_ns,
            inputs=inputs.files,
            outputs=outputs or output_stats(out),
            out=str(out),
            counts=counts,
            warnings=list(site.warnings),
            named=site.config.named_inputs,
        )
        store.save(snapshot, state)
        pages, tables, static = counts
        return Outcome(
            pages=pages,
            tables=tables,
            static=static,
            out=site.out,
            warnings=site.warnings + self._cache_warnings(cache.ignored + store.ignored),
            redone="" if state else f"{len(site.files)} of {counts[0]} pages rendered again",
            site=site,
        )

    def _full(self) -> Outcome:
        """A build of everything, without a snapshot: cold, checked, or for the dev server."""
        from .pipeline import assemble

        cache = self.cache
        site = assemble(self.options, cache)
        if self.write:
            from .write import write_site

            files = write_site(
                site.files, site.out, later=lambda: self.search_files(site, site.files)
            )
            site = replace(site, files=files)
        return self._made(site, cache)

    def _in_memory(self, started_ns: int, told: frozenset[str] | None) -> Outcome:
        """A build kept in memory (the dev server's): after the first, when only the text of some
        pages changed since the last good build, those pages alone are made again."""
        from .pipeline import assemble, edited_pages, reassemble, site_state

        cache, held = self.cache, self._held
        inputs = None
        if told is not None and held and not held.linked:
            inputs = read_told_inputs(self.options.source, held.inputs, told)
        if inputs is None:
            inputs = read_inputs(self.options.source, held.inputs if held else None)
        linked = inputs.linked  # told of changes, there was no linked folder: nor is there now
        edited = edited_pages(inputs.changed) if held and not held.site.warnings else []
        site = reassemble(self.options, cache, held.state, edited) if edited else None
        if held and not inputs.changed:
            site, state, redone = held.site, held.state, "nothing changed"
        elif site is None:
            gc.unfreeze()  # what the last site held may be collected now
            site = assemble(self.options, cache)
            state = site_state(site, cache)
            redone = ""
            # The site is kept: the collector need not go through it again at every rebuild,
            # where its full collections took longer than rendering an edited page.
            gc.freeze()
        else:
            fresh = {f.path: f for f in site.files}
            files = [fresh.get(f.path, f) for f in held.site.files]
            redone = f"{len(fresh)} of {held.site.pages} pages rendered again"
            site = replace(held.site, files=files, bodies={**held.site.bodies, **site.bodies})
            state = held.state
        inputs = self._with_named(inputs, site, held.inputs if held else None)
        seen = Snapshot(
            settings="",
            taken_ns=started_ns,
            inputs=inputs.files,
            outputs={},
            out="",
            counts=site.counts,
            warnings=list(site.warnings),
            named=site.config.named_inputs,
        )
        self._held = Held(inputs=seen, site=site, state=state, linked=linked)
        return self._made(site, cache, redone)

    def _with_named(self, inputs: Inputs, site: Assembly, before: Snapshot | None) -> Inputs:
        """`inputs`, read again with the files site.yaml names if it names others than before
        (a new theme folder, say): the next build must know them as they were read now."""
        if site.config.named_inputs == (before.named if before else ()):
            return inputs
        return read_inputs(self.options.source, None, site.config.named_inputs)

    def _made(self, site: Assembly, cache: StageCache, redone: str = "") -> Outcome:
        """The outcome of a build that made `site` (all of it, or `redone`)."""
        pages, tables, static = site.counts
        return Outcome(
            pages=pages,
            tables=tables,
            static=static,
            out=site.out,
            warnings=site.warnings + self._cache_warnings(cache.ignored),
            redone=redone,
            site=site,
        )

    def search_files(self, site: Assembly, pages: list[OutputFile]) -> list[OutputFile]:
        """The search index of `pages` (the site's HTML files), if site.yaml asks for one and
        the options allow it; its shards are kept in the cache folder, or for the session."""
        if self.write:
            return self.search_index(site, pages).files
        # A page kept in memory that no build made again is the very object the last index was
        # made of: a shard of such pages keeps its bundle without its pages being read.
        since, made_of = self._indexed
        now = {page.path: page for page in pages}
        build = time.time_ns()
        same = lambda path: made_of.get(path) is now[path]  # noqa: E731
        # Made while pages are served: the next rebuild must not wait for it.
        files = self.search_index(
            site, pages, build=build, since=since, same=same, background=True
        ).files
        self._indexed = (build, now)
        return files

    def search_index(
        self,
        site: Assembly,
        pages: list[OutputFile],
        *,
        build: int = 0,
        since: int = 0,
        same: Callable[[str], bool] | None = None,
        background: bool = False,
    ) -> SearchIndex:
        """The search index as `search_files` makes it, for the build that started at `build`;
        pages `same` as the build that started at `since` wrote them are not read again."""
        from .search import SearchIndex, memory_folder, search_index

        if not (site.config.search and self.options.search):
            return SearchIndex([])

        if self.on_disk:
            store = self.folder / "search"
        else:
            if self._scratch is None:
                # In memory if there is room: the index is smaller than the pages it is of.
                room = memory_folder(sum(map(_size, pages)))
                self._scratch = tempfile.TemporaryDirectory(
                    prefix="sitegen-search-", dir=room, ignore_cleanup_errors=True
                )
            store = Path(self._scratch.name)
        html = [page for page in pages if page.path.endswith(".html")]
        tags = {"build": str(build or ""), "since": str(since or "")}
        return search_index(html, _bytes, store, same=same, background=background, **tags)

    def _cache_warnings(self, ignored: list[Path]) -> list[BuildError]:
        """One warning for each of the first few damaged or foreign cache files found."""
        return [
            warning(
                SourceSpan(relative_to(entry, self.options.source)),
                "ignored a damaged or foreign cache entry",
                "it was rebuilt; delete the cache folder to start afresh",
            )
            for entry in ignored[:3]
        ]


def _bytes(item: OutputFile) -> bytes:
    return item.data if item.data is not None else item.copy_from.read_bytes()


def _size(item: OutputFile) -> int:
    return len(item.data) if item.data is not None else item.copy_from.stat().st_size


BUNDLE = "pagefind/"  # the search index's folder in the site


def previous_output(source: Path, out: Path | None) -> Path | None:
    """The output folder a build of the site at `source` would replace (`out`, else the one
    site.yaml names), if there is one with something in it."""
    from .config import DEFAULT_OUTPUT, load_config
    from .errors import BuildFailed

    if out is None:
        try:
            out = source / load_config(source).output_dir
        except (BuildFailed, OSError):  # a site.yaml with errors: its default
            out = source / DEFAULT_OUTPUT
    try:
        return out if out.is_dir() and any(out.iterdir()) else None
    except OSError:
        return None


def renewed_folder(index: SearchIndex) -> str:
    """The smallest folder of the search index that holds all of it that is not as before:
    one shard's, when only a shard other than the first changed (its 500 pages' index, not the
    whole site's, is staged again); else the index's own. '' for no index."""
    if not index.files:
        return ""
    fresh = [f.path[len(BUNDLE) :] for f in index.files if f.path not in index.as_before]
    shards = {path.partition("/")[0] for path in fresh if path != "shards.json"}
    if len(shards) == 1 and (shard := shards.pop()).startswith("shard-"):
        if all(path.startswith(f"{shard}/") or path == "shards.json" for path in fresh):
            return f"{BUNDLE}{shard}"
    return BUNDLE.strip("/")


def relative_to(path: Path, folder: Path) -> str:
    """Return `path` relative to `folder` when inside it, else as it is."""
    return path.relative_to(folder).as_posix() if path.is_relative_to(folder) else str(path)
