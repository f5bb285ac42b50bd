"""The Markdown stage against the examples of the CommonMark 0.31.2 and GFM 0.29 specs.

Each example's Markdown goes through the site's renderer, and its HTML is compared with the
spec's after both are normalised (`html_compare.normalize`). A few examples may fail, where the
site's extras (footnotes, definition lists, attributes) read syntax the spec treats as text; the
assertion lists every failing example by number and line of the spec file, to look it up there.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES, rendered
from html_compare import Example, normalize, spec_examples

from sitegen.markdown import MarkdownRenderer

SPECS = FIXTURES / "markdown-spec"
COMMONMARK = spec_examples(SPECS / "commonmark-0.31.2.txt")
# The GFM file repeats (older) CommonMark examples; only those of its extensions are new.
GFM_EXTENSIONS = [e for e in spec_examples(SPECS / "gfm-0.29.txt") if e.extension]


def failures(renderer: MarkdownRenderer, examples: list[Example]) -> list[str]:
    """Return each example whose rendering differs from the spec's, as 'example N (line L)'."""
    failed = []
    for example in examples:
        try:
            html = rendered(renderer, example.markdown)
        except Exception as error:  # counted as a failure, and named, rather than hiding the rest
            failed.append(f"{example} raised {type(error).__name__}")
            continue
        if normalize(html) != normalize(example.html):
            failed.append(str(example))
    return failed


def test_spec_files_are_read_whole():
    # Without this, a reader that found no examples would let the pass rates below hold.
    assert len(COMMONMARK) == 655
    assert [e.number for e in COMMONMARK] == list(range(1, 656))
    assert {e.extension for e in COMMONMARK} == {None}
    first = COMMONMARK[0]
    assert (first.line, first.markdown) == (355, "\tfoo\tbaz\t\tbim\n")
    assert first.html == "<pre><code>foo\tbaz\t\tbim\n</code></pre>\n"
    counts: dict[str, int] = {}
    for example in GFM_EXTENSIONS:
        counts[example.extension] = counts.get(example.extension, 0) + 1
    assert counts == {"table": 8, "strikethrough": 2, "disabled": 2, "autolink": 11, "tagfilter": 1}


@pytest.mark.parametrize(
    ("examples", "required"),
    [(COMMONMARK, 0.98), (GFM_EXTENSIONS, 0.85)],
    ids=["commonmark-0.31.2", "gfm-0.29-extensions"],
)
def test_spec_examples_render_as_the_spec_says(
    renderer: MarkdownRenderer, examples: list[Example], required: float
):
    failed = failures(renderer, examples)
    passed = 1 - len(failed) / len(examples)
    assert passed >= required, (
        f"{len(failed)} of {len(examples)} examples differ from the spec: {passed:.1%} pass,"
        f" {required:.0%} required. Failing: " + ", ".join(failed)
    )


HEADING = (
    '<h2 id="a-b">A &amp; B<a class="anchor" href="#a-b"'
    ' aria-label="Link to section: A &amp; B">#</a></h2>'
)


@pytest.mark.parametrize(
    ("ours", "spec"),
    [
        (
            "<p><br />a &quot;b&quot;</p>\n<ul>\n<li>c</li>\n</ul>\n",
            '<p><br>a "b"</p><ul><li>c</li></ul>',
        ),
        ('<a title="t" href="/u">x</a>', '<a href="/u" title="t">x</a>'),
        ("<p>one\n  two</p>", "<p>one two</p>"),
        ("<p>&#42;&amp;</p>", "<p>*&amp;</p>"),
        (HEADING, "<h2>A &amp; B</h2>"),
        (
            '<div class="highlight"><pre><code class="language-python"><span class="k">def</span>'
            ' <span class="nf">f</span>():\n</code></pre></div>',
            '<pre><code class="language-python">def f():\n</code></pre>',
        ),
        (
            '<figure class="code-block"><figcaption>x.py</figcaption><div class="highlight">'
            '<pre><code class="language-python">x = 1\n</code></pre></div></figure>',
            '<pre><code class="language-python">x = 1\n</code></pre>',
        ),
        (
            '<div class="table-wrap" role="region" tabindex="0" aria-label="Table">\n<table><tr>'
            '<th class="align-center">a</th><td class="align-right x">b</td></tr></table></div>',
            '<table><tr><th align="center">a</th><td align="right" class="x">b</td></tr></table>',
        ),
        (
            '<ul class="contains-task-list"><li class="task-list-item"><input'
            ' class="task-list-item-checkbox" type="checkbox" disabled> a</li></ul>',
            '<ul><li><input disabled="" type="checkbox"> a</li></ul>',
        ),
    ],
    ids=[
        "br-quotes-block-whitespace",
        "attribute-order",
        "text-whitespace",
        "character-references",
        "heading-anchor",
        "highlighted-code",
        "titled-code",
        "table-wrap-and-align",
        "task-list-classes",
    ],
)
def test_normalize_sets_aside_only_spelling_and_the_site_additions(ours: str, spec: str):
    assert normalize(ours) == normalize(spec)


@pytest.mark.parametrize(
    ("ours", "spec"),
    [
        ("<p><em>a</em></p>", "<p><strong>a</strong></p>"),
        ("<p>foo</p>", "<p>bar</p>"),
        ('<a href="/a">x</a>', '<a href="/b">x</a>'),
        ("<p>a</p><p>b</p>", "<p>a b</p>"),
        ("<ol><li>a</li></ol>", '<ol start="3"><li>a</li></ol>'),
        ("<h2>A</h2>", "<h3>A</h3>"),
        ("<p>a&nbsp;b</p>", "<p>a b</p>"),
        ("<pre><code>a  b\n</code></pre>", "<pre><code>a b\n</code></pre>"),
        (
            '<div class="highlight"><pre><code class="language-ruby">x</code></pre></div>',
            '<pre><code class="language-python">x</code></pre>',
        ),
        ('<th class="align-left">a</th>', '<th align="right">a</th>'),
        ('<p>x<a class="anchor" href="#x">#</a></p>', "<p>x</p>"),
        ('<p id="x">a</p>', "<p>a</p>"),
    ],
    ids=[
        "em-is-not-strong",
        "text",
        "href",
        "paragraphs",
        "list-start",
        "heading-level",
        "no-break-space",
        "whitespace-in-pre",
        "code-language",
        "alignment",
        "anchor-outside-a-heading",
        "id-outside-a-heading",
    ],
)
def test_normalize_still_tells_different_documents_apart(ours: str, spec: str):
    # The pass rates above mean something only if a wrong rendering compares unequal.
    assert normalize(ours) != normalize(spec)


def test_set_aside_is_a_separate_step():
    assert normalize(HEADING, set_aside=False) != normalize("<h2>A &amp; B</h2>")
    assert normalize("<p>a<br />\nb</p>", set_aside=False) == "<p>a<br>b</p>"
