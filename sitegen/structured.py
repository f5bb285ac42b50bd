"""Structured data (schema.org JSON-LD) built from the site's data, never retyped."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from .tables import Table
from .urls import UrlMaker


def json_ld(data: dict[str, Any]) -> Markup:
    """Return JSON-LD safe to place inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # '</' would end the script element early; '<!--' could start an HTML comment.
    return Markup(text.replace("</", "<\\/").replace("<!--", "<\\!--"))


def faq_page(table: Table, question: str = "question", answer: str = "answer") -> Markup:
    """Return FAQPage JSON-LD with one Question per row of `table`."""
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": str(row[question]),
                    "acceptedAnswer": {"@type": "Answer", "text": str(row[answer])},
                }
                for row in table.rows
            ],
        }
    )


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


def occupation(table: Table, name: str, description: str) -> Markup:
    """Return Occupation JSON-LD with an estimated salary per row of a table of salary ranges.

    Each row needs a range-of-money column; a year-span column, if there is one, becomes the
    row's experience requirement. An open range gives only its minimum.
    """
    band = next(c.name for c in table.columns if c.type == "range" and c.currency)
    years = next((c.name for c in table.columns if c.type == "year_span"), None)
    salaries = []
    for row in table.rows:
        pay = row[band]
        entry = {
            "@type": "MonetaryAmountDistribution",
            "name": str(row[table.key]),
            "currency": pay.currency,
            "duration": "P1Y",
            "minValue": pay.min,
        }
        if pay.max is not None:
            entry["maxValue"] = pay.max
        if years and row[years] is not None:
            entry["description"] = f"{row[years]} of experience"
        salaries.append(entry)
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "Occupation",
            "name": name,
            "description": description,
            "estimatedSalary": salaries,
        }
    )


def credentials(table: Table, issuer: str) -> Markup:
    """Return EducationalOccupationalCredential JSON-LD for each row of a certifications table."""
    return json_ld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "EducationalOccupationalCredential",
                    "name": str(row[table.key]),
                    "credentialCategory": "certification",
                    "recognizedBy": {"@type": "Organization", "name": str(row[issuer])},
                }
                for row in table.rows
            ],
        }
    )
