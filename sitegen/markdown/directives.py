"""The `::: table NAME` and `::: chart NAME` lines of an article, as blocks of the parse.

A directive is a line of its own; inside code it is text, like anything else. Its HTML is made
once the page's headings have their ids, so that the ids of the tables it places never clash.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..directives import MARKER
from ..errors import BuildError
from .run import RenderRun


def install(md: MarkdownIt) -> None:
    """Add the block rule that reads directive lines, and the rule that expands them."""
    md.block.ruler.before(
        "fence",
        "directive",
        directive_line,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.core.ruler.after("heading_ids", "directives", expand_directives)
    md.add_render_rule("directive", render_directive)


def directive_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line starting with ':::' is a directive."""
    at = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith(MARKER, at) or state.is_code_block(start):
        return False
    if not silent:
        token = state.push("directive", "", 0)
        token.content = state.src[at : state.eMarks[start]]
        token.map = [start, start + 1]
        token.block = True
    state.line = start + 1
    return True


def expand_directives(state: StateCore) -> None:
    """Replace each directive with the table or chart it names, or report why it cannot be."""
    if MARKER not in state.src:
        return
    run: RenderRun = state.env["run"]
    for token in state.tokens:
        if token.type != "directive":
            continue
        span = run.locate.line(token.map[0], MARKER)
        if run.expand is None:
            run.problems.append(
                BuildError(span, "directives need data tables", "add the table to content/data/")
            )
            continue
        html, error = run.expand(token.content, span, run.ids)
        if error is not None:
            run.problems.append(error)
        token.meta["html"] = html


def render_directive(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    """A directive's HTML, made by `expand_directives`."""
    return tokens[idx].meta.get("html", "")
