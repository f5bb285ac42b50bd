"""site.yaml: declared keys, types and command-line overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import html_pages, run_build

from sitegen.config import load_config
from sitegen.errors import BuildFailed


def write_config(site: Path, text: str) -> None:
    (site / "site.yaml").write_text(text)


MINIMAL = "title: T\ndescription: D\nlanguage: en\nbase_url: https://example.org/guide\n"


def test_defaults_and_normalised_base_url(tmp_path: Path):
    write_config(tmp_path, MINIMAL)
    config = load_config(tmp_path)
    assert config.base_url == "https://example.org/guide/"
    assert config.base_path == "/guide/"
    assert config.output_dir == "_site"
    assert config.menu == ()


def test_base_url_option_overrides_site_yaml(tmp_path: Path):
    write_config(tmp_path, MINIMAL)
    assert load_config(tmp_path, "https://docs.example.net/x/").base_path == "/x/"
    with pytest.raises(BuildFailed) as failure:
        load_config(tmp_path, "not a url")
    assert failure.value.errors[0].format().startswith("--base-url:1:1: error: --base-url must be")


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            "  - title: Both\n    page: a.md\n    url: https://x.org/\n",
            "site.yaml:6:5: error: a menu entry needs exactly one of 'page' or 'url'",
        ),
        ("  - page: a.md\n", "site.yaml:6:5: error: missing required menu key 'title'"),
        (
            "  - title: Typo\n    pgae: a.md\n",
            "site.yaml:7:5: error: unknown menu key 'pgae' (hint: did you mean 'page'?)",
        ),
    ],
)
def test_menu_entries_are_validated(tmp_path: Path, entry: str, message: str):
    write_config(tmp_path, MINIMAL + "menu:\n" + entry)
    with pytest.raises(BuildFailed) as failure:
        load_config(tmp_path)
    assert failure.value.errors[0].format().startswith(message)


def test_missing_site_yaml_is_a_clear_error(tmp_path: Path):
    result = run_build("--source", tmp_path, "--out", tmp_path / "out")
    assert result.code == 1
    assert result.problems[0].startswith("site.yaml:1:1: error: no site.yaml in the site folder")


def test_output_dir_from_site_yaml_is_used(site: Path):
    text = (site / "site.yaml").read_text() + "output_dir: public\n"
    write_config(site, text)
    assert run_build("--source", site).code == 0
    assert "index.html" in html_pages(site / "public")


def test_output_dir_must_stay_inside_the_site_folder(site: Path):
    write_config(site, (site / "site.yaml").read_text() + "output_dir: ../elsewhere\n")
    result = run_build("--source", site)
    assert result.problems == [
        "site.yaml:11:13: error: 'output_dir' must be a folder name inside "
        "the site folder, such as '_site'"
    ]
