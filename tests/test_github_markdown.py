"""Everyday GitHub Markdown renders as GitHub renders it.

Authors write the guide's pages as they write READMEs and issues on GitHub, so each case is a
snippet as an editor would type it, and the judge is GitHub's own renderer, cmark-gfm (through
the `cmarkgfm` package, with raw HTML allowed as the site allows it). Both renderings are
compared after `html_compare.normalize`, which also sets aside the site's own additions.
"""

from __future__ import annotations

import re

import cmarkgfm
import pytest
from bs4 import BeautifulSoup
from conftest import rendered
from html_compare import normalize
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.markdown import MarkdownRenderer

# cmarkgfm's GitHub mode always turns on CMARK_OPT_GITHUB_PRE_LANG, which writes a fenced block's
# language as `<pre lang="python"><code>`; CommonMark, and the site, write
# `<pre><code class="language-python">`. The same fact in GitHub's spelling, so it is respelled.
GITHUB_PRE_LANG = re.compile(r'<pre lang="([^"]*)"><code>')


def github(markdown: str) -> str:
    """Return GitHub's HTML for `markdown`, with its own spelling of code languages undone."""
    html = cmarkgfm.github_flavored_markdown_to_html(
        markdown, options=cmarkgfm.Options.CMARK_OPT_UNSAFE
    )
    return GITHUB_PRE_LANG.sub(r'<pre><code class="language-\1">', html)


CASES = [
    # Lists
    pytest.param("- one\n  - two\n    - three\n- four\n", id="list-nested-by-two-spaces"),
    pytest.param("1. a\n   1. b\n   2. c\n2. d\n", id="ordered-list-nested-by-three-spaces"),
    pytest.param("- a\n- b\n1. one\n2. two\n", id="ordered-list-right-after-bullets-is-a-new-list"),
    pytest.param("Shopping:\n- eggs\n- milk\n", id="bullet-list-right-after-a-paragraph-line"),
    pytest.param("Steps:\n1. open\n2. close\n", id="ordered-list-right-after-a-paragraph-line"),
    pytest.param("The year was\n1984. A fine year.\n", id="number-not-1-does-not-start-a-list"),
    pytest.param("3. three\n4. four\n", id="ordered-list-starting-at-3"),
    pytest.param("- [ ] todo\n- [x] done\n  - [ ] nested\n  - [X] nested done\n", id="task-list"),
    pytest.param("- a [ ] b\n- [ ]\n- [ ]  \n", id="not-task-items"),
    # Inline extensions
    pytest.param("~~strike~~ and ~~two words~~ but not ~~ spaced ~~\n", id="strikethrough"),
    pytest.param("~one~ tilde\n", id="strikethrough-single-tilde"),
    pytest.param("See https://example.org/a_(b) now.\n", id="url-with-parentheses"),
    pytest.param("(https://example.org)\n", id="url-in-parentheses"),
    pytest.param("Visit www.example.com.\n", id="www-url-then-full-stop"),
    pytest.param("Mail foo.bar@example.com, please.\n", id="email-then-comma"),
    pytest.param("Write to first_last-name@example.co.uk.\n", id="email-with-underscore-and-dash"),
    pytest.param("foo+bar@example.org\n", id="email-with-plus"),
    pytest.param(
        "(see https://example.org/x), and https://example.org/y. Or www.example.com/a, then.\n",
        id="urls-then-punctuation",
    ),
    pytest.param(
        "Is it https://example.org? Yes: https://example.org: see\n",
        id="url-then-question-mark-and-colon",
    ),
    pytest.param("https://example.org/p?q=1&b=2#frag\n", id="url-with-query-and-fragment"),
    pytest.param("http://localhost:8000/docs/\n", id="url-with-port"),
    pytest.param(
        "https://example.org/a&amp; and https://example.org/b&hl;\n", id="url-then-entity"
    ),
    pytest.param("Files at ftp://example.org/pub.\n", id="ftp-url"),
    pytest.param('"https://example.org"\n', id="url-in-quotes"),
    pytest.param("*https://example.org*\n", id="url-in-emphasis"),
    pytest.param(
        "[https://example.org](https://example.org/x) `https://example.org`\n",
        id="url-in-link-and-code",
    ),
    pytest.param("<https://x.org> and <me@example.org>\n", id="angle-bracket-autolinks"),
    # Code
    pytest.param(
        '```python title="x.py"\nprint("<b>html</b>")\n```\n',
        id="fence-with-attributes-html-as-text",
    ),
    pytest.param("- step one:\n\n  ```bash\n  make\n  ```\n- step two\n", id="fence-in-list-item"),
    pytest.param("````markdown\n```python\nx = 1\n```\n````\n", id="four-backticks-around-three"),
    # Tables
    pytest.param(
        "| Left | Center | Right |\n|:-----|:------:|------:|\n| a | b | c |\n",
        id="table-alignment",
    ),
    pytest.param(
        "| Command | Meaning |\n| --- | --- |\n| `a \\| b` | either a \\| b |\n| `ls` | list |\n",
        id="table-escaped-pipe-and-code",
    ),
    pytest.param("a | b\n--- | ---\n1 | 2\n", id="table-without-outer-pipes"),
    pytest.param("| a |\n| - |\n| **b** [c](/d) ~~e~~ |\n", id="table-inline-markup"),
    # Blocks
    pytest.param(
        "<details>\n<summary>More</summary>\n\nHidden **text** here.\n\n- a\n- b\n\n</details>\n",
        id="details-with-markdown-inside",
    ),
    pytest.param("one  \ntwo\\\nthree\n", id="hard-breaks-spaces-and-backslash"),
    pytest.param("> Note:\n> - a\n> - b\n>\n> 1. c\n", id="block-quote-with-lists"),
    pytest.param("# H1\n## H2\n### H3\n#### H4\n##### H5\n###### H6\n", id="atx-headings"),
    pytest.param("Title\n=====\n\nSub\n---\n", id="setext-headings"),
    pytest.param("a\n\n---\n\n***\n\n___\n", id="horizontal-rules"),
    pytest.param("a\n\n<!-- note -->\n\nb\n", id="html-comment"),
    # Inline
    pytest.param("snake_case_word, **bold**text, __init__ and *a*b\n", id="emphasis-in-words"),
    pytest.param(
        "&copy; &amp; &#35; &nbsp;x \\*not em\\* \\_ 5 < 6 & 7 &notanentity;\n",
        id="entities-and-escapes",
    ),
    pytest.param(
        'See [the docs][docs] and [docs].\n\n[docs]: https://example.org/docs "The docs"\n',
        id="link-reference-definition",
    ),
    pytest.param(
        '![Alt text](/img/a.png "A title") and ![ref][logo]\n\n[logo]: /logo.svg "Logo"\n',
        id="images-with-titles",
    ),
    pytest.param("Press <kbd>Ctrl</kbd>+<kbd>C</kbd>.\n", id="inline-html-kbd"),
]


