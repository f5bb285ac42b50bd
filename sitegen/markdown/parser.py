"""The one configured markdown-it parser of a process: CommonMark, GitHub's extensions, our own.

CommonMark 0.31.2; GitHub's tables, strikethrough, task lists, alerts and autolinks; footnotes,
definition lists and admonitions from mdit-py-plugins; and the site's rules: attributes and ids of
headings, fenced code, directives, links with their places. Rules keep nothing between pages:
what one page's render needs travels in markdown-it's `env`.
"""

from __future__ import annotations

import bisect
import functools
import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..errors import BuildError
from ..extensions import NO_EXTENSIONS, Extensions
from . import autolinks, code, directives, elements, headings, links, paragraphs
from .locations import record_offsets
from .run import RenderRun

MAX_NESTING = 20  # lists and quotes inside each other (markdown-it's own limit); deeper: an error
# Brackets inside a link's brackets read as markup; deeper, they are skipped. A '[' costs time in
# proportion to it.
MAX_INLINE_NESTING = 8
CLOSINGS = "closing brackets"  # the env key of a text's ']' positions
CLOSING = re.compile(r"\]")


@functools.cache
def markdown_parser(raw_html: bool, extensions: Extensions = NO_EXTENSIONS) -> MarkdownIt:
    """The parser for pages, with or without raw HTML, with the site's plugins (made once per
    process and kept)."""
    md = MarkdownIt(
        "commonmark",
        {
            "html": raw_html,
            "maxNesting": MAX_NESTING,
            "tasklists": True,
            "alerts": True,
            "strikethrough_single_tilde": True,
        },
    )
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin, inline=False)  # GitHub has no inline footnotes
    md.use(deflist_plugin)
    md.use(admon_plugin)
    _require_admonition_kind(md)
    record_offsets(md, {"link": _no_link_follows, "image": _no_link_follows})
    paragraphs.install(md)
    headings.install(md)
    autolinks.install(md)
    directives.install(md)
    elements.install(md)
    links.install(md)
    code.install(md)
    _refuse_deep_nesting(md)
    _skip_hopeless_footnotes(md)
    _skip_deep_brackets(md)
    extensions.configure_markdown(md)
    return md


# `!!! note "Title"`: the kind is a word; `!!! "Title"` alone is a paragraph, as it always was.
ADMONITION = re.compile(r"(?:!!!|\?\?\?\+?)[ \t]+[A-Za-z][\w-]*")


def _require_admonition_kind(md: MarkdownIt) -> None:
    rule = next(r for r in md.block.ruler.__rules__ if r.name == "admonition").fn

    def admonition(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        at = state.bMarks[start] + state.tShift[start]
        return bool(ADMONITION.match(state.src, at)) and rule(state, start, end, silent)

    md.block.ruler.at(
        "admonition", admonition, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )


def _skip_deep_brackets(md: MarkdownIt) -> None:
    """Skip what stands past the inline nesting limit at once, to the next ']'.

    Looking for the end of a link's text, markdown-it reads what is inside by nesting its rules;
    at its limit it skips to the end of the paragraph, and remembers that for the position, so a
    well-formed link after a few unclosed '[' could come out as text. Skipping to the next ']'
    keeps the time bounded by the limit (a page of '[' costs it at every one) and the link a link.
    """
    skip = md.inline.skipToken

    def skip_token(state: StateInline) -> None:
        start = state.pos
        if state.level < MAX_INLINE_NESTING or start in state.cache:
            skip(state)
            return
        closings = _closing_brackets(state)
        after = bisect.bisect_right(closings, start)
        state.pos = min(closings[after], state.posMax) if after < len(closings) else state.posMax
        state.cache[start] = state.pos

    md.inline.skipToken = skip_token


def _closing_brackets(state: StateInline) -> list[int]:
    """Where the inline text's ']' are, found once per text."""
    return _brackets(state)[1]


def _brackets(state: StateInline) -> tuple[str, list[int], int]:
    """The inline text, where its ']' are, and where the last '](' is that a ')' follows
    (-1: nowhere): an inline link opens with the one and ends with the other."""
    known = state.env.get(CLOSINGS)
    if known is None or known[0] is not state.src:
        src = state.src
        known = state.env[CLOSINGS] = (
            src,
            [m.start() for m in CLOSING.finditer(src)],
            src.rfind("](", 0, max(src.rfind(")"), 0)),
        )
    return known


LABEL_LIMIT = 999  # characters in a link label, and so in a footnote's
SPACE = re.compile(r"\s")


def _no_link_follows(state: StateInline) -> bool:
    """Whether a '[' here can open no link or image: no ']' follows, or no '](' with a ')'
    after it follows and the page defines no reference. Looking for its end would read on to
    the next ']' through every '[' between, at each of them (a page of them, a long wait)."""
    _, closings, last_inline = _brackets(state)
    if not closings or state.pos > closings[-1]:
        return True
    return last_inline < state.pos and not state.env.get("references")


def _skip_hopeless_footnotes(md: MarkdownIt) -> None:
    """Look for a footnote reference within a label's length only, not to the end of the text."""
    rule = next(r for r in md.inline.ruler.__rules__ if r.name == "footnote_ref").fn

    def footnote_ref(state: StateInline, silent: bool) -> bool:
        src, start = state.src, state.pos
        if not src.startswith("[^", start):
            return False
        end = src.find("]", start + 2, start + 3 + LABEL_LIMIT)
        return end > 0 and not SPACE.search(src, start + 2, end) and rule(state, silent)

    md.inline.ruler.at("footnote_ref", footnote_ref)


def _refuse_deep_nesting(md: MarkdownIt) -> None:
    """Report blocks nested past the limit, which markdown-it would leave out silently."""
    tokenize = md.block.tokenize

    def tokenize_within_limit(state: StateBlock, start: int, end: int) -> None:
        if state.level >= MAX_NESTING and state.skipEmptyLines(start) < end:
            run: RenderRun = state.env["run"]
            if not run.too_deep:
                run.too_deep = True
                run.problems.append(
                    BuildError(
                        run.locate.line(start),
                        f"blocks nested more than {MAX_NESTING} levels deep "
                        "(lists, quotes or notes inside each other)",
                        "nest them less deeply",
                    )
                )
        tokenize(state, start, end)

    md.block.tokenize = tokenize_within_limit
