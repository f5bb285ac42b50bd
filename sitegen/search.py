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
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .cache import fingerprint
from .errors import BuildError, BuildFailed, SourceSpan
from .outputs import OutputFile

BUNDLE = "pagefind"
SHARD_PAGES = 500
SHARDS_FILE = f"{BUNDLE}/shards.json"
# What a shard other than the first needs: its index, not Pagefind's scripts and styles again.
INDEX_PARTS = ("pagefind-entry.json", "index/", "fragment/", "filter/")


def search_files(
    pages: list[OutputFile], read: Callable[[OutputFile], bytes], store: Path
) -> list[OutputFile]:
    """Return the files of the search index of `pages` (the site's HTML files).

    `read` gives a page's bytes; `store` keeps each shard's bundle under a key of its pages'
    paths and bytes, so that an unchanged shard is not indexed again.
    """
    indexed = sorted((p for p in pages if p.path != "404.html"), key=lambda p: p.path)
    count = max(1, -(-len(indexed) // SHARD_PAGES))
    shards: list[list[OutputFile]] = [[] for _ in range(count)]
    for page in indexed:
        shards[shard_of(page.path, count)].append(page)
    files, names, used = [], [], set()
    filled = [(number, shard) for number, shard in enumerate(shards) if shard]

    def bundle_of(filled_shard: tuple[int, list[OutputFile]]) -> Path:
        number, shard = filled_shard
        return _bundle([(page.path, read(page)) for page in shard], number, count, store)

    # Pagefind indexes a shard on about one core: shards to index run side by side.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        bundles = list(pool.map(bundle_of, filled))
    for place, ((number, _), bundle) in enumerate(zip(filled, bundles, strict=True)):
        used.add(bundle.name)
        prefix = BUNDLE if place == 0 else f"{BUNDLE}/shard-{number}"  # the first: with scripts
        if place:
            names.append(f"shard-{number}/")
        for path in sorted(bundle.rglob("*")):
            rel = path.relative_to(bundle).as_posix()
            if path.is_file() and (place == 0 or rel.startswith(INDEX_PARTS) or _meta(rel)):
                files.append(OutputFile(f"{prefix}/{rel}", copy_from=path))
    files.append(OutputFile(SHARDS_FILE, json.dumps({"shards": names}).encode() + b"\n"))
    _forget_others(store, used)
    return files


def shard_of(path: str, count: int) -> int:
    """The shard a page belongs to: the same for the same path and number of shards."""
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=4).digest()) % count


def _meta(rel: str) -> bool:
    return rel.endswith(".pf_meta")


def _bundle(contents: list[tuple[str, bytes]], number: int, count: int, store: Path) -> Path:
    """The Pagefind bundle of one shard, indexed now unless `store` has it already."""
    key = fingerprint(pagefind_version(), number, count, contents)
    bundle = store / key
    if (bundle / "pagefind-entry.json").is_file():
        return bundle
    store.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".index-", dir=store) as scratch:
        site = Path(scratch) / "site"
        for path, data in contents:
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        site.mkdir(exist_ok=True)
        made = Path(scratch) / "bundle"
        _run_pagefind(site, made)
        shutil.rmtree(bundle, ignore_errors=True)  # a partial one, left by a killed build
        os.replace(made, bundle)
    return bundle


def _forget_others(store: Path, used: set[str]) -> None:
    """Remove the bundles of shards no page belongs to any more."""
    for old in store.iterdir() if store.is_dir() else ():
        if old.name not in used and not old.name.startswith(".index-"):
            shutil.rmtree(old, ignore_errors=True)


def _run_pagefind(site: Path, output: Path) -> None:
    done = subprocess.run(
        [*pagefind_command(), "--site", str(site), "--output-path", str(output), "--quiet"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
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
