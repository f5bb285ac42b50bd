"""What a successful build read and wrote, so that the next build knows what it may skip.

After writing the site, a build records a snapshot beside its cache: the size, times and digest
of every input file, and the size and times of every file and folder of the output. The next
build with the same settings compares the inputs with it. When nothing changed and the output
is as it was left, there is nothing to do; this check needs neither Markdown, Jinja2 nor YAML,
so those are not even imported. A second file keeps what rendering one page again needs (the
pages' front matter, the tables, the menu, every output path and every page's ids), so that an
edit below a page's front matter renders that page alone.

Both files are signed as cache entries are (`read_signed`): a damaged or foreign one is ignored.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .cache import cache_secret, code_fingerprint, fingerprint, read_signed, write_signed
from .errors import BuildError
from .paths import SOURCE_DIRS

INPUTS = ("site.yaml", "extensions.py", *SOURCE_DIRS)  # what a build reads, in the site folder
LIBRARIES = (
    "jinja2",
    "markdown_it",
    "mdit_py_plugins",
    "pygments",
    "yaml",
    "markupsafe",
)  # what shapes the output
# A file whose times fall this close to when a snapshot was taken may since have changed without
# its times changing (they are only as fine as the file system's clock), so its bytes are compared.
RACY_NS = 2_000_000_000

Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


@dataclass(frozen=True, kw_only=True)
class Snapshot:
    """The inputs a successful build read and the output it left, with its summary."""

    settings: str  # fingerprint of the command-line options and the generator's code
    taken_ns: int  # when the build started reading its inputs
    inputs: dict[str, tuple[Stat, str]]  # path in the site folder -> (stat, digest of the bytes)
    outputs: dict[str, Stat]  # path in the output folder ('' for itself) -> stat
    out: str  # the output folder
    counts: tuple[int, int, int]  # pages, tables, static files
    warnings: list[BuildError]
    named: tuple[str, ...] = ()  # inputs site.yaml names beside INPUTS (a theme folder, say)


@dataclass(frozen=True)
class Inputs:
    """The input files as they are now: their stats and digests, and which differ from before."""

    files: dict[str, tuple[Stat, str]]
    changed: frozenset[str]  # added, removed or different since the snapshot (all, if none)
    linked: bool = False  # a linked folder among them, whose files change unseen


def settings_key(*options: Any) -> str:
    """Fingerprint the options, the generator's code and the libraries that shape the output."""
    parts: list[Any] = [__version__, sys.version_info[:3], os.environ.get("SOURCE_DATE_EPOCH")]
    parts.append(code_fingerprint())
    for name in LIBRARIES:  # where and when each was installed, without importing it
        spec = importlib.util.find_spec(name)
        parts.append((name, _stat(Path(spec.origin)) if spec and spec.origin else None))
    return fingerprint(*options, *parts)


def read_inputs(
    site: Path, before: Snapshot | None, named: tuple[str, ...] | None = None
) -> Inputs:
    """Stat every input file (those site.yaml names too: `named`, else the snapshot's); hash
    those whose stats do not prove them unchanged."""
    old = before.inputs if before else {}
    files: dict[str, tuple[Stat, str]] = {}
    changed = set() if before else None
    linked = False
    if named is None:
        named = before.named if before else ()
    for path, stat in _walk_inputs(site, named):
        if stat is None:  # a linked folder: its files may change unseen, so never skip work
            linked = True
            if changed is not None:
                changed.add(path)
            continue
        if _examine(site, path, stat, old.get(path), before, files) and changed is not None:
            changed.add(path)
    if changed is None:
        changed = set(files)
    else:
        changed |= old.keys() - files.keys()
    return Inputs(files, frozenset(changed), linked)


def read_told_inputs(site: Path, before: Snapshot, told: frozenset[str]) -> Inputs | None:
    """`read_inputs`, when a watcher told which files (paths in the site folder) may have
    changed since `before`: only those are looked at. None if one is not a plain input file
    (a folder, say), which only reading every input can account for."""
    files = dict(before.inputs)
    changed = set()
    folders = (*SOURCE_DIRS, *before.named)
    for path in told:
        if path in folders or path == ".":
            return None  # a whole folder of inputs may have changed
        if not path.startswith(tuple(f"{name}/" for name in folders)) and path not in INPUTS:
            continue  # not an input: the output folder, the cache
        full = os.path.join(site, path)
        if os.path.islink(full) or os.path.isdir(full):
            return None
        try:
            stat = _stat(full)
        except FileNotFoundError:  # removed, or moved away: a file, or a folder and its files
            gone = [known for known in files if known == path or known.startswith(f"{path}/")]
            for known in gone:
                del files[known]
            changed.update(gone)
            continue
        except OSError:
            stat = (-1, 0, 0, 0)
        if _examine(site, path, stat, files.pop(path, None), before, files):
            changed.add(path)
    return Inputs(files, frozenset(changed))


