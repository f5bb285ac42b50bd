"""Stage 6: write the site beside the output folder, then swap it in whole."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import BuildError, SourceSpan
from .outputs import OutputFile

SMALL_CHANGE = 0.02  # up to this share of files changed, they are replaced one by one in place


def write_site(files: list[OutputFile], out: Path) -> int:
    """Write `files` as the new contents of `out`; return how many files were written or removed.

    Only a build that succeeded gets here, so the previous output is never touched by a failed
    one. Files whose bytes did not change are never written again. When few files changed, each
    is replaced on its own by an atomic rename, and files the site no longer has are removed.
    Otherwise the new site is written into a sibling folder (unchanged files hard-linked from the
    old one) and renamed into place whole.
    """
    out = out.absolute()
    contents = {item.path: _bytes(item) for item in files}
    if out.is_dir():
        old = {
            p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() or p.is_symlink()
        }
        changed = [path for path, data in contents.items() if not _holds(out / path, data)]
        stale = sorted(old - contents.keys())
        if len(changed) + len(stale) <= SMALL_CHANGE * max(len(contents), 1) or not (
            changed or stale
        ):
            _update_in_place(out, {path: contents[path] for path in changed}, stale)
            return len(changed) + len(stale)
    _write_whole(out, contents)
    return len(contents)


def update_files(files: list[OutputFile], out: Path) -> list[str]:
    """Replace only `files` in `out`, each by an atomic rename if its bytes changed.

    For a build that made just some of the site's files again; return the paths written.
    """
    out = out.absolute()
    contents = {item.path: _bytes(item) for item in files}
    changed = {path: data for path, data in contents.items() if not _holds(out / path, data)}
    _update_in_place(out, changed, [])
    return sorted(changed)


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


def _write_whole(out: Path, contents: dict[str, bytes]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for path, data in contents.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if not _link_if_unchanged(out / path, data, target):
                target.write_bytes(data)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; hosts must read it
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _link_if_unchanged(old: Path, data: bytes, target: Path) -> bool:
    """Hard-link `old` to `target` if it holds exactly `data`; return whether it did."""
    if not _holds(old, data):
        return False
    try:
        os.link(old, target)
        return True
    except OSError:
        return False


def _swap_in(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
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
