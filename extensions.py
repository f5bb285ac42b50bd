"""The guide's own template helpers: schema.org data made from its tables, never retyped.

The generator loads this file with every build (see "Extensions" in README.md).
"""

from sitegen.structured import json_ld


def configure_templates(env):
    """Offer the guide's JSON-LD helpers to its templates."""
    env.globals.update(
        faq_json_ld=faq_page, occupation_json_ld=occupation, credentials_json_ld=credentials
    )


def faq_page(table, question: str = "question", answer: str = "answer"):
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


def occupation(table, name, description):
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


def credentials(table, issuer):
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
