"""YAML parsing that remembers where every key and value came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import BuildError, SourceSpan

Path = tuple[str | int, ...]
# libyaml's parser when PyYAML was built with it: the same nodes and marks, several times faster.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML plus the line and column of each key and value in it."""

    data: Any
    path: str
    value_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    sources: dict[Path, str] = field(default_factory=dict)  # a top key -> the file it came from

    def value_span(self, where: Path) -> SourceSpan:
        """Return the span of the value at `where`, or of its nearest ancestor."""
        return self._span(self.value_marks, where)

    def key_span(self, where: Path) -> SourceSpan:
        """Return the span of the key naming `where` (the value's for list items)."""
        return self._span(self.key_marks if where in self.key_marks else self.value_marks, where)

    def _span(self, marks: dict[Path, tuple[int, int]], where: Path) -> SourceSpan:
        while where and where not in marks:
            where = where[:-1]
        line, column = marks.get(where, (1, 1))
        return SourceSpan(self.sources.get(where[:1], self.path), line, column)


def parse_yaml(
    text: str, path: str, first_line: int = 1, end_name: str = "the end of the file"
) -> tuple[YamlDocument | None, list[BuildError]]:
    """Parse one YAML document; `first_line` is the file line the text starts on."""
    offset = first_line - 1
    try:
        node, data = _compose(Loader, text)
    except yaml.YAMLError:
        # Parse again with the pure-Python parser: its messages and marks say more.
        try:
            node, data = _compose(yaml.SafeLoader, text)
        except yaml.MarkedYAMLError as exc:
            return None, [_syntax_error(exc, path, offset, end_name)]
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow
            return None, [_reader_error(exc, text, path, offset)]
        except yaml.YAMLError as exc:  # any other error without a mark
            message = " ".join(str(exc).split())
            return None, [BuildError(SourceSpan(path, first_line, 1), f"invalid YAML: {message}")]
    doc = YamlDocument(data, path)
    errors: list[BuildError] = []
    if node is not None:
        _record_marks(node, (), doc, offset, errors)
    return doc, errors


UNCLOSED = {
    "a quoted scalar": "this quoted value",
    "a flow sequence": "this '[' list",
    "a flow mapping": "this '{' mapping",
}


def _compose(loader_class: type, text: str) -> tuple[yaml.Node | None, Any]:
    """Return the node tree of one YAML document and the data it stands for."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _reader_error(exc: yaml.reader.ReaderError, text: str, path: str, offset: int) -> BuildError:
    """Locate a character that YAML refuses (a control character, say) at its line and column."""
    before = text[: exc.position]
    line = before.count("\n") + 1 + offset
    column = exc.position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return BuildError(
        SourceSpan(path, line, column),
        f"invalid YAML: character U+{code:04X} is not allowed",
        "delete it, or write it as an escape such as \\u0009 inside double quotes",
    )


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, offset: int, end_name: str) -> BuildError:
    """Locate a YAML syntax error where an editor would fix it."""
    problem = (exc.problem or exc.context or "invalid YAML").replace("<stream end>", end_name)
    problem = problem.replace("end of stream", end_name)
    mark = exc.problem_mark or exc.context_mark
    # Running off the end (an unclosed quote or bracket): the fix is where it was opened.
    if exc.context_mark and exc.context and end_name in problem:
        mark = exc.context_mark
        opened = exc.context.removeprefix("while parsing ").removeprefix("while scanning ")
        opened = UNCLOSED.get(opened, opened)
        problem = f"{opened} is never closed before {end_name}"
    line, column = (mark.line + 1 + offset, mark.column + 1) if mark else (offset + 1, 1)
    hint = "check the indentation, and quote values that contain ': ' or start with a symbol"
    return BuildError(SourceSpan(path, line, column), f"invalid YAML: {problem}", hint)


def _record_marks(
    node: yaml.Node, where: Path, doc: YamlDocument, offset: int, errors: list
) -> None:
    doc.value_marks[where] = (node.start_mark.line + 1 + offset, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*where, key)
            span = (key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1)
            if key in seen:
                errors.append(
                    BuildError(
                        SourceSpan(doc.path, *span),
                        f"duplicate key '{key}'",
                        "each key may appear once; the later one would silently win",
                    )
                )
                continue
            seen.add(key)
            doc.key_marks[child] = span
            _record_marks(value_node, child, doc, offset, errors)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_marks(item, (*where, index), doc, offset, errors)
