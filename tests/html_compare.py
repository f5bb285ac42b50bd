"""Read a Markdown spec's examples, and compare HTML the way the spec's own test harness does.

The CommonMark and GFM specs say what HTML each example must give, but two renderers that agree
still differ in spelling: `<br />` or `<br>`, `&quot;` or `"`, attribute order, newlines between
blocks. `normalize` removes those differences (as the spec's `normalize.py` does), then sets
aside the markup the site adds on purpose (heading anchors, highlighted code, scrolling tables),
so what is left to compare is the document structure and its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

FENCE = "`" * 32


@dataclass(frozen=True)
class Example:
    """One example of a spec: Markdown in, the HTML the spec expects out."""

    number: int  # counted from 1 over the whole file, as the spec's own tools number them
    extension: str | None  # the GFM extension it belongs to ('table', ...); None for CommonMark
    markdown: str
    html: str
    line: int  # line of the spec file the example opens on, to find it there

    def __str__(self) -> str:
        return f"example {self.number} (line {self.line})"


def spec_examples(path: str | Path) -> list[Example]:
    """Return the examples of a spec file, in order, with `→` turned back into a tab."""
    examples: list[Example] = []
    state, start, extension = "text", 0, None
    markdown: list[str] = []
    html: list[str] = []
    lines = Path(path).read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if state == "text" and stripped.startswith(FENCE + " example"):
            state, start, markdown, html = "markdown", number, [], []
            extension = stripped[len(FENCE + " example") :].strip() or None
        elif state == "markdown" and stripped == ".":
            state = "html"
        elif state != "text" and stripped == FENCE:
            examples.append(
                Example(
                    len(examples) + 1,
                    extension,
                    "".join(markdown).replace("→", "\t"),
                    "".join(html).replace("→", "\t"),
                    start,
                )
            )
            state = "text"
        elif state != "text":
            (markdown if state == "markdown" else html).append(line)
    return examples


# The tags CommonMark itself lets open an HTML block (start conditions 1 and 6): whitespace next
# to them is layout, not content, whichever renderer wrote it.
BLOCK_TAGS = frozenset(
    "address article aside base basefont blockquote body caption center col colgroup dd details"
    " dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5"
    " h6 head header hr html iframe legend li link main menu menuitem nav noframes ol optgroup"
    " option p param pre script search section style summary table tbody td textarea tfoot th"
    " thead title tr track ul".split()
)
VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Classes the site's task lists may carry; the specs and GitHub spell task lists without them.
TASK_LIST_CLASSES = frozenset({"task-list-item", "contains-task-list", "task-list-item-checkbox"})
ALIGN_CLASS = re.compile(r"align-(left|center|right)")
SPACE = " \t\n\r\f"  # HTML's whitespace: a no-break space is text, not layout
SPACES = re.compile(f"[{SPACE}]+")

Attrs = list[tuple[str, str]]


@dataclass
class _Token:
    kind: str  # 'start', 'end', 'text' or 'other' (comment, declaration, processing instruction)
    tag: str = ""
    attrs: Attrs = field(default_factory=list)
    text: str = ""
    void: bool = False  # a start tag with no end tag: `<br>`, `<br />`, `<x/>`


class _Tokens(HTMLParser):
    """Splits HTML into tokens, with character references already turned into characters."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[_Token] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # `<a foo>` means `<a foo="">`; sorted, since attribute order carries no meaning.
        clean = sorted((name, value or "") for name, value in attrs)
        self.tokens.append(_Token("start", tag, clean, void=tag in VOID_TAGS))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.tokens[-1].void = True

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(_Token("end", tag))

    def handle_data(self, data: str) -> None:
        if self.tokens and self.tokens[-1].kind == "text":
            self.tokens[-1].text += data
        else:
            self.tokens.append(_Token("text", text=data))

    def handle_comment(self, data: str) -> None:
        self.tokens.append(_Token("other", text=f"<!--{data}-->"))

    def handle_decl(self, decl: str) -> None:
        self.tokens.append(_Token("other", text=f"<!{decl}>"))

    def unknown_decl(self, data: str) -> None:
        self.tokens.append(_Token("other", text=f"<![{data}]>"))

    def handle_pi(self, data: str) -> None:
        self.tokens.append(_Token("other", text=f"<?{data}>"))


class _Open(NamedTuple):
    tag: str
    keep_end: bool  # False for a wrapper set aside, or an element inside one removed
    classes: list[str]


def _tokens(html: str) -> list[_Token]:
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.tokens


def _classes(attrs: Attrs) -> list[str]:
    return " ".join(value for name, value in attrs if name == "class").split()


