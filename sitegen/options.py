"""What the command line asks a build for."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildOptions:
    """What the command line asked for."""

    source: Path
    out: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    cache_dir: Path | None = None  # default: .cache/ in the site folder
    use_cache: bool = True
    jobs: int = os.cpu_count() or 1
    search: bool = True  # index for search when site.yaml asks for it
