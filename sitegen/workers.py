"""Work spread over processes: each stage that does something per page hands its pages here.

The workers are forked, so they inherit what every task needs (the site's pages, URLs, ids) from
the process that forks them instead of being sent it; what travels to them is only which items to
do, and what comes back is each item's result, in order. Fewer items than `PARALLEL_FROM`, or one
job, run in this process: a pool would cost more than it saves. The result is the same either way.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

PARALLEL_FROM = 200

Item = TypeVar("Item")
Result = TypeVar("Result")

# What the forked workers run, set before they are forked: (prepare, work, items) while a map
# runs; then, in each worker, the state its `prepare` made.
_job: tuple[Callable[[], Any], Callable[[Any, Any], Any], Sequence[Any]] | None = None
_state: list[Any] = []


def map_in_workers(
    prepare: Callable[[], Any],
    work: Callable[[Any, Item], Result],
    items: Sequence[Item],
    jobs: int,
    chunk: int = 32,
) -> list[Result]:
    """Return `work(state, item)` for each item, in order, where each process makes its `state`
    once with `prepare()` (a Markdown parser, say); in `jobs` processes when there are enough."""
    if not items:
        return []
    if jobs <= 1 or len(items) < PARALLEL_FROM:
        state = prepare()
        return [work(state, item) for item in items]
    global _job
    _job = (prepare, work, items)
    frozen = gc.get_freeze_count() > 0  # by whoever called: theirs to undo
    gc.freeze()  # a worker's garbage collector would otherwise copy every object it inherited
    try:
        chunks = [range(i, min(i + chunk, len(items))) for i in range(0, len(items), chunk)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start) as pool:
            return [result for part in pool.map(_run, chunks) for result in part]
    finally:
        _job = None
        if not frozen:
            gc.unfreeze()


def _start() -> None:
    prepare, _, _ = _job
    _state[:] = [prepare()]


def _run(indices: range) -> list[Any]:
    _, work, items = _job
    return [work(_state[0], items[index]) for index in indices]
