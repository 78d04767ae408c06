"""Issue 12, item 6: the family's plan in plain Dutch, reviewed by the procesregisseur before it is given, as a
printable praatplaat, telling the family which organisations take part and what kind of information was shared
with whom and why (never the content)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tafel.cases.models import CaseNote, InfoCategory
from tafel.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed
from tafel.core.models import AuditEvent
from tafel.core.tests.pdfua import assert_pdf_ua
from tafel.meetings import services
from tafel.meetings.audit_events import MeetingEvent
from tafel.meetings.models import ActionType, Audience, FamilyPlan, FamilyPlanStatus
from tafel.privacy.models import Share

from .factories import held_meeting, publish_plan, triaged

DEADLINE = datetime.date(2026, 10, 17)


@pytest.fixture
def published(case, procesregisseur, professional, ggz):
    case = triaged(case, procesregisseur)
    meeting, _ = held_meeting(procesregisseur, case, invite=[professional])
    plan = services.plan_start(actor=procesregisseur, case=case, meeting=meeting)
    add = services.plan_action_add
    add(
        actor=procesregisseur,
        plan=plan,
        data=services.ActionInput(
            what="Huisbezoek",
            type=ActionType.TOWARDS_FAMILY,
            owner=professional.pk,
            deadline=DEADLINE,
            plain_text="bij u thuis langskomen",
            rationale="Zicht op veiligheid",
        ),
    )
    add(
        actor=procesregisseur,
        plan=plan,
        data=services.ActionInput(
            what="Vader naar hulpverlening",
            type=ActionType.TOWARDS_FAMILY,
            owner=professional.pk,
            family_member="Papa",
            plain_text="praten met een hulpverlener",
            rationale="Patroon doorbreken",
        ),
    )
    add(
        actor=procesregisseur,
        plan=plan,
        data=services.ActionInput(
            what="Politiegegevens wekelijks delen met VT",
            type=ActionType.INFO_PROFESSIONALS,
            owner=professional.pk,
            plain_text="GEHEIM-INTERN",
            rationale="Afstemming",
        ),
    )
    plan = publish_plan(procesregisseur, case, meeting, owner=professional, actions=()).plan
    return case, plan


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sentences_are_written_from_the_structured_plan_and_internal_items_never_appear(published, professional):
    case, plan = published
    sentences = services.family_sentences(plan)
    name = f"{professional.get_full_name()} (Politie Test)"
    assert sentences == [
        f"{name} gaat uiterlijk 17 okt. 2026 bij u thuis langskomen.",
        f"Papa gaat praten met een hulpverlener. {name} helpt daarbij.",
    ]
    assert not any("GEHEIM" in s or "Politiegegevens" in s for s in sentences)
    assert any(s.startswith("Papa gaat praten met een hulpverlener.") for s in sentences)
    assert any("17 okt. 2026" in s for s in sentences)


def test_family_view_shows_only_a_reviewed_version(published, procesregisseur, professional):
    case, plan = published
    url = f"/overleggen/plan/{plan.pk}/gezin/"
    page = _client(professional).get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "nog niet beoordeeld" in html and "bij u thuis langskomen" not in html
    # No PDF before review either.
    assert _client(professional).get(f"/overleggen/plan/{plan.pk}/gezin/pdf/").status_code == 404

    services.family_plan_review(actor=procesregisseur, plan=plan)
    html = _client(professional).get(url).content.decode()
    assert "bij u thuis langskomen" in html and "Papa gaat praten met een hulpverlener." in html
    assert "GEHEIM-INTERN" not in html and "Politiegegevens" not in html
    assert "Beoordeeld door" in html


def test_review_keeps_a_correction_audited_and_given_is_final(published, procesregisseur):
    case, plan = published
    row = services.family_plan_review(
        actor=procesregisseur,
        plan=plan,
        sentences_text="Agent komt bij u thuis langs.\n\n  Papa praat met een hulpverlener.  ",
    )
    assert row.status == FamilyPlanStatus.REVIEWED and row.overridden
    assert row.sentences == ["Agent komt bij u thuis langs.", "Papa praat met een hulpverlener."]
    assert row.reviewed_by == procesregisseur and row.reviewed_at is not None
    event = AuditEvent.objects.filter(event_type=MeetingEvent.PLAN_FAMILY_REVIEW).get()
    assert event.details == {"plan": plan.pk, "overridden": True, "sentences": 2}
    # A stale form is refused (optimistic locking).
    with pytest.raises(ConcurrentEdit):
        services.family_plan_review(actor=procesregisseur, plan=plan, sentences_text="x", expected_version=0)
    services.family_plan_give(actor=procesregisseur, plan=plan, expected_version=row.version)
    row.refresh_from_db()
    assert row.status == FamilyPlanStatus.GIVEN and row.given_by == procesregisseur
    assert AuditEvent.objects.filter(event_type=MeetingEvent.PLAN_FAMILY_GIVEN, case_id=case.pk).exists()
    with pytest.raises(TransitionNotAllowed):
        services.family_plan_review(actor=procesregisseur, plan=plan)


def test_only_a_procesregisseur_reviews_and_only_a_published_plan(published, procesregisseur, professional):
    case, plan = published
    with pytest.raises(AccessDenied):
        services.family_plan_review(actor=professional, plan=plan)
    assert _client(professional).get(f"/overleggen/plan/{plan.pk}/gezin/beoordelen/").status_code == 403
    draft = services.plan_start(actor=procesregisseur, case=case, meeting=None)
    with pytest.raises(TransitionNotAllowed):
        services.family_plan_review(actor=procesregisseur, plan=draft)
    with pytest.raises(TransitionNotAllowed):
        services.family_plan_give(actor=procesregisseur, plan=plan)  # not reviewed yet


def test_review_page_prefills_tafels_sentences_and_saves_the_review(published, procesregisseur):
    case, plan = published
    regie = _client(procesregisseur)
    url = f"/overleggen/plan/{plan.pk}/gezin/beoordelen/"
    page = regie.get(url)
    assert page.status_code == 200
    assert "bij u thuis langskomen" in page.content.decode()
    text = page.context["form"].initial["sentences"]
    response = regie.post(url, {"step": "review", "version": 0, "sentences": text})
    assert response.status_code == 302
    row = FamilyPlan.objects.get(plan=plan)
    assert row.status == FamilyPlanStatus.REVIEWED and not row.overridden
    response = regie.post(url, {"step": "give", "version": row.version})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == FamilyPlanStatus.GIVEN
    pdf = regie.get(f"/overleggen/plan/{plan.pk}/gezin/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert_pdf_ua(pdf.content)  # tagged (PDF/UA), language and title set


def test_family_is_told_which_organisations_take_part_and_what_kind_was_shared_with_whom_and_why(
    published, procesregisseur, professional, ggz
):
    from tafel.cases.services import case_add_organisation

    case, plan = published
    case_add_organisation(actor=procesregisseur, case=case, organisation=ggz, reason="behandeling")
    note = CaseNote.objects.create(
        case=case,
        text="INHOUD-VAN-DE-NOTITIE",
        supplied_by_org=professional.organisation,
        created_by=professional,
        created_at=timezone.now(),
        category=InfoCategory.MEDISCH,
    )
    Share.objects.create(
        case=case,
        item_type="cases.casenote",
        item_id=note.pk,
        from_org=professional.organisation,
        to_org=ggz,
        reason="Ernstige dreiging voor de veiligheid",
        explanation="TOELICHTING-INTERN",
        shared_by=professional,
        shared_at=timezone.now(),
    )
    services.family_plan_review(actor=procesregisseur, plan=plan)
    html = _client(procesregisseur).get(f"/overleggen/plan/{plan.pk}/gezin/").content.decode()
    assert "GGZ Test" in html and "Politie Test" in html
    assert "een aantekening over uw situatie (medische gegevens)" in html
    assert "Ernstige dreiging voor de veiligheid" in html
    assert "INHOUD-VAN-DE-NOTITIE" not in html and "TOELICHTING-INTERN" not in html


def test_bodemeisen_for_professionals_stay_out(published, procesregisseur):
    case, plan = published
    assert not plan.bodemeisen.filter(audience=Audience.FAMILY).exists()
    services.family_plan_review(actor=procesregisseur, plan=plan)
    html = _client(procesregisseur).get(f"/overleggen/plan/{plan.pk}/gezin/").content.decode()
    assert "Geen geweld in het bijzijn van de kinderen." not in html


@pytest.fixture
def api(db):
    from tafel.api.tests.conftest import ApiClient, make_key

    def make(user) -> ApiClient:
        return ApiClient(Client(), {"Authorization": f"Bearer {make_key(user)}"})

    return make


def test_api_reads_reviews_and_gives_the_family_version(published, api, procesregisseur, professional, outsider):
    case, plan = published
    r = api(professional).get(f"/meetings/plans/{plan.pk}/family")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "draft" and r.json()["sentences"] == []
    assert api(outsider).get(f"/meetings/plans/{plan.pk}/family").status_code == 404
    assert api(professional).post(f"/meetings/plans/{plan.pk}/family/review", {}).status_code == 403
    r = api(procesregisseur).post(
        f"/meetings/plans/{plan.pk}/family/review", {"sentences": ["Agent komt langs."], "version": 0}
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "reviewed" and body["sentences"] == ["Agent komt langs."] and body["overridden"]
    stale = api(procesregisseur).post(f"/meetings/plans/{plan.pk}/family/review", {"version": 0})
    assert stale.status_code == 409
    r = api(procesregisseur).post(f"/meetings/plans/{plan.pk}/family/give", {"version": body["version"]})
    assert r.status_code == 200 and r.json()["status"] == "given" and r.json()["given_at"]
    assert api(procesregisseur).post(f"/meetings/plans/{plan.pk}/family/give", {}).status_code == 409
