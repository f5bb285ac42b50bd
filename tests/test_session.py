"""The build session: one object runs every command's builds; kept in memory, it redoes little."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen import search
from sitegen.errors import BuildFailed
from sitegen.options import BuildOptions
from sitegen.session import Session


def in_memory(site: Path, out: Path) -> Session:
    """A session as the dev server makes it: the cache and the site kept in memory."""
    return Session(BuildOptions(source=site, out=out), on_disk=False, write=False)


def contents(outcome) -> dict[str, bytes]:
    return {
        f.path: f.data if f.data is not None else f.copy_from.read_bytes()
        for f in outcome.site.files
    }


def test_kept_in_memory_an_edited_page_is_made_again_alone_and_the_site_is_the_same(
    site: Path, tmp_path: Path
):
    session = in_memory(site, tmp_path / "out")
    first = session.build()
    assert first.redone == ""
    page = site / "content" / "guide" / "intro.md"
    page.write_text(page.read_text() + "\nA sentence added by an editor.\n")
    second = session.build()
    assert second.redone == f"1 of {first.pages} pages rendered again"
    made = contents(second)
    assert made.keys() == contents(first).keys()
    text = BeautifulSoup(made["guide/intro/index.html"], "html.parser").main.get_text()
    assert "A sentence added by an editor." in text
    # The same site as a session that builds it all at once.
    assert made == contents(in_memory(site, tmp_path / "out").build())
    assert not (tmp_path / "out").exists()  # nothing written


def test_kept_in_memory_a_template_or_front_matter_change_makes_everything_again(
    site: Path, tmp_path: Path
):
    session = in_memory(site, tmp_path / "out")
    session.build()
    assert session.build().redone == "nothing changed"
    template = site / "templates" / "base.html"
    template.write_text(template.read_text().replace("</main>", "<p>Template note.</p></main>"))
    outcome = session.build()
    assert outcome.redone == ""
    notes = BeautifulSoup(contents(outcome)["guide/intro/index.html"], "html.parser")
    assert notes.main.find("p", string="Template note.") is not None
    page = site / "content" / "guide" / "intro.md"
    page.write_text(page.read_text().replace("title: ", "title: Retitled ", 1))
    outcome = session.build()
    assert outcome.redone == ""
    home = BeautifulSoup(contents(outcome)["index.html"], "html.parser")
    assert "Retitled" in home.get_text()  # other pages show the new title


def test_told_what_changed_a_session_looks_at_those_files_alone(site: Path, tmp_path: Path):
    session = in_memory(site, tmp_path / "out")
    first = session.build()
    intro = site / "content" / "guide" / "intro.md"
    home = site / "content" / "index.md"
    intro.write_text(intro.read_text() + "\nTold of.\n")
    home.write_text(home.read_text() + "\nNot told of.\n")
    told = session.build(told=frozenset({"content/guide/intro.md", "_site/index.html"}))
    assert told.redone == f"1 of {first.pages} pages rendered again"
    made = contents(told)
    assert "Told of." in BeautifulSoup(made["guide/intro/index.html"], "html.parser").main.text
    assert "Not told of." not in BeautifulSoup(made["index.html"], "html.parser").main.text
    # A file removed, a folder named (a watcher that lost track), or nothing told: all is seen.
    assert (
        "Not told of."
        in contents(session.build(told=frozenset({"content"})))["index.html"].decode()
    )
    extra = site / "content" / "extra.md"
    extra.write_text("---\ntitle: Extra\ndescription: An extra page.\n---\nExtra.\n")
    added = session.build(told=frozenset({"content/extra.md"}))
    assert "extra/index.html" in contents(added)
    extra.unlink()
    removed = session.build(told=frozenset({"content/extra.md"}))
    assert removed.redone == "" and "extra/index.html" not in contents(removed)
    assert session.build(told=frozenset()).redone == "nothing changed"


def test_told_of_a_folder_moved_away_a_session_drops_its_pages(site: Path, tmp_path: Path):
    session = in_memory(site, tmp_path / "out")
    before = contents(session.build())
    assert "guide/intro/index.html" in before
    (site / "content" / "guide").rename(tmp_path / "guide-moved")
    (site / "content" / "index.md").write_text(
        "---\ntitle: Home\ndescription: Home.\n---\nNo guide now.\n"
    )
    with pytest.raises(BuildFailed) as failure:  # the menu's link to it is broken now
        session.build(told=frozenset({"content/guide", "content/index.md"}))
    assert [error.message for error in failure.value.errors] == [
        "menu entry 'Guide' links to missing page content/guide/index.md"
    ]


def test_a_closed_session_leaves_no_search_shards_behind(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    room = tmp_path / "memory"  # where the session keeps its shards: in memory when it can
    room.mkdir()
    monkeypatch.setattr(search, "memory_folder", lambda size: str(room))
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "search: true\n")
    with in_memory(site, tmp_path / "out") as session:
        outcome = session.build()
        index = {f.path for f in session.search_files(outcome.site, outcome.site.files)}
        assert "pagefind/pagefind.js" in index
        assert [p.name for p in room.glob("*/shards.json")] == ["shards.json"]
    assert list(room.iterdir()) == []
