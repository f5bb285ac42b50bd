"""A fast scan of HTML for what link checks need: ids and link targets, with their offsets.

Regular expressions, several times faster than a full parser on large sites. Each is written so
that it cannot fail once it has started (an unclosed quote or tag runs to the end of the text,
as it does in a browser), so a scan is linear in the length of the HTML whatever it holds.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape

LINK_ATTRIBUTES = {
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
    ("iframe", "src"),
    ("form", "action"),
}

TAG = re.compile(
    r"""<([a-zA-Z][a-zA-Z0-9]*+)((?:[^>"']++|"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z))*+)(?:>|\Z)"""
)
ATTRIBUTE = re.compile(r"""([^\s"'>/=]++)(?:\s*=\s*(?:"([^"]*+)"?|'([^']*+)'?|([^\s"'>]*+)))?""")
# Text inside these elements is not markup, and neither is a comment.
OPAQUE = re.compile(
    r"<(script|style|textarea)\b.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)", re.DOTALL | re.IGNORECASE
)


@dataclass(frozen=True)
class Scan:
    """What link checking needs of one HTML file: its ids and the links it makes."""

    ids: frozenset[str]
    links: tuple[str, ...]

    @classmethod
    def of(cls, ids: set[str], links: list[str]) -> Scan:
        """A scan of these ids and links (each link once, in order). A link is kept as the one
        string every page that makes it shares: the pages of a site repeat their header's,
        menu's and section navigation's links, tens of thousands of copies held at once."""
        return cls(frozenset(ids), tuple(sorted(set(map(sys.intern, links)))))

    def __reduce__(self):
        # Sent from a worker process, a scan is made again on arrival: its links shared there.
        return (Scan.of, (set(self.ids), list(self.links)))


def scan_markup(html: str) -> tuple[set[str], list[str]]:
    """Return the ids and the link targets of an HTML document."""
    ids, links = set(), []
    for tag, attributes in TAG.findall(OPAQUE.sub(_keep_tag, html)):
        tag = tag.lower()
        for name, double, single, bare in ATTRIBUTE.findall(attributes):
            value = unescape(double or single or bare)
            name = name.lower()
            if name == "id" and value:
                ids.add(value)
            elif (tag, name) in LINK_ATTRIBUTES and value:
                links.append(value)
    return ids, links


def link_attributes(html: str) -> Iterator[tuple[int, int, str, str]]:
    """Yield (start, end, value, tag name) of each link attribute's value in an HTML fragment.

    `start` and `end` are offsets into `html` of the value as written (entities not decoded),
    so that a caller can say where it is and replace it.
    """
    hidden = [match.span() for match in OPAQUE.finditer(html)]
    starts = [start for start, _ in hidden]
    for tag in TAG.finditer(html):
        inside = bisect.bisect_left(starts, tag.start()) - 1
        if inside >= 0 and tag.start() < hidden[inside][1]:
            continue
        name = tag[1].lower()
        base = tag.start(2)
        for attribute in ATTRIBUTE.finditer(tag[2]):
            if (name, attribute[1].lower()) not in LINK_ATTRIBUTES:
                continue
            group = next((g for g in (2, 3, 4) if attribute[g] is not None), None)
            if group is not None and attribute[group]:
                start, end = attribute.span(group)
                yield base + start, base + end, attribute[group], name


def _keep_tag(match: re.Match) -> str:
    """Keep the opening tag of an opaque element (it may carry an id), drop what it holds."""
    text = match.group(0)
    if text.startswith("<!--"):
        return ""
    found = TAG.match(text)
    return found[0] if found else ""
