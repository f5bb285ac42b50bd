"""Playwright driving Debian's Chromium, the one browser these machines can run."""

from __future__ import annotations

import contextlib
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__tests__/axe.min.js"  # served beside a site by `serving.serve(tools=...)`
WIDTHS = (360, 768, 1280)
SCHEMES = ("light", "dark")
WATCH_CSP = (
    "window.violations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.violations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')));"
)

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium():
    """Yield a headless Chromium (Playwright gives it a fresh profile folder of its own)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def page_problems(root: str, paths: list[str], *widths: int) -> list[str]:
    """Load each page at each of `widths`: report console errors, failed requests, error
    statuses, sideways scrolling and axe-core violations in both colour schemes."""
    problems: list[str] = []
    with chromium() as browser:
        for width in widths:
            problems += _problems_at(browser, root, paths, width)
    return problems


def _problems_at(browser, root: str, paths: list[str], width: int) -> list[str]:
    """`page_problems` at one width, in a context of its own."""
    problems: list[str] = []
    # axe-core is added as a script of the test's own, which the pages' policy rightly
    # refuses; `policy_violations` checks the pages under it.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    here = {"path": ""}
    page.on(
        "console",
        lambda m: m.type == "error" and problems.append(f"{here['path']}: console error: {m.text}"),
    )
    page.on("requestfailed", lambda r: problems.append(f"{here['path']}: request failed: {r.url}"))
    page.on(
        "response",
        lambda r: (
            r.status >= 400 and problems.append(f"{here['path']}: HTTP {r.status} for {r.url}")
        ),
    )
    for path in paths:
        here["path"] = path
        page.emulate_media(color_scheme="light")
        assert page.goto(root + path).status == 200, path
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{path}: scrolls sideways by {overflow}px")
        page.add_script_tag(url=root.removesuffix("/") + AXE_URL)
        # Both schemes on one load: the pages change with the scheme through CSS alone.
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            violations = page.evaluate(
                "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
                "v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))"
            )
            problems += [f"{path} ({scheme}): axe {v}" for v in violations]
    context.close()
    return problems


def policy_violations(root: str, paths: list[str], search: str = "") -> list[str]:
    """Load each page under its own Content-Security-Policy; report what the policy blocked,
    also while searching for `search` (Pagefind runs WebAssembly) when one is given."""
    found: list[str] = []
    with chromium() as browser:
        context = browser.new_context()
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.on("console", lambda m: "Content Security Policy" in m.text and found.append(m.text))
        for path in paths:
            page.goto(root + path)
            policy = page.locator('meta[http-equiv="Content-Security-Policy"]')
            if "script-src 'self'" not in (policy.get_attribute("content") or ""):
                found.append(f"{path}: no script-src 'self' policy")
            found += [f"{path}: {v}" for v in page.evaluate("window.violations")]
        if search:
            page.goto(root)
            page.get_by_role("searchbox", name="Search this site").fill(search)
            page.locator("#search-results a").first.wait_for(timeout=10000)
            found += [f"search: {v}" for v in page.evaluate("window.violations")]
        context.close()
    return found
