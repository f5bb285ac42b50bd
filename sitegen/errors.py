"""Build problems as values: a source location, a message and a hint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
# Characters that would break a message's one line or hide in it, when it quotes a source:
# control characters and the separators Python and terminals treat as line ends.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True, order=True)
class SourceSpan:
    """A place in a source file; `path` is relative to the site folder."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class BuildError:
    """One problem found in the site's sources, reported as a single line."""

    span: SourceSpan
    message: str
    hint: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        """Return `path:line:col: error: message (hint)`, always one line of printable text."""
        text = f"{self.span}: {self.severity}: {_shortened(self.message)}"
        text = f"{text} (hint: {_shortened(self.hint)})" if self.hint else text
        return UNPRINTABLE.sub(lambda found: ascii(found[0])[1:-1], text)


# A message quoting a huge source (a 100 KB link, a name of 300 letters) must stay one readable
# line: a long quotation or word keeps its start and end; the rest of the message is kept whole.
LONG_QUOTATION = re.compile(r"(?<=')[^'\n]{120,}(?=')|\S{120,}")
MAX_MESSAGE = 2000


def _shortened(text: str) -> str:
    text = LONG_QUOTATION.sub(lambda long: f"{long[0][:60]}...{long[0][-20:]}", text)
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def warning(span: SourceSpan, message: str, hint: str = "") -> BuildError:
    """Return a warning, which fails the build only under `--strict`."""
    return BuildError(span, message, hint, "warning")


class BuildFailed(Exception):
    """Raised by a stage that cannot go on; carries every problem it found."""

    def __init__(self, errors: list[BuildError]):
        super().__init__("\n".join(e.format() for e in errors))
        self.errors = errors


def errors_only(problems: list[BuildError]) -> list[BuildError]:
    """Return the problems that are errors, not warnings."""
    return [p for p in problems if p.severity == "error"]


def did_you_mean(name: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return a did-you-mean hint for a misspelt name, or list the choices."""
    import difflib

    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "choose one of: " + ", ".join(sorted(choices))


def decode_source(raw: bytes, path: str) -> tuple[str | None, list[BuildError]]:
    """Return a source file's text (UTF-8, with or without BOM, CRLF and CR made LF), or why not.

    A lone CR ends a line for Markdown and YAML alike, so it must for the line numbers too.
    """
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n"), []
    except UnicodeDecodeError as exc:
        return None, [not_utf8(raw, path, exc.start)]


def not_utf8(raw: bytes, path: str, offset: int) -> BuildError:
    """The error for a file whose byte at `offset` is not UTF-8, at that byte's line and column."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return BuildError(
        SourceSpan(path, raw.count(b"\n", 0, offset) + 1, column),
        f"not UTF-8: byte {offset} cannot be decoded",
        "save the file as UTF-8",
    )
