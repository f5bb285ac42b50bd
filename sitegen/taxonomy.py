"""Tags: `tags:` in front matter gives `/tags/` (every tag with its count) and `/tags/NAME/`
(its pages, with an Atom feed of them).

Tags that differ only by case or spacing are one tag, named as the reading order first spells
it. Two tags whose addresses would be the same, or a tag page on the address of a page, are
errors naming both files.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup

from .cache import fingerprint
from .config import SiteConfig
from .content import Page
from .errors import BuildError, SourceSpan
from .navigation import NavLink
from .outputs import OutputFile, atom_feed
from .pagination import paginated_views
from .paths import NAME_LIMIT
from .render import PageTemplates, PageView, collect_file
from .workers import map_in_workers

TAGS_PATH = "tags"
TAGS_TEMPLATE = "tags.html"
TAG_TEMPLATE = "tag.html"


@dataclass(frozen=True)
class Tag:
    """One tag: its name, its address and its pages, in reading order."""

    name: str
    slug: str
    pages: tuple[Page, ...]
    span: SourceSpan  # where the first page names it

    @property
    def url(self) -> str:
        return f"{TAGS_PATH}/{self.slug}/"


def tag_slug(name: str) -> str:
    """The URL segment of a tag: lowercase words joined by '-' (letters of any script kept)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[\W_]+", "-", text).strip("-")


def collect_tags(pages: list[Page]) -> tuple[list[Tag], list[BuildError]]:
    """The tags of `pages` (the reading order), sorted by name; report tags that are not text
    or whose addresses clash."""
    found: dict[str, tuple[str, SourceSpan, list[Page]]] = {}  # one tag's key -> all of it
    slugs: dict[str, str] = {}  # slug -> the key that has it
    problems = []
    for page in pages:
        span = SourceSpan(page.source, page.key_lines.get("tags", 1))
        seen = set()
        for name in page.tags:
            if isinstance(name, (int, float)) and not isinstance(name, bool):
                name = str(name)  # tags: [2024] means the tag '2024'
            if not isinstance(name, str) or not name.strip():
                problems.append(BuildError(span, f"tag {name!r} must be a word or words"))
                continue
            key = " ".join(name.split()).casefold()
            slug = tag_slug(name)
            if not slug:
                problems.append(BuildError(span, f"tag {name!r} gives no address"))
                continue
            if len(slug.encode()) > NAME_LIMIT:
                problems.append(
                    BuildError(
                        span,
                        f"tag {_shortened(name)!r} is too long to be a folder's name",
                        "a tag is a word or a few words",
                    )
                )
                continue
            other = slugs.setdefault(slug, key)
            if other != key:
                first = found[other]
                problems.append(
                    BuildError(
                        span,
                        f"tag {name!r} and tag {first[0]!r} ({first[1].path}) both make "
                        f"/{TAGS_PATH}/{slug}/",
                        "spell one of them differently, or use the same tag on both pages",
                    )
                )
                continue
            if key in seen:
                continue
            seen.add(key)
            found.setdefault(key, (" ".join(name.split()), span, []))[2].append(page)
    tags = [
        Tag(name=name, slug=tag_slug(name), pages=tuple(tagged), span=span)
        for name, span, tagged in found.values()
    ]
    return sorted(tags, key=lambda tag: (tag.name.casefold(), tag.slug)), problems


def tag_pages(
    templates: PageTemplates, tags: list[Tag], config: SiteConfig, jobs: int = 1
) -> tuple[list[OutputFile], list[BuildError], list[str]]:
    """Render `/tags/` and each tag's page and feed (in `jobs` processes: a large site's tags
    have many pages); return the files, the problems and the pages' URLs (for the sitemap)."""
    if not tags:
        return [], [], []
    renderer, urls = templates.renderer, templates.urls
    home = NavLink("Home", urls.path(""))
    index = NavLink("Tags", urls.path(f"{TAGS_PATH}/"), "Every tag, with its pages.")
    files: list[OutputFile] = []
    errors: list[BuildError] = []
    views = [
        (
            TAGS_TEMPLATE,
            f"{TAGS_PATH}/",
            tags[0].span,
            PageView(
                title="Tags",
                description=f"Every tag of {config.title}, with its pages.",
                url=index.url,
                source=tags[0].span.path,
                content=Markup(""),
                breadcrumbs=(home, index),
                permalink=urls.absolute(f"{TAGS_PATH}/"),
                section=home,
                parents=(home,),
                children=tuple(
                    NavLink(tag.name, urls.path(tag.url), _count(len(tag.pages))) for tag in tags
                ),
            ),
        )
    ]
    for tag in tags:
        link = NavLink(tag.name, urls.path(tag.url))
        views.append(
            (
                TAG_TEMPLATE,
                tag.url,
                tag.span,
                PageView(
                    title=tag.name,
                    description=f"{_count(len(tag.pages))} tagged “{tag.name}”.",
                    url=link.url,
                    source=tag.span.path,
                    content=Markup(""),
                    breadcrumbs=(home, index, link),
                    permalink=urls.absolute(tag.url),
                    section=index,
                    parents=(home, index),
                    children=tuple(
                        NavLink(p.title, urls.path(p.url), p.description) for p in tag.pages
                    ),
                ),
            )
        )
        feed = atom_feed(list(tag.pages), config, urls, f"{tag.url}feed.xml", f"{tag.name}")
        files.append(feed)
    views = [
        (template, address, span, paged)
        for template, url, span, view in views
        for paged, address in (
            paginated_views(view, config.paginate, url, urls)
            if template == TAG_TEMPLATE and renderer.mentions(TAG_TEMPLATE, "page.children")
            else [(view, url)]
        )
    ]  # fmt: skip
    keys = [
        renderer.key(template, fingerprint(templates.site_key, view), span.path)
        for template, _, span, view in views
    ]
    found = [renderer.cache.lookup("html", key) for key in keys]
    todo = [index for index, (known, _) in enumerate(found) if not known]

    def render(index: int) -> tuple[str | None, BuildError | None]:
        template, _, span, view = views[index]
        context = {"site": templates.site, "page": view}
        return renderer.render_now(template, context, span.path, span.line)

    rendered = map_in_workers(lambda: None, lambda _, i: render(i), todo, jobs)
    # Kept as the bytes the page is written as: one copy in memory, not two.
    made_now = {
        index: (html.encode("utf-8") if html is not None else None, error)
        for index, (html, error) in zip(todo, rendered, strict=True)
    }
    for index, (template, url, span, _) in enumerate(views):
        if index in made_now:
            renderer.cache.put("html", keys[index], made_now[index])
        html, error = made_now[index] if index in made_now else found[index][1]
        made = OutputFile(f"{url}index.html", origin=span, template=template)
        collect_file(files, errors, made, html, error)
    return files, errors, [url for _, url, _, _ in views]


def tag_links(tags: list[Tag], urls) -> dict[str, tuple[NavLink, ...]]:
    """Each tagged page's tags as links, by the page's content path."""
    links: dict[str, list[NavLink]] = {}
    for tag in tags:
        for page in tag.pages:
            links.setdefault(page.content_path, []).append(NavLink(tag.name, urls.path(tag.url)))
    return {path: tuple(found) for path, found in links.items()}


def _shortened(name: str) -> str:
    return name if len(name) <= 40 else name[:37] + "..."


def _count(number: int) -> str:
    return f"{number} page{'s' * (number != 1)}"