def set_aside_site_markup(tokens: list[_Token]) -> list[_Token]:
    """Remove what the site's Markdown stage adds to the spec's HTML, and nothing else.

    - heading `id`s and the `<a class="anchor">#</a>` permalink inside each heading: the site
      links to every section, the specs give headings no ids;
    - `<div class="highlight">` around a code block and Pygments' `<span>`s inside `<pre>` (their
      text is kept): highlighting colours the code without changing it;
    - `<figure class="code-block">` around a titled code block, with its `<figcaption>`: the
      title comes from the info string, which the specs ignore after the language;
    - `<div class="table-wrap">` around a table: it lets a wide table scroll on its own;
    - the task list classes (`task-list-item`, ...), which only style the list;
    - `class="align-center"` on a table cell, which says what the spec's `align="center"` says
      without an attribute HTML5 made obsolete; it is turned into that attribute;
    - the leading `/` of an image's `src`: the site finds an image from the page's file, as
      GitHub does, and writes where it is served (`train.jpg` of content/page.md is
      `/train.jpg`), so `src` is compared without it.

    Other classes stay: `class="language-ruby"` on fenced code is compared like any attribute.
    """
    kept: list[_Token] = []
    # The elements open at this point, innermost last. Raw HTML in Markdown may leave some open
    # or close some never opened; an end tag matching none is kept as it is.
    open_tags: list[_Open] = []
    dropping = 0  # inside an element removed with its content: len(open_tags) once it opened
    for token in tokens:
        if token.kind == "end":
            depth = max((i for i, o in enumerate(open_tags) if o.tag == token.tag), default=-1)
            if depth < 0:
                keep = not dropping
            else:
                keep = open_tags[depth].keep_end and not (dropping and depth >= dropping)
                del open_tags[depth:]
                if len(open_tags) < dropping:
                    dropping = 0
            if keep:
                kept.append(token)
            continue
        if token.kind != "start" or dropping:
            if token.kind == "start" and not token.void:
                open_tags.append(_Open(token.tag, False, []))
            if not dropping:
                kept.append(token)
            continue
        classes = _classes(token.attrs)
        parent = open_tags[-1] if open_tags else _Open("", True, [])
        unwrap = (
            (token.tag == "div" and ("highlight" in classes or "table-wrap" in classes))
            or (token.tag == "figure" and "code-block" in classes)
            or (token.tag == "span" and any(o.tag == "pre" for o in open_tags))
        )
        in_heading = any(o.tag in HEADINGS for o in open_tags)
        drop = (token.tag == "a" and "anchor" in classes and in_heading) or (
            token.tag == "figcaption" and parent.tag == "figure" and "code-block" in parent.classes
        )
        if not token.void:
            open_tags.append(_Open(token.tag, not (unwrap or drop), classes))
            if drop:
                dropping = len(open_tags)
        if not (unwrap or drop):
            kept.append(_site_attributes_set_aside(token, classes))
    return kept


def _site_attributes_set_aside(token: _Token, classes: list[str]) -> _Token:
    attrs = token.attrs
    if token.tag in HEADINGS:
        attrs = [(name, value) for name, value in attrs if name != "id"]
    rest, extra = [], {}
    for name in classes:
        align = ALIGN_CLASS.fullmatch(name)
        if align and token.tag in ("th", "td"):
            extra["align"] = align.group(1)
        elif name not in TASK_LIST_CLASSES:
            rest.append(name)
    kept = [(name, value) for name, value in attrs if name != "class" and name not in extra]
    if token.tag == "img":
        kept = [(name, value.removeprefix("/") if name == "src" else value) for name, value in kept]
    if rest:
        kept.append(("class", " ".join(rest)))
    return _Token("start", token.tag, sorted(kept + list(extra.items())), void=token.void)


def _serialize(tokens: list[_Token]) -> str:
    """Write tokens back as HTML, with whitespace that only lays out the source removed."""
    out = ""
    previous: _Token | None = None
    pre = 0  # how many <pre> are open: their text is kept as it is
    for token in tokens:
        if token.kind == "text":
            text = token.text
            if not pre:
                text = SPACES.sub(" ", text)
                if previous and previous.kind in ("start", "end"):
                    if previous.tag in BLOCK_TAGS or previous.tag == "br":
                        text = text.lstrip(SPACE)
            out += escape(text, quote=False)
        elif token.kind == "other":
            out += token.text
        else:
            if token.tag in BLOCK_TAGS and not (token.kind == "end" and token.tag == "pre"):
                out = out.rstrip(SPACE)
            if token.tag == "pre":  # an unmatched </pre> must not end a <pre> opened later
                pre = pre + 1 if token.kind == "start" else max(pre - 1, 0)
            if token.kind == "end":
                out += f"</{token.tag}>"
            else:
                attrs = "".join(f' {name}="{escape(value)}"' for name, value in token.attrs)
                out += f"<{token.tag}{attrs}>"
        previous = token
    return out.strip(SPACE)


def normalize(html: str, set_aside: bool = True) -> str:
    """Return `html` in a form where two renderings of the same document are equal strings.

    Like the spec's normalize.py: whitespace next to block-level tags is dropped, other runs of
    whitespace outside `<pre>` become one space, attributes are sorted, character references are
    resolved (`&quot;` is `"`, `&#42;` is `*`), and `<br />` is `<br>`. Then, unless `set_aside`
    is false, the site's own additions are removed (see `set_aside_site_markup`).
    """
    tokens = _tokens(html)
    if set_aside:
        tokens = set_aside_site_markup(tokens)
    return _serialize(tokens)
