"""No internal link or anchor is broken, at the root of a host and under a sub-path."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_build
from serving import crawl, serve


@pytest.mark.parametrize(
    "base_url, prefix", [("https://example.org/", "/"), ("https://example.org/sub/", "/sub/")]
)
def test_every_link_and_anchor_resolves_when_served(
    site: Path, tmp_path: Path, base_url: str, prefix: str
):
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out, "--base-url", base_url).code == 0
    with serve(out, prefix) as root:
        pages, broken = crawl(root, extra=(root + "404.html", root + "no/such/page/"))
    assert broken == [f"{root}no/such/page/: HTTP 404"]
    paths = {url.removeprefix(root) for url in pages}
    assert paths >= {"", "guide/", "guide/intro/", "guide/braces/", "404.html"}


def test_sub_path_build_links_only_inside_the_sub_path(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert (
        run_build("--source", site, "--out", out, "--base-url", "https://example.org/sub/").code
        == 0
    )
    with serve(out, "/sub/") as root:
        pages, _ = crawl(root)
    for soup in pages.values():
        for element in soup.find_all(["a", "link"], href=True):
            href = element["href"]
            assert href.startswith(("/sub/", "#", "https://example.com/")), href