@pytest.mark.parametrize("markdown", CASES)
def test_renders_as_github_does(renderer: MarkdownRenderer, markdown: str):
    assert normalize(rendered(renderer, markdown)) == normalize(github(markdown))


def test_github_judge_spells_code_languages_as_commonmark_does():
    # The respelling above must keep the language: a wrong one still fails the comparison.
    assert github("```ruby\nx\n```\n") == '<pre><code class="language-ruby">x\n</code></pre>\n'


# Autolinks in running text, against GitHub's: generated sentences of addresses, words and the
# punctuation that ends a sentence or wraps an address. One of GitHub's quirks is left out:
# a character such as '.' just before 'mailto:' makes cmark-gfm write a broken link
# ('.mailto:me@x.org' as its href); the stage links the address itself.
ADDRESSES = [
    "www.example.com", "www.x.org/path/", "www.a_b.c", "https://example.org/a_(b)",
    "http://x.io/p?q=1&r=2", "https://localhost:8000/x", "http://a.b/c#frag",
    "https://en.wikipedia.org/wiki/Foo_(bar)", "ftp://files.example.net/x.tar.gz",
    "me@mail.org", "first.last+tag@sub.example.co.uk", "x-y@z.io", "a@b", "mailto:me@x.org",
    "example.com", "word", "(see", "it)",
]  # fmt: skip
BEFORE = ["", "", "", "(", "'", '"']
AFTER = ["", "", "", ".", ",", ")", "(", "!", "?", ":", ";", "'", '"', "...", ").", "'s"]
WORD = st.builds(
    lambda before, address, after: before + address + after,
    st.sampled_from(BEFORE),
    st.sampled_from(ADDRESSES),
    st.sampled_from(AFTER),
)
SENTENCE = st.lists(
    st.tuples(WORD, st.sampled_from([" ", " ", "\n", ", "])), min_size=1, max_size=6
).map(lambda words: "".join(word + gap for word, gap in words))


def links_in(html: str) -> list[tuple[str, str]]:
    soup = BeautifulSoup(html, "html.parser")
    return [
        (a["href"], a.get_text()) for a in soup.find_all("a") if "anchor" not in a.get("class", [])
    ]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=SENTENCE)
def test_autolinks_in_running_text_are_githubs(renderer: MarkdownRenderer, text: str):
    assert links_in(rendered(renderer, text)) == links_in(github(text))
