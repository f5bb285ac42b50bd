"""Structured data (schema.org JSON-LD) built from the site's data, never retyped."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from .tables import Table


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
