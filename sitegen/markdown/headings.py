"""Headings: ids as GitHub makes them, `{#id .class}` attributes, permalinks, the page contents.

GitHub's ids: the heading's text lowercased, every character that is not a letter, mark, digit,
`_`, `-` or space dropped, spaces made hyphens; a repeated id gets `-1`, `-2`, ... So an anchor
link that works on GitHub works here. `{#custom}` at the end of a heading sets its id instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..errors import BuildError
from .attributes import ATTRIBUTE_HINT, split_trailing
from .body import TocEntry
from .run import RenderRun

ASCII_DROPPED = re.compile(r"[^a-z0-9_\- ]")


def github_slug(text: str) -> str:
    """Return the id GitHub gives a heading with this text (before making it unique)."""
    text = text.lower()
    if text.isascii():
        text = ASCII_DROPPED.sub("", text)
    else:
        text = "".join(c for c in text if c in "- " or _is_word(c))
    return text.replace(" ", "-")


def _is_word(c: str) -> bool:
    """A word character as GitHub's Ruby regexp has it: a letter, mark, digit or connector."""
    category = unicodedata.category(c)
    return category[0] in "LM" or category in ("Nd", "Pc")


def install(md: MarkdownIt) -> None:
    """Add the rules giving headings their attributes and ids, and the permalink after each
    heading's text. Attributes are read before autolinks are made (`autolinks.install`)."""
    md.core.ruler.after("paragraph_attributes", "heading_attributes", heading_attributes)
    md.core.ruler.push("heading_ids", heading_ids)
    md.add_render_rule("heading_close", render_heading_close)


def heading_attributes(state: StateCore) -> None:
    """Apply `{#id .class}` at the end of a heading to it, and take it out of its text."""
    if "{" not in state.src:
        return
    run: RenderRun = state.env["run"]
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            _take_attributes(token, tokens[index + 1], run)


def heading_ids(state: StateCore) -> None:
    """Give every heading an id, and collect the page's contents.

    The ids written by hand (of headings and paragraphs) are taken first, in the order they
    stand, a repeated one being an error where it repeats; then each other heading gets
    GitHub's id for its text, one not taken yet.
    """
    run: RenderRun = state.env["run"]
    tokens = state.tokens
    headings = []
    for index, token in enumerate(tokens):
        if token.type not in ("heading_open", "paragraph_open"):
            continue
        custom = str(token.attrs.get("id", ""))
        if custom:
            _claim(custom, token, run)
        if token.type == "heading_open":
            headings.append((token, tokens[index + 1]))
    counts: dict[str, int] = {}
    for token, inline in headings:
        text, words = _plain_text(inline.children or ())
        token.meta["title"] = " ".join(text.split())
        if "id" not in token.attrs:
            slug = github_slug(words)
            token.attrs["id"] = _unique(slug, counts, run.ids) if slug else _unnamed(run.ids)
    top = [t for t, _ in headings if t.level == 0]  # not those in quotes, lists or notes
    run.toc = _nest([(int(t.tag[1]), str(t.attrs["id"]), t.meta["title"]) for t in top])


def _claim(ident: str, token: Token, run: RenderRun) -> None:
    if ident in run.ids:
        run.problems.append(
            BuildError(
                run.locate.start(token),
                f"id '{ident}' is used twice on this page",
                "ids must differ; change one of them",
            )
        )
    run.ids.add(ident)


def _take_attributes(heading: Token, inline: Token, run: RenderRun) -> None:
    children = inline.children or []
    # The list must end the heading as written too: `\{#id}` is text.
    if not children or children[-1].type != "text" or split_trailing(inline.content) is None:
        return
    split = split_trailing(children[-1].content)
    if split is None:
        return
    text, attributes = split
    if attributes.problem:
        run.problems.append(
            BuildError(run.locate.start(heading), attributes.problem, ATTRIBUTE_HINT)
        )
        return
    children[-1].content = text
    if not text:
        children.pop()
    attributes.apply(heading.attrs)


def _plain_text(children: Sequence[Token]) -> tuple[str, str]:
    """The heading's text as readers see it, and as GitHub reads it for the id."""
    shown, read = [], []
    for child in children:
        if child.type in ("text", "code_inline"):
            shown.append(child.content)
            read.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            shown.append(" ")
            read.append("\n")
    return "".join(shown), "".join(read)


def _unique(base: str, counts: dict[str, int], used: set[str]) -> str:
    """`base`, or `base-1`, `base-2`... as GitHub numbers repeats, never an id already used."""
    number = counts.get(base, 0)
    candidate = base if number == 0 else f"{base}-{number}"
    while candidate in used:
        number += 1
        candidate = f"{base}-{number}"
    counts[base] = number + 1
    used.add(candidate)
    return candidate


def _unnamed(used: set[str]) -> str:
    """An id for a heading whose text gives none (only emoji, say): '§1', '§2'... GitHub's ids
    never hold a '§', so these cannot take one a link on GitHub expects."""
    number = 1
    while f"§{number}" in used:
        number += 1
    used.add(f"§{number}")
    return f"§{number}"


def _nest(flat: list[tuple[int, str, str]]) -> tuple[TocEntry, ...]:
    """Nest headings under the nearest earlier heading of a higher level."""
    result: list[TocEntry] = []
    stack: list[tuple[int, list]] = [(0, result)]
    for level, ident, title in flat:
        children: list = []
        while len(stack) > 1 and stack[-1][0] >= level:
            stack.pop()
        entry = (level, ident, title, children)
        stack[-1][1].append(entry)
        stack.append((level, children))
    return tuple(_freeze(entry) for entry in result)


def _freeze(entry: tuple) -> TocEntry:
    level, ident, title, children = entry
    return TocEntry(level, ident, title, tuple(_freeze(child) for child in children))


def render_heading_close(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    """Close a heading with a link to itself, named after the heading for screen readers."""
    opening = tokens[idx - 2]
    ident = escapeHtml(str(opening.attrs.get("id", "")))
    label = escapeHtml(f"Link to section: {opening.meta.get('title', '')}")
    return f'<a class="anchor" href="#{ident}" aria-label="{label}">#</a></{tokens[idx].tag}>\n'
