"""A fast scan of finished HTML for what link checks need: ids and link targets."""

from __future__ import annotations

import re
from html import unescape

LINK_ATTRIBUTES = {
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
    ("iframe", "src"),
    ("form", "action"),
}

# The tags whose link attributes are checked, and the attributes of any tag that matter.
TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTRIBUTE = re.compile(
    r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
)
# Text inside these elements is not markup: a code sample may show href="..." as text.
OPAQUE = re.compile(
    r"<(pre|code|script|style|textarea)\b.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE
)


def scan_markup(html: str) -> tuple[set[str], list[str]]:
    """Return the ids and the link targets of an HTML document.

    A regular-expression scan, several times faster than a full parser on large sites; the build
    writes every tag itself, and text that could look like a tag is escaped by then.
    """
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


def _keep_tag(match: re.Match) -> str:
    """Keep the opening tag of an opaque element (it may carry an id), drop what it holds."""
    text = match.group(0)
    if text.startswith("<!--"):
        return ""
    return text[: text.index(">") + 1] if ">" in text else ""
