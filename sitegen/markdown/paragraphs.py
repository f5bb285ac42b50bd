"""A paragraph's attributes: a last line `{: .lead }` (or `{.lead}`) gives it a class or an id."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from ..errors import BuildError
from .attributes import ATTRIBUTE_HINT, split_trailing
from .run import RenderRun


def install(md: MarkdownIt) -> None:
    """Add the rule that moves a paragraph's attribute line onto the paragraph (read before
    autolinks are made, see `autolinks.install`)."""
    md.core.ruler.after("text_join", "paragraph_attributes", paragraph_attributes)


def paragraph_attributes(state: StateCore) -> None:
    """Apply a paragraph's own last line of attributes to it, and drop the line."""
    if "{" not in state.src:
        return
    run: RenderRun = state.env["run"]
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "paragraph_open":
            continue
        inline = tokens[index + 1]
        children = inline.children or []
        if len(children) < 2 or children[-1].type != "text" or children[-2].type != "softbreak":
            continue
        written = split_trailing(inline.content.rpartition("\n")[2])
        if written is None or written[0]:
            continue  # as written, the last line is not an attribute list alone: `\{.x}` is text
        split = split_trailing(children[-1].content)
        if split is None or split[0]:
            continue
        attributes = split[1]
        if attributes.problem:
            line = run.locate.line(token.map[1] - 1, "{") if token.map else run.locate.start(None)
            run.problems.append(BuildError(line, attributes.problem, ATTRIBUTE_HINT))
            continue
        del children[-2:]
        attributes.apply(token.attrs)  # its id is claimed with the headings' (headings.py)
