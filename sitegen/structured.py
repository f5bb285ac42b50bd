"""Structured data (schema.org JSON-LD) built from the site's data, never retyped."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from .urls import UrlMaker


def json_ld(data: dict[str, Any]) -> Markup:
    """Return JSON-LD safe to place inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # '</' would end the script element early; '<!--' could start an HTML comment.
    return Markup(text.replace("</", "<\\/").replace("<!--", "<\\!--"))


def breadcrumb_list(crumbs: Iterable[Any], urls: UrlMaker) -> Markup:
    """Return BreadcrumbList JSON-LD for a trail of links (title and URL path each)."""
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": c.title, "item": urls.from_path(c.url)}
                for n, c in enumerate(crumbs, start=1)
            ],
        }
    )


def website(site: Any) -> Markup:
    """Return WebSite JSON-LD for the home page."""
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": site.title,
            "description": site.description,
            "url": site.base_url,
            "inLanguage": site.language,
        }
    )
