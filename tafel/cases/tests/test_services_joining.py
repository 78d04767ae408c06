"""Issue 11: a joining melding updates the case (urgency, roles) or proposes (theme, factors, sender); the
procesregisseur edits roles, theme and urgency with a reason; every change is history and audit."""

from __future__ import annotations

import datetime

import pytest

from tafel.cases import changes
from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import (
    CaseChange,
    CaseChangeField,
    CaseOrganisation,
    CasePerson,
    CaseProposal,
    CaseProposalStatus,
    PersonRole,
    ProposalKind,
    Theme,
    Urgency,
)
from tafel.cases.screening import person_match
from tafel.cases.services import PersonInput, aanmelding_create
from tafel.core.errors import AccessDenied, ConcurrentEdit, NotFound, TransitionNotAllowed, ValidationFailed
from tafel.core.models import AuditEvent
from tafel.lifecycle.models import Notification, NotificationKind
from tafel.organisations.models import Role
from tafel.persons.matching import NameParts
from tafel.testing import aanmelding_input, make_user


def _stalking_case(professional, municipality):
    """A ZSM-like stalking case: the ex-partner is only "betrokkene" at first, theme overlast."""
    persons = [
        PersonInput(
            first_names="Mark",
            last_name="de Vries",
            date_of_birth=datetime.date(1985, 5, 2),
            gender="m",
            role=PersonRole.BETROKKENE,
        ),
        PersonInput(
            first_names="Eva",
            last_name="Smit",
            date_of_birth=datetime.date(1990, 8, 9),
            gender="v",
            role=PersonRole.SLACHTOFFER,
        ),
    ]
    data = aanmelding_input(municipality, persons=persons, theme=Theme.OVERLAST, predictive_factors=["middelen"])
    return aanmelding_create(actor=professional, data=data).case


def _join(actor, municipality, case, *, role=PersonRole.VERDACHTE, **overrides):
    mark = CasePerson.objects.get(case=case, person__first_names="Mark").person
    # The sender screens first (SPEC §3.2): an aanmelder links only a person its own screening showed it or
    # one it already sees (issue 10, finding 2).
    person_match(
        viewer=actor,
        query=NameParts(first_names=mark.first_names, last_name=mark.last_name, date_of_birth=mark.date_of_birth),
    )
    persons = [PersonInput(existing_person_id=mark.pk, role=role)]
    data = aanmelding_input(municipality, persons=persons, **overrides)
    return aanmelding_create(actor=actor, data=data)


@pytest.fixture
def stalking(professional, municipality, procesregisseur):
    return _stalking_case(professional, municipality)


def test_joining_melding_raises_urgency_and_changes_role_with_history(
    stalking, professional, municipality, procesregisseur
):
    result = _join(professional, municipality, stalking, urgency=Urgency.HOOG, theme=Theme.OVERLAST)
    assert result.joined_existing
    stalking.refresh_from_db()
    assert stalking.urgency == Urgency.HOOG
    link = CasePerson.objects.get(case=stalking, person__first_names="Mark")
    assert link.role == PersonRole.VERDACHTE and link.role_changed_at is not None
    history = {(c.field, c.old_value, c.new_value) for c in CaseChange.objects.filter(case=stalking)}
    assert history == {
        (CaseChangeField.URGENCY, Urgency.NORMAAL, Urgency.HOOG),
        (CaseChangeField.ROLE, PersonRole.BETROKKENE, PersonRole.VERDACHTE),
    }
    assert all(c.aanmelding_id == result.aanmelding.pk for c in CaseChange.objects.filter(case=stalking))
    events = AuditEvent.objects.filter(case_id=stalking.pk, event_type=CaseEvent.CASE_PERSON_ROLE)
    assert events.count() == 1


