"""`build.py new article|table`: valid new files, never an overwrite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, copy_guide, html_pages, run_build

from sitegen.scaffold import PLACEHOLDER_DESCRIPTION


def new(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "new", *args, "--source", str(site)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"SOURCE_DATE_EPOCH": "1767225600", "PATH": "/usr/bin:/bin"},
    )


def test_new_article_has_valid_front_matter_slug_and_date(site: Path, tmp_path: Path):
    done = new(site, "article", 'What "ML Ops" means: a primer')
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "content/what-ml-ops-means-a-primer.md"
    text = (site / done.stdout.strip()).read_text()
    assert 'title: "What \\"ML Ops\\" means: a primer"' in text
    assert "date: 2026-01-01" in text  # from SOURCE_DATE_EPOCH
    result = run_build("--source", site, "--out", tmp_path / "out", "--strict")
    assert result.code == 0, result.stderr
    assert (tmp_path / "out" / "what-ml-ops-means-a-primer" / "index.html").is_file()


def test_new_table_builds_and_passes_validation(site: Path, tmp_path: Path):
    done = new(site, "table", "pay_bands")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "content/data/pay_bands.yaml"
    result = run_build("--source", site, "--out", tmp_path / "out", "--strict")
    assert result.code == 0, result.stderr
    assert " 1 tables" in result.stdout


def test_new_refuses_to_overwrite(site: Path):
    page = site / "content" / "guide" / "intro.md"
    target = site / "content" / "intro.md"
    target.write_text("mine")
    done = new(site, "article", "Intro")
    assert done.returncode == 1
    assert done.stderr.splitlines()[0].startswith("content/intro.md:1:1: error: already exists")
    assert target.read_text() == "mine" and page.is_file()
    assert new(site, "table", "Bad-Name").returncode == 1


def test_a_new_article_comes_last_in_the_reading_order(site: Path, tmp_path: Path):
    done = new(site, "article", "Afterword")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    pages = html_pages(out)
    new_page = pages["afterword/index.html"]
    assert new_page.find("a", rel="next") is None  # nothing after it
    before = [
        path for path, soup in pages.items() if soup.find("a", rel="next", href="/afterword/")
    ]
    assert before == ["guide/braces/index.html"]  # the page that was last (its slug: braces)


def check(site: Path) -> subprocess.CompletedProcess:
    """Run `build.py check` on `site` where no Nu checker is found: these tests are about
    descriptions alone."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--source", str(site)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=site.parent,
    )


def test_check_warns_of_a_description_left_as_new_wrote_it(site: Path):
    done = new(site, "article", "Unfinished")
    assert done.returncode == 0, done.stderr
    checked = check(site)
    warnings = [line for line in checked.stdout.splitlines() if "placeholder" in line]
    assert warnings == [
        "content/unfinished.md:3:1: warning: the description is still the placeholder that "
        "'new article' wrote (hint: say in one sentence what this page covers: search engines "
        "show it)"
    ]
    page = site / "content" / "unfinished.md"
    page.write_text(page.read_text().replace(PLACEHOLDER_DESCRIPTION, "What is left to do."))
    again = check(site)
    assert "placeholder" not in again.stderr + again.stdout


def test_new_page_index_makes_the_home_page_first_in_the_reading_order(site: Path, tmp_path):
    (site / "content" / "index.md").unlink()
    done = new(site, "page", "index")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "content/index.md"
    faq = new(site, "page", "guide/faq")
    assert faq.stdout.strip() == "content/guide/faq.md", faq.stderr
    out = tmp_path / "out"
    result = run_build("--source", site, "--out", out)
    assert result.code == 0, result.stderr
    pages = html_pages(out)
    home = pages["index.html"]
    assert home.h1.get_text(strip=True) == "Fixture Guide"  # the site's title
    assert home.find("a", rel="next")["href"] == "/guide/"  # the first page after it
    assert not [path for path, soup in pages.items() if soup.find("a", rel="next", href="/")]
    assert pages["guide/faq/index.html"].find("a", rel="next") is None  # the last page
    assert new(site, "page", "data/x").returncode == 1  # tables' folder: no pages there
    assert new(site, "page", "../outside").returncode == 1


def test_the_guides_theme_names_a_home_page_titled_as_the_site_once(tmp_path: Path):
    site = copy_guide(tmp_path / "site")
    (site / "content" / "index.md").unlink()
    assert new(site, "page", "index").returncode == 0
    out = tmp_path / "out"
    result = run_build("--source", site, "--out", out)
    assert result.code == 0, result.stderr
    title = html_pages(out)["index.html"].title.get_text(strip=True)
    assert title == "Machine Learning Engineer Guide"  # not "... Guide · ... Guide"
    assert (
        html_pages(out)["salaries/index.html"]
        .title.get_text(strip=True)
        .endswith(" · Machine Learning Engineer Guide")
    )
