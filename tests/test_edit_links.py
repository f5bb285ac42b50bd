"""'Edit this page' from repo_url and edit_path in site.yaml, and the 'Last updated' date: each
shown when there is one, absent otherwise."""

from __future__ import annotations

from pathlib import Path

from conftest import html_pages, run_build

from sitegen.cli import main


def started(tmp_path: Path, settings: str = "") -> Path:
    site = tmp_path / "site"
    assert main(["init", str(site), "--title", "Notes"]) == 0
    config = site / "site.yaml"
    config.write_text(config.read_text() + settings)
    return site


def meta(out: Path, path: str):
    return html_pages(out)[path].find("footer", class_="page-meta")


def test_without_repo_url_or_updated_a_page_has_neither(tmp_path: Path):
    site = started(tmp_path)
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    assert meta(out, "first-article/index.html") is None


def test_repo_url_gives_each_written_page_an_edit_link(tmp_path: Path):
    site = started(tmp_path, "repo_url: https://github.com/owner/notes/\n")
    article = site / "content" / "first-article.md"
    article.write_text(article.read_text().replace("---\n", "---\nupdated: 2026-11-30\n", 1))
    (site / "content" / "notes").mkdir()  # a folder without index.md: its page is made
    (site / "content" / "notes" / "a.md").write_text("---\ntitle: A\ndescription: A note.\n---\n")
    out = tmp_path / "out"
    result = run_build("--source", site, "--out", out)
    assert result.code == 0, result.stderr
    footer = meta(out, "first-article/index.html")
    link = footer.find("a", string="Edit this page")
    assert link["href"] == "https://github.com/owner/notes/edit/main/content/first-article.md"
    assert footer.find("time")["datetime"] == "2026-11-30"
    assert "Last updated" in footer.get_text()
    # A page the build made (the folder's) has no file to edit.
    assert meta(out, "notes/index.html") is None
    assert meta(out, "notes/a/index.html").find("a")["href"].endswith("/content/notes/a.md")


def test_edit_path_places_the_site_in_its_repository(tmp_path: Path):
    site = started(
        tmp_path, "repo_url: https://git.example.org/team/handbook\nedit_path: -/edit/trunk/docs\n"
    )
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    link = meta(out, "first-article/index.html").find("a", string="Edit this page")
    assert (
        link["href"]
        == "https://git.example.org/team/handbook/-/edit/trunk/docs/content/first-article.md"
    )


def test_a_wrong_repo_url_is_an_error_at_its_line(tmp_path: Path):
    site = started(tmp_path, "repo_url: github.com/owner/notes\n")
    lines = (site / "site.yaml").read_text().splitlines()
    line = lines.index("repo_url: github.com/owner/notes") + 1
    result = run_build("--source", site, "--out", tmp_path / "out")
    assert result.code == 1
    assert (
        f"site.yaml:{line}:11: error: 'repo_url' must be an absolute http(s) URL" in result.stderr
    )
    assert "Traceback" not in result.stderr
