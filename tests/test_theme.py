"""`sitegen init`, the packaged default theme and what a site overrides of it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from browser import AXE, AXE_URL, WIDTHS, page_problems, policy_violations
from conftest import ROOT, copy_fixture, html_pages, run_build
from server_process import serving
from serving import serve
from test_quality import VNU

from sitegen.audit import html_errors
from sitegen.cli import main
from sitegen.themes import DEFAULT_THEME

THEME_FILES = sorted(
    p.relative_to(DEFAULT_THEME).as_posix() for p in DEFAULT_THEME.rglob("*") if p.is_file()
)


def init(folder: Path, *args: str) -> tuple[int, str]:
    """Run `sitegen init FOLDER ARGS` in this process; return its exit status and stderr."""
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["init", str(folder), *args])
    return code, err.getvalue()


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.mark.browser
def test_a_site_started_in_a_fresh_venv_builds_with_the_theme_alone_and_passes_the_browser(
    tmp_path: Path,
):
    project = tmp_path / "project"  # pip builds in the folder it installs: a copy, not ours
    shutil.copytree(ROOT / "sitegen", project / "sitegen", ignore=shutil.ignore_patterns("__py*"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", str(project)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    sitegen = str(venv / "bin" / "sitegen")
    site = tmp_path / "recipes"
    started = subprocess.run(
        [sitegen, "init", str(site), "--title", "Little Recipes"], capture_output=True, text=True
    )
    assert started.returncode == 0, started.stderr
    assert not (site / "templates").exists() and not (site / "static").exists()
    built = subprocess.run([sitegen, "build"], cwd=site, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    out = site / "_site"
    pages = html_pages(out)
    assert pages["index.html"].title.string == "Little Recipes"
    article = pages["first-article/index.html"]
    assert article.select_one("table.data-table caption").get_text(strip=True).startswith("Hours")
    assert article.select_one("figure.chart-figure svg") is not None
    assert [p.format() for p in html_errors(out, VNU)] == []
    paths = sorted(path.removesuffix("index.html") for path in pages)
    with serve(out, tools={AXE_URL: AXE}) as root:
        assert page_problems(root, paths, *WIDTHS) == []
        assert policy_violations(root, paths, search="writing") == []


def test_init_writes_a_site_that_builds_checks_and_serves(tmp_path: Path):
    site = tmp_path / "new"
    assert (
        init(site, "--title", 'Notes: "first" draft', "--base-url", "https://example.com/n")[0] == 0
    )
    assert files_in(site) == [
        ".github/workflows/pages.yml",
        ".gitignore",
        "content/data/tasks.yaml",
        "content/first-article.md",
        "content/index.md",
        "requirements.txt",
        "site.yaml",
    ]
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    home = html_pages(out)["index.html"]
    assert home.title.string == 'Notes: "first" draft'
    assert home.find("link", rel="canonical")["href"] == "https://example.com/n/"
    assert main(["check", "--source", str(site)]) == 0
    with serving(site, tmp_path / "logs") as server:
        assert server.get("/")[0] == 200
        status, body = server.get("/first-article/")
        assert status == 200 and "Hours spent on each task" in body


def test_init_never_overwrites_and_writes_nothing_when_it_refuses(tmp_path: Path):
    site = tmp_path / "taken"
    (site / "content").mkdir(parents=True)
    (site / "content" / "index.md").write_text("mine\n")
    code, err = init(site)
    assert code == 1
    assert f"{site / 'content' / 'index.md'}:1:1: error: already exists" in err
    assert files_in(site) == ["content/index.md"]
    assert (site / "content" / "index.md").read_text() == "mine\n"
    code, err = init(tmp_path / "other", "--base-url", "example.org")
    assert code == 1 and "--base-url:1:1: error: --base-url must be an absolute" in err
    assert not (tmp_path / "other").exists()


def test_a_site_overrides_one_template_and_one_static_file_and_keeps_the_rest(tmp_path: Path):
    site = tmp_path / "site"
    init(site)
    (site / "templates" / "partials").mkdir(parents=True)
    (site / "templates" / "partials" / "footer.html").write_text(
        '<footer class="site-footer"><p id="own-footer">{{ site.title }}, our way</p></footer>\n'
    )
    (site / "static" / "css").mkdir(parents=True)
    (site / "static" / "css" / "site.css").write_text("body { color: rebeccapurple; }\n")
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    for path, page in html_pages(out).items():
        footers = page.find_all("footer")
        assert [f.get_text(strip=True) for f in footers] == ["My Site, our way"], path
        assert page.select_one("a.skip-link") is not None  # the theme's base.html still
    assert (out / "css" / "site.css").read_text() == "body { color: rebeccapurple; }\n"
    for name in ("favicon.svg", "js/search.js"):  # the theme's, as they are
        assert (out / name).read_bytes() == (DEFAULT_THEME / "static" / name).read_bytes()
    # An error in the theme's template names the theme's file; in the site's, the site's.
    (site / "templates" / "partials" / "footer.html").write_text("{{ nothing_here }}\n")
    failed = run_build("--source", site, "--out", out)
    assert failed.problems[0].startswith("templates/partials/footer.html:1:4: error: undefined")


def test_theme_in_site_yaml_names_another_theme_folder(tmp_path: Path):
    site = tmp_path / "site"
    init(site)
    theme = site / "themes" / "bare" / "templates"
    theme.mkdir(parents=True)
    for name in ("page.html", "home.html", "404.html"):
        (theme / name).write_text(
            '<!doctype html><html lang="en"><title>{{ page.title }}</title>'
            "<main>{{ page.content }}</main></html>\n"
        )
    (theme / "partials").mkdir()
    (theme / "partials" / "table.html").write_text('<p class="bare-table">{{ table.title }}</p>\n')
    (theme / "partials" / "chart.html").write_text('<div class="bare-chart">{{ chart }}</div>\n')
    config = site / "site.yaml"
    config.write_text(config.read_text() + "theme: themes/bare\n")
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out)
    assert done.code == 0, done.stderr
    article = html_pages(out)["first-article/index.html"]
    assert article.select_one("p.bare-table").get_text() == "Hours spent on each task in a week"
    assert not (out / "css" / "site.css").exists()  # the default theme is not used at all
    # An edit to the theme is seen by the next build (its folder is an input).
    (theme / "page.html").write_text("<!doctype html><title>changed</title>\n")
    assert run_build("--source", site, "--out", out).code == 0
    assert html_pages(out)["first-article/index.html"].title.string == "changed"
    config.write_text(config.read_text().replace("themes/bare", "themes/none"))
    failed = run_build("--source", site, "--out", out)
    line = config.read_text().splitlines().index("theme: themes/none") + 1
    assert failed.problems == [
        f"site.yaml:{line}:8: error: theme 'themes/none' is not a theme folder (hint: a theme "
        "folder holds templates/ and static/; the path is relative to the site)"
    ]


def test_the_guide_holds_fewer_templates_and_static_files_than_the_theme():
    guide = [
        p for name in ("templates", "static") if (ROOT / name).is_dir()
        for p in (ROOT / name).rglob("*") if p.is_file()
    ]  # fmt: skip
    assert 0 < len(guide) < len(THEME_FILES)
    # The theme knows nothing of the guide: no table, page or wording of it.
    for name in THEME_FILES:
        text = (DEFAULT_THEME / name).read_text().lower()
        for word in ("machine", "salary", "salaries", "guide", "certification", "faq"):
            assert word not in text, (name, word)


def test_a_site_with_no_templates_of_its_own_uses_the_theme_for_every_page(tmp_path: Path):
    site = copy_fixture("basic", tmp_path / "site")
    shutil.rmtree(site / "templates")
    shutil.rmtree(site / "static")
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    pages = html_pages(out)
    assert pages["guide/index.html"].select_one("nav.breadcrumbs") is not None
    assert pages["404.html"].h1.get_text() == "Page not found"
    assert (out / "css" / "site.css").read_bytes() == (
        DEFAULT_THEME / "static" / "css" / "site.css"
    ).read_bytes()


def test_the_started_sites_workflow_is_valid_and_publishes_what_it_builds(tmp_path: Path):
    site = tmp_path / "site"
    init(site)
    workflow = site / ".github" / "workflows" / "pages.yml"
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    done = subprocess.run([actionlint, str(workflow)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    flow = yaml.safe_load(workflow.read_text())
    steps = flow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "pip install -r requirements.txt" in runs
    assert any(run.startswith("sitegen build --base-url") for run in runs)
    uses = {step.get("uses", "").split("@")[0]: step for step in steps}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "_site"
    assert flow["jobs"]["deploy"]["needs"] == "build"
    assert (site / "requirements.txt").read_text().startswith("mlguide-sitegen>=")


def test_a_rows_page_links_to_its_tables_page_only_when_there_is_one(tmp_path: Path):
    site = tmp_path / "site"
    init(site)
    tasks = site / "content" / "data" / "tasks.yaml"
    tasks.write_text(tasks.read_text() + "pages:\n  template: data-row.html\n  path: tasks\n")
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    row = html_pages(out)["tasks/writing/index.html"]
    assert row.h1.get_text() == "Writing"
    assert not [a for a in row.find_all("a") if a.get_text().startswith("The whole table")]
    (site / "content" / "tasks.md").write_text(
        "---\ntitle: Tasks\ndescription: Every task.\n---\n::: table tasks\n"
    )
    assert run_build("--source", site, "--out", out).code == 0
    row = html_pages(out)["tasks/writing/index.html"]
    [listing] = [a for a in row.find_all("a") if a.get_text().startswith("The whole table")]
    assert listing["href"] == "/tasks/"


def test_a_rows_page_shows_its_tables_context_the_other_rows_and_the_pages_naming_it(
    tmp_path: Path,
):
    site = tmp_path / "site"
    init(site)
    tasks = site / "content" / "data" / "tasks.yaml"
    tasks.write_text(tasks.read_text() + "pages:\n  template: data-row.html\n  path: tasks\n")
    (site / "content" / "habits.md").write_text(
        "---\ntitle: Habits\ndescription: How the week goes.\n---\n"
        "Most of the week goes to writing; research comes last.\n"
    )
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    pages = html_pages(out)
    row = pages["tasks/writing/index.html"].main
    assert "Example data written for this starter site." in row.get_text()
    assert "Example figures; replace them with your own." in row.get_text()

    def listed(heading: str) -> list[str]:
        return [a["href"] for a in row.find("h2", string=heading).find_next("ul").find_all("a")]

    assert listed("Pages that mention it") == ["/habits/"]  # "writing", any case, a whole word
    assert listed("The other entries of “Hours spent on each task in a week”") == [
        "/tasks/editing/",
        "/tasks/research/",
    ]
    # A row no page names has no such list.
    editing = pages["tasks/editing/index.html"].main
    assert editing.find("h2", string="Pages that mention it") is None
