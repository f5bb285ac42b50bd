"""GitHub's extended autolinks: `https://...`, `ftp://...`, `www.` and e-mail addresses as links.

They follow cmark-gfm, GitHub's renderer: a URL with a scheme is matched where its `:` is read,
as cmark-gfm does (before emphasis can take characters of it); `www.` and e-mail addresses are
found in the text once a paragraph is parsed, as cmark-gfm does for e-mail. Trailing punctuation,
an unbalanced `)` and an entity-like `&x;` at the end are left out of the link.

Every scan moves forward or is bounded (a domain is at most 253 characters), so a page of
nothing but colons, dots or `@` costs linear time, and text without `www.` or `@` costs one
search per text token.
"""

from __future__ import annotations

import re
import unicodedata

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .locations import TARGET

SCHEMES = ("http", "https", "ftp")
MAX_DOMAIN = 253
TRAILING = "?!.,:*_~'\""
CANDIDATE = re.compile(r"www\.|@")
WWW_IN_RUN = re.compile(r"www\.")
# Where `www.` may start: the start of the text, after a space, or after `*`, `_`, `~`, `(`.
WWW_START = re.compile(r"(?:(?<=^)|(?<=[\s*_~(]))www\.")
MAX_RUN = 2_000  # how far back a URL looks for a www. address it may belong to
LAST_SPACE = re.compile(r"\s(?=\S*\Z)")
MAX_ENTITY = 32
PROTOCOL = re.compile(r"(?:mailto|xmpp):", re.IGNORECASE)
PROTOCOL_BEFORE = re.compile(r"(?:mailto|xmpp):\Z", re.IGNORECASE)
XMPP_RESOURCE = re.compile(r"[A-Za-z0-9@._-]{1,1023}")
EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_")
# Tokens after which a text token starts as if after a space or markup character.
OPEN_BEFORE = {None, "softbreak", "hardbreak", "em_open", "em_close", "strong_open"}
OPEN_BEFORE |= {"strong_close", "s_open", "s_close"}


def install(md: MarkdownIt) -> None:
    """Add the URL rule (on ':') and the `www.` and e-mail pass over finished text."""
    md.inline.ruler.before("linkify", "gfm_url", url_rule)
    # After attribute lists are read (an address in one is not a link), before ids are made.
    md.core.ruler.after("heading_attributes", "gfm_autolinks", find_in_text)


def url_rule(state: StateInline, silent: bool) -> bool:
    """At a ':' of `http://`, `https://` or `ftp://`: the link, taking its scheme from the text."""
    src, pos = state.src, state.pos
    if silent or state.linkLevel > 0 or not src.startswith("://", pos):
        return False
    start = pos
    while start > 0 and src[start - 1].isascii() and src[start - 1].isalpha():
        start -= 1
        if pos - start > 5:
            return False  # longer than any scheme we link: 'xhttp://' is not a link
    if src[start:pos].lower() not in SCHEMES or _inside_www_link(src, start):
        return False
    end = _domain_end(src, pos + 3, state.posMax, short=True)
    if end is None:
        return False
    end = trim_end(src, start, _path_end(src, end, state.posMax))
    scheme = pos - start
    if end <= pos + 3 or not state.pending.endswith(src[start:pos]):
        return False
    state.pending = state.pending[:-scheme]
    _push_link(state, src[start:end], src[start:end])
    state.tokens[-3].meta[TARGET] = start  # the link_open: where the link is written
    state.pos = end
    return True


def _inside_www_link(src: str, start: int) -> bool:
    """Whether a `www.` address earlier in the same run of non-space text reaches `start`: then
    it takes this URL into its path, as cmark-gfm, reading left to right, does."""
    floor = max(0, start - MAX_RUN)
    if src.find("www.", floor, start) < 0:
        return False
    space = LAST_SPACE.search(src, floor, start)
    at = space.end() if space else floor
    return any(WWW_START.match(src, found.start()) for found in WWW_IN_RUN.finditer(src, at, start))


def find_in_text(state: StateCore) -> None:
    """Turn `www.` addresses and e-mail addresses in text (outside links) into links."""
    md = state.md
    for block in state.tokens:
        if block.type != "inline" or not block.children or not CANDIDATE.search(block.content):
            continue
        children, out, depth, changed = block.children, [], 0, False
        for index, child in enumerate(children):
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            elif child.type == "html_inline":
                depth += _html_link_depth(child.content)
            if child.type == "text" and depth <= 0 and CANDIDATE.search(child.content):
                before = children[index - 1].type if index else None
                more = index + 1 < len(children)
                pieces = _split(child, md, before in OPEN_BEFORE, more)
                if pieces is not None:
                    out += pieces
                    changed = True
                    continue
            out.append(child)
        if changed:
            block.children = out


def _split(text: Token, md: MarkdownIt, open_start: bool, more: bool) -> list[Token] | None:
    """Split a text token around the autolinks in it; None if it has none."""
    content, found, at = text.content, [], 0
    for start, end, href in _matches(content, open_start, more):
        if start < at:
            continue
        if at < start:
            found.append(_text(content[at:start], text.level))
        found += _link_tokens(md, href, content[start:end], text.level)
        at = end
    if not found:
        return None
    if at < len(content):
        found.append(_text(content[at:], text.level))
    return found