def _examine(
    site: Path,
    path: str,
    stat: Stat,
    known: tuple[Stat, str] | None,
    before: Snapshot | None,
    files: dict[str, tuple[Stat, str]],
) -> bool:
    """Put the input at `path` into `files`, hashed unless its stat proves it as `known`;
    return whether it differs from `known`."""
    if known and known[0] == stat and max(stat[1], stat[2]) < before.taken_ns - RACY_NS:
        files[path] = known
        return False
    try:
        with open(os.path.join(site, path), "rb") as stream:
            digest = fingerprint(stream.read())
    except OSError:
        digest = ""  # unreadable: the build itself will say why
    files[path] = (stat, digest)
    return known is None or known[1] != digest


def output_intact(snapshot: Snapshot) -> bool:
    """Whether every file and folder of the output is as the snapshot's build left it."""
    prefix = snapshot.out + os.sep  # plain strings: pathlib is slow over thousands of files
    try:
        return all(
            _stat(prefix + path if path else snapshot.out) == stat
            for path, stat in snapshot.outputs.items()
        )
    except OSError:
        return False


def restat(
    stats: dict[str, Stat], out: Path, paths: list[str], renewed: str = ""
) -> dict[str, Stat]:
    """Return `stats` with the files at `paths`, and the folders holding them, stat'ed again;
    with `renewed`, a folder replaced whole, everything in it too."""
    updated, inside = dict(stats), f"{renewed}/"
    if renewed:
        updated = {path: stat for path, stat in stats.items() if not path.startswith(inside)}
        for path, full, _ in _walk(str(out / renewed), inside):
            updated[path] = _stat(full)
        paths = [path for path in paths if not path.startswith(inside)] + [renewed]
    for path in paths:
        try:
            updated[path] = _stat(out / path)
        except FileNotFoundError:  # a file the build removed
            updated.pop(path, None)
        while path:
            path = path.rpartition("/")[0]
            updated[path] = _stat(out / path if path else out)
    return updated


def output_stats(out: Path) -> dict[str, Stat]:
    """Return the stat of every file and folder under `out`, by path ('' for `out` itself)."""
    found = {"": _stat(out)}
    for path, full, _ in _walk(str(out), ""):
        found[path] = _stat(full)
    return found


class SnapshotStore:
    """The snapshot files of one output folder and one set of options, in the cache folder."""

    def __init__(self, cache_folder: Path, settings: str) -> None:
        self.folder = cache_folder / "snapshots" / settings[:24]
        self._cache_folder = cache_folder
        self._secret: bytes | None = None  # read, or made, when first needed
        self.settings = settings
        self.ignored: list[Path] = []  # damaged or foreign files found

    def load_snapshot(self) -> Snapshot | None:
        """Return the snapshot of the last successful build with these settings, if any."""
        found = self._load("snapshot")
        return found if isinstance(found, Snapshot) and found.settings == self.settings else None

    def load_state(self) -> Any:
        """Return what the last full build kept for rendering single pages again, if anything."""
        return self._load("state")

    def save(self, snapshot: Snapshot, state: Any = None) -> None:
        """Record a successful build (and, after a full build, its state)."""
        if state is not None and not self._store("state", state):
            return  # a snapshot without its build's state must not be trusted with an older one
        self._store("snapshot", snapshot)

    def forget(self) -> None:
        """Drop the snapshot: the output is about to change in ways it does not describe."""
        (self.folder / "snapshot.bin").unlink(missing_ok=True)

    def _load(self, name: str) -> Any:
        path = self.folder / f"{name}.bin"
        if self._secret is None:
            self._secret = cache_secret(self._cache_folder, make=False)
            if self._secret is None:
                return None  # no secret, so no snapshot this store could trust
        found, value = read_signed(path, self._secret, f"{self.settings}\0{name}")
        if found is None:
            self.ignored.append(path)
        return value

    def _store(self, name: str, value: Any) -> bool:
        if self._secret is None:
            self._secret = cache_secret(self._cache_folder)
        if write_signed(
            self.folder / f"{name}.bin", self._secret, f"{self.settings}\0{name}", value
        ):
            return True
        self.forget()  # a snapshot that cannot be kept only makes the next build slower
        return False


def _walk_inputs(site: Path, named: tuple[str, ...]) -> Iterator[tuple[str, Stat | None]]:
    for name in dict.fromkeys((*INPUTS, *named)):
        top = os.path.join(site, name)
        if os.path.isfile(top):
            yield name, _stat(top)
            continue
        for path, full, is_dir in _walk(top, f"{name}/"):
            if is_dir:
                if os.path.islink(full):  # its files may change unseen: see read_inputs
                    yield path, None
                continue
            try:
                yield path, _stat(full)
            except OSError:
                yield path, (-1, 0, 0, 0)


def _walk(folder: str, prefix: str) -> Iterator[tuple[str, str, bool]]:
    """Yield (relative path, full path, is a folder) under `folder`, in a stable order."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        is_dir = entry.is_dir(follow_symlinks=False)
        yield prefix + entry.name, entry.path, is_dir or entry.is_symlink() and entry.is_dir()
        if is_dir:
            yield from _walk(entry.path, f"{prefix}{entry.name}/")


def _stat(path: str | Path) -> Stat:
    found = os.stat(path)
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino
