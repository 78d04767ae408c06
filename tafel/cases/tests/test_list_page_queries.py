"""Issue 14: the werkvoorraad and the case list take a fixed number of queries and templates, whatever the
number of cases waiting or shown (a page of rows costs no query and no template per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tafel.cases.models import Case, CaseStatus
from tafel.testing import make_case

pytestmark = pytest.mark.django_db

PAGE = 4


def _fill(professional, procesregisseur, municipality, n: int) -> None:
    """n cases in each of the werkvoorraad's house lists: waiting for triage (some with a desired response time),
    waiting for information, and the procesregisseur's own."""
    for i in range(n):
        make_case(professional, municipality, desired_response_days=7 + i if i % 2 else None, urgency="hoog")
        waiting = make_case(professional, municipality)
        Case.objects.filter(pk=waiting.pk).update(status=CaseStatus.VERRIJKEN)
        mine = make_case(professional, municipality)
        Case.objects.filter(pk=mine.pk).update(status=CaseStatus.ACTIEF, procesregisseur=procesregisseur)


def _measure(client, url: str) -> tuple[int, list[str], str]:
    client.get(url)  # the session's first touches are not the page's
    rendered: list[str] = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
    finally:
        template_rendered.disconnect(record)
    assert response.status_code == 200
    return len(ctx), rendered, response.content.decode()


@pytest.mark.parametrize(
    ("url", "actor"),
    [
        (reverse("cases:werkvoorraad"), "procesregisseur"),
        (reverse("cases:werkvoorraad"), "professional"),
        (reverse("cases:list") + "?page=2", "procesregisseur"),
        (reverse("cases:list"), "professional"),
    ],
)
def test_list_pages_take_the_same_queries_and_templates_for_one_case_as_for_full_pages(
    request, client, settings, professional, procesregisseur, municipality, url, actor
):
    settings.TAFEL_PAGE_SIZE = PAGE
    client.force_login(request.getfixturevalue(actor))
    _fill(professional, procesregisseur, municipality, 1)
    few_queries, few_templates, _ = _measure(client, url)
    _fill(professional, procesregisseur, municipality, 3 * PAGE)
    many_queries, many_templates, html = _measure(client, url)
    assert many_queries == few_queries, (few_queries, many_queries)
    assert sorted(many_templates) == sorted(few_templates)
    # No template per row or per form field: the rows come from {% case_rows %}, the filters from {% field %}.
    assert "tafel/_field.html" not in many_templates
    assert not [n for n in many_templates if n.startswith("django/forms/")], many_templates
    assert len(many_templates) <= 12, sorted(many_templates)
    assert html.count('<tr class="utrecht-table__row">') >= PAGE  # the pages were full


def test_werkvoorraad_queries_are_a_fixed_number(client, settings, professional, procesregisseur, municipality):
    """The house's werkvoorraad, exactly: session, user; the triage queue (count, page) and waiting for
    information (count, page), each read from one index in its order; my cases (count, the page's ids, those
    rows: `selectors.PreparedSection`); the aanmelder's two lists (counts; the house submitted none, so no page); the
    audit insert. Designed constant (issue 14); any change fails here."""
    settings.TAFEL_PAGE_SIZE = PAGE
    _fill(professional, procesregisseur, municipality, 2 * PAGE)
    client.force_login(procesregisseur)
    queries, _, _ = _measure(client, reverse("cases:werkvoorraad"))
    assert queries == 12, queries