def test_urgency_never_drops_and_betrokkene_never_overwrites_a_specific_role(
    stalking, professional, municipality, procesregisseur
):
    _join(professional, municipality, stalking, urgency=Urgency.ACUUT)
    _join(professional, municipality, stalking, urgency=Urgency.NORMAAL, role=PersonRole.BETROKKENE)
    stalking.refresh_from_db()
    assert stalking.urgency == Urgency.ACUUT
    assert CasePerson.objects.get(case=stalking, person__first_names="Mark").role == PersonRole.VERDACHTE


def test_theme_factors_and_new_sender_arrive_as_proposals_with_a_notification(
    stalking, outsider, municipality, procesregisseur
):
    result = _join(
        outsider,
        municipality,
        stalking,
        theme=Theme.HUISELIJK_GEWELD,
        predictive_factors=["middelen", "stalking"],
    )
    stalking.refresh_from_db()
    assert stalking.theme == Theme.OVERLAST  # not changed until the house decides
    proposals = {p.kind: p for p in CaseProposal.objects.filter(case=stalking)}
    assert set(proposals) == {ProposalKind.THEME, ProposalKind.PREDICTIVE_FACTORS, ProposalKind.ORGANISATION}
    assert proposals[ProposalKind.PREDICTIVE_FACTORS].predictive_factors == ["stalking"]
    assert proposals[ProposalKind.ORGANISATION].organisation_id == outsider.organisation_id
    assert all(p.aanmelding_id == result.aanmelding.pk for p in proposals.values())
    assert not CaseOrganisation.objects.filter(case=stalking, organisation=outsider.organisation).exists()
    note = Notification.objects.get(user=procesregisseur, kind=NotificationKind.PROPOSAL)
    assert stalking.reference in note.text and note.url.endswith("#voorstellen")
    # The same proposal is not made twice while one is open.
    _join(outsider, municipality, stalking, theme=Theme.HUISELIJK_GEWELD, predictive_factors=["stalking"])
    assert CaseProposal.objects.filter(case=stalking).count() == 3


def test_accepting_proposals_applies_them_and_declining_needs_a_reason(
    stalking, outsider, municipality, procesregisseur
):
    _join(outsider, municipality, stalking, theme=Theme.HUISELIJK_GEWELD, predictive_factors=["stalking"])
    proposals = {p.kind: p for p in CaseProposal.objects.filter(case=stalking)}
    changes.case_proposal_decide(
        actor=procesregisseur, case=stalking, proposal_id=proposals[ProposalKind.THEME].pk, accept=True
    )
    changes.case_proposal_decide(
        actor=procesregisseur, case=stalking, proposal_id=proposals[ProposalKind.PREDICTIVE_FACTORS].pk, accept=True
    )
    with pytest.raises(ValidationFailed) as exc:
        changes.case_proposal_decide(
            actor=procesregisseur, case=stalking, proposal_id=proposals[ProposalKind.ORGANISATION].pk, accept=False
        )
    assert "reason" in exc.value.field_errors
    declined = changes.case_proposal_decide(
        actor=procesregisseur,
        case=stalking,
        proposal_id=proposals[ProposalKind.ORGANISATION].pk,
        accept=False,
        reason="GGZ meldde alleen; geen rol in de aanpak.",
    )
    assert declined.status == CaseProposalStatus.DECLINED
    stalking.refresh_from_db()
    assert stalking.theme == Theme.HUISELIJK_GEWELD
    assert stalking.predictive_factors == ["middelen", "stalking"]
    assert not CaseOrganisation.objects.filter(case=stalking, organisation=outsider.organisation).exists()
    with pytest.raises(TransitionNotAllowed):
        changes.case_proposal_decide(
            actor=procesregisseur, case=stalking, proposal_id=proposals[ProposalKind.THEME].pk, accept=True
        )
    assert AuditEvent.objects.filter(event_type=CaseEvent.CASE_PROPOSAL_DECIDE, case_id=stalking.pk).count() == 3


