"""Encodings: BOMs and CRLF change nothing, a file that is not UTF-8 is named at the byte that is
wrong, and empty files and a very large article are handled."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_fixture, run_build, snapshot

TEXT_FILES = ("*.md", "*.yaml", "*.html")


def build(site: Path, out: Path) -> dict[str, bytes]:
    result = run_build("--source", site, "--out", out, "--no-cache")
    assert result.code == 0, result.stderr
    return snapshot(out)


def text_files(site: Path) -> list[Path]:
    return sorted(p for pattern in TEXT_FILES for p in site.rglob(pattern))


@pytest.mark.parametrize("fixture", ["basic", "tables"])
def test_a_bom_and_crlf_line_endings_build_the_same_site(tmp_path: Path, fixture: str):
    site = copy_fixture(fixture, tmp_path / "site")
    plain = build(site, tmp_path / "plain")
    files = text_files(site)
    assert len(files) >= 8  # pages, tables, site.yaml and templates alike
    for file in files:
        file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes().replace(b"\n", b"\r\n"))
    assert build(site, tmp_path / "windows") == plain


@pytest.mark.parametrize(
    "path, line, place",
    [
        ("content/guide/intro.md", b"# caf\xe9", "3:6"),
        ("content/data/pay.yaml", b"# caf\xe9", "3:6"),
        ("site.yaml", b"# caf\xe9", "3:6"),
        ("templates/page.html", b"<!-- caf\xe9 -->", "3:9"),
    ],
)
def test_a_file_that_is_not_utf8_is_named_at_the_wrong_byte(
    tmp_path: Path, path: str, line: bytes, place: str
):
    site = copy_fixture("tables" if "data" in path else "basic", tmp_path / "site")
    file = site / path
    lines = file.read_bytes().split(b"\n")
    lines.insert(2, line)  # a Latin-1 'é' on line 3
    file.write_bytes(b"\n".join(lines))
    result = run_build("--source", site, "--out", tmp_path / "out")
    assert result.code == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"{path}:{place}: error: not UTF-8: byte ")
    offset = int(errors[0].split("byte ")[1].split()[0])
    assert file.read_bytes()[offset] == 0xE9


@pytest.mark.parametrize(
    "path, expected",
    [
        ("content/empty.md", "content/empty.md:1:1: error: missing front matter"),
        ("content/data/empty.yaml", "content/data/empty.yaml:1:1: error:"),
        ("site.yaml", "site.yaml:1:1: error:"),
    ],
)
def test_an_empty_file_is_a_clear_error(site: Path, tmp_path: Path, path: str, expected: str):
    (site / path).parent.mkdir(parents=True, exist_ok=True)
    (site / path).write_bytes(b"")
    result = run_build("--source", site, "--out", tmp_path / "out")
    assert result.code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors and errors[0].startswith(expected), result.stderr
    assert "Traceback" not in result.stderr


def test_empty_static_files_and_templates_are_fine(site: Path, tmp_path: Path):
    (site / "static" / "empty.txt").write_bytes(b"")
    (site / "templates" / "unused.html").write_bytes(b"")
    files = build(site, tmp_path / "out")
    assert files["empty.txt"] == b""


def test_a_10_mb_article_builds(site: Path, tmp_path: Path):
    paragraph = "A sentence about models, data and deployment, repeated to make a long page. " * 3
    count = 10 * 1024 * 1024 // (len(paragraph) + 2) + 1
    body = "".join(f"{paragraph}{n}\n\n" for n in range(count))
    article = site / "content" / "long.md"
    article.write_text(f"---\ntitle: Long\ndescription: A very long article.\n---\n{body}")
    assert article.stat().st_size > 10 * 1024 * 1024
    files = build(site, tmp_path / "out")
    html = files["long/index.html"].decode()
    assert html.count("<p>") >= count
    assert f"long page. {count - 1}</p>" in html
