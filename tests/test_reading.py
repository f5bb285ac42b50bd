"""Finding one's way in the default theme, in a real browser: the section navigation and "On
this page", the menu on a phone, search results, the colour-scheme switch, copying code and
sorting tables."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from browser import chromium
from conftest import copy_guide, html_pages, run_build
from playwright.sync_api import Error as PlaywrightError
from serving import serve

pytestmark = pytest.mark.browser

DARK_BACKGROUND, LIGHT_BACKGROUND = "rgb(13, 17, 23)", "rgb(255, 255, 255)"
# The background of the page at the first frame the browser draws, noted before any of the
# page's scripts run: what a reader would see flash if the scheme came late.
FIRST_FRAME = (
    "requestAnimationFrame(() => { window.firstFrame = document.body ? "
    "getComputedStyle(document.body).backgroundColor : 'no body yet'; });"
)


@pytest.fixture(scope="module")
def built(guide: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reading") / "out"
    assert run_build("--source", guide, "--out", out).code == 0
    return out


@pytest.fixture(scope="module")
def served(built: Path):
    with serve(built) as root:
        yield root


def until(condition, seconds: float = 5) -> None:
    """Wait for `condition()` (the pages' policy refuses the browser-side wait, an eval)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def listed_pages(built: Path) -> list[str]:
    """The guide's pages, as the sidebar should link them (its home page's children)."""
    home = html_pages(built)["index.html"]
    return [a["href"] for a in home.select("main .cards a")]


def test_at_1280px_the_sidebar_lists_the_pages_and_the_toc_follows_the_reading(
    built: Path, served: str
):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(served + "salaries/")
        sections = page.get_by_role("navigation", name="Sections")
        assert sections.is_visible()
        links = [a.get_attribute("href") for a in sections.locator("a").all()]
        assert set(listed_pages(built)) <= set(links)
        current = sections.locator("[aria-current='page']")
        assert current.count() == 1 and current.get_attribute("href") == "/salaries/"
        # The three columns: the sidebar left of the text, "On this page" right of it.
        toc = page.locator(".toc")
        text = page.locator("main")
        assert sections.bounding_box()["x"] < text.bounding_box()["x"] < toc.bounding_box()["x"]
        last = toc.locator("a").last
        page.locator(last.get_attribute("href")).scroll_into_view_if_needed()
        page.mouse.wheel(0, 100000)  # on to the end of the page
        until(lambda: last.get_attribute("aria-current") == "true")
        box, height = toc.bounding_box(), 800
        assert box["y"] >= 0 and box["y"] + min(box["height"], height) <= height  # in view
        assert toc.locator("a[aria-current]").count() == 1


def test_at_768px_on_this_page_is_a_disclosure_above_the_text(served: str):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 900, "height": 800})
        page.goto(served + "salaries/")
        toc = page.locator("details.toc")
        assert toc.is_visible() and toc.get_attribute("open") is None
        assert toc.bounding_box()["y"] < page.locator("main h1").bounding_box()["y"]
        page.locator("details.toc > summary").click()
        assert toc.locator("a").first.is_visible()


@pytest.mark.parametrize("scripts", [True, False])
def test_at_360px_the_menu_opens_with_the_keyboard(served: str, scripts: bool):
    with chromium() as browser:
        context = browser.new_context(
            viewport={"width": 360, "height": 800}, java_script_enabled=scripts
        )
        page = context.new_page()
        page.goto(served + "salaries/")
        sections = page.get_by_role("navigation", name="Sections")
        assert not sections.is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360
        summary = page.locator("details.site-nav > summary")
        summary.focus()
        page.keyboard.press("Enter")
        assert sections.is_visible()
        assert sections.locator("[aria-current='page']").is_visible()
        if scripts:  # focus goes into the menu; Escape closes it and comes back
            focused = page.evaluate("document.activeElement.closest('nav')?.ariaLabel")
            assert focused == "Sections"
            page.keyboard.press("Escape")
            assert not sections.is_visible()
            assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


def search_results(page, term: str, by_key: bool) -> list:
    if by_key:
        page.locator("main").click()
        page.keyboard.press("/")
    else:
        page.get_by_role("searchbox", name="Search this site").click()
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.type(term)
    results = page.locator("#search-results > li")
    results.nth(1).wait_for(timeout=10000)
    return results.all()


@pytest.mark.parametrize(
    "base_url, prefix", [("https://example.org/", "/"), ("https://example.org/sub/", "/sub/")]
)
def test_search_lists_excerpts_and_the_keyboard_opens_the_second_result(
    guide: Path, tmp_path: Path, base_url: str, prefix: str
):
    out = tmp_path / "out"
    assert run_build("--source", guide, "--out", out, "--base-url", base_url).code == 0
    with serve(out, prefix) as root, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(root + "faq/")  # a page no result leads to: opening one is a navigation
        results = search_results(page, "salary", by_key=True)
        assert len(results) >= 2
        for result in results:
            assert result.locator(":scope > p mark").count() >= 1  # an excerpt, the term marked
            assert result.locator(":scope > a").get_attribute("href").startswith(prefix)
        status = page.locator("form.search [aria-live]")
        assert status.inner_text().split()[0].isdigit() and "found" in status.inner_text()
        second = results[1].locator(":scope > a").get_attribute("href")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.getAttribute('href')") == second
        page.keyboard.press("Enter")
        page.wait_for_url(f"**{second}", timeout=10000)
        assert page.evaluate("location.pathname") == second
        # Escape closes the list.
        page.goto(root + "faq/")
        search_results(page, "salary", by_key=False)
        page.keyboard.press("Escape")
        assert page.locator("#search-results > li").count() == 0