def test_accepting_the_sender_makes_it_a_participant(stalking, outsider, municipality, procesregisseur):
    _join(outsider, municipality, stalking, theme=Theme.OVERLAST)
    proposal = CaseProposal.objects.get(case=stalking, kind=ProposalKind.ORGANISATION)
    changes.case_proposal_decide(actor=procesregisseur, case=stalking, proposal_id=proposal.pk, accept=True)
    assert CaseOrganisation.objects.filter(case=stalking, organisation=outsider.organisation).exists()
    assert CaseChange.objects.filter(case=stalking, field=CaseChangeField.ORGANISATION).exists()


def test_only_the_procesregisseur_decides_and_edits(stalking, professional, municipality, procesregisseur, house):
    _join(professional, municipality, stalking, theme=Theme.HUISELIJK_GEWELD)
    proposal = CaseProposal.objects.get(case=stalking)
    info_officer = make_user(house, Role.INFORMATIEMEDEWERKER)
    for actor in (professional, info_officer):
        with pytest.raises(AccessDenied):
            changes.case_proposal_decide(actor=actor, case=stalking, proposal_id=proposal.pk, accept=True)
        with pytest.raises(AccessDenied):
            changes.case_classification_update(actor=actor, case=stalking, urgency=Urgency.ACUUT, reason="x")
        with pytest.raises(AccessDenied):
            changes.case_person_role_set(
                actor=actor,
                case=stalking,
                person_id=proposal.aanmelding.persons.first().person_id,
                role="pleger",
                reason="x",
            )


def test_proposal_of_another_case_reads_as_absent(stalking, professional, municipality, procesregisseur):
    other = _stalking_case(professional, municipality)  # joins? no: new persons, so a new case
    _join(professional, municipality, stalking, theme=Theme.HUISELIJK_GEWELD)
    proposal = CaseProposal.objects.get(case=stalking)
    assert other.pk != stalking.pk
    with pytest.raises(NotFound):
        changes.case_proposal_decide(actor=procesregisseur, case=other, proposal_id=proposal.pk, accept=True)


def test_procesregisseur_edits_urgency_theme_and_role_with_reason(stalking, procesregisseur):
    with pytest.raises(ValidationFailed) as exc:
        changes.case_classification_update(actor=procesregisseur, case=stalking, urgency=Urgency.ACUUT, reason=" ")
    assert "reason" in exc.value.field_errors
    made = changes.case_classification_update(
        actor=procesregisseur,
        case=stalking,
        urgency=Urgency.ACUUT,
        theme=Theme.HUISELIJK_GEWELD,
        reason="Dreiging met een wapen gemeld.",
        expected_version=stalking.version,
    )
    assert {c.field for c in made} == {CaseChangeField.URGENCY, CaseChangeField.THEME}
    stalking.refresh_from_db()
    assert (stalking.urgency, stalking.theme) == (Urgency.ACUUT, Theme.HUISELIJK_GEWELD)
    with pytest.raises(ConcurrentEdit):
        changes.case_classification_update(
            actor=procesregisseur, case=stalking, urgency=Urgency.HOOG, reason="x", expected_version=1
        )
    with pytest.raises(ValidationFailed):
        changes.case_classification_update(actor=procesregisseur, case=stalking, urgency=Urgency.ACUUT, reason="x")
    mark = CasePerson.objects.get(case=stalking, person__first_names="Mark")
    change = changes.case_person_role_set(
        actor=procesregisseur, case=stalking, person_id=mark.person_id, role=PersonRole.PLEGER, reason="Veroordeeld."
    )
    assert change.reason == "Veroordeeld."
    mark.refresh_from_db()
    assert mark.role == PersonRole.PLEGER and mark.role_changed_at == change.at
    with pytest.raises(NotFound):
        changes.case_person_role_set(
            actor=procesregisseur, case=stalking, person_id=999999, role=PersonRole.PLEGER, reason="x"
        )
    codes = set(AuditEvent.objects.filter(case_id=stalking.pk).values_list("event_type", flat=True))
    assert {CaseEvent.CASE_CLASSIFY, CaseEvent.CASE_PERSON_ROLE} <= codes


def test_new_case_carries_the_predictive_factors_of_its_melding(stalking):
    assert stalking.predictive_factors == ["middelen"]
