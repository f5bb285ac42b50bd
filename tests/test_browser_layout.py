"""In a real browser: no page scrolls sideways on a phone; wide tables scroll inside themselves."""

from __future__ import annotations

import pytest
from browser import chromium
from conftest import ROOT, html_pages, run_build
from serving import serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "out"
    assert run_build("--source", ROOT, "--out", out).code == 0
    with serve(out) as root:
        yield root, sorted(html_pages(out))


@pytest.mark.parametrize("width", [360, 768, 1280])
def test_no_page_scrolls_sideways(served, width: int):
    root, paths = served
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 800})
        for path in paths:
            page.goto(root + path.removesuffix("index.html"))
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
            charts = page.evaluate(
                "[...document.querySelectorAll('svg.chart')]"
                ".map(s => s.getBoundingClientRect().right)"
            )
            assert all(right <= width for right in charts), path


def test_a_wide_table_scrolls_inside_itself_at_360px(served):
    root, _ = served
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 360, "height": 800})
        page.goto(root + "salaries/")
        widths = page.evaluate(
            "[...document.querySelectorAll('.table-wrap')].map(w => [w.scrollWidth, w.clientWidth])"
        )
        assert any(scroll > client for scroll, client in widths), widths
        label = page.evaluate(
            "getComputedStyle(document.querySelector('svg.chart .chart-label')).fontSize"
        )
        assert float(label.removesuffix("px")) >= 12  # legible on a phone
