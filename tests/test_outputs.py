"""What every built site holds: complete page heads, sitemap, robots.txt, 404 and static files."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import FIXTURES, ROOT, html_pages, run_build

ATOM = "{http://www.w3.org/2005/Atom}"

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def assert_complete_head(path: str, raw: bytes, soup) -> None:
    assert raw.lower().startswith(b"<!doctype html>"), path
    assert soup.html.get("lang"), path
    assert soup.title and soup.title.string and soup.title.string.strip(), path
    description = soup.find("meta", attrs={"name": "description"})
    assert description and description["content"].strip(), path
    viewport = soup.find("meta", attrs={"name": "viewport"})
    assert viewport and "width=device-width" in viewport["content"], path


def test_every_page_has_doctype_lang_title_description_and_viewport(built: Path):
    pages = html_pages(built)
    assert set(pages) == {
        "index.html",
        "guide/index.html",
        "guide/intro/index.html",
        "guide/braces/index.html",
        "404.html",
    }
    for path, soup in pages.items():
        assert_complete_head(path, (built / path).read_bytes(), soup)
    assert pages["guide/intro/index.html"].title.string == "Introduction · Fixture Guide"
    assert pages["index.html"].html["lang"] == "en"


def test_pages_are_served_at_folder_urls(built: Path):
    # content/a/b.md -> a/b/index.html; index.md is its folder's page; slug renames the last part.
    assert (built / "guide" / "intro" / "index.html").is_file()
    assert (built / "guide" / "index.html").is_file()
    assert (built / "guide" / "braces" / "index.html").is_file()
    assert not (built / "guide" / "literal-braces").exists()


def test_sitemap_lists_published_pages_with_lastmod(built: Path):
    root = ET.parse(built / "sitemap.xml").getroot()
    entries = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
        for u in root.findall(f"{SITEMAP}url")
    }
    assert entries == {
        "https://example.org/": None,
        "https://example.org/guide/": "2024-03-01",
        "https://example.org/guide/intro/": "2024-04-10",  # `updated` wins over `date`
        "https://example.org/guide/braces/": None,
    }


def test_robots_is_written_at_the_hosts_root_only_and_check_says_why(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out, "--base-url", "https://example.org").code == 0
    lines = (out / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: https://example.org/sitemap.xml" in lines
    sub = tmp_path / "sub"
    assert (
        run_build("--source", site, "--out", sub, "--base-url", "https://example.org/s").code == 0
    )
    assert not (sub / "robots.txt").exists() and (sub / "sitemap.xml").exists()
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("https://example.org/", "https://example.org/s/"))
    checked = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--source", str(site)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    line = config.read_text().splitlines().index("base_url: https://example.org/s/") + 1
    assert (
        f"site.yaml:{line}:11: warning: no robots.txt written: the site is served under /s/, and "
        "crawlers read robots.txt only at the host's root, https://example.org/robots.txt"
    ) in checked.stdout


def test_the_feed_carries_the_newest_entries_up_to_feed_limit(site: Path, tmp_path: Path):
    for day in range(1, 26):
        (site / "content" / f"day-{day}.md").write_text(
            f"---\ntitle: Day {day}\ndescription: Day {day}.\ndate: 2026-01-{day:02d}\n---\nText.\n"
        )
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0

    def titles() -> list[str]:
        feed = ET.parse(out / "feed.xml").getroot()
        return [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]

    assert titles() == [f"Day {day}" for day in range(25, 5, -1)]  # the default: 20
    config = site / "site.yaml"
    config.write_text(config.read_text() + "feed_limit: 3\n")
    assert run_build("--source", site, "--out", out).code == 0
    assert titles() == ["Day 25", "Day 24", "Day 23"]
    config.write_text(config.read_text().replace("feed_limit: 3", "feed_limit: 0"))
    failed = run_build("--source", site, "--out", out)
    assert failed.problems[0].endswith("error: 'feed_limit' must be 1 or more")


def test_404_page_links_back_home(built: Path):
    soup = html_pages(built)["404.html"]
    assert soup.h1.string == "Page not found"
    assert soup.find("a", string="Home")["href"] == "/"


def test_static_files_are_copied_byte_for_byte(built: Path):
    source = FIXTURES / "basic" / "static" / "css" / "style.css"
    assert (built / "css" / "style.css").read_bytes() == source.read_bytes()


def test_highlight_stylesheet_has_light_and_dark_colours(built: Path):
    css = (built / "css" / "highlight.css").read_text()
    light, _, dark = css.partition("@media (prefers-color-scheme: dark)")
    assert ".highlight .k " in light and ".highlight .k " in dark
    assert light.split(".highlight .k ")[1][:40] != dark.split(".highlight .k ")[1][:40]


def test_drafts_are_left_out_unless_asked_for(built: Path, site: Path, tmp_path: Path):
    assert not (built / "draft").exists()
    out = tmp_path / "with-drafts"
    assert run_build("--source", site, "--out", out, "--drafts").code == 0
    soup = html_pages(out)["draft/index.html"]
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert "draft" not in (out / "sitemap.xml").read_text()


def test_the_content_security_policy_is_in_every_page_and_in_headers(guide: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert run_build("--source", guide, "--out", out).code == 0
    headers = (out / "_headers").read_text().splitlines()
    assert headers[0] == "/*"
    fields = dict(line.strip().split(": ", 1) for line in headers[1:])
    policy = fields["Content-Security-Policy"]
    assert policy.endswith("; frame-ancestors 'none'")  # a header can say it; a meta tag cannot
    assert fields["X-Content-Type-Options"] == "nosniff"
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"  # the guide has search
    assert directives["style-src"] == directives["default-src"] == "'self'"
    for path, soup in html_pages(out).items():
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, path
        assert meta["content"] + "; frame-ancestors 'none'" == policy, path
        assert soup.head.find_all("meta")[1] is meta, path  # right after the charset
        assert not soup.find_all(style=True), path  # no inline style for the policy to refuse
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", path
