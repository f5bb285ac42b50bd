"""Full-text search: the built site indexed by Pagefind, whose wheel carries its binary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import BuildError, BuildFailed, SourceSpan


def index_site(out: Path) -> None:
    """Write OUT/pagefind/, the search index and its browser library, from the built pages."""
    done = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(out), "--quiet"],
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
