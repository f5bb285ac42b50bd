"""The one configured markdown-it parser of a process: CommonMark, GitHub's extensions, our own.

CommonMark 0.31.2; GitHub's tables, strikethrough, task lists, alerts and autolinks; footnotes,
definition lists and admonitions from mdit-py-plugins; and the site's rules: attributes and ids of
headings, fenced code, directives, links with their places. Rules keep nothing between pages:
what one page's render needs travels in markdown-it's `env`.
"""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..errors import BuildError
from . import autolinks, code, directives, elements, headings, links, paragraphs
from .locations import record_offsets
from .run import RenderRun

MAX_NESTING = 32  # lists and quotes inside each other; deeper is an error, never a crash


@functools.cache
def markdown_parser(raw_html: bool) -> MarkdownIt:
    """The parser for pages, with or without raw HTML (made once per process and kept)."""
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
    record_offsets(md)
    autolinks.install(md)
    paragraphs.install(md)
    headings.install(md)
    directives.install(md)
    elements.install(md)
    links.install(md)
    code.install(md)
    _refuse_deep_nesting(md)
    return md


def _refuse_deep_nesting(md: MarkdownIt) -> None:
    """Report blocks nested past the limit, which markdown-it would leave out silently."""
    tokenize = md.block.tokenize

    def tokenize_within_limit(state: StateBlock, start: int, end: int) -> None:
        if state.level >= MAX_NESTING and state.skipEmptyLines(start) < end:
            run: RenderRun = state.env["run"]
            if not any(problem.message.startswith("blocks nested") for problem in run.problems):
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
