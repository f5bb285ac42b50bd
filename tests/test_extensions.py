"""A site's extensions.py: template filters, markdown-it plugins and directives, and its errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, copy_fixture, html_pages, run_build
from server_process import serving

EXTENSIONS = """\
from html import escape

from sitegen.extensions import DirectiveError, directive


def configure_templates(env):
    env.filters["shout"] = lambda text: str(text).upper() + "!"


def configure_markdown(md):
    def code_with_class(self, tokens, idx, options, env):
        return f'<code class="from-plugin">{escape(tokens[idx].content)}</code>'

    md.add_render_rule("code_inline", code_with_class)


@directive("badge")
def badge(call):
    if not call.args:
        raise DirectiveError("a badge needs its text", "write '::: badge TEXT'")
    colour = call.options.get("colour", "grey")
    return f'<p class="badge badge-{escape(colour)}">{escape(" ".join(call.args))}</p>'


@directive("broken")
def broken(call):
    return {}["missing"]
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = copy_fixture("basic", tmp_path / "site")
    (site / "extensions.py").write_text(EXTENSIONS)
    page = site / "templates" / "page.html"
    page.write_text(page.read_text().replace("{{ page.title }}", "{{ page.title | shout }}", 1))
    intro = site / "content" / "guide" / "intro.md"
    intro.write_text(
        intro.read_text() + '\nSome `code` here.\n\n::: badge new "and improved" colour=green\n'
    )
    return site


def test_a_filter_a_markdown_plugin_and_a_directive_all_reach_the_page(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out)
    assert done.code == 0, done.stderr
    page = html_pages(out)["guide/intro/index.html"]
    assert page.h1.get_text() == "INTRODUCTION!"
    assert [c.get_text() for c in page.select("code.from-plugin")] == ["code"]
    [badge] = page.select("p.badge")
    assert badge["class"] == ["badge", "badge-green"] and badge.get_text() == "new and improved"


