"""The dashboard, the drill-down and the effectiviteitsmatrix pages: access, suppression, query count."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.urls import reverse

from tafel.core.audit_events import CoreEvent
from tafel.core.models import AuditEvent
from tafel.organisations.models import Role
from tafel.reports import stored
from tafel.testing import make_user

pytestmark = pytest.mark.django_db

Q2 = {"period": "2025Q2"}


def cell_text(html: str, code: str, row: str, column: str) -> str:
    """The shown figure of one table cell of one indicator on the page (without hidden helper text)."""
    table = re.search(rf'<table[^>]*data-indicator="{code}".*?</table>', html, re.S).group(0)
    cell = re.search(rf'<td[^>]*data-row="{re.escape(row)}" data-column="{column}"[^>]*>(.*?)</td>', table, re.S)
    text = re.sub(r'<span class="tafel-visually-hidden">.*?</span>', "", cell.group(1))
    return html_lib.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("reports:dashboard"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["professional", "outsider"])
def test_professionals_without_a_report_role_get_403(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_analyst_sees_small_cells_suppressed(client, history, analyst):
    client.force_login(analyst)
    response = client.get(reverse("reports:dashboard"), Q2)
    html = response.content.decode()

    assert response.status_code == 200
    # Caseload on 1 July 2025: Hilversum 1 (D), Huizen 0 → "<5", "0", total "<5".
    assert cell_text(html, "caseload", str(history.hilversum.pk), "actief") == "<5"
    assert cell_text(html, "caseload", str(history.huizen.pk), "actief") == "0"
    assert cell_text(html, "caseload", "totaal", "actief") == "<5"
    assert 'data-suppressed="true"' in html
    # No way to the cases behind a figure.
    assert reverse("reports:drilldown", args=["caseload"]) not in html


def test_procesregisseur_sees_every_count_and_can_drill_down(client, history, procesregisseur):
    client.force_login(procesregisseur)
    html = client.get(reverse("reports:dashboard"), Q2).content.decode()

    assert cell_text(html, "caseload", str(history.hilversum.pk), "actief") == "1"
    assert 'data-suppressed="false"' in html
    assert reverse("reports:drilldown", args=["caseload"]) in html


@pytest.mark.parametrize("who", ["analyst", "ketenmanager", "beheerder"])
def test_aggregate_only_readers_get_404_on_drilldown(client, history, request, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("reports:drilldown", args=["caseload"])

    assert client.get(url, {**Q2, "row": str(history.hilversum.pk)}).status_code == 404


def test_drilldown_lists_the_cases_behind_a_figure_and_audits_the_read(client, history, procesregisseur):
    client.force_login(procesregisseur)
    url = reverse("reports:drilldown", args=["caseload"])

    response = client.get(url, {**Q2, "row": str(history.hilversum.pk), "column": "actief"})

    assert response.status_code == 200
    html = response.content.decode()
    assert history.cases["D"].reference in html
    assert history.cases["A"].reference not in html
    assert AuditEvent.objects.filter(
        actor=procesregisseur, event_type=CoreEvent.CASE_LIST, case_id=history.cases["D"].pk
    ).exists()


def test_drilldown_is_limited_to_the_cases_the_viewer_may_see(client, history, ggz):
    # A procesregisseur of a partner organisation (not the house) sees only the cases of that organisation.
    outside_regisseur = make_user(ggz, Role.PROCESREGISSEUR, username="ggz-regisseur")
    client.force_login(outside_regisseur)
    url = reverse("reports:drilldown", args=["triage_uitkomst"])

    html = client.get(url, {**Q2, "row": "zvh_com"}).content.decode()

    # ZVH COM decisions in Q2: A and D; GGZ takes part in both. B (MDA++) is not in this row.
    assert history.cases["A"].reference in html and history.cases["D"].reference in html
    html = client.get(url, {**Q2, "row": "zvh_mda"}).content.decode()
    # B is an MDA++ case without GGZ: not shown.
    assert history.cases["B"].reference not in html


def test_unknown_indicator_or_bad_filter_on_drilldown_is_404(client, history, procesregisseur):
    client.force_login(procesregisseur)

    assert client.get(reverse("reports:drilldown", args=["bestaat_niet"]), Q2).status_code == 404
    assert client.get(reverse("reports:drilldown", args=["caseload"]), {"period": "gisteren"}).status_code == 404


def test_dashboard_shows_definitions_and_accessible_charts(client, history, ketenmanager):
    client.force_login(ketenmanager)
    response = client.get(reverse("reports:dashboard"), Q2)
    html = response.content.decode()

    assert "<details" in html and "Teller" in html and "Noemer" in html
    assert 'role="img"' in html and "<title id=" in html
    assert "Nog geen gegevens." in html  # politiemeldingen, the one without data
    # Strict CSP: no inline style attributes or inline script on the page.
    assert " style=" not in html
    assert "<script>" not in html and "onclick" not in html
    assert "style-src 'self'" in response["Content-Security-Policy"]


def test_invalid_filters_fall_back_to_the_current_quarter_with_a_message(client, history, ketenmanager):
    client.force_login(ketenmanager)
    response = client.get(reverse("reports:dashboard"), {"period": "2025Q2", "municipality": "99999"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Een of meer filters kloppen niet" in html
    assert response.context["monitor"].params.municipality_id is None
    assert response.context["monitor"].params.period.code != "2025Q2"


def test_dashboard_query_count_is_bounded_and_does_not_grow_with_the_data(
    client, history, ketenmanager, add_cases, django_assert_max_num_queries
):
    client.force_login(ketenmanager)
    # 55 today: one to three aggregate queries per indicator, the temporary population table (create, fill,
    # drop), session, user, second factor, the filter choices, the partner survey card (questionnaire,
    # questions, averages, wording history) and the session-rating card (one query); 55 since re-entry also
    # reads what retention kept of destroyed cases (one query, issue 13 item 2); 56 since the monitor counts
    # plans published with a reason although they failed the quality check (one query, issue 12 item 2); 57
    # since a closed quarter's figures are stored (the quarter's version read, made and read back; the stored
    # figures looked up; old ones removed and the new ones written: six) and the population's plan figures
    # take one query instead of three (issue 14 item 4).
    with django_assert_max_num_queries(57) as first:
        assert client.get(reverse("reports:dashboard"), Q2).status_code == 200
    pinned = len(first.captured_queries)
    add_cases(6)
    stored.clear()  # computed again (the test's writes do not commit, so they mark nothing stale)
    with django_assert_max_num_queries(pinned):
        assert client.get(reverse("reports:dashboard"), Q2).status_code == 200
