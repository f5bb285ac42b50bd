"""Search everywhere: the built site and the dev server serve a Pagefind index that finds pages,
in shards merged by the browser, and an edit re-indexes the shard of the page edited only."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from browser import chromium
from conftest import copy_guide, run_build
from server_process import serving
from serving import serve

from sitegen import search as index
from sitegen import session as session_module
from sitegen.options import BuildOptions
from sitegen.outputs import OutputFile
from sitegen.search import SHARD_PAGES, SearchIndex, shard_of
from sitegen.session import Session, renewed_folder

pytestmark = pytest.mark.browser


def word(n: int, stem: str = "zq") -> str:
    """A word of letters only, all of one length: Pagefind matches prefixes and splits digits."""
    return stem + "".join(chr(ord("a") + int(digit)) for digit in f"{n:04}")


def search(page, root: str, term: str) -> list[str]:
    """Type `term` into the header's search box on a fresh load; return the results' links
    (none while the index cannot be loaded)."""
    page.goto(root)
    page.get_by_role("searchbox", name="Search this site").fill(term)
    status = page.locator("form.search [aria-live]")
    said = status.filter(has_text="found").or_(status.filter(has_text="Nothing"))
    said.or_(status.filter(has_text="not available")).wait_for(timeout=10000)
    return [a.get_attribute("href") for a in page.locator("#search-results > li > a").all()]


def test_the_dev_server_serves_an_index_that_follows_edits(tmp_path: Path):
    site = copy_guide(tmp_path / "site")
    with serving(site, tmp_path / "logs") as server, chromium() as browser:
        page = browser.new_page()
        # The index is made after the site is served: until then the box says it has none.
        deadline = time.monotonic() + 60
        while not (found := search(page, server.url, "salary")):
            assert time.monotonic() < deadline, "the served site has no search index"
            time.sleep(0.5)
        assert "/salaries/" in found
        page.goto(server.url + found[found.index("/salaries/")].lstrip("/"))
        assert page.locator("h1").inner_text() == "Salaries"
        salaries = site / "content" / "salaries.md"
        salaries.write_text(salaries.read_text() + "\nA word seen nowhere else: quokkaberry.\n")
        # The rebuild reloads every open page; a search begun before that reload is cut short.
        page.get_by_text("quokkaberry").wait_for(timeout=20000)
        deadline = time.monotonic() + 60
        while search(page, server.url, "quokkaberry") != ["/salaries/"]:
            assert time.monotonic() < deadline, "the edit never reached the served index"
            time.sleep(0.5)


def test_a_large_site_is_indexed_in_shards_that_search_merges(tmp_path: Path):
    site = copy_guide(tmp_path / "site")
    folder = site / "content" / "many"
    folder.mkdir()
    count = SHARD_PAGES * 2 + 50
    for n in range(count):
        (folder / f"page-{n}.md").write_text(
            f"---\ntitle: Page {n}\ndescription: Generated page {n}.\nweight: {n + 100}\n---\n"
            f"The word of this page is {word(n)}.\n"
        )
    out = tmp_path / "out"
    first = run_build("--source", site, "--out", out, process=True)  # it forks its workers
    assert first.code == 0, first.stderr
    pages = int(first.stdout.split()[1])  # "built N pages, ..."
    shards = json.loads((out / "pagefind" / "shards.json").read_text())["shards"]
    assert len(shards) == 2  # three shards: the first at pagefind/, two merged
    later = next(n for n in range(count) if shard_of(f"many/page-{n}/index.html", 3) == 2)
    with serve(out) as root, chromium() as browser:
        page = browser.new_page()
        # Pagefind forgives small differences, so other pages may follow; this one comes first.
        assert search(page, root, word(later))[0] == f"/many/page-{later}/"
        assert "/salaries/" in search(page, root, "salary")

    def bundles() -> dict[str, bytes]:
        return {
            p.relative_to(out).as_posix(): p.read_bytes()
            for p in (out / "pagefind").rglob("*")
            if p.is_file()
        }

    before = bundles()
    edited = folder / f"page-{later}.md"
    edited.write_text(edited.read_text().replace(word(later), word(later, "xk")))
    result = run_build("--source", site, "--out", out, process=True)
    assert result.code == 0 and f"(1 of {pages} pages rendered again)" in result.stdout
    # What the edit wrote is known to the next build: it has nothing to do.
    assert "(nothing changed)" in run_build("--source", site, "--out", out).stdout
    after = bundles()
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed and all(path.startswith("pagefind/shard-2/") for path in changed), changed
    with serve(out) as root, chromium() as browser:
        page = browser.new_page()
        assert search(page, root, word(later, "xk"))[0] == f"/many/page-{later}/"
        assert f"/many/page-{later}/" not in search(page, root, word(later))


def test_a_box_whose_index_does_not_load_says_so_and_tries_again(tmp_path: Path):
    out = tmp_path / "out"
    assert run_build("--source", copy_guide(tmp_path / "site"), "--out", out).code == 0
    index_folder = out / "pagefind"
    index_folder.rename(tmp_path / "away")  # as in a copy saved without it
    with serve(out) as root, chromium() as browser:
        page = browser.new_page()
        page.goto(root)
        box = page.get_by_role("searchbox", name="Search this site")
        box.fill("salary")
        note = page.locator("#search-results > li.search-note")
        note.wait_for(timeout=10000)
        assert note.inner_text() == "Search is not available: its index did not load."
        status = page.locator("form.search [aria-live]")
        assert status.inner_text() == note.inner_text()  # read out as well as shown
        (tmp_path / "away").rename(index_folder)
        box.fill("salaries")  # the next search loads the index again
        page.locator("#search-results > li > a").first.wait_for(timeout=10000)
        assert "/salaries/" in search(page, root, "salary")
        box = page.get_by_role("searchbox", name="Search this site")
        box.fill("qqqzzxq")
        assert note.inner_text() == "Nothing found" == status.inner_text()


def test_an_index_made_again_reads_only_the_shards_of_pages_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(index, "SHARD_PAGES", 2)
    pages = [
        OutputFile(
            f"page-{n}/index.html",
            f"<html><body><main><h1>Page {n}</h1><p>{word(n)}</p></main></body></html>".encode(),
        )
        for n in range(6)
    ]
    store, read = tmp_path / "store", []

    def reading(page: OutputFile) -> bytes:
        read.append(page.path)
        return page.data

    first = index.search_index(pages, reading, store, build="1")
    assert sorted(read) == sorted(p.path for p in pages) and not first.as_before
    assert {index.shard_of(p.path, 3) for p in pages} == {0, 1, 2}
    edited = next(p.path for p in pages if index.shard_of(p.path, 3) == 2)  # at shard-2/
    edited_shard = 2
    read.clear()
    again = index.search_index(
        pages, reading, store, build="2", since="1", same=lambda path: path != edited
    )
    assert read and all(index.shard_of(path, 3) == edited_shard for path in read)
    assert edited in read
    assert again.as_before and {f.path for f in again.files} >= again.as_before
    assert not any(path.startswith(f"pagefind/shard-{edited_shard}/") for path in again.as_before)
    # An index recorded for another build than the one named: every page is read again.
    read.clear()
    index.search_index(pages, reading, store, build="3", since="1", same=lambda path: True)
    assert sorted(read) == sorted(p.path for p in pages)
    # A damaged record, or one naming a folder elsewhere, is no reason to trust anything.
    zero = [p.path for p in pages if index.shard_of(p.path, 3) == 0]
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "pagefind-entry.json").write_text("{}")
    elsewhere = {"key": "../outside", "paths": zero, "first": True}
    for damaged in ({"build": "3", "count": 3, "0": elsewhere}, {"build": "3", "0": 1}, []):
        (store / "shards.json").write_text(json.dumps(damaged))
        read.clear()
        index.search_index(pages, reading, store, build="4", since="3", same=lambda path: True)
        assert sorted(read) == sorted(p.path for p in pages)


def test_the_dev_servers_index_after_an_edit_runs_pagefind_for_the_edited_shard_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
):
    monkeypatch.setattr(index, "SHARD_PAGES", 8)
    site = copy_guide(tmp_path / "site")
    session = Session(BuildOptions(source=site), on_disk=False, write=False)
    request.addfinalizer(session.close)
    runs: list[tuple[list[str], list[str]]] = []  # each Pagefind run: its command, its pages
    real_popen = index.subprocess.Popen

    def popen(command, *args, **kwargs):
        if "--site" in command:
            pages = Path(command[command.index("--site") + 1])
            runs.append(
                (command, sorted(p.relative_to(pages).as_posix() for p in pages.rglob("*.html")))
            )
        return real_popen(command, *args, **kwargs)

    monkeypatch.setattr(index.subprocess, "Popen", popen)
    read: list[str] = []  # the pages whose bytes the index looked at
    real_bytes = session_module._bytes
    monkeypatch.setattr(session_module, "_bytes", lambda f: read.append(f.path) or real_bytes(f))
    first = session.build()
    before = {f.path: f for f in session.search_files(first.site, first.site.files)}
    shards = len(json.loads(before["pagefind/shards.json"].data)["shards"]) + 1
    assert shards >= 3 and len(runs) == shards
    runs.clear()
    read.clear()
    salaries = site / "content" / "salaries.md"
    salaries.write_text(salaries.read_text() + "\nA word seen nowhere else: quokkaberry.\n")
    edited = session.build(told=frozenset({"content/salaries.md"}))
    assert edited.redone.startswith("1 of ")
    after = {f.path: f for f in session.search_files(edited.site, edited.site.files)}
    assert len(runs) == 1, [pages for _, pages in runs]  # one shard indexed again, not all
    command, pages = runs[0]
    own = shard_of("salaries/index.html", shards)
    assert "salaries/index.html" in pages and {shard_of(p, shards) for p in pages} == {own}
    assert sorted(read) == pages  # the other shards' pages were not even read
    assert command[:3] == [shutil.which("nice"), "-n", "15"]  # rebuilds come first
    # The other shards' files are those of the index before; the edited shard's are new.
    moved = {p for p in after if before.get(p, after[p]).copy_from != after[p].copy_from}
    prefix = "pagefind/" if own == 0 else f"pagefind/shard-{own}/"
    assert moved and all(path.startswith(prefix) for path in moved), moved
    runs.clear()
    read.clear()
    again = session.build(told=frozenset({"content/salaries.md"}))
    session.search_files(again.site, again.site.files)
    assert runs == [] and read == []  # nothing changed: nothing read, no shard indexed again


def test_an_edit_renews_the_folder_of_its_shard_alone_unless_the_first_shard_changed():
    def made(*fresh: str) -> SearchIndex:
        kept = ["pagefind/pagefind.js", "pagefind/index/a.pf_index", "pagefind/shard-1/index/b"]
        kept += ["pagefind/shard-2/index/c", "pagefind/shard-2/fragment/d"]
        files = [OutputFile(path, b"") for path in [*kept, *fresh, "pagefind/shards.json"]]
        return SearchIndex(files, frozenset(kept))

    assert renewed_folder(SearchIndex([])) == ""
    assert renewed_folder(made("pagefind/shard-2/fragment/e")) == "pagefind/shard-2"
    assert renewed_folder(made()) == "pagefind"  # no shard changed: in place, if at all
    assert renewed_folder(made("pagefind/fragment/e")) == "pagefind"  # the first shard's
    two = made("pagefind/shard-1/fragment/e", "pagefind/shard-2/fragment/f")
    assert renewed_folder(two) == "pagefind"


def test_pagefinds_files_go_to_memory_only_where_there_is_room(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(index.os.path, "isdir", lambda path: path == "/dev/shm")
    monkeypatch.setattr(index.os, "access", lambda path, mode: path == "/dev/shm")
    block = 4096

    def free(blocks: int):
        return lambda _: type("Free", (), {"f_bavail": blocks, "f_frsize": block})()

    monkeypatch.setattr(index.os, "statvfs", free((index.MEMORY_SPARE + 10**6) // block))
    assert index.memory_folder(10**5) == "/dev/shm"
    # A container's small /dev/shm, nearly full: the system's temporary folder instead.
    assert index.memory_folder(10**7) is None