def _matches(content: str, open_start: bool, more: bool):
    """Yield (start, end, href) of each `www.` or e-mail autolink in text, left to right;
    `more` says other tokens follow the text in its paragraph."""
    at = floor = 0  # where to search next; where the last link ended
    while True:
        candidate = CANDIDATE.search(content, at)
        if candidate is None:
            return
        start = candidate.start()
        if content[start] == "@":
            match = _email(content, start, floor)
            if match is None:
                at = start + 1
                continue
            begin, end = match
            address = content[begin:end]
            yield begin, end, address if PROTOCOL.match(address) else "mailto:" + address
            at = floor = end
            continue
        if start == 0 and not open_start or start > 0 and not WWW_START.match(content, start):
            at = start + 1
            continue
        end = _domain_end(content, start, len(content), short=False, more=more)
        if end is None:
            at = start + 1
            continue
        end = trim_end(content, start, _path_end(content, end, len(content)))
        yield start, end, "http://" + content[start:end]
        at = floor = end


def _email(content: str, at_sign: int, floor: int) -> tuple[int, int] | None:
    """The span of the e-mail address around the '@' at `at_sign`, as cmark-gfm finds them."""
    begin = at_sign
    while begin > floor and content[begin - 1] in EMAIL_LOCAL:
        begin -= 1
    protocol = PROTOCOL_BEFORE.search(content, max(floor, begin - 8), begin)
    if protocol and (protocol.start() == floor or content[protocol.start() - 1] not in EMAIL_LOCAL):
        begin = protocol.start()  # 'mailto:a@b.c' is linked whole, even 'mailto:@b.c'
    elif begin == at_sign:
        return None
    end, periods = at_sign + 1, 0
    limit = min(len(content), at_sign + 1 + MAX_DOMAIN)
    while end < limit:
        c = content[end]
        if c.isascii() and c.isalnum() or c in "-_":
            end += 1
        elif (
            c == "."
            and end + 1 < len(content)
            and content[end + 1].isascii()
            and (content[end + 1].isalnum())
        ):
            periods += 1
            end += 1
        elif c == "@":
            return None
        else:
            break
    last = content[end - 1]
    if end - at_sign < 2 or periods == 0 or not (last.isascii() and last.isalpha() or last == "."):
        return None
    if content.startswith("xmpp:", begin) and content.startswith("/", end):
        resource = XMPP_RESOURCE.match(content, end + 1)
        end = resource.end() if resource else end
    end = trim_end(content, begin, end)
    return (begin, end) if end > at_sign + 1 else None


def _domain_end(text: str, start: int, limit: int, short: bool, more: bool = False) -> int | None:
    """Where a valid domain starting at `start` ends, or None, as cmark-gfm's check_domain has
    it: host characters, '-', '_' and '.', no '_' in the last two parts, at least one '.'
    unless `short`; the paragraph's very last character (at `limit`, unless `more` text
    follows) is never looked at."""
    if start >= limit or not _host_character(text[start]):
        return None
    periods, last_underscores, underscores = 0, 0, 0
    end = start + 1
    stop = min(limit if more else limit - 1, start + MAX_DOMAIN)
    while end < stop:
        c = text[end]
        if c == "_":
            underscores += 1
        elif c == ".":
            last_underscores, underscores = underscores, 0
            periods += 1
        elif c != "-" and not _host_character(c):
            break
        end += 1
    if end == start + MAX_DOMAIN and end < limit - 1 and _host_character(text[end]):
        return None  # longer than a domain can be
    if last_underscores or underscores or not (short or periods):
        return None
    return end


def _host_character(c: str) -> bool:
    """A letter or digit, or any other character that is neither space nor punctuation."""
    if c.isascii():
        return c.isalnum()
    return not c.isspace() and not unicodedata.category(c).startswith("P")


def _path_end(text: str, end: int, limit: int) -> int:
    """The end of a link's path: the next space or '<'."""
    while end < limit and not text[end].isspace() and text[end] != "<":
        end += 1
    return end


def trim_end(text: str, start: int, end: int) -> int:
    """Leave trailing punctuation, an unbalanced ')' and an entity-like '&x;' out of a link."""
    opened = closed = None
    while end > start:
        last = text[end - 1]
        if last in TRAILING:
            end -= 1
        elif last == ";":
            end = _entity_start(text, start, end)
        elif last == ")":
            if opened is None:
                opened, closed = text.count("(", start, end), text.count(")", start, end)
            if closed <= opened:
                break
            closed -= 1
            end -= 1
        else:
            break
    return end


def _entity_start(text: str, start: int, end: int) -> int:
    """Where an entity-like `&name;` ending at `end` starts, else `end - 1` (the ';' alone)."""
    at = end - 1
    while (
        at > start
        and end - at <= MAX_ENTITY
        and text[at - 1].isascii()
        and (text[at - 1].isalnum())
    ):
        at -= 1
    return at - 1 if at - 1 >= start and at < end - 1 and text[at - 1] == "&" else end - 1


def _html_link_depth(html: str) -> int:
    lowered = html[:3].lower()
    if lowered.startswith("<a") and (len(html) < 3 or not html[2].isalnum()):
        return 1
    return -1 if lowered == "</a" else 0


def _push_link(state: StateInline, url: str, label: str) -> None:
    token = state.push("link_open", "a", 1)
    token.attrs, token.markup, token.info = (
        {"href": state.md.normalizeLink(url)},
        "autolink",
        "auto",
    )
    state.push("text", "", 0).content = label  # as written, as GitHub shows it
    token = state.push("link_close", "a", -1)
    token.markup, token.info = "autolink", "auto"


def _link_tokens(md: MarkdownIt, url: str, label: str, level: int) -> list[Token]:
    opening = Token("link_open", "a", 1, attrs={"href": md.normalizeLink(url)})
    opening.markup, opening.info, opening.level = "autolink", "auto", level
    text = _text(label, level + 1)  # as written, as GitHub shows it
    closing = Token("link_close", "a", -1)
    closing.markup, closing.info, closing.level = "autolink", "auto", level
    return [opening, text, closing]


def _text(content: str, level: int) -> Token:
    token = Token("text", "", 0, content=content)
    token.level = level
    return token
