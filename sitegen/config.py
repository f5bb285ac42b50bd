"""Stage 1: read and validate `site.yaml` into a `SiteConfig`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import BuildError, BuildFailed, Severity, SourceSpan, decode_source
from .paths import name_problem
from .schema import Field, validate_mapping
from .yamlsrc import parse_yaml

CONFIG_FILE = "site.yaml"
DEFAULT_OUTPUT = "_site"  # the output folder when site.yaml names none


def check_base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be an absolute http(s) URL such as 'https://example.org/guide/'"
    if parts.query or parts.fragment:
        return "must not have a query or a fragment"
    return ""


def _check_language(value: str) -> str:
    if not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", value):
        return "must be a language tag such as 'en' or 'en-GB'"
    return ""


def _check_relative_dir(value: str) -> str:
    if not value.strip() or value.startswith(("/", "\\")) or ".." in Path(value).parts:
        return "must be a folder name inside the site folder, such as '_site'"
    return ""


def _check_menu_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc:
        return ""
    if parts.scheme or parts.netloc or not value.startswith("/") or ".." in value.split("/"):
        return "must be an http(s) address or a path of this site starting with '/'"
    problems = filter(None, map(name_problem, value.split("/")))
    return next((f"must not have a part that {problem}" for problem in problems), "")


def _check_repo_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be an absolute http(s) URL such as 'https://github.com/owner/site'"
    return "must not have a query or a fragment" if parts.query or parts.fragment else ""


def _check_edit_path(value: str) -> str:
    if ".." in value.split("/") or urlsplit(value).scheme or value.startswith("//"):
        return "must be a path inside the repository's address, such as 'edit/main/'"
    return ""


def _check_positive(value: int) -> str:
    return "" if value >= 1 else "must be 1 or more"


def _check_severity(value: str) -> str:
    return "" if value in SEVERITIES else "must be 'error' or 'warning'"


SEVERITIES = ("error", "warning")
LINK_FIELDS = (  # how a broken link between pages is reported
    Field("missing_page", "text", default="error", check=_check_severity),
    Field("missing_anchor", "text", default="error", check=_check_severity),
)

MENU_FIELDS = (
    Field("title", "text", required=True),
    Field("page", "text"),  # a content file, e.g. 'salaries.md'
    Field("url", "text", check=_check_menu_url),  # or another address
)

FIELDS = (
    Field("title", "text", required=True),
    Field("description", "text", required=True),
    Field("language", "text", required=True, check=_check_language),
    Field("base_url", "text", required=True, check=check_base_url),
    Field("author", "text", default=""),
    Field("source_title", "text", default=""),  # the work the site is based on, for the footer
    Field("menu", "list", default=[], items=MENU_FIELDS),
    Field("output_dir", "text", default=DEFAULT_OUTPUT, check=_check_relative_dir),
    Field("max_age", "integer", default=0),  # days after which `check` calls table data stale
    Field("search", "boolean", default=False),  # index the built site with Pagefind
    Field("raw_html", "boolean", default=True),  # may Markdown hold HTML?
    Field("links", "mapping", default={}, items=LINK_FIELDS),
    Field("feed_limit", "integer", default=20, check=_check_positive),  # entries of a feed
    Field("paginate", "integer", default=20, check=_check_positive),  # items a list page shows
    Field("theme", "text", default=""),  # a theme folder, relative to the site folder
    Field("extensions", "list", default=[]),  # Python files of the site, else extensions.py
    Field("repo_url", "text", default="", check=_check_repo_url),  # for "Edit this page"
    Field("edit_path", "text", default="edit/main/", check=_check_edit_path),  # after repo_url
)
EXTENSIONS_FILE = "extensions.py"  # read when site.yaml names no extensions


@dataclass(frozen=True)
class MenuItem:
    """A navigation entry: a content page (by its source path) or an outside URL."""

    title: str
    page: str
    url: str
    span: SourceSpan


@dataclass(frozen=True)
class LinkLevels:
    """Whether a link to a missing page, or to a missing anchor, is an error or a warning."""

    missing_page: Severity = "error"
    missing_anchor: Severity = "error"


@dataclass(frozen=True, kw_only=True)
class SiteConfig:
    """The validated contents of `site.yaml`, with command-line overrides applied."""

    title: str
    description: str
    language: str
    base_url: str  # always ends with '/'
    author: str
    source_title: str
    menu: tuple[MenuItem, ...]
    output_dir: str
    max_age: int = 0
    search: bool = False
    raw_html: bool = True
    links: LinkLevels = LinkLevels()
    feed_limit: int = 20  # the newest entries a feed carries
    paginate: int = 20  # the items of a list (a section's pages, a tag's) one page shows
    theme: str = ""  # the theme folder, relative to the site folder; '' for the default theme
    extensions: tuple[str, ...] = ()  # the site's extension files, relative to the site folder
    repo_url: str = ""  # the site's repository, e.g. 'https://github.com/owner/site'
    edit_path: str = "edit/main/"  # from repo_url to where a file of the site folder is edited
    spans: dict[str, SourceSpan] = field(default_factory=dict)  # key -> where its value is

    @property
    def named_inputs(self) -> tuple[str, ...]:
        """What site.yaml names that a build reads beside the usual inputs: the theme folder
        and extension files, as paths relative to the site folder."""
        named = (*self.extensions, *((self.theme,) if self.theme else ()))
        return tuple(os.path.normpath(name).replace(os.sep, "/") for name in named)

    @property
    def edit_base(self) -> str:
        """What a page's source path (e.g. 'content/a.md') follows in its edit link; '' when
        site.yaml names no repository."""
        if not self.repo_url:
            return ""
        path = self.edit_path.strip("/")
        return self.repo_url.rstrip("/") + "/" + (path + "/" if path else "")

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, e.g. '/' or '/guide/'."""
        return urlsplit(self.base_url).path or "/"


