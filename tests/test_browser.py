"""Every page in a real browser, at phone, tablet and desktop widths, in light and dark mode.

No sideways scroll, no console error, no failed or third-party request, no axe-core violation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import AXE, AXE_URL, WATCH_CSP, WIDTHS, chromium, page_problems, policy_violations
from conftest import copy_fixture, copy_guide, html_pages, run_build
from server_process import serving
from serving import serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(guide: Path, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "out"
    assert run_build("--source", guide, "--out", out).code == 0
    with serve(out, tools={AXE_URL: AXE}) as root:
        yield root, sorted(path.removesuffix("index.html") for path in html_pages(out))


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_is_clean_in_the_browser(served, width: int):
    root, paths = served
    assert page_problems(root, paths, width) == []


def test_a_wide_table_scrolls_inside_itself_and_charts_stay_legible_at_360px(served):
    root, _ = served
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 360, "height": 800})
        page.goto(root + "salaries/")
        widths = page.evaluate(
            "[...document.querySelectorAll('.table-wrap')].map(w => [w.scrollWidth, w.clientWidth])"
        )
        assert any(scroll > client for scroll, client in widths), widths
        sizes = page.evaluate(
            "[...document.querySelectorAll('svg.chart text')]"
            ".map(t => parseFloat(getComputedStyle(t).fontSize))"
        )
        assert sizes and min(sizes) >= 12  # legible on a phone
        rights = page.evaluate(
            "[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().right)"
        )
        assert max(rights) <= 360


def test_print_leaves_out_navigation_and_keeps_the_article(served):
    root, _ = served
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(root + "salaries/")
        page.emulate_media(media="print")
        left_out = [
            ".site-header nav",
            "form.search",
            ".theme-switch",
            ".site-nav",
            ".toc-column",
            ".breadcrumbs",
            ".pager",
            ".skip-link",
            ".sort-button::after",
        ]
        shown = page.evaluate(
            "selectors => selectors.map(s => { const [el, pseudo] = s.split('::');"
            " const found = document.querySelector(el);"
            " return found && getComputedStyle(found, pseudo ? '::' + pseudo : null).display; })",
            left_out,
        )
        assert shown == ["none"] * len(left_out)
        # No button is printed but a sortable column's header, which prints as its text.
        assert page.locator("button:visible:not(.sort-button)").count() == 0
        # One column: the text takes the page's width, and a link's target is written out.
        main = page.locator("main").bounding_box()
        assert main["width"] > 0.9 * page.viewport_size["width"] - 40
        link = page.locator("main article a[href^='/']").first
        after = link.evaluate("a => getComputedStyle(a, '::after').content")
        assert link.get_attribute("href") in after
        assert (
            page.evaluate("getComputedStyle(document.querySelector('article')).display") == "block"
        )


def test_reduced_motion_and_visible_focus(served):
    root, _ = served
    with chromium() as browser:
        page = browser.new_page()
        page.goto(root)
        behaviour = "getComputedStyle(document.documentElement).scrollBehavior"
        assert page.evaluate(behaviour) == "smooth"
        page.emulate_media(reduced_motion="reduce")
        assert page.evaluate(behaviour) == "auto"
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " return [e.className, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
        )
        assert focused[0] == "skip-link" and focused[1] != "none" and focused[2] >= 2


def test_the_browser_reloads_by_itself_after_a_content_edit(tmp_path):
    site = copy_fixture("basic", tmp_path / "site")
    page_file = site / "content" / "guide" / "intro.md"
    with serving(site, tmp_path / "logs") as server, chromium() as browser:
        page = browser.new_page()
        page.goto(server.url + "guide/intro/")
        page.wait_for_function("() => window.LiveReload !== undefined")
        page.evaluate("window.notReloadedYet = true")
        page_file.write_text(page_file.read_text().replace("A table:", "Reloaded by itself:"))
        page.wait_for_function(
            "() => document.body?.innerText.includes('Reloaded by itself:')", timeout=20000
        )
        assert page.evaluate("window.notReloadedYet === undefined")  # a fresh page, not the old


def test_the_dev_servers_reload_and_error_panel_work_under_the_pages_policy(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    copy_guide(site)
    faq = site / "content" / "faq.md"
    with serving(site, tmp_path / "logs") as server, chromium() as browser:
        context = browser.new_context()
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.goto(server.url + "faq/")
        page.wait_for_function("() => window.LiveReload !== undefined")
        faq.write_text(faq.read_text().replace("---\n", "---\ntitle: [unclosed\n", 1))
        panel = page.locator("#build-errors")
        panel.wait_for(timeout=20000)  # the page reloaded by itself and shows the errors
        colour = panel.evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour == "rgb(127, 29, 29)"  # its stylesheet loaded despite the policy
        assert "content/faq.md:3:6 invalid YAML" in panel.inner_text()
        assert page.evaluate("window.violations") == []
        context.close()


@pytest.mark.parametrize(
    "base_url, prefix", [("https://example.org/", "/"), ("https://example.org/sub/", "/sub/")]
)
def test_searching_salary_leads_to_the_salaries_page(
    guide: Path, tmp_path: Path, base_url: str, prefix: str
):
    out = tmp_path / "out"
    assert run_build("--source", guide, "--out", out, "--base-url", base_url).code == 0
    with serve(out, prefix) as root, chromium() as browser:
        page = browser.new_page()
        page.goto(root)
        box = page.get_by_role("searchbox", name="Search this site")
        box.click()
        page.keyboard.type("salary")
        first = page.locator("#search-results a").first
        first.wait_for(timeout=10000)
        assert page.locator("form.search [aria-live]").inner_text().endswith("found")
        page.keyboard.press("Enter")
        page.wait_for_url(root + "salaries/", timeout=10000)
        assert page.locator("h1").inner_text() == "Salaries"


def test_without_javascript_the_search_box_stays_hidden(served):
    root, _ = served
    with chromium() as browser:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(root)
        assert not page.locator("form.search").is_visible()
        assert page.locator("h1").is_visible()


def test_no_page_breaks_its_content_security_policy(served):
    root, paths = served
    assert policy_violations(root, paths, search="salary") == []
    with chromium() as browser:
        context = browser.new_context()
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.goto(root)
        # The watch can fail: an inline script, which the policy forbids, is reported.
        page.evaluate(
            "document.body.append(Object.assign(document.createElement('script'), "
            "{textContent: 'window.ran = true'}))"
        )
        page.wait_for_function("window.violations.length > 0", timeout=5000)
        assert page.evaluate("window.ran") is None
        context.close()
