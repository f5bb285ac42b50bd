"""Full-text search: the site's pages indexed by Pagefind (its wheel carries the binary), in shards.

The pages are spread over shards by a stable hash of their paths, about 500 pages a shard; each
shard is a Pagefind bundle of its own, made again only when one of its pages changed, and kept in
the cache folder between builds. The browser loads the first shard (at `pagefind/`, with
Pagefind's scripts) and merges the others in (`pagefind/shard-N/`, listed in
`pagefind/shards.json`), so an edit to one page re-indexes a few hundred pages, not the site.
The index files are part of the site's files: written, and served, with the pages they index.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .cache import fingerprint
from .errors import BuildError, BuildFailed, SourceSpan
from .outputs import OutputFile, files_under
from .write import placer

BUNDLE = "pagefind"
SHARD_PAGES = 500
HEADING_LINK = "a.anchor"  # the link each heading has to itself (sitegen/markdown/headings.py)
MEMORY_SPARE = 32 * 2**20  # bytes left free in a memory folder for others
NOINDEX = re.compile(rb"<meta\s+name=[\"']?robots[\"']?\s+content=[\"'][^\"']*noindex", re.I)
SHARDS_FILE = f"{BUNDLE}/shards.json"
RECORD = "shards.json"  # in the store: each shard's key and pages, as the last index made them
# What a shard other than the first needs: its index, not Pagefind's scripts and styles again.
INDEX_PARTS = ("pagefind-entry.json", "index/", "fragment/", "filter/")


@dataclass(frozen=True)
class SearchIndex:
    """The files of a search index, and those among them that are as the last index left them."""

    files: list[OutputFile]
    as_before: frozenset[str] = frozenset()


def search_files(
    pages: list[OutputFile], read: Callable[[OutputFile], bytes], store: Path
) -> list[OutputFile]:
    """Return the files of the search index of `pages` (the site's HTML files).

    `read` gives a page's bytes; `store` keeps each shard's bundle under a key of its pages'
    paths and bytes, so that an unchanged shard is not indexed again.
    """
    return search_index(pages, read, store).files


def search_index(
    pages: list[OutputFile],
    read: Callable[[OutputFile], bytes],
    store: Path,
    *,
    build: str = "",
    since: str = "",
    same: Callable[[str], bool] | None = None,
    background: bool = False,
) -> SearchIndex:
    """The search index of `pages`, as `search_files` makes it, recorded as made for `build`.

    When the last index recorded was made for the build `since`, `same(path)` says that a page's
    bytes are those it was made of (a page this build did not make again, in an output left as
    that build wrote it): a shard of such pages alone, with the same pages as then, keeps its
    bundle without its pages being read, and its files are listed in `as_before`.
    `background`: Pagefind runs at a low priority, on the CPU nothing else wants (the dev
    server's rebuilds must not wait for the index of the one before).
    """
    indexed = sorted((p for p in pages if p.path != "404.html"), key=lambda p: p.path)
    count = max(1, -(-len(indexed) // SHARD_PAGES))
    shards: list[list[OutputFile]] = [[] for _ in range(count)]
    for page in indexed:
        shards[shard_of(page.path, count)].append(page)
    files, names, used, as_before = [], [], set(), set()
    filled = [(number, shard) for number, shard in enumerate(shards) if shard]
    last = _record(store) if same and since else {}
    if last.get("build") != since or last.get("count") != count:
        last = {}
    kept: set[int] = set()

    first = filled[0][0] if filled else None

    def bundle_of(filled_shard: tuple[int, list[OutputFile]]) -> Path:
        number, shard = filled_shard
        paths = [page.path for page in shard]
        known = last.get(str(number))
        if (
            isinstance(known, dict)
            and known.get("paths") == paths
            and known.get("first") == (number == first)  # at the same place in the output
            and isinstance(known.get("key"), str)
            and known["key"].isalnum()  # a bundle's name, never a path elsewhere
            and all(same(path) for path in paths)
        ):
            bundle = store / known["key"]
            if (bundle / "pagefind-entry.json").is_file():
                kept.add(number)
                return bundle
        contents = [(page.path, read(page)) for page in shard]
        return _bundle(contents, number, count, store, background)

    # Pagefind indexes a shard on about one core: shards to index run side by side.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        bundles = list(pool.map(bundle_of, filled))
    for place, ((number, _), bundle) in enumerate(zip(filled, bundles, strict=True)):
        used.add(bundle.name)
        prefix = BUNDLE if place == 0 else f"{BUNDLE}/shard-{number}"  # the first: with scripts
        if place:
            names.append(f"shard-{number}/")
        for rel in files_under(bundle):
            if place == 0 or rel.startswith(INDEX_PARTS) or _meta(rel):
                files.append(OutputFile(f"{prefix}/{rel}", copy_from=bundle / rel))
                if number in kept:
                    as_before.add(f"{prefix}/{rel}")
    files.append(OutputFile(SHARDS_FILE, json.dumps({"shards": names}).encode() + b"\n"))
    record = {
        str(number): {
            "key": bundle.name,
            "paths": [p.path for p in shard],
            "first": number == first,
        }
        for (number, shard), bundle in zip(filled, bundles, strict=True)
    }
    _write_record(store, {"build": build, "count": count, **record})
    _forget_others(store, used)
    return SearchIndex(files, frozenset(as_before))


def _record(store: Path) -> dict:
    """What the last index recorded of its shards: their count, and each one's key and pages."""
    try:
        record = json.loads((store / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _write_record(store: Path, record: dict) -> None:
    store.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=store, prefix=".record-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(record, stream)
    os.replace(temporary, store / RECORD)


def shard_of(path: str, count: int) -> int:
    """The shard a page belongs to: the same for the same path and number of shards."""
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=4).digest()) % count


def _meta(rel: str) -> bool:
    return rel.endswith(".pf_meta")


def _bundle(
    contents: list[tuple[str, bytes]], number: int, count: int, store: Path, background: bool
) -> Path:
    """The Pagefind bundle of one shard, indexed now unless `store` has it already."""
    # Pages search engines are told to leave out (redirects, drafts) are left out of search too.
    listed = [(path, data) for path, data in contents if not NOINDEX.search(data[:8192])]
    contents = listed or contents  # a shard is never empty: the first carries Pagefind's code
    key = fingerprint(pagefind_version(), number, count, contents)
    bundle = store / key
    if (bundle / "pagefind-entry.json").is_file():
        return bundle
    store.mkdir(parents=True, exist_ok=True)
    # Pagefind reads copies of the pages and writes its files in memory where it can: on a
    # disk, creating its few hundred files took it more time than indexing them.
    room = memory_folder(4 * sum(len(data) for _, data in contents))
    with (
        tempfile.TemporaryDirectory(prefix="sitegen-pages-", dir=room) as pages,
        tempfile.TemporaryDirectory(prefix="sitegen-index-", dir=room) as made,
        tempfile.TemporaryDirectory(prefix=".index-", dir=store) as scratch,
    ):
        place = placer(pages)
        for path, data in contents:
            with open(place(path), "wb") as stream:
                stream.write(data)
        _run_pagefind(Path(pages), Path(made) / "bundle", background)
        index = Path(scratch) / "bundle"
        shutil.move(Path(made) / "bundle", index)  # a rename, or a copy from memory to disk
        shutil.rmtree(bundle, ignore_errors=True)  # a partial one, left by a killed build
        os.replace(index, bundle)  # made in the store's folder: one rename puts it in place
    return bundle


def memory_folder(room: int) -> str | None:
    """A folder in memory (Linux's /dev/shm) with `room` bytes free and more, for files that
    need not reach the disk; None for the system's temporary folder."""
    shm = "/dev/shm"
    if not (os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK)):
        return None
    free = os.statvfs(shm)
    # A container's /dev/shm may be small (64 MB by default): some is kept for others.
    return shm if free.f_bavail * free.f_frsize >= room + MEMORY_SPARE else None


def _forget_others(store: Path, used: set[str]) -> None:
    """Remove the bundles of shards no page belongs to any more."""
    for old in store.iterdir() if store.is_dir() else ():
        if old.is_dir() and old.name not in used and not old.name.startswith(".index-"):
            shutil.rmtree(old, ignore_errors=True)


class _Background:
    """The Pagefind processes run in the background, which the dev server stops when it stops:
    left running, they would write into folders its session has removed."""

    lock = threading.Lock()
    running: set[subprocess.Popen] = set()
    stopped = False


def stop_background() -> None:
    """End the background Pagefind runs, and refuse any more (the dev server is stopping)."""
    with _Background.lock:
        _Background.stopped = True
        for process in _Background.running:
            process.kill()


def _run_pagefind(site: Path, output: Path, background: bool) -> None:
    # `nice` sets the priority before Pagefind starts, so each of its threads has it too.
    nice = shutil.which("nice") if background else None
    command = [
        *([nice, "-n", "15"] if nice else []),
        *pagefind_command(),
        *("--site", str(site), "--output-path", str(output), "--quiet"),
        # A heading's '#' link: section titles and excerpts would end in '#'.
        *("--exclude-selectors", HEADING_LINK),
    ]
    with _Background.lock:
        if background and _Background.stopped:
            raise BuildFailed([BuildError(SourceSpan("search"), "the dev server is stopping")])
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        if background:
            _Background.running.add(process)
    try:
        stdout, stderr = process.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
    finally:
        with _Background.lock:
            _Background.running.discard(process)
    if process.returncode != 0:
        reason = (stderr or stdout).strip().splitlines()[-1:] or ["no output"]
        raise BuildFailed(
            [
                BuildError(
                    SourceSpan("search"),
                    f"Pagefind failed: {reason[0]}",
                    "build with --no-search to skip the search index",
                )
            ]
        )


def pagefind_version() -> str:
    """The installed Pagefind's version, which shapes its index."""
    from importlib import metadata

    for name in ("pagefind_bin_extended", "pagefind_bin", "pagefind"):
        try:
            return f"{name} {metadata.version(name.replace('_', '-'))}"
        except metadata.PackageNotFoundError:
            continue
    return "unknown"


def pagefind_command() -> list[str]:
    """The Pagefind binary from its wheel; through `python -m pagefind` if it cannot be found."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        return [sys.executable, "-m", "pagefind"]
    try:
        return [str(get_executable())]  # a tenth of a second sooner than through Python
    except Exception:  # noqa: BLE001 - any failure to locate it: let the package's CLI try
        return [sys.executable, "-m", "pagefind"]
