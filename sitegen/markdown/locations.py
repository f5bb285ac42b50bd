"""Where a token came from: a line and column of the page's source file.

markdown-it gives every block its source lines (`map`); inline tokens know only the text of their
block with the container markers taken off (`> `, list indents, `[^1]: `). The inline rules that
make links, images and raw HTML are wrapped to record the offset at which they matched, and this
module turns such an offset back into the column of the source line it was written on.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..content import Page
from ..errors import SourceSpan

# The rules whose tokens are located, with the character each starts at.
LOCATED_RULES = {
    "link": ("link_open", "["),
    "image": ("image", "!"),
    "autolink": ("link_open", "<"),
    "html_inline": ("html_inline", "<"),
}
# Keys in a token's meta: where its source starts, and where a link's target is written.
OFFSET, TARGET = "offset", "target"
NEWLINE = re.compile("\n")
Hopeless = Callable[[StateInline], bool]  # True where a rule cannot match, known cheaply


def record_offsets(md: MarkdownIt, hopeless: dict[str, Hopeless] | None = None) -> None:
    """Wrap the inline rules of links, images and raw HTML to note where each token's source is.

    `hopeless` may give a rule a quick test that it cannot match here, tried first. The wrapper
    tests the rule's first character itself: it runs at every position the text rule stops at,
    and a call saved there is much of a page's time when it is all brackets.
    """
    hopeless = hopeless or {}
    for name, (token_type, first) in LOCATED_RULES.items():
        rule = next(r for r in md.inline.ruler.__rules__ if r.name == name)
        md.inline.ruler.at(name, _noting_offset(rule.fn, token_type, first, hopeless.get(name)))


def _noting_offset(
    rule: Callable, token_type: str, first: str, hopeless: Hopeless | None
) -> Callable:
    def located(state: StateInline, silent: bool) -> bool:
        if state.src[state.pos] != first or hopeless is not None and hopeless(state):
            return False
        if silent:
            return rule(state, silent)
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        for token in state.tokens[count:]:  # a flushed text token may come first
            if token.type == token_type:
                token.meta[OFFSET] = start
                if first in "[!":
                    token.meta[TARGET] = _target(state, start, first == "!")
                elif token_type == "link_open":  # <https://...>
                    token.meta[TARGET] = start + 1
                break
        return True

    return located


def _target(state: StateInline, start: int, image: bool) -> int:
    """Where the target of the link or image at `start` is written: after `](`, spaces and a
    `<`, or for a reference link, at the link itself."""
    end = state.md.helpers.parseLinkLabel(state, start + image, not image)
    src, limit = state.src, state.posMax
    at = end + 1
    if end < 0 or at >= limit or src[at] != "(":
        return start
    at += 1
    while at < limit and src[at] in " \t\n":
        at += 1
    return at + (at < limit and src[at] == "<")


class Locator:
    """Turns block lines and inline offsets of one page into `SourceSpan`s of its file."""

    def __init__(self, page: Page) -> None:
        self.path = page.source
        self.first_line = page.body_line
        self._lines: list[str] | None = None
        self._body = page.body
        self._newlines: dict[int, list[int]] = {}  # by id of block: where its lines start
        self._bases: dict[tuple[int, int], int] = {}  # (id of block, line): its first column
        self._cursor: dict[int, int] = {}  # source line: where the last table cell found ended

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self._body.split("\n")
        return self._lines

    def line(self, index: int, text: str = "") -> SourceSpan:
        """The span of body line `index` (0-based), at `text` on it if given, else its start."""
        source = self.lines[index] if 0 <= index < len(self.lines) else ""
        at = source.find(text) if text else -1
        if at < 0:
            at = len(source) - len(source.lstrip())
        return SourceSpan(self.path, self.first_line + index, at + 1)

    def start(self, token: Token | None) -> SourceSpan:
        """The span where a block token starts."""
        if token is None or not token.map:
            return SourceSpan(self.path, self.first_line)
        return self.line(token.map[0])

    def offset(self, block: Token, content: str, offset: int, cell: bool = False) -> SourceSpan:
        """The span of `offset` into `content`, the text of `block` (an inline or HTML token).

        `cell` says the content is a table cell, which shares its line with the other cells: a
        row's cells must be asked for in order (see `cells`).
        """
        if not block.map:
            return SourceSpan(self.path, self.first_line)
        key = id(block)
        starts = self._newlines.get(key)
        if starts is None:
            starts = [0, *(match.end() for match in NEWLINE.finditer(content))]
            self._newlines[key] = starts
        row = bisect.bisect_right(starts, offset) - 1
        index = block.map[0] + row
        end = starts[row + 1] - 1 if row + 1 < len(starts) else len(content)
        base = self._bases.get((key, row))
        if base is None:
            base = self._base(index, content[starts[row] : end], cell)
            self._bases[(key, row)] = base
        within = offset - starts[row]
        if cell:  # each '|' in a cell's text was written '\|'
            within += content.count("|", starts[row], offset)
        return SourceSpan(self.path, self.first_line + index, base + within + 1)

    def _base(self, index: int, text: str, cell: bool) -> int:
        """The column (0-based) on source line `index` at which the block's `text` starts."""
        source = self.lines[index] if 0 <= index < len(self.lines) else ""
        wanted = text.rstrip()
        if not wanted:
            return len(source) - len(source.lstrip())
        if cell:  # found after the row's cells before it, as written: with '\|' for '|'
            written = wanted.replace("|", "\\|")
            at = source.find(written, self._cursor.get(index, 0))
            if at >= 0:
                self._cursor[index] = at + len(written)
                return at
        elif source.rstrip().endswith(wanted):  # what comes before is container markers
            return len(source.rstrip()) - len(wanted)
        at = source.find(wanted.lstrip())
        if at >= 0:  # leading spaces that stood for a tab
            return at - (len(wanted) - len(wanted.lstrip()))
        return len(source) - len(source.lstrip())
