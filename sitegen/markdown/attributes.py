"""Attribute lists in Markdown: `{#id .class key=value}` at the end of a heading or paragraph.

The syntax of Python-Markdown's attr_list, Pandoc and Hugo (the colon of `{: .lead}` optional).
Only attributes that cannot run code or style a page against its Content Security Policy are
accepted; text in braces that is not an attribute list (`{{ site.title }}`, `{braces}`) stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A list at the very end of a text, after a space (or alone): `Title {#id}`, `{: .lead }`.
TRAILING = re.compile(r"(?:^|[ \t])\{:?([^{}\n]*)\}[ \t]*$")
PART = re.compile(
    r"""[ \t]*(?:\#(?P<id>[^\s#.{}="']+)|\.(?P<cls>[^\s#.{}="']+)|"""
    r"""(?P<key>[A-Za-z][-\w:.]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s{}"']+)))"""
)
SAFE_KEYS = ("lang", "dir", "title", "role")
SAFE_PREFIXES = ("data-", "aria-")


@dataclass(frozen=True)
class Attributes:
    """A parsed attribute list: an id, classes and other attributes, or why one is refused."""

    id: str = ""
    classes: tuple[str, ...] = ()
    others: tuple[tuple[str, str], ...] = ()
    problem: str = ""  # set when an attribute is not allowed

    def apply(self, attrs: dict) -> None:
        """Set these attributes on a token's `attrs`."""
        if self.id:
            attrs["id"] = self.id
        if self.classes:
            attrs["class"] = " ".join(filter(None, (attrs.get("class", ""), *self.classes)))
        attrs.update(self.others)


def parse_attributes(inner: str) -> Attributes | None:
    """Parse what stands between the braces; None if it is not an attribute list at all."""
    ids, classes, others, at = [], [], [], 0
    inner = inner.rstrip()
    while at < len(inner):
        part = PART.match(inner, at)
        if part is None:
            return None
        at = part.end()
        if part["id"]:
            ids.append(part["id"])
        elif part["cls"]:
            classes.append(part["cls"])
        else:
            value = part["dq"] if part["dq"] is not None else part["sq"] or part["bare"] or ""
            others.append((part["key"].lower(), value))
    if not (ids or classes or others):
        return None
    problem = ""
    refused = [k for k, _ in others if k not in SAFE_KEYS and not k.startswith(SAFE_PREFIXES)]
    if refused:
        problem = f"attribute '{refused[0]}' is not allowed in Markdown"
    elif len(ids) > 1:
        shown = ", ".join(f"#{i}" for i in ids[:3]) + (", ..." if len(ids) > 3 else "")
        problem = f"an element has one id, this list gives {len(ids)}: {shown}"
    return Attributes(ids[0] if ids else "", tuple(classes), tuple(others), problem)


def split_trailing(text: str) -> tuple[str, Attributes] | None:
    """Split `text {#id .class}` into the text before the list and the list, if it ends in one."""
    match = TRAILING.search(text)
    if match is None:
        return None
    attributes = parse_attributes(match[1])
    if attributes is None:
        return None
    return text[: match.start()].rstrip(" \t"), attributes


ATTRIBUTE_HINT = "use #id, .class, lang, dir, title, role, data-* or aria-* attributes"