def require_site(source: Path) -> None:
    """Raise `BuildFailed` unless `source` is a site's folder (it has a site.yaml)."""
    if not (source / CONFIG_FILE).is_file():
        raise BuildFailed(
            [
                BuildError(
                    SourceSpan(CONFIG_FILE),
                    "no site.yaml in the site folder",
                    f"is '{source}' the site folder? pass --source DIR",
                )
            ]
        )


def named_inputs(source: Path) -> tuple[str, ...]:
    """The site's `named_inputs`, or none if its site.yaml has errors (its build says which)."""
    try:
        return load_config(source).named_inputs
    except BuildFailed:
        return ()


def load_config(source: Path, base_url: str | None = None) -> SiteConfig:
    """Read `site.yaml` from the site folder; raise `BuildFailed` with every problem in it."""
    require_site(source)
    path = source / CONFIG_FILE
    text, errors = decode_source(path.read_bytes(), CONFIG_FILE)
    if text is None:
        raise BuildFailed(errors)
    doc, errors = parse_yaml(text, CONFIG_FILE)
    if doc is None:
        raise BuildFailed(errors)
    values, problems = validate_mapping(doc, FIELDS)
    errors += problems
    menu = []
    for index, item in enumerate(values.get("menu") or []):
        span = doc.value_span(("menu", index))
        if bool(item.get("page")) == bool(item.get("url")):
            errors.append(
                BuildError(
                    span,
                    "a menu entry needs exactly one of 'page' or 'url'",
                    "use 'page: file.md' for a page of this site",
                )
            )
        menu.append(
            MenuItem(item.get("title") or "", item.get("page") or "", item.get("url") or "", span)
        )
    errors += _theme_problems(source, doc, values.get("theme") or "")
    extensions, problems = _extension_files(source, doc, values.get("extensions"))
    errors += problems
    if base_url is not None:
        problem = check_base_url(base_url)
        if problem:
            errors.append(BuildError(SourceSpan("--base-url", 1, 1), f"--base-url {problem}"))
        values["base_url"] = base_url
    spans = {key: doc.value_span((key,)) for key in values if (key,) in doc.value_marks}
    if base_url is not None:
        spans["base_url"] = SourceSpan("--base-url", 1, 1)
    if errors:
        raise BuildFailed(errors)
    return SiteConfig(
        title=values["title"],
        description=values["description"],
        language=values["language"],
        base_url=values["base_url"].rstrip("/") + "/",
        author=values["author"],
        source_title=values["source_title"],
        menu=tuple(menu),
        output_dir=values["output_dir"],
        max_age=values["max_age"],
        search=values["search"],
        raw_html=values["raw_html"],
        links=LinkLevels(**{k: v for k, v in (values["links"] or {}).items() if v}),
        feed_limit=values["feed_limit"],
        paginate=values["paginate"],
        theme=values["theme"],
        extensions=extensions,
        repo_url=values["repo_url"],
        edit_path=values["edit_path"],
        spans=spans,
    )


def _theme_problems(source: Path, doc, theme: str) -> list[BuildError]:
    if not theme:
        return []
    folder = source / theme
    if not (folder / "templates").is_dir() and not (folder / "static").is_dir():
        return [
            BuildError(
                doc.value_span(("theme",)),
                f"theme '{theme}' is not a theme folder",
                "a theme folder holds templates/ and static/; the path is relative to the site",
            )
        ]
    return []


def _extension_files(source: Path, doc, named: list | None) -> tuple[tuple[str, ...], list]:
    """The extension files site.yaml names (each a .py file inside the site folder), or
    extensions.py if it names none and there is one."""
    if not named:
        return ((EXTENSIONS_FILE,) if (source / EXTENSIONS_FILE).is_file() else ()), []
    files, errors = [], []
    for index, name in enumerate(named):
        span = doc.value_span(("extensions", index))
        problem = ""
        if not isinstance(name, str) or not name.endswith(".py"):
            problem = "must be the path of a Python file, such as 'extensions.py'"
        elif _check_relative_dir(name):
            problem = "must be a file inside the site folder"
        elif not (source / name).is_file():
            problem = "names no file"
        if problem:
            errors.append(BuildError(span, f"extension '{name}' {problem}"))
        else:
            files.append(Path(name).as_posix())
    return tuple(files), errors
