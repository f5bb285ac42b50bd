"""Pages written to make a Markdown parser slow or crash: each about 100 KB.

Deep nesting, long runs of delimiters, unbalanced brackets, huge tables, and the inputs that the
site's own rules (autolinks, attributes, heading ids, raw HTML links) scan. The tests build each
one (`test_pathological.py`); `benchmarks/pathological.py` times them.
"""

from __future__ import annotations

SIZE = 100_000


def _repeat(unit: str, size: int = SIZE) -> str:
    return unit * (size // len(unit))


def _nested_lists(size: int = SIZE) -> str:
    lines, level = [], 0
    while sum(map(len, lines)) < size:
        lines.append("  " * level + "- item")
        level += 1
    return "\n".join(lines)


def _nested_notes(size: int = SIZE) -> str:
    lines, level = [], 0
    while sum(map(len, lines)) < size:
        lines.append("    " * level + '!!! note "Deeper"')
        level += 1
    return "\n".join(lines)


def _table(rows: int, columns: int) -> str:
    head = "|" + " h |" * columns
    rule = "|" + " --- |" * columns
    row = "|" + " [c](#x) |" * columns
    return "\n".join([head, rule] + [row] * rows)


CASES: dict[str, str] = {
    "nested-quotes": _repeat(">") + " deep",
    "nested-quote-lines": "\n".join(">" * n + " x" for n in range(1, 440)),
    "nested-lists-one-line": _repeat("- ") + "x",
    "nested-lists-indented": _nested_lists(),
    "nested-ordered-lists": _repeat("1. ") + "x",
    "nested-admonitions": _nested_notes(),
    "open-brackets": _repeat("["),
    "close-brackets": _repeat("]"),
    "unclosed-links": _repeat("[a]("),
    "link-openers": _repeat("]("),
    "image-openers": _repeat("!["),
    "nested-links": _repeat("[", SIZE // 2) + _repeat("](x)", SIZE // 2),
    "footnote-openers": _repeat("[^"),
    "footnote-references": "[^a]: A note.\n\n" + _repeat("[^") + "]",
    "backtick-runs": _repeat("`"),
    "backtick-ladder": "".join("`" * n + "a" for n in range(1, 440)),
    "emphasis-nesting": _repeat("*a ", SIZE // 2) + _repeat(" a*", SIZE // 2),
    "emphasis-runs": _repeat("*_"),
    "strong-runs": _repeat("**a"),
    "tilde-runs": _repeat("~a"),
    "entity-openers": _repeat("&#"),
    "html-tag-openers": "<div>\n" + _repeat("<a "),
    "html-unclosed-quote": '<div>\n<a href="' + _repeat("x"),
    "inline-html-openers": "x " + _repeat("<a b="),
    "autolink-at-signs": _repeat("a@"),
    "autolink-www": _repeat("www."),
    "autolink-schemes": _repeat("http://"),
    "autolink-long-domain": "see www." + _repeat("a"),
    "autolink-parens": "https://x.org/" + _repeat("(", SIZE // 2) + _repeat(")", SIZE // 2),
    "autolink-semicolons": "https://x.org/" + _repeat("&a;"),
    "autolink-url-lines": _repeat("http://a.b\n"),
    "autolink-www-then-urls": _repeat("www.a.b http://c.d "),
    "colons": _repeat(":"),
    "heading-repeats": _repeat("# Same\n"),
    "heading-attributes": "## Title {" + _repeat("#a .b ") + "}",
    "paragraph-attributes": "Text\n{: " + _repeat(".c ") + "}",
    "long-table": _table(SIZE // 12, 1),
    "wide-table": _table(2, SIZE // 20),
    "table-pipes": "a|b\n-|-\n" + _repeat("|"),
    "reference-definitions": _repeat("[a]: <\n"),
    "directive-lines": _repeat("::: table x\n"),
    "python-code": "```python\n" + _repeat("def f(x):\n    return [x, (x), {x: 'x'}]\n") + "```\n",
    "code-fence-ladder": "\n".join("`" * n for n in range(3, 440)),
}
