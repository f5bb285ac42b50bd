"""Path safety: nothing read from outside the site, nothing written outside the output folder,
and no name that hosts would mangle or merge."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from conftest import copy_fixture, run_build, snapshot


def failed_with(site: Path, out: Path) -> list[str]:
    """Build and expect failure; return the error lines, and check nothing was written."""
    result = run_build("--source", site, "--out", out)
    assert result.code == 1, result.stdout
    assert not out.exists()
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def page(title: str, body: str = "Text.\n", extra: str = "") -> str:
    return f"---\ntitle: {title}\ndescription: A page.\n{extra}---\n{body}"


@pytest.mark.parametrize("folder", ["content", "templates", "static"])
def test_a_link_to_a_file_outside_the_site_is_refused(site: Path, tmp_path: Path, folder: str):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for publishing\n")
    name = {"content": "leak.md", "templates": "leak.html", "static": "leak.txt"}[folder]
    (site / folder / name).symlink_to(secret)
    errors = failed_with(site, tmp_path / "out")
    assert errors == [
        f"{folder}/{name}:1:1: error: is a link to {secret}, outside the site folder "
        "(hint: copy the file into the site instead: a build reads only the site)"
    ]


def test_a_linked_folder_outside_the_site_is_refused(site: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "page.md").write_text(page("Elsewhere"))
    (site / "content" / "more").symlink_to(outside, target_is_directory=True)
    errors = failed_with(site, tmp_path / "out")
    assert len(errors) == 1 and errors[0].startswith("content/more:1:1: error: is a link to")


def test_a_link_within_the_site_is_allowed(site: Path, tmp_path: Path):
    (site / "static" / "same.css").symlink_to(site / "static" / "css" / "style.css")
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    assert (out / "same.css").read_bytes() == (site / "static" / "css" / "style.css").read_bytes()


@pytest.mark.parametrize(
    "name, shown, problem",
    [
        ("back\\slash.md", "back\\slash.md", "contains a backslash"),
        ("tab\there.md", "tab\\there.md", "contains a control or invisible character"),
        ("bell\x07.md", "bell\\x07.md", "contains a control or invisible character"),
        ("zero\u200bwidth.md", "zero\u200bwidth.md", "contains a control or invisible character"),
        (" leading.md", " leading.md", "starts or ends with a space"),
    ],
)
def test_a_source_name_hosts_would_mangle_is_refused(
    site: Path, tmp_path: Path, name: str, shown: str, problem: str
):
    (site / "content" / name).write_text(page("Odd name"))
    errors = failed_with(site, tmp_path / "out")
    assert len(errors) == 1
    # The message stays one line: control characters are shown escaped.
    assert errors[0].startswith(f"content/{shown}:1:1: error: the name {name!r} {problem}")


def test_an_over_long_slug_is_refused(site: Path, tmp_path: Path):
    (site / "content" / "long.md").write_text(page("Long", extra=f"slug: {'a' * 300}\n"))
    errors = failed_with(site, tmp_path / "out")
    assert len(errors) == 1
    assert errors[0].startswith("content/long.md:1:1: error: would write")
    assert "is longer than 255 bytes" in errors[0]


@pytest.mark.parametrize(
    "first, second",
    [
        ("About.md", "about.md"),
        (unicodedata.normalize("NFC", "café.md"), unicodedata.normalize("NFD", "café.md")),
    ],
)
def test_names_that_differ_only_by_case_or_normalisation_clash(
    site: Path, tmp_path: Path, first: str, second: str
):
    (site / "content" / first).write_text(page("One"))
    (site / "content" / second).write_text(page("Two"))
    errors = failed_with(site, tmp_path / "out")
    assert len(errors) == 1, errors
    assert "the names differ only by case or Unicode normalisation" in errors[0]


@pytest.mark.parametrize("slug", ["../escape", "/etc", "a/b", "a\\b", "a\x00b", ".."])
def test_a_slug_that_is_not_one_url_segment_is_refused(site: Path, tmp_path: Path, slug: str):
    (site / "content" / "bad.md").write_text(page("Bad", extra=f"slug: {json.dumps(slug)}\n"))
    errors = failed_with(site, tmp_path / "out")
    assert len(errors) == 1
    assert errors[0].startswith("content/bad.md:4:7: error: 'slug' must be one URL segment")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "../outside/",
        "relative/path",
        "data:text/html,hi",
        "/a/../../b",
        "/nul\x00byte/",
        "//evil.example/",
    ],
)
def test_a_menu_url_must_be_http_or_a_site_path(site: Path, tmp_path: Path, url: str):
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("url: https://example.com/", f"url: {url!r}"))
    errors = failed_with(site, tmp_path / "out")
    assert len(errors) == 1
    assert errors[0].startswith("site.yaml:10:10: error: 'url' must ")


def test_table_keys_cannot_lead_out_of_the_output_folder(tmp_path: Path):
    site = copy_fixture("tables", tmp_path / "site")
    for name, old in (("pay", "level: Junior"), ("averages", "band: Junior")):
        data = site / "content" / "data" / f"{name}.yaml"
        text = data.read_text()
        assert old in text
        data.write_text(text.replace(old, old.replace("Junior", "'../../../Junior'")))
    out = tmp_path / "deep" / "out"
    result = run_build("--source", site, "--out", out)
    assert result.code == 0, result.stderr
    assert "levels/junior/index.html" in snapshot(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep", "site"]
    assert [p.name for p in (tmp_path / "deep").iterdir()] == ["out"]
