"""A site's own Python: Markdown plugins, template filters and directives, from `extensions.py`.

The file is code the site's owners wrote and run with every build, as a Makefile is. It may
define any of:

    def configure_markdown(md):      # the markdown-it-py parser: md.use(plugin), md.enable(...)
        ...

    def configure_templates(env):    # the Jinja2 environment: env.filters, env.tests, env.globals
        ...

    @directive("youtube")            # `::: youtube ID title="..."` in an article
    def youtube(call):               # returns the HTML that stands for the line
        ...

A directive gets a `DirectiveCall` and returns HTML text, or raises `DirectiveError`, which is
reported at the directive's line. A mistake in the file itself (a syntax error, an exception when
it is loaded or configures the parser) is reported at its line; `--debug` adds the traceback.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

from .cache import fingerprint
from .directives import OPTIONS
from .errors import BuildError, BuildFailed, SourceSpan

DIRECTIVE_MARK = "sitegen_directive"  # the attribute `directive` puts on a function
DIRECTIVE_NAME = re.compile(r"[a-z][a-z0-9_-]*")


class DirectiveError(Exception):
    """Raised by a directive to report a mistake in its line: the build names the line."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def directive(name: str) -> Callable[[Callable], Callable]:
    """Register the decorated function for the directive `::: NAME ...`."""

    def register(function: Callable) -> Callable:
        setattr(function, DIRECTIVE_MARK, name)
        return function

    return register


@dataclass(frozen=True, kw_only=True)
class DirectiveCall:
    """What a directive function is given: its line's words, and the page and site around it."""

    name: str
    args: tuple[str, ...]  # the words without '=', in order
    options: dict[str, str]  # the words NAME=VALUE (the value may be quoted)
    page: str  # the page's source path, e.g. 'content/recipes/soup.md'
    line: int
    data: dict[str, Any]  # the site's tables by name, as templates see `data`
    url: Callable[[str], str]  # a path of the site -> its URL path, as templates' `url()`


@dataclass(frozen=True, eq=False)
class Extensions:
    """A site's loaded extension files: what they add, and a fingerprint of their text."""

    folder: Path = Path()
    files: tuple[str, ...] = ()  # relative to `folder`, the site's
    key: str = ""
    markdown: tuple[Callable[[Any], None], ...] = ()
    templates: tuple[Callable[[Any], None], ...] = ()
    directives: dict[str, Callable[[DirectiveCall], str]] = field(default_factory=dict)

    def configure_markdown(self, md: Any) -> None:
        """Let each file's `configure_markdown` change the parser; a failure is located."""
        for configure in self.markdown:
            self._run(configure, md)

    def configure_templates(self, env: Any) -> None:
        """Let each file's `configure_templates` change the template environment."""
        for configure in self.templates:
            self._run(configure, env)

    def _run(self, configure: Callable[[Any], None], target: Any) -> None:
        try:
            configure(target)
        except Exception as exc:  # noqa: BLE001 - the site's code: located like its other errors
            raise BuildFailed([self.located(exc, f"{configure.__name__} failed")]) from exc

    def located(self, exc: BaseException, doing: str) -> BuildError:
        """The error `exc` as a problem at the innermost line of an extension file it passed."""
        span = _innermost(exc.__traceback__, self.folder, self.files) or SourceSpan(self.files[0])
        return BuildError(
            span, f"{doing}: {type(exc).__name__}: {exc}", "run with --debug for the traceback"
        )

    def expand(
        self, line: str, span: SourceSpan, data: dict[str, Any], url: Callable[[str], str]
    ) -> tuple[str, BuildError | None]:
        """The HTML of a directive line whose name an extension registered, or its error."""
        try:
            name, *words = shlex.split(line[3:])
        except ValueError as exc:  # an unclosed quote
            return "", BuildError(span, f"directive line cannot be read: {exc}")
        args = tuple(w for w in words if "=" not in w)
        options = dict(w.split("=", 1) for w in words if "=" in w)
        call = DirectiveCall(
            name=name,
            args=args,
            options=options,
            page=span.path,
            line=span.line,
            data=data,
            url=url,
        )
        try:
            html = self.directives[name](call)
        except DirectiveError as exc:
            return "", BuildError(span, exc.message, exc.hint)
        except Exception as exc:  # noqa: BLE001 - reported where the directive is written
            where = _innermost(exc.__traceback__, self.folder, self.files)
            hint = f"raised at {where.path}:{where.line}" if where else ""
            return "", BuildError(
                span, f"directive '{name}' failed: {type(exc).__name__}: {exc}", hint
            )
        if not isinstance(html, str):
            return "", BuildError(
                span, f"directive '{name}' returned {type(html).__name__}, not HTML text"
            )
        return html, None


