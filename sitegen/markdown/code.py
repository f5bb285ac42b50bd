"""Fenced code: highlighted by Pygments with CSS classes, captioned with its file name if given.

Any info string works: its first word is the language (an unknown one is plain text), and an
attribute `title="train.py"` after it, as GitHub users write it, names the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.token import Token
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from .lexing import quicken

HIGHLIGHT_CLASS = "highlight"
LIGHT_STYLE, DARK_STYLE = "default", "github-dark"
TITLE = re.compile(r"""(?:^|[\s{])title=(?:"([^"]*)"|'([^']*)'|([^\s}]+))""")
PLAIN = ("", "text", "plain", "txt", "plaintext")

_formatter = HtmlFormatter(nowrap=True)  # the spans only: the wrapper is ours
_lexers: dict[str, Lexer | None] = {}


def install(md: MarkdownIt) -> None:
    """Render fenced code blocks with highlighting and captions."""
    md.add_render_rule("fence", render_fence)


def render_fence(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    """A fenced block: `<div class="highlight"><pre><code>`, in a captioned figure if titled."""
    token = tokens[idx]
    language, attributes = info_string(unescapeAll(token.info))
    code = highlighted(token.content, language)
    kind = f' class="language-{escapeHtml(language)}"' if language else ""
    block = f'<div class="{HIGHLIGHT_CLASS}"><pre><code{kind}>{code}</code></pre></div>\n'
    title = TITLE.search(attributes)
    if title is None:
        return block
    name = escapeHtml(next(group for group in title.groups() if group is not None))
    return f'<figure class="code-block">\n<figcaption>{name}</figcaption>\n{block}</figure>\n'


def info_string(info: str) -> tuple[str, str]:
    """Split a fence's info string into its language and the attributes after it.

    `python title="x.py"`, `{.python title="x.py"}` and `title="x.py"` (no language) all work.
    """
    first, *rest = info.split(maxsplit=1) or [""]
    if "=" in first:
        return "", info
    return first.strip("{}").removeprefix("."), rest[0] if rest else ""


def highlighted(code: str, language: str) -> str:
    """Return `code` as HTML: highlighted if Pygments knows the language, else escaped."""
    lexer = lexer_for(language)
    return escapeHtml(code) if lexer is None else highlight(code, lexer, _formatter)


def lexer_for(language: str) -> Lexer | None:
    """The Pygments lexer for a language name or alias, made once per process."""
    name = language.lower()
    if name not in _lexers:
        try:
            lexer = None if name in PLAIN else get_lexer_by_name(name, stripnl=False)
            _lexers[name] = lexer and quicken(lexer)
        except ClassNotFound:
            _lexers[name] = None
    return _lexers[name]


def highlight_css() -> str:
    """Return one stylesheet for highlighted code, light by default and dark on request."""
    light = HtmlFormatter(style=LIGHT_STYLE).get_style_defs(f".{HIGHLIGHT_CLASS}")
    dark = HtmlFormatter(style=DARK_STYLE).get_style_defs(f".{HIGHLIGHT_CLASS}")
    dark = "\n".join("  " + line for line in dark.splitlines())
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