@pytest.mark.parametrize("system, chosen", [("light", "Dark"), ("dark", "Light")])
def test_the_scheme_chosen_survives_a_reload_without_a_flash(served: str, system: str, chosen: str):
    expected = DARK_BACKGROUND if chosen == "Dark" else LIGHT_BACKGROUND
    with chromium() as browser:
        context = browser.new_context(color_scheme=system, viewport={"width": 1280, "height": 800})
        context.add_init_script(FIRST_FRAME)
        page = context.new_page()
        page.goto(served + "salaries/")
        switch = page.get_by_role("group", name="Colour scheme")
        assert switch.get_by_role("button", name="System").get_attribute("aria-pressed") == "true"
        before = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert before != expected
        switch.get_by_role("button", name=chosen).click()
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == expected
        for path in ("salaries/", "", "faq/"):  # this page again, and others
            # The first frame the browser can show, taken as soon as the page starts to come.
            page.goto(served + path, wait_until="commit")
            assert pixel(earliest_shot(page)) == expected, path
            page.wait_for_load_state("load")
            until(lambda: page.evaluate("window.firstFrame"))
            assert page.evaluate("window.firstFrame") == expected, path
            assert switch.get_by_role("button", name=chosen).get_attribute("aria-pressed") == "true"
            shot = page.screenshot(clip={"x": 1270, "y": 790, "width": 4, "height": 4})
            assert pixel(shot) == expected, path
        # Back to the system's: the choice is forgotten.
        switch.get_by_role("button", name="System").click()
        page.reload()
        assert page.evaluate("document.documentElement.dataset.theme") is None
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == before


def earliest_shot(page) -> bytes:
    """A screenshot of the page's corner as soon as the browser has a frame to give (before
    it has one, Chromium refuses to capture)."""
    deadline = time.monotonic() + 5
    while True:
        try:
            return page.screenshot(clip={"x": 1270, "y": 790, "width": 4, "height": 4})
        except PlaywrightError:
            assert time.monotonic() < deadline, "no frame to capture"


def pixel(png: bytes) -> str:
    """The colour of a screenshot's first pixel, as CSS writes it."""
    import io

    from PIL import Image

    red, green, blue = Image.open(io.BytesIO(png)).convert("RGB").getpixel((0, 0))
    return f"rgb({red}, {green}, {blue})"


def test_without_javascript_the_scheme_switch_stays_hidden(served: str):
    with chromium() as browser:
        page = browser.new_context(java_script_enabled=False, color_scheme="dark").new_page()
        page.goto(served)
        assert not page.locator(".theme-switch").is_visible()
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == DARK_BACKGROUND


def test_the_copy_button_puts_the_code_on_the_clipboard_and_says_so(tmp_path: Path):
    site = copy_guide(tmp_path / "site")
    long_line = "print('" + "a line long enough to scroll sideways inside its box " * 3 + "')"
    (site / "content" / "code.md").write_text(
        "---\ntitle: Code\ndescription: A page with code.\n---\n"
        f"Run this:\n\n```python title=\"hello.py\"\nprint('hello')\n{long_line}\n```\n"
    )
    out = tmp_path / "out"
    result = run_build("--source", site, "--out", out)
    assert result.code == 0, result.stderr
    with serve(out) as root, chromium() as browser:
        context = browser.new_context(viewport={"width": 360, "height": 800})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=root.rstrip("/"))
        page = context.new_page()
        page.goto(root + "code/")
        assert page.locator("figcaption").inner_text() == "hello.py"
        button = page.get_by_role("button", name="Copy code")
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("print('hello')\nprint('a line long")
        assert copied == page.locator("pre code").inner_text().rstrip("\n")
        live = page.locator("[aria-live]").filter(has_text="Copied")
        live.wait_for(timeout=5000)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_long_table_keeps_its_header_in_view_and_sorts_by_a_column(served: str):
    def amounts(cells) -> list[int]:
        return [int(re.sub(r"\D", "", text)) for text in cells.all_inner_texts()]

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 600})
        page.goto(served + "salaries/")
        table = page.locator("table.data-table").nth(1)  # level, experience, average salary
        header = table.locator("thead th").nth(2)
        assert header.inner_text().strip() == "Average salary"
        pay = table.locator("tbody tr > :nth-child(3)")
        levels = table.locator("tbody tr > :first-child")
        original = list(zip(levels.all_inner_texts(), amounts(pay), strict=True))
        button = header.get_by_role("button", name="Average salary")
        button.click()
        assert header.get_attribute("aria-sort") == "ascending"
        assert list(zip(levels.all_inner_texts(), amounts(pay), strict=True)) == sorted(
            original, key=lambda r: r[1]
        )
        button.click()
        assert header.get_attribute("aria-sort") == "descending"
        descending = sorted(original, key=lambda r: r[1], reverse=True)
        assert (
            list(zip(levels.all_inner_texts(), amounts(pay), strict=True)) == descending != original
        )
        page.locator("[aria-live]").filter(has_text="Sorted by Average salary").wait_for()
        # Scrolled inside its box, the header row stays at the box's top.
        wrap = table.locator("xpath=ancestor::div[contains(@class, 'table-wrap')][1]")
        wrap.evaluate("box => { box.style.maxHeight = '5rem'; box.scrollTop = 60; }")
        assert wrap.evaluate("box => box.scrollTop") > 0
        assert abs(header.bounding_box()["y"] - wrap.bounding_box()["y"]) < 2


def test_without_javascript_tables_keep_their_order_and_have_no_sort_buttons(served: str):
    with chromium() as browser:
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(served + "salaries/")
        assert page.locator("table.data-table button").count() == 0
        assert page.locator("pre button, .copy-code").count() == 0
