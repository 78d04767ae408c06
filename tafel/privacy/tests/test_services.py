"""Consent, justified sharing, restrictions, the AVG rights, the FG's audit tools and dat-informatie."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tafel.cases.access import filter_items, item_visible
from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import InfoCategory
from tafel.cases.services import case_add_note, case_add_organisation
from tafel.core.errors import AccessDenied, NotFound, ValidationFailed
from tafel.core.models import AuditEvent
from tafel.core.tests.pdfua import assert_pdf_ua
from tafel.organisations.models import OrganisationType, Role
from tafel.privacy import services
from tafel.privacy.audit_events import PrivacyEvent
from tafel.privacy.models import PersonRectification, RestrictionScope, Share
from tafel.privacy.selectors import AuditFilters, audit_search, person_export, unusual_access
from tafel.testing import make_org, make_user


@pytest.fixture
def ggz_in_case(case, ggz, procesregisseur):
    case_add_organisation(actor=procesregisseur, case=case, organisation=ggz, reason="behandelaar")
    return make_user(ggz, Role.PROFESSIONAL, username="behandelaar")


@pytest.fixture
def fg(house):
    return make_user(house, Role.FG, username="fg")


def test_medical_information_needs_consent_or_a_justified_share(case, ggz_in_case, professional, procesregisseur):
    note = case_add_note(actor=ggz_in_case, case=case, text="Diagnose", category=InfoCategory.MEDISCH)
    assert filter_items(ggz_in_case, case=case, items=[note]) == [note]
    assert filter_items(professional, case=case, items=[note]) == []
    assert filter_items(procesregisseur, case=case, items=[note]) == []

    # A share of a sensitive item requires a reason from the reglement and an explanation.
    with pytest.raises(ValidationFailed) as exc:
        services.item_share(
            actor=ggz_in_case, case=case, item=note, to_org=professional.organisation, reason="x", explanation=""
        )
    assert {"reason", "explanation"} <= set(exc.value.field_errors)
    # Only the supplier shares its own information; others do not even see it.
    with pytest.raises(NotFound):
        services.item_share(
            actor=procesregisseur,
            case=case,
            item=note,
            to_org=professional.organisation,
            reason=services.SERIOUS_THREAT,
            explanation="dreiging",
        )
    services.item_share(
        actor=ggz_in_case,
        case=case,
        item=note,
        to_org=professional.organisation,
        reason=services.SERIOUS_THREAT,
        explanation="Dreiging richting de kinderen.",
    )
    assert filter_items(professional, case=case, items=[note]) == [note]
    assert filter_items(procesregisseur, case=case, items=[note]) == []
    event = AuditEvent.objects.get(event_type=PrivacyEvent.ITEM_SHARE)
    # The ground and the explanation are on the Share record, the audit event points to it.
    assert event.case_id == case.pk and event.reason == ""
    assert Share.objects.get(pk=event.details["share"]).reason == services.SERIOUS_THREAT

    # Consent of the person for medical sharing opens it to the case's partners; withdrawal closes it.
    person = case.case_persons.first().person
    consent = services.consent_record(
        actor=procesregisseur,
        case=case,
        person=person,
        purpose="medisch",
        given_on=timezone.localdate(),
        form="verbal",
    )
    assert item_visible(
        procesregisseur, case=case, supplied_by_org_id=note.supplied_by_org_id, category=note.category, item=note
    )
    services.consent_withdraw(actor=procesregisseur, consent=consent, reason="Cliënt trekt in")
    assert not item_visible(
        procesregisseur, case=case, supplied_by_org_id=note.supplied_by_org_id, category=note.category, item=note
    )
    assert AuditEvent.objects.filter(event_type=PrivacyEvent.CONSENT_WITHDRAW, person_id=person.pk).exists()


def test_police_restrict_an_ongoing_investigation(case, professional, procesregisseur, ggz_in_case):
    om = make_org("OM Test", OrganisationType.OM)
    case_add_organisation(actor=procesregisseur, case=case, organisation=om, reason="officier")
    officier = make_user(om, Role.PROFESSIONAL, username="officier")
    note = case_add_note(actor=professional, case=case, text="Onderzoek loopt", category=InfoCategory.POLITIE_ONDERZOEK)
    # Default: criminal-justice partners only.
    assert filter_items(officier, case=case, items=[note]) == [note]
    assert filter_items(ggz_in_case, case=case, items=[note]) == []
    assert filter_items(procesregisseur, case=case, items=[note]) == []
    services.item_restrict(actor=professional, case=case, item=note, scope=RestrictionScope.OWN)
    assert filter_items(officier, case=case, items=[note]) == []
    assert filter_items(professional, case=case, items=[note]) == [note]
    services.item_restrict(actor=professional, case=case, item=note, scope=RestrictionScope.CASE)
    assert filter_items(ggz_in_case, case=case, items=[note]) == [note]


def test_an_organisation_without_convenant_sees_only_what_was_shared_with_it(case, professional, procesregisseur):
    shelter = make_org("Opvang", OrganisationType.ZORG, convenant=False)
    case_add_organisation(actor=procesregisseur, case=case, organisation=shelter, reason="opvang")
    worker = make_user(shelter, Role.PROFESSIONAL, username="opvang")
    note = case_add_note(actor=professional, case=case, text="Algemeen")
    assert filter_items(worker, case=case, items=[note]) == []
    services.item_share(actor=professional, case=case, item=note, to_org=shelter, reason="", explanation="")
    assert filter_items(worker, case=case, items=[note]) == [note]


def test_restricted_person_is_hidden_from_all_but_fg_and_procesregisseur(
    client, case, professional, procesregisseur, fg
):
    person = case.case_persons.first().person
    with pytest.raises(AccessDenied):
        services.person_restrict(actor=professional, person=person, restricted=True, reason="verzoek")
    services.person_restrict(actor=fg, person=person, restricted=True, reason="Verzoek betrokkene art. 18")
    client.force_login(professional)
    assert person.last_name not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    client.force_login(procesregisseur)
    assert person.last_name in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert AuditEvent.objects.filter(event_type=PrivacyEvent.PERSON_RESTRICT, person_id=person.pk).exists()


def test_rectification_keeps_history_and_export_holds_everything(client, case, fg, professional):
    person = case.case_persons.first().person
    services.person_rectify(actor=fg, person=person, field="last_name", new_value="Jansen", reason="Typfout")
    person.refresh_from_db()
    assert person.last_name == "Jansen" and person.norm_last
    rect = PersonRectification.objects.get()
    assert (rect.old_value, rect.new_value) == ("Janssen", "Jansen")

    client.force_login(professional)
    client.get(reverse("cases:detail", args=[case.pk]))
    data = person_export(viewer=fg, person_id=person.pk)
    assert data["person"]["last_name"] == "Jansen"
    assert data["cases"][0]["reference"] == case.reference
    assert data["aanmeldingen"][0]["source"] == professional.organisation.name
    assert any(row["user"].endswith("(agent)") for row in data["seen_by"])
    assert data["rectifications"][0]["old"] == "Janssen"
    client.force_login(fg)
    response = client.get(reverse("privacy:person_export_json", args=[person.pk]))
    assert response.status_code == 200 and json.loads(response.content)["person"]["id"] == person.pk
    pdf = client.get(reverse("privacy:person_export_pdf", args=[person.pk]))
    assert pdf.status_code == 200
    assert_pdf_ua(pdf.content)
    assert AuditEvent.objects.filter(event_type=PrivacyEvent.PERSON_EXPORT, person_id=person.pk).count() == 3


def test_fg_searches_and_exports_the_audit_log_and_sees_unusual_access(
    client, case, fg, professional, municipality, settings
):
    from tafel.testing import make_case

    settings.TAFEL_UNUSUAL_ACCESS_THRESHOLD = 3
    nosy = make_user(fg.organisation, Role.PROCESREGISSEUR, username="nieuwsgierig")
    cases = [make_case(professional, municipality) for _ in range(3)]
    client.force_login(nosy)
    for c in cases:
        assert client.get(reverse("cases:detail", args=[c.pk])).status_code == 200
    alerts = unusual_access(viewer=fg)
    assert [(a.actor_label, a.cases_without_task) for a in alerts] == [(f"{nosy.get_full_name()} (nieuwsgierig)", 3)]
    # A case they are procesregisseur of is a task, not an unusual read.
    type(cases[0]).objects.filter(pk=cases[0].pk).update(procesregisseur=nosy)
    assert unusual_access(viewer=fg) == []

    rows = audit_search(viewer=fg, filters=AuditFilters(organisation_id=fg.organisation_id, case_id=cases[1].pk))
    assert rows.filter(event_type=CaseEvent.CASE_VIEW).count() == 1
    with pytest.raises(AccessDenied):
        audit_search(viewer=professional, filters=AuditFilters())
    client.force_login(fg)
    csv = b"".join(client.get(reverse("privacy:audit_export"), {"case": cases[1].pk}).streaming_content).decode(
        "utf-8-sig"
    )
    # NEN 7513's field names (issue 13 item 5); `;`-separated for Dutch Excel (tafel.core.spreadsheet).
    header = csv.splitlines()[0].split(";")
    assert header[:7] == [
        "EventID",
        "EventDateTime",
        "EventActionCode",
        "EventTypeCode",
        "EventTypeName",
        "EventOutcomeIndicator",
        "UserID",
    ]
    assert {"RoleIDCode", "PurposeOfUse", "NetworkAccessPointID", "ParticipantObjectID", "TraceID"} <= set(header)
    assert "nieuwsgierig" in csv
    row = dict(zip(header, csv.splitlines()[1].split(";"), strict=False))
    assert row["EventActionCode"] in {"R", "E"} and row["EventOutcomeIndicator"] in {"0", "4"}
    page = client.get(reverse("privacy:fg")).content.decode()
    assert "nieuwsgierig" in page


def test_dat_informatie_outside_the_case_is_known_and_contact_only(case, outsider, procesregisseur):
    from django.test import Client

    from tafel.api.models import SCOPES
    from tafel.api.services import api_token_create

    key = api_token_create(actor=None, user=outsider, name="t", scopes=list(SCOPES), days=5).key
    response = Client().post(
        "/api/v1/persons/match",
        json.dumps({"first_names": "Pieter", "last_name": "Janssen", "date_of_birth": "1980-03-14"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Janssen" in body  # the match itself
    assert case.reference not in body  # no case reference outside the case
    aanmelding = case.aanmeldingen.first()
    assert aanmelding.summary not in body and aanmelding.reason not in body  # no wat-informatie
    signal = response.json()[0]["known"][0] if isinstance(response.json(), list) else None
    assert '"contact_name"' in body  # whom to contact
    assert signal is None or not signal.get("case_reference")


def test_reglement_is_edited_by_the_beheerder_and_shown_where_users_share(
    client, beheerder, case, professional, procesregisseur
):
    from tafel.meetings.tests.factories import plan_meeting, triaged

    triaged(case, procesregisseur)
    meeting = plan_meeting(procesregisseur, cases=[case])
    client.force_login(beheerder)
    url = reverse("privacy:reglement_edit", args=[meeting.overleg_type.pk])
    response = client.post(
        url,
        {
            "purpose": "Veiligheid van gezinnen bij huiselijk geweld",
            "categories": ["algemeen", "medisch"],
            "exchange_rules": "Noodzakelijk voor de veiligheid\nMet toestemming",
            "retention_months": "24",
            "legal_basis": "Art. 6 lid 1 sub e AVG",
        },
    )
    assert response.status_code == 302
    client.force_login(professional)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Veiligheid van gezinnen bij huiselijk geweld" in page
    privacy_page = client.get(reverse("privacy:case", args=[case.pk])).content.decode()
    assert "Noodzakelijk voor de veiligheid" in privacy_page
    # Justitieel is not in this reglement's categories: not exchanged, even to a convenant partner.
    note = case_add_note(actor=professional, case=case, text="Strafblad", category=InfoCategory.JUSTITIEEL)
    assert filter_items(procesregisseur, case=case, items=[note]) == []
    assert AuditEvent.objects.filter(event_type=PrivacyEvent.REGLEMENT_UPDATE).exists()
