"""The accessibility statement page (issue 15 item 6) shows what the axe-core run measured."""

import json

import pytest
from django.test import Client

from tafel.core import accessibility


@pytest.mark.django_db
def test_statement_is_public_and_built_from_the_committed_axe_results():
    results = accessibility.axe_results()
    page = Client().get("/toegankelijkheid/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Toegankelijkheidsverklaring" in html and "WCAG" in html
    assert f"axe-core {results['axe_version']}" in html
    for tested in results["pages"]:
        assert tested["name"] in html
    assert "PDF/UA-1" in html and "nog niet als PDF/UA" not in html  # tagged PDFs: tafel/core/tests/test_pdf_ua.py


@pytest.mark.django_db
def test_statement_lists_findings_by_impact(tmp_path, monkeypatch):
    sample = {
        "axe_version": "4.14.1",
        "tested_on": "2026-12-04",
        "pages": [
            {
                "name": "Casus",
                "path": "/casussen/<id>/",
                "violations": [
                    {
                        "id": "region",
                        "impact": "moderate",
                        "help": "All page content should be contained by landmarks",
                        "nodes": 2,
                    },
                    {
                        "id": "color-contrast",
                        "impact": "serious",
                        "help": "Elements must meet minimum color contrast",
                        "nodes": 1,
                    },
                ],
            },
        ],
    }
    path = tmp_path / "axe.json"
    path.write_text(json.dumps(sample))
    monkeypatch.setattr(accessibility, "RESULTS", path)
    monkeypatch.setattr(accessibility.axe_results, "__defaults__", (path,))

    html = Client().get("/toegankelijkheid/").content.decode()

    assert "1 ernstige of kritieke bevinding" in html
    assert html.index("color-contrast") < html.index("region")  # the most serious first
    assert "1 ernstig" in html and "1 matig" in html
