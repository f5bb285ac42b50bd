"""Fenced code: any info string works, a title becomes a caption, Pygments highlights with
classes, and the faster tokenizer gives exactly Pygments' own tokens."""

from __future__ import annotations

import functools

import pytest
from bs4 import BeautifulSoup
from conftest import render_markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pygments.lexer import RegexLexer
from pygments.lexers import get_lexer_by_name

from sitegen.markdown.lexing import WORTH_JOINING, quicken


def render(markdown: str) -> BeautifulSoup:
    body, problems = render_markdown(markdown)
    assert problems == []
    return BeautifulSoup(body.html, "html.parser")


def test_a_titled_block_is_a_captioned_figure_and_its_html_stays_text():
    soup = render('```python title="train.py"\ndef fit(x):\n    return "<b>x</b>"\n```\n')
    figure = soup.find("figure", class_="code-block")
    assert figure.figcaption.get_text() == "train.py"
    code = figure.find("div", class_="highlight").pre.code
    assert code["class"] == ["language-python"]
    assert code.find("span", class_="k").get_text() == "def"
    assert code.find("b") is None and "<b>x</b>" in code.get_text()
    assert code.find(style=True) is None  # classes, never inline style


@pytest.mark.parametrize(
    "info",
    ["js title='app.js'", "js {title=app.js}", "js   title=app.js linenums=1"],
    ids=["single-quotes", "braces", "other-attributes"],
)
def test_the_title_is_read_however_it_is_quoted(info: str):
    soup = render(f"```{info}\nlet a = 1;\n```\n")
    assert soup.figcaption.get_text() == "app.js"
    assert soup.code["class"] == ["language-js"]


def test_an_unknown_language_is_plain_text_and_no_language_is_no_class():
    soup = render("```klingon\nqapla' <x>\n```\n\n```\nplain\n```\n")
    first, second = soup.find_all("code")
    assert first["class"] == ["language-klingon"] and first.find("span") is None
    assert first.get_text() == "qapla' <x>\n"
    assert second.get("class") is None and second.get_text() == "plain\n"
    assert soup.find("figure") is None


LANGUAGES = [
    "python",
    "javascript",
    "typescript",
    "bash",
    "nginx",
    "html",
    "css",
    "sql",
    "csharp",
    "java",
    "go",
    "rust",
    "scss",
    "powershell",
    "toml",
    "ini",
    "diff",
    "markdown",
    "docker",
    "xml",
    "r",
    "julia",
    "scala",
    "kotlin",
    "dart",
    "perl",
    "haskell",
    "cmake",
    "graphql",
]  # fmt: skip; each a plain RegexLexer, which quicken() speeds up
SNIPPET = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 _.\t\n\"'`#$%&()*+,-/:;<=>?@[\\]^{|}~") + ["é"]),
    max_size=200,
)


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=SNIPPET)
def test_joined_tokenizing_gives_pygments_own_tokens(language: str, text: str):
    lexer = get_lexer_by_name(language, stripnl=False)
    assert type(lexer).get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed
    expected = list(RegexLexer.get_tokens_unprocessed(lexer, text))
    assert list(joined(language)(text)) == expected


@functools.cache
def joined(language: str):
    """The tokenizer of a quickened lexer that has seen enough code to join its rules."""
    tokenize = quicken(get_lexer_by_name(language, stripnl=False)).get_tokens_unprocessed
    # Code-like lines: one line of 30,000 characters takes seconds in diff's lexer, and lines
    # of bare words as long in C#'s (Pygments' own, which tokenizes such text in quadratic time).
    list(tokenize("x = 1;\n" * (WORTH_JOINING // 7 + 1)))
    assert tokenize.joined is not None
    return tokenize


@pytest.mark.parametrize("language", ["yaml", "make", "json", "c", "php"])
def test_lexers_that_tokenize_their_own_way_are_left_as_they_are(language: str):
    lexer = get_lexer_by_name(language)
    assert quicken(lexer).get_tokens_unprocessed == lexer.get_tokens_unprocessed
    assert "get_tokens_unprocessed" not in vars(lexer)


@pytest.mark.parametrize("language", ["python", "javascript", "bash", "html", "rust"])
def test_a_quickened_lexer_gives_the_same_tokens_before_and_after_it_switches(language: str):
    code = {
        "python": 'def f(x: int) -> str:\n    """Doc."""\n    return f"{x!r:>3}" or b"\\x00"\n',
        "javascript": "const f = (a, ...b) => `t ${a}` / 2 ?? /re+gex/gi.test(b);\n",
        "bash": 'for f in *.md; do echo "${f%.md}" $((1 + 2)) >&2; done\n',
        "html": '<!doctype html><p class="x">a &amp; b<script>if (a < b) {}</script>\n',
        "rust": 'fn main() { let s: &\'static str = r#"x"#; println!("{s:?}", 1u8 << 2); }\n',
    }[language]
    plain = get_lexer_by_name(language, stripnl=False)
    fast = quicken(get_lexer_by_name(language, stripnl=False))
    expected = list(plain.get_tokens(code))
    big = code * (WORTH_JOINING // len(code) + 1)
    assert list(fast.get_tokens(code)) == expected  # Pygments' own way, below the threshold
    assert list(fast.get_tokens(big)) == list(plain.get_tokens(big))  # this one crosses it
    assert fast.get_tokens_unprocessed.joined is not None
    assert list(fast.get_tokens(code)) == expected  # joined from now on
