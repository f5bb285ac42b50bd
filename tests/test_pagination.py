"""`paginate:` splits long lists: a section of 45 pages is 3 pages with previous and next."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import copy_fixture, html_pages, run_build


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = copy_fixture("basic", tmp_path / "site")
    shutil.rmtree(site / "templates")  # the theme's
    folder = site / "content" / "notes"
    folder.mkdir()
    for n in range(1, 46):
        (folder / f"note-{n:02d}.md").write_text(
            f"---\ntitle: Note {n:02d}\ndescription: Note {n}.\nweight: {100 + n}\n"
            f"tags: [every]\n---\nText.\n"
        )
    return site


def listed(soup) -> list[str]:
    return [a.get_text() for a in soup.select("nav.contents a")]


def test_a_section_of_45_pages_is_three_pages_with_previous_and_next(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out)
    assert done.code == 0, done.stderr
    pages = html_pages(out)
    first, second, third = (
        pages["notes/index.html"],
        pages["notes/page/2/index.html"],
        pages["notes/page/3/index.html"],
    )
    assert listed(first) == [f"Note {n:02d}" for n in range(1, 21)]
    assert listed(second) == [f"Note {n:02d}" for n in range(21, 41)]
    assert listed(third) == [f"Note {n:02d}" for n in range(41, 46)]
    assert "notes/page/4/index.html" not in pages

    def hints(soup) -> dict[str, str]:
        return {
            rel: soup.find("link", rel=rel)["href"]
            for rel in ("prev", "next")
            if soup.find("link", rel=rel)
        }

    assert hints(first) == {"next": "/notes/page/2/"}
    assert hints(second) == {"prev": "/notes/", "next": "/notes/page/3/"}
    assert hints(third) == {"prev": "/notes/page/2/"}
    numbers = second.select("nav.paginator li a")
    assert [(a.get_text(), a["href"]) for a in numbers] == [
        ("1", "/notes/"), ("2", "/notes/page/2/"), ("3", "/notes/page/3/"),
    ]  # fmt: skip
    assert [a.get("aria-current") for a in numbers] == [None, "page", None]
    assert second.find("link", rel="canonical")["href"] == "https://example.org/notes/page/2/"
    assert second.title.string.startswith("Notes, page 2")
    # A tag's page is split alike.
    assert listed(pages["tags/every/page/3/index.html"]) == [f"Note {n:02d}" for n in range(41, 46)]


def test_paginate_in_site_yaml_sets_the_length_of_a_page(site: Path, tmp_path: Path):
    config = site / "site.yaml"
    config.write_text(config.read_text() + "paginate: 30\n")
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    pages = html_pages(out)
    assert len(listed(pages["notes/index.html"])) == 30
    assert listed(pages["notes/page/2/index.html"]) == [f"Note {n}" for n in range(31, 46)]
    assert "notes/page/3/index.html" not in pages


def test_a_template_that_shows_no_list_is_not_split(site: Path, tmp_path: Path):
    templates = site / "templates"
    templates.mkdir()
    (templates / "section.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>{% endblock %}\n'
    )
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out)
    assert done.code == 0, done.stderr
    pages = html_pages(out)
    assert "notes/page/2/index.html" not in pages
    assert pages["notes/index.html"].find("link", rel="next") is None
