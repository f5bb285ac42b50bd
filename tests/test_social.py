"""What a published page offers beyond itself: canonical URL, social cards, feed, JSON-LD."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, html_pages, run_build

from sitegen.tables import load_tables

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def sub_site(guide: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("social") / "out"
    result = run_build("--source", guide, "--out", out, "--base-url", "https://example.org/sub/")
    assert result.code == 0, result.stderr
    return out


def meta(soup, **attrs) -> str:
    return soup.find("meta", attrs=attrs)["content"]


def test_every_page_has_a_canonical_url_and_social_cards(sub_site: Path):
    for path, soup in html_pages(sub_site).items():
        if path == "404.html":
            assert soup.find("link", rel="canonical") is None
            continue
        expected = "https://example.org/sub/" + path.removesuffix("index.html")
        assert soup.find("link", rel="canonical")["href"] == expected, path
        assert meta(soup, property="og:url") == expected
        assert meta(soup, property="og:title") == meta(soup, name="twitter:title")
        assert meta(soup, property="og:description") == meta(soup, name="description")
        assert meta(soup, name="twitter:card") == "summary"
        kind = "website" if path == "index.html" else "article"
        assert meta(soup, property="og:type") == kind, path
        feed = soup.find("link", rel="alternate", type="application/atom+xml")
        assert feed["href"] == "/sub/feed.xml"


def test_the_atom_feed_lists_dated_articles_newest_first(sub_site: Path):
    root = ET.parse(sub_site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == "https://example.org/sub/"
    entries = root.findall(f"{ATOM}entry")
    pages = html_pages(sub_site)
    assert len(entries) >= 10
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        assert link == entry.findtext(f"{ATOM}id")
        assert link.startswith("https://example.org/sub/")
        local = link.removeprefix("https://example.org/sub/") + "index.html"
        assert local in pages
        assert entry.findtext(f"{ATOM}title") == pages[local].h1.get_text()


def test_breadcrumb_and_website_structured_data(sub_site: Path):
    pages = html_pages(sub_site)
    home = [
        json.loads(s.string)
        for s in pages["index.html"].find_all("script", type="application/ld+json")
    ]
    assert home == [
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": "Machine Learning Engineer Guide",
            "description": home[0]["description"],
            "url": "https://example.org/sub/",
            "inLanguage": "en",
        }
    ]
    page = pages["certifications/amazon-machine-learning-specialty/index.html"]
    [trail] = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    assert trail["@type"] == "BreadcrumbList"
    assert [(i["position"], i["name"], i["item"]) for i in trail["itemListElement"]] == [
        (1, "Home", "https://example.org/sub/"),
        (2, "Certifications", "https://example.org/sub/certifications/"),
        (
            3,
            "Amazon Machine Learning Specialty",
            "https://example.org/sub/certifications/amazon-machine-learning-specialty/",
        ),
    ]
    visible = [a.get_text() for a in page.find("nav", class_="breadcrumbs").find_all("a")]
    assert visible == [i["name"] for i in trail["itemListElement"]]


def ld(soup, kind: str) -> dict:
    found = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    [data] = [d for d in found if d.get("@type") == kind or "@graph" in d and kind == "graph"]
    return data


def test_occupation_salaries_come_from_the_salary_table(sub_site: Path):
    data = ld(html_pages(sub_site)["salaries/index.html"], "Occupation")
    tables, _ = load_tables(ROOT)
    rows = tables["salary_ranges"].rows
    assert data["name"] == "Machine learning engineer"
    assert [
        (s["name"], s["currency"], s["duration"], s["minValue"], s.get("maxValue"))
        for s in data["estimatedSalary"]
    ] == [(r["level"], "USD", "P1Y", r["salary"].min, r["salary"].max) for r in rows]
    assert all(s["@type"] == "MonetaryAmountDistribution" for s in data["estimatedSalary"])


def test_certifications_are_educational_occupational_credentials(sub_site: Path):
    data = ld(html_pages(sub_site)["certifications/index.html"], "graph")
    tables, _ = load_tables(ROOT)
    assert [
        (c["@type"], c["name"], c["credentialCategory"], c["recognizedBy"]["name"])
        for c in data["@graph"]
    ] == [
        ("EducationalOccupationalCredential", r["certification"], "certification", r["issuer"])
        for r in tables["certifications"].rows
    ]
