"""Memory of stage results keyed by everything they depend on, so unchanged work is skipped.

A stage is a function of its inputs; the key is a fingerprint of those inputs. The dev server keeps
one StageCache across rebuilds; its counts say what was redone.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def fingerprint(*parts: Any) -> str:
    """Return a stable digest of `parts` (bytes are hashed as they are, the rest by repr)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


class StageCache:
    """Results of earlier runs by stage and key; entries unused in a run are dropped after it."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], Any] = {}
        self._used: set[tuple[str, str]] = set()
        self.done: Counter[str] = Counter()  # computed in this run, by stage
        self.reused: Counter[str] = Counter()  # taken from an earlier run, by stage
        self.shared: dict[str, Any] = {}  # long-lived helpers, e.g. a template environment

    def get(self, stage: str, key: str, compute: Callable[[], T]) -> T:
        """Return the result of `compute` for `key`, from memory if an earlier run made it."""
        slot = (stage, key)
        self._used.add(slot)
        if slot in self._entries:
            self.reused[stage] += 1
            return self._entries[slot]
        self.done[stage] += 1
        result = self._entries[slot] = compute()
        return result

    def start_run(self) -> None:
        """Begin a run: forget what the previous run did not use, and reset the counts."""
        if self._used:
            self._entries = {slot: v for slot, v in self._entries.items() if slot in self._used}
        self._used = set()
        self.done.clear()
        self.reused.clear()


def no_cache() -> StageCache:
    """Return a cache for a single run, which therefore computes everything."""
    return StageCache()
