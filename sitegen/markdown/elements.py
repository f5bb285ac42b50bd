"""How some elements come out: tables, strikethrough, GitHub's alerts and footnotes.

- A table sits in a box that scrolls sideways on narrow screens (focusable and named, so that
  keyboard users can scroll it too); cell alignment is a class, since the site's Content
  Security Policy refuses inline styles.
- Strikethrough is `<del>`, as on GitHub.
- An alert (`> [!NOTE]`) looks like an admonition (`!!! note`): one style for both.
- Footnotes have GitHub's ids (`fn-1`, `fnref-1`; `fn-note` for `[^note]`), no brackets, and
  backlinks named for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .run import RenderRun

ALIGN_STYLE = "text-align:"


def install(md: MarkdownIt) -> None:
    """Add the rules and renderers for tables, strikethrough, alerts and footnotes."""
    md.core.ruler.push("element_classes", element_classes)
    md.core.ruler.before("heading_ids", "footnote_ids", footnote_ids)
    md.add_render_rule("table_open", render_table_open)
    md.add_render_rule("table_close", lambda self, tokens, idx, options, env: "</table>\n</div>\n")
    md.add_render_rule("s_open", lambda self, tokens, idx, options, env: "<del>")
    md.add_render_rule("s_close", lambda self, tokens, idx, options, env: "</del>")
    md.add_render_rule("footnote_ref", render_footnote_ref)
    md.add_render_rule("footnote_block_open", render_footnote_block_open)
    md.add_render_rule("footnote_block_close", lambda self, t, i, o, e: "</ol>\n</section>\n")
    md.add_render_rule("footnote_open", render_footnote_open)
    md.add_render_rule("footnote_anchor", render_footnote_anchor)


def element_classes(state: StateCore) -> None:
    """Alignment as classes, tables named by their headers, alerts styled as admonitions."""
    if "|" not in state.src and "[!" not in state.src:
        return  # neither a table nor an alert
    table, headers = None, []
    for index, token in enumerate(state.tokens):
        kind = token.type
        if kind == "table_open":
            table, headers = token, []
        elif kind in ("th_open", "td_open"):
            style = str(token.attrs.pop("style", ""))
            if style.startswith(ALIGN_STYLE):
                token.attrs["class"] = f"align-{style[len(ALIGN_STYLE) :]}"
            if kind == "th_open" and table is not None:
                headers.append(state.tokens[index + 1].content.strip())
        elif kind == "thead_close" and table is not None:
            table.meta["label"] = "Table: " + ", ".join(headers)
        elif kind == "alert_open":
            token.attrs["class"] = f"admonition {token.meta.get('kind', 'note').lower()}"
        elif kind == "alert_title_open":
            token.attrs["class"] = "admonition-title"


def render_table_open(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    label = escapeHtml(tokens[idx].meta.get("label", "Table"))
    return f'<div class="table-wrap" role="region" tabindex="0" aria-label="{label}">\n<table>\n'


def footnote_ids(state: StateCore) -> None:
    """Reserve the footnotes' ids, so that no heading takes one."""
    run: RenderRun = state.env["run"]
    for number, note in state.env.get("footnotes", {}).get("list", {}).items():
        name = _name(number, note.get("label"))
        run.ids.add(f"fn-{name}")
        run.ids.update(_ref_id(name, sub) for sub in range(max(note.get("count", 1), 1)))


def _name(number: int, label: str | None) -> str:
    """What a footnote's ids are made of: its label, as GitHub has it ('[^note]': '#fn-note')."""
    return label or str(number + 1)


def _ref_id(name: str, sub: int) -> str:
    return f"fnref-{name}" + (f"-{sub + 1}" if sub > 0 else "")


def render_footnote_ref(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    name = escapeHtml(_name(meta["id"], meta.get("label")))
    return (
        f'<sup class="footnote-ref"><a href="#fn-{name}" id="{_ref_id(name, meta.get("subId", 0))}"'
        f">{meta['id'] + 1}</a></sup>"
    )


def render_footnote_block_open(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    return '<section class="footnotes" aria-label="Footnotes">\n<ol>\n'


def render_footnote_open(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    return f'<li id="fn-{escapeHtml(_name(meta["id"], meta.get("label")))}">'


def render_footnote_anchor(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    number, sub = meta["id"], meta.get("subId", 0)
    name = escapeHtml(_name(number, meta.get("label")))
    which = f"{number + 1}" + (f"-{sub + 1}" if sub > 0 else "")
    return (
        f' <a href="#{_ref_id(name, sub)}" class="footnote-backref" '
        f'aria-label="Back to reference {which}">\u21a9\ufe0e</a>'
    )