def test_an_edit_to_extensions_py_is_seen_by_the_next_build(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    ext = site / "extensions.py"
    ext.write_text(ext.read_text().replace('"badge badge-', '"label badge-'))
    again = run_build("--source", site, "--out", out)
    assert again.code == 0 and "nothing changed" not in again.stdout
    assert html_pages(out)["guide/intro/index.html"].select("p.label")


def test_a_syntax_error_is_reported_at_its_line_without_a_traceback(site: Path, tmp_path: Path):
    ext = site / "extensions.py"
    ext.write_text(ext.read_text() + "\ndef oops(:\n    pass\n")
    line = ext.read_text().splitlines().index("def oops(:") + 1
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert failed.code == 1
    assert failed.problems == [
        f"extensions.py:{line}:10: error: syntax error: invalid syntax "
        "(hint: run with --debug for the traceback)"
    ]
    assert "Traceback" not in failed.stderr
    assert not (tmp_path / "out").exists()
    debug = run_build("--source", site, "--out", tmp_path / "out", "--debug")
    assert "Traceback" in debug.stderr and f"extensions.py:{line}:10: error" in debug.stderr


def test_a_failure_while_loading_or_configuring_names_the_line_of_the_file(
    site: Path, tmp_path: Path
):
    ext = site / "extensions.py"
    ext.write_text("import os\n\nvalue = 1 / 0\n")
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert failed.problems == [
        "extensions.py:3:1: error: ZeroDivisionError: division by zero "
        "(hint: run with --debug for the traceback)"
    ]
    ext.write_text(
        textwrap.dedent(
            """\
            def configure_markdown(md):
                md.use(no_such_plugin)
            """
        )
    )
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert failed.problems == [
        "extensions.py:2:1: error: configure_markdown failed: NameError: name 'no_such_plugin' is "
        "not defined (hint: run with --debug for the traceback)"
    ]


def test_directive_mistakes_are_reported_where_the_directive_is_written(site: Path, tmp_path: Path):
    intro = site / "content" / "guide" / "intro.md"
    text = intro.read_text() + "\n::: badge\n\n::: broken\n\n::: badgee x\n\n::: badge 'open\n"
    intro.write_text(text)
    lines = text.splitlines()
    at = {word: lines.index(word) + 1 for word in ("::: badge", "::: broken", "::: badgee x")}
    raised_at = EXTENSIONS.splitlines().index('    return {}["missing"]') + 1
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert failed.problems == [
        f"content/guide/intro.md:{at['::: badge']}:1: error: a badge needs its text "
        "(hint: write '::: badge TEXT')",
        f"content/guide/intro.md:{at['::: broken']}:1: error: directive 'broken' failed: "
        f"KeyError: 'missing' (hint: raised at extensions.py:{raised_at})",
        f"content/guide/intro.md:{at['::: badgee x']}:1: error: unknown directive 'badgee' "
        "(hint: did you mean 'badge'?)",
        f"content/guide/intro.md:{len(lines)}:1: error: directive line cannot be read: "
        "No closing quotation",
    ]


def test_extensions_named_in_site_yaml_are_loaded_instead(site: Path, tmp_path: Path):
    (site / "extensions.py").rename(site / "site_code.py")
    config = site / "site.yaml"
    config.write_text(config.read_text() + "extensions: [site_code.py]\n")
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    assert html_pages(out)["guide/intro/index.html"].select("p.badge-green")
    config.write_text(config.read_text().replace("[site_code.py]", "[missing.py]"))
    failed = run_build("--source", site, "--out", out)
    line = len(config.read_text().splitlines())
    assert failed.problems == [f"site.yaml:{line}:14: error: extension 'missing.py' names no file"]


def test_the_dev_server_rebuilds_when_extensions_py_changes(site: Path, tmp_path: Path):
    with serving(site, tmp_path / "logs") as server:
        assert 'class="badge badge-green"' in server.get("/guide/intro/")[1]
        ext = site / "extensions.py"
        ext.write_text(ext.read_text().replace('"badge badge-', '"label badge-'))
        server.wait_for("/guide/intro/", lambda body: 'class="label badge-green"' in body)


def test_the_readmes_example_works_as_written(site: Path, tmp_path: Path):
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Extensions\n") :]
    example = section[section.index("```python\n") + 10 : section.index("\n```\n")]
    (site / "extensions.py").write_text(example + "\n")
    intro = site / "content" / "guide" / "intro.md"
    intro.write_text(intro.read_text().replace("::: badge new", "Math: $x^2$.\n\n::: badge new"))
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out)
    assert done.code == 0, done.stderr
    page = html_pages(out)["guide/intro/index.html"]
    assert page.h1.get_text() == "INTRODUCTION"
    assert page.select_one("span.math.inline").get_text() == "x^2"
    assert page.select_one("span.badge-green").get_text() == "new and improved"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("table", "directive 'table' is one of the generator's own (table, chart, flow)"),
        ("Big Badge", "directive name 'Big Badge' must be a word of lowercase letters, digits"),
        ("badge", "directive 'badge' is registered twice"),
    ],
)
def test_a_directive_name_that_cannot_work_is_an_error_at_its_function(
    site: Path, tmp_path: Path, name: str, problem: str
):
    ext = site / "extensions.py"
    ext.write_text(
        ext.read_text() + f'\n\n@directive("{name}")\ndef another(call):\n    return ""\n'
    )
    line = len(ext.read_text().splitlines()) - 2  # the added decorator's
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert len(failed.problems) == 1
    assert failed.problems[0].startswith(f"extensions.py:{line}:1: error: {problem}")


def test_sys_exit_in_extensions_py_is_a_located_error_not_an_exit(site: Path, tmp_path: Path):
    (site / "extensions.py").write_text("import sys\nsys.exit(3)\n")
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert failed.code == 1
    assert failed.problems[0].startswith("extensions.py:2:1: error: SystemExit: 3")