NO_EXTENSIONS = Extensions()
_loaded: dict[tuple[str, str], Extensions] = {}  # by folder and key: loaded once per process


def load_extensions(source: Path, files: tuple[str, ...]) -> Extensions:
    """Load the site's extension files (paths relative to `source`); raise `BuildFailed` with
    the file and line of a mistake in one. Files as they were before are not loaded again."""
    if not files:
        return NO_EXTENSIONS
    texts = [(source / name).read_bytes() for name in files]
    key = fingerprint(files, texts)
    cached = _loaded.get((str(source), key))
    if cached is not None:
        return cached
    markdown, templates, directives = [], [], {}
    for name, text in zip(files, texts, strict=True):
        module = _execute(source, name, text, key)
        if callable(getattr(module, "configure_markdown", None)):
            markdown.append(module.configure_markdown)
        if callable(getattr(module, "configure_templates", None)):
            templates.append(module.configure_templates)
        for value in vars(module).values():
            if callable(value) and isinstance(getattr(value, DIRECTIVE_MARK, None), str):
                problem = _directive_problem(getattr(value, DIRECTIVE_MARK), value, directives)
                if problem:
                    line = getattr(getattr(value, "__code__", None), "co_firstlineno", 1)
                    raise BuildFailed([BuildError(SourceSpan(name, line), problem)])
                directives[getattr(value, DIRECTIVE_MARK)] = value
    loaded = Extensions(
        folder=source,
        files=files,
        key=key,
        markdown=tuple(markdown),
        templates=tuple(templates),
        directives=directives,
    )
    _loaded[(str(source), key)] = loaded
    return loaded


def _directive_problem(name: str, function: Callable, known: dict[str, Callable]) -> str:
    """What is wrong with a directive's name, if anything."""
    if not DIRECTIVE_NAME.fullmatch(name):
        return f"directive name {name!r} must be a word of lowercase letters, digits, '-' and '_'"
    if name in OPTIONS:
        return f"directive '{name}' is one of the generator's own ({', '.join(OPTIONS)})"
    if known.get(name, function) is not function:
        return f"directive '{name}' is registered twice"
    return ""


def _execute(source: Path, name: str, text: bytes, key: str) -> ModuleType:
    path = source / name
    try:
        code = compile(text, str(path), "exec")
    except SyntaxError as exc:
        column = exc.offset or 1
        error = BuildError(
            SourceSpan(name, exc.lineno or 1, column), f"syntax error: {exc.msg}",
            "run with --debug for the traceback",
        )  # fmt: skip
        raise BuildFailed([error]) from exc
    module_name = f"sitegen_site_{Path(name).stem}_{key[:12]}"
    spec = importlib.util.spec_from_loader(module_name, loader=None, origin=str(path))
    module = importlib.util.module_from_spec(spec)
    module.__file__ = str(path)
    sys.modules[module_name] = module  # dataclasses and pickling look the module up
    sys.path.insert(0, str(source))  # a file may import modules beside it
    try:
        exec(code, vars(module))  # noqa: S102 - the site's own code, as its Makefile is
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - located at the file's line
        del sys.modules[module_name]
        span = _innermost(exc.__traceback__, source, (name,)) or SourceSpan(name)
        error = BuildError(
            span, f"{type(exc).__name__}: {exc}", "run with --debug for the traceback"
        )
        raise BuildFailed([error]) from exc
    finally:
        sys.path.remove(str(source))
    return module


def _innermost(tb: TracebackType | None, folder: Path, files: tuple[str, ...]) -> SourceSpan | None:
    """The innermost line of a traceback that is in one of the extension `files`."""
    found = None
    paths = {str(folder / name): name for name in files}  # as the files were compiled
    for frame, line in traceback.walk_tb(tb):
        name = paths.get(frame.f_code.co_filename)
        if name is not None:
            found = SourceSpan(name, line)
    return found
