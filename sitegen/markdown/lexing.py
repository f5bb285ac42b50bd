"""Pygments' regular-expression lexers, run faster with the same tokens.

A RegexLexer tries the rules of its current state one by one at every position, in Python; for
a code block that is thousands of `match` calls, most of highlighting's cost. Here the rules of a
state are joined into one expression, `(rule1)|(rule2)|...`, which Python's `re` tries in the
same order, so the first rule that matches wins as before and the outer group it matched in says
which rule it was. A rule whose action needs its own groups (bygroups, callbacks) is matched
again alone. A state whose rules cannot be joined safely (backreferences, clashing group names,
flags that cannot be scoped) keeps Pygments' loop; a lexer that tokenizes its own way keeps
Pygments' method. Joining costs a compile, so a lexer is switched over only once it has seen
enough code in this process to repay it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pygments.lexer import Lexer, RegexLexer
from pygments.token import Error, Whitespace, _TokenType

LEADING_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")
SCOPED_FLAGS = {re.IGNORECASE: "i", re.MULTILINE: "m", re.DOTALL: "s", re.VERBOSE: "x"}
GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")  # numbers shift when rules are joined


# Characters a lexer class tokenizes Pygments' way before its states are joined: compiling a
# joined expression costs as much as that (tens of milliseconds for Python's largest states).
WORTH_JOINING = 30_000


def quicken(lexer: Lexer) -> Lexer:
    """Make `lexer` (an instance of our own) tokenize with joined expressions, if it can."""
    cls = type(lexer)
    if isinstance(lexer, RegexLexer) and cls.get_tokens_unprocessed is (
        RegexLexer.get_tokens_unprocessed
    ):
        lexer.get_tokens_unprocessed = _Tokenizer(lexer)
    return lexer


class _Tokenizer:
    """A lexer's tokenizer: Pygments' own at first, the joined one once enough code went by."""

    def __init__(self, lexer: RegexLexer) -> None:
        self.lexer = lexer
        self.seen = 0
        self.joined: _JoinedStates | None = None

    def __call__(self, text: str, stack=("root",)) -> Iterator[tuple]:
        if self.joined is None:
            self.seen += len(text)
            if self.seen <= WORTH_JOINING:
                return RegexLexer.get_tokens_unprocessed(self.lexer, text, stack)
            self.joined = _joined_states(self.lexer)
        return _tokens(self.lexer, self.joined, text, stack)


class _JoinedStates(dict):
    """For each state of a lexer's rules, joined when first used: (match, rule by group), or
    None where the rules cannot be joined."""

    def __init__(self, tokendefs: dict) -> None:
        super().__init__()
        self.tokendefs = tokendefs

    def __missing__(self, state: str) -> tuple | None:
        self[state] = _join(self.tokendefs[state])
        return self[state]


_joined: dict[int, _JoinedStates] = {}  # by id of the rules, which each entry keeps alive


def _joined_states(lexer: RegexLexer) -> _JoinedStates:
    """The joined states of a lexer's rules (a class's, or an instance's own, as C#'s)."""
    tokendefs = lexer._tokens
    if id(tokendefs) not in _joined:
        _joined[id(tokendefs)] = _JoinedStates(tokendefs)
    return _joined[id(tokendefs)]


def _join(rules: list) -> tuple | None:
    patterns = [rule[0].__self__ for rule in rules]
    base = min((p.flags for p in patterns), key=lambda flags: bin(flags).count("1"))
    parts = [_scoped(p, base) for p in patterns]
    if None in parts:
        return None
    try:
        together = re.compile("|".join(f"({part})" for part in parts), base)
    except re.error:
        return None
    rule_of, group = {}, 1
    for index, pattern in enumerate(patterns):
        rule_of[group] = index
        group += 1 + pattern.groups
    return together.match, rule_of


def _scoped(pattern: re.Pattern, base: int) -> str | None:
    """A rule's expression, its own flags made local to it; None if that cannot be done."""
    if GROUP_REFERENCE.search(pattern.pattern):
        return None
    extra, missing = pattern.flags & ~base, base & ~pattern.flags
    text = LEADING_FLAGS.sub("", pattern.pattern)
    if missing or extra & ~sum(SCOPED_FLAGS):
        return None
    if not extra:
        return text
    letters = "".join(letter for flag, letter in SCOPED_FLAGS.items() if extra & flag)
    return f"(?{letters}:{text})"


def _tokens(
    lexer: RegexLexer, joined: _JoinedStates, text: str, stack=("root",)
) -> Iterator[tuple]:
    """RegexLexer.get_tokens_unprocessed, trying the joined expression of a state first."""
    pos = 0
    tokendefs = lexer._tokens
    statestack = list(stack)
    statetokens = tokendefs[statestack[-1]]
    together = joined[statestack[-1]]
    while True:
        m = None
        if together is not None:
            found = together[0](text, pos)
            if found:
                rexmatch, action, new_state = statetokens[together[1][found.lastindex]]
                plain = action is None or type(action) is _TokenType
                m = found if plain else rexmatch(text, pos)
        else:
            for rule in statetokens:
                m = rule[0](text, pos)
                if m:
                    _, action, new_state = rule
                    break
        if m:
            if action is not None:
                if type(action) is _TokenType:
                    yield pos, action, m.group()
                else:
                    yield from action(lexer, m)
            pos = m.end()
            if new_state is not None:
                if isinstance(new_state, tuple):
                    for state in new_state:
                        if state == "#pop":
                            if len(statestack) > 1:
                                statestack.pop()
                        elif state == "#push":
                            statestack.append(statestack[-1])
                        else:
                            statestack.append(state)
                elif isinstance(new_state, int):
                    if abs(new_state) >= len(statestack):
                        del statestack[1:]
                    else:
                        del statestack[new_state:]
                elif new_state == "#push":
                    statestack.append(statestack[-1])
                statetokens = tokendefs[statestack[-1]]
                together = joined[statestack[-1]]
        else:
            if pos >= len(text):
                break
            if text[pos] == "\n":  # at the end of a line, back to the first state, as Pygments
                statestack = ["root"]
                statetokens = tokendefs["root"]
                together = joined["root"]
                yield pos, Whitespace, "\n"
            else:
                yield pos, Error, text[pos]
            pos += 1
