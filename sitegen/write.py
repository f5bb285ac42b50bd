"""Stage 6: write the site beside the output folder, then swap it in whole."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import BuildError, SourceSpan
from .outputs import OutputFile


def write_site(files: list[OutputFile], out: Path) -> None:
    """Write `files` as the new contents of `out`; the old contents stay until all are written.

    The new site is written into a sibling folder, then renamed into place, so a failure at any
    point leaves the previous output exactly as it was. A file whose bytes did not change is not
    written again: the new folder gets a hard link to the old file.
    """
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for item in files:
            target = staging / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            data = item.copy_from.read_bytes() if item.copy_from is not None else item.data or b""
            if not _link_if_unchanged(out / item.path, data, target):
                target.write_bytes(data)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; hosts must read it
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _link_if_unchanged(old: Path, data: bytes, target: Path) -> bool:
    """Hard-link `old` to `target` if it holds exactly `data`; return whether it did."""
    try:
        if old.is_symlink() or old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
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
