"""What a command asks a build for."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

# Options that change how a build runs, never what it writes.
HOW_ONLY = {"how_only": True}


@dataclass(frozen=True, kw_only=True)
class BuildOptions:
    """What the command line asked for."""

    source: Path
    out: Path | None = None  # default: output_dir of site.yaml, in the site folder
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    search: bool = True  # index for search when site.yaml asks for it
    cache_dir: Path | None = field(default=None, metadata=HOW_ONLY)  # default: .cache/ in source
    use_cache: bool = field(default=True, metadata=HOW_ONLY)
    jobs: int = field(default=os.cpu_count() or 1, metadata=HOW_ONLY)

    def output_settings(self) -> tuple[tuple[str, object], ...]:
        """The options that shape what a build writes: a snapshot holds only for the same ones."""
        shaping = []
        for option in fields(self):
            if option.metadata.get("how_only"):
                continue
            value = getattr(self, option.name)
            shaping.append((option.name, value.absolute() if isinstance(value, Path) else value))
        return tuple(shaping)
