"""Full-text search: the built site indexed by Pagefind, whose wheel carries its binary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import BuildError, BuildFailed, SourceSpan


def index_site(out: Path) -> None:
    """Write OUT/pagefind/, the search index and its browser library, from the built pages."""
    done = subprocess.run(
        [*pagefind_command(), "--site", str(out), "--quiet"],
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
