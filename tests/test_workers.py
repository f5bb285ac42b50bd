"""Work in the workers: a large site's pages are read, made and link-checked in worker processes,
with the same result, problems included, as in one process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ROOT, add_articles, run_build

from sitegen.workers import PARALLEL_FROM, map_in_workers

# Run in a process of its own (the pool is forked from it): record which process reads each
# page, makes each page and checks each page's links, then build.
WATCHED_BUILD = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from sitegen import checks, content, pagework, pipeline
    from sitegen.cache import StageCache
    from sitegen.options import BuildOptions

    record = Path(sys.argv[2])

    def watched(stage, function):
        def run(*args, **kwargs):
            with record.open("a") as out:
                out.write(json.dumps([stage, os.getpid()]) + "\\n")
            return function(*args, **kwargs)
        return run

    content.read_page = watched("read", content.read_page)
    pagework._Worker.make = watched("make", pagework._Worker.make)
    checks._broken_links = watched("check", checks._broken_links)
    site = pipeline.assemble(BuildOptions(source=Path(sys.argv[1]), jobs=2), StageCache())
    print(json.dumps({"main": os.getpid(), "pages": site.pages}))
    """
)


def test_a_large_sites_pages_are_read_made_and_checked_in_the_workers(site: Path, tmp_path):
    add_articles(site, PARALLEL_FROM + 40)
    record = tmp_path / "record.jsonl"
    done = subprocess.run(
        [sys.executable, "-c", WATCHED_BUILD, str(site), str(record)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    main = json.loads(done.stdout)["main"]
    by_stage: dict[str, list[int]] = {}
    for line in record.read_text().splitlines():
        stage, pid = json.loads(line)
        by_stage.setdefault(stage, []).append(pid)
    pages = json.loads(done.stdout)["pages"]
    assert len(by_stage["read"]) >= pages > PARALLEL_FROM
    assert len(by_stage["make"]) == pages
    assert len(by_stage["check"]) > pages  # every page, and the 404 page and the rest
    for stage, pids in by_stage.items():
        assert main not in pids, f"{stage} ran in the main process"
        assert 1 <= len(set(pids)) <= 2, f"{stage}: {len(set(pids))} processes for --jobs 2"


def broken_site(site: Path) -> None:
    """Many pages, with errors of every kind that workers find spread among them."""
    add_articles(site, PARALLEL_FROM + 40)
    many = site / "content" / "many"
    (many / "article-007.md").write_text("---\ntitle: [unclosed\ndescription: x\n---\nText.\n")
    (many / "article-090.md").write_text("---\ntitle: No description\n---\nText.\n")
    (many / "article-150.md").write_text(
        "---\ntitle: T\ndescription: D\n---\n"
        "[gone](../nowhere.md) and [anchor](article-151.md#nope)\n"
    )
    (many / "article-230.md").write_text(
        "---\ntitle: T\ndescription: D\n---\nA [bad anchor](#missing) and [ok](article-001.md).\n"
    )


def test_workers_report_the_same_problems_in_the_same_order_as_one_process(
    site: Path, tmp_path: Path
):
    broken_site(site)
    runs = [
        run_build("--source", site, "--out", tmp_path / f"out-{jobs}", "--jobs", jobs, process=True)
        for jobs in ("1", "2")
    ]
    assert [run.code for run in runs] == [1, 1]
    assert runs[0].problems == runs[1].problems
    problems = "\n".join(runs[1].problems)
    for expected in (
        "content/many/article-007.md:3:",
        "content/many/article-090.md:",
        "content/many/article-150.md:5:",
        "content/many/article-230.md:5:",
        "anchor '#nope' does not exist",
        "anchor '#missing' does not exist on this page",
    ):
        assert expected in problems
    assert not (tmp_path / "out-1").exists() and not (tmp_path / "out-2").exists()


def test_map_in_workers_keeps_order_and_makes_each_workers_state_once():
    def prepare() -> dict:
        return {"pid": os.getpid(), "made": 0}

    def work(state: dict, item: int) -> tuple[int, int, int]:
        state["made"] += 1
        return item * item, state["pid"], state["made"]

    few = map_in_workers(prepare, work, list(range(10)), jobs=2)
    assert [square for square, _, _ in few] == [n * n for n in range(10)]
    assert {pid for _, pid, _ in few} == {os.getpid()}  # too few to be worth a pool

    many = map_in_workers(prepare, work, list(range(PARALLEL_FROM * 3)), jobs=2, chunk=16)
    assert [square for square, _, _ in many] == [n * n for n in range(PARALLEL_FROM * 3)]
    pids = {pid for _, pid, _ in many}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    for pid in pids:  # one state a process, kept from chunk to chunk: its counts run on
        counts = [made for _, owner, made in many if owner == pid]
        assert sorted(counts) == list(range(1, len(counts) + 1))
    assert map_in_workers(prepare, work, [], jobs=2) == []
