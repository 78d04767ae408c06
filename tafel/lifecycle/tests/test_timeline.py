import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tafel.cases.models import CaseNote, InfoCategory
from tafel.core.tests.pdfua import assert_pdf_ua
from tafel.lifecycle.models import CaseIntervention, InterventionType, ProgressUpdate
from tafel.lifecycle.selectors import case_timeline
from tafel.meetings.tests.factories import join_case
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import make_org, make_user

from .factories import running_case

pytestmark = pytest.mark.django_db


def _add_events(case, user, n: int) -> None:
    """n events spread over three sources and two categories, written directly (slow to make one by one)."""
    now = timezone.now()
    itype = InterventionType.objects.get(code="mst")
    third = n // 3
    common = {"supplied_by_org_id": user.organisation_id, "created_by": user}
    CaseIntervention.objects.bulk_create(
        CaseIntervention(
            case=case,
            type=itype,
            organisation_id=user.organisation_id,
            started_on=timezone.localdate() - datetime.timedelta(days=i),
            created_at=now,
            category=InfoCategory.POLITIE_ONDERZOEK if i % 2 else InfoCategory.ALGEMEEN,
            **common,
        )
        for i in range(third)
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(case=case, problem=f"stand {i}", created_at=now - datetime.timedelta(hours=i), **common)
        for i in range(third)
    )
    CaseNote.objects.bulk_create(
        CaseNote(case=case, text=f"notitie {i}", created_at=now - datetime.timedelta(minutes=i), **common)
        for i in range(n - 2 * third)
    )


def _render(client, case):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("lifecycle:timeline", args=[case.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_timeline_with_300_events_renders_with_a_fixed_number_of_queries(
    case, procesregisseur, professional, django_assert_max_num_queries
):
    case, _ = running_case(case, procesregisseur, professional)
    client = Client()
    # The supplier of the events: it sees all of them, so the page really renders 300.
    client.force_login(professional)
    _add_events(case, professional, 10)
    client.get(reverse("lifecycle:timeline", args=[case.pk]))  # starts the session's idle clock (written once)
    small, _ = _render(client, case)
    _add_events(case, professional, 290)
    large, response = _render(client, case)
    assert large == small
    assert response.content.decode().count("tafel-timeline__item ") >= 300
    with django_assert_max_num_queries(small):
        client.get(reverse("lifecycle:timeline", args=[case.pk]))


def test_a_partner_sees_only_what_their_organisation_may_see(case, procesregisseur, professional, outsider):
    case, _ = running_case(case, procesregisseur, professional)
    care = make_org("Wijkteam Test", OrganisationType.ZORG)
    join_case(case, care, procesregisseur)
    partner = make_user(care, Role.PROFESSIONAL, username="wijkteam")
    itype = InterventionType.objects.get(code="contactverbod")
    secret = CaseIntervention.objects.create(
        case=case,
        type=itype,
        organisation_id=professional.organisation_id,
        started_on=timezone.localdate(),
        supplied_by_org_id=professional.organisation_id,
        created_by=professional,
        created_at=timezone.now(),
        category=InfoCategory.POLITIE_ONDERZOEK,
        note="Lopend onderzoek",
    )

    def items(user):
        return [e.item for e in case_timeline(viewer=user, case_id=case.pk).entries]

    assert secret in items(professional)  # the supplier sees its own information
    partner_items = items(partner)
    assert secret not in partner_items  # withheld for an ongoing investigation (SPEC §6)
    assert any(getattr(i, "pk", None) for i in partner_items)  # the rest of the case is there
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("lifecycle:timeline", args=[case.pk])).status_code == 404
    assert client.get(reverse("lifecycle:timeline_pdf", args=[case.pk])).status_code == 404


def test_timeline_filters_by_kind_and_organisation_and_exports_pdf(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    only_actions = case_timeline(viewer=procesregisseur, case_id=case.pk, kind="actie").entries
    assert only_actions and all(e.kind == "actie" for e in only_actions)
    by_org = case_timeline(viewer=procesregisseur, case_id=case.pk, organisation_id=professional.organisation_id)
    assert by_org.entries and all(e.organisation_id == professional.organisation_id for e in by_org.entries)
    client = Client()
    client.force_login(professional)
    response = client.get(reverse("lifecycle:timeline_pdf", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_pdf_ua(response.content)


def test_case_page_links_to_timeline_and_follow_up(case, procesregisseur, professional):
    client = Client()
    client.force_login(professional)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("lifecycle:timeline", args=[case.pk]) in html
    assert reverse("lifecycle:case", args=[case.pk]) in html


def test_an_english_user_sees_english_timeline_labels_and_the_pdf_still_renders(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    client = Client()
    client.force_login(procesregisseur)
    english = {"accept-language": "en"}
    html = client.get(reverse("lifecycle:timeline", args=[case.pk]), headers=english).content.decode()
    # The title links to the plan (issue 12, item 7).
    assert re.search(r"<strong>Action plan</strong> — <a [^>]*>Action plan version 1</a>", html)
    assert '<option value="melding">Report</option>' in html
    assert "Plan van aanpak" not in html
    pdf = client.get(reverse("lifecycle:timeline_pdf", args=[case.pk]), headers=english)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    dutch = client.get(reverse("lifecycle:timeline", args=[case.pk])).content.decode()
    assert re.search(r"<strong>Plan van aanpak</strong> — <a [^>]*>Plan van aanpak versie 1</a>", dutch)


def test_evaluation_moments_are_taken_from_the_timeline_in_dutch_whatever_the_page_language(
    case, procesregisseur, professional
):
    from django.utils import translation

    from tafel.evaluations.selectors import timeline_candidates

    case, _ = running_case(case, procesregisseur, professional)
    with translation.override("en"):
        descriptions = [c.description for c in timeline_candidates(viewer=procesregisseur, case=case)]
    assert "Plan van aanpak versie 1" in descriptions
