"""Stage 6: write the site beside the output folder, then swap it in whole."""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import BuildError, SourceSpan
from .outputs import OutputFile, files_under


def write_site(
    files: list[OutputFile],
    out: Path,
    later: Callable[[], list[OutputFile]] | None = None,
) -> list[OutputFile]:
    """Write `files`, and the files `later` makes meanwhile (the search index of the pages, say),
    as the new contents of `out`; return all the files written.

    Only a build that succeeded gets here, so the previous output is never touched by a failed
    one. Files whose bytes did not change are never written again. The switch from the old site
    to the new is atomic, so a build killed at any moment leaves one or the other, whole: a single
    changed file is replaced by a rename; otherwise the new site is made in a folder beside the
    output (unchanged files hard-linked from the old one) and exchanged with it in one step.
    """
    out = out.absolute()
    _remove_leftovers(out)
    if later is not None and not out.is_dir():
        # A new site: its pages are written while `later` works on another thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            made = pool.submit(later)
            staging = _stage(out, {item.path: _bytes(item) for item in files}, [])
            try:
                more = made.result()
                _stage(out, {item.path: _bytes(item) for item in more}, [], staging)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        _switch(out, staging)
        return files + more
    if later is not None:
        files = files + later()
    contents = {item.path: _bytes(item) for item in files}
    if not out.is_dir():
        _switch(out, _stage(out, contents, []))
        return files
    old = set(files_under(out))
    changed = {path: data for path, data in contents.items() if not _holds(out / path, data)}
    stale = sorted(old - contents.keys())
    if len(changed) + len(stale) <= 1:
        _update_in_place(out, changed, stale)
    else:
        _switch(out, _stage(out, changed, [p for p in contents if p not in changed]))
    return files


def update_files(
    files: list[OutputFile],
    out: Path,
    renewed: str = "",
    as_before: frozenset[str] = frozenset(),
) -> list[str]:
    """Replace only `files` in `out` (the rest of the site stays); return the paths written or
    removed. `renewed` names a folder that `files` give whole (the search index, say): what else
    it holds goes. Files in `as_before` are known to be in `out` as they are (not read again).

    For a build that made just some of the site's files again; as atomic as `write_site`, with
    one exception that keeps an edit to a large site quick: when the files are the `renewed`
    folder and one file more (an edited page and the search index), the folder is exchanged whole
    first, and the file replaced then. A build killed between the two leaves the index of the
    new page beside the old page, each whole, until the next build.
    """
    out, renewed = out.absolute(), renewed.strip("/")
    _remove_leftovers(out)
    if renewed:
        _remove_leftovers(out / renewed)
    old = files_under(out)
    present = set(old)
    contents = {
        item.path: b"" if item.path in as_before and item.path in present else _bytes(item)
        for item in files
    }
    changed = {
        path: data
        for path, data in contents.items()
        if not (path in as_before and path in present) and not _holds(out / path, data)
    }
    inside = f"{renewed}/"
    stale = [p for p in old if renewed and p.startswith(inside) and p not in contents]
    outside = {path: data for path, data in changed.items() if not path.startswith(inside)}
    if len(changed) + len(stale) <= 1:
        _update_in_place(out, changed, stale)
    elif renewed and len(outside) <= 1 and (out / renewed).is_dir():
        folder = out / renewed
        gone = set(stale)
        renewing = {p[len(inside) :]: data for p, data in changed.items() if p not in outside}
        kept = [
            p[len(inside) :]
            for p in old
            if p.startswith(inside) and p not in changed and p not in gone
        ]
        _switch(folder, _stage(folder, renewing, kept))
        _update_in_place(out, outside, [])
    else:
        gone = set(stale)
        _switch(out, _stage(out, changed, [p for p in old if p not in changed and p not in gone]))
    return sorted([*changed, *stale])


def _bytes(item: OutputFile) -> bytes:
    return item.copy_from.read_bytes() if item.copy_from is not None else item.data or b""


def _holds(path: Path, data: bytes) -> bool:
    """Whether `path` is a regular file holding exactly `data`."""
    try:
        return (
            not path.is_symlink() and path.stat().st_size == len(data) and path.read_bytes() == data
        )
    except OSError:
        return False


def _update_in_place(out: Path, changed: dict[str, bytes], stale: list[str]) -> None:
    for path, data in changed.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".new-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    for path in stale:
        (out / path).unlink(missing_ok=True)
        folder = (out / path).parent
        while folder != out and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _stage(
    out: Path, changed: dict[str, bytes], unchanged: list[str], into: Path | None = None
) -> Path:
    """Make the new site beside `out` (or add to the one begun `into`): `changed` written,
    `unchanged` hard-linked from `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = (
        os.fspath(into) if into else tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent)
    )
    old = os.fspath(out)  # plain strings: pathlib is slow over tens of thousands of files
    place = placer(staging)
    try:
        for path in unchanged:
            target = place(path)
            try:
                os.link(os.path.join(old, path), target)
            except OSError:  # a file system without hard links: copy
                shutil.copy2(os.path.join(old, path), target)
        for path, data in changed.items():
            with open(place(path), "wb") as stream:
                stream.write(data)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; hosts must read it
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Path(staging)


def placer(root: str) -> Callable[[str], str]:
    """For files written under `root`: turns a relative path ('a/b.html') into the file's
    path, each folder made the first time one of its files is placed."""
    made: set[str] = {""}

    def place(path: str) -> str:
        folder = path.rpartition("/")[0]
        if folder not in made:
            os.makedirs(os.path.join(root, folder), exist_ok=True)
            made.add(folder)
        return os.path.join(root, path)

    return place


def _switch(out: Path, staging: Path) -> None:
    """Put the staged site in place of `out` in one atomic step where the system allows."""
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old site
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd, exchange = -100, 2  # AT_FDCWD and RENAME_EXCHANGE from <fcntl.h> and <stdio.h>
    return renameat2(at_cwd, bytes(first), at_cwd, bytes(second), exchange) == 0


def _remove_leftovers(out: Path) -> None:
    """Remove folders that a build killed while writing left beside the output."""
    for pattern in (f".{out.name}.new-*", f".{out.name}.old-*"):
        for leftover in out.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


def check_output_folder(out: Path, site: Path) -> list[BuildError]:
    """Refuse an output folder that would replace the site's own sources."""
    out, site = out.resolve(), site.resolve()
    protected = [site] + [site / name for name in ("content", "templates", "static")]
    if (
        out in protected
        or site.is_relative_to(out)
        or any(out.is_relative_to(p) for p in protected[1:])
    ):
        return [
            BuildError(
                SourceSpan("--out"),
                f"output folder {out} would replace the site's sources",
                "choose a folder of its own, such as _site",
            )
        ]
    return []
