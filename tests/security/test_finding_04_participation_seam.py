"""Issue 10 finding 4 × issue 11: every way an organisation comes to take part after intake honours the kind.

- Accepting the "organisation" proposal of a joining melding gives the sender the kind intake would have
  given it: a partner under the convenant, else a reporter only — accepting never grants partner rights.
- A Veilig Thuis handover makes the receiver a partner (it does the work from then on); if it took part as a
  reporter only, that promotion is audited with `from: melder`, like the procesregisseur's "Partner maken".
- The house adding an organisation that is a reporter only makes it a partner, audited the same way.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from tafel.cases.access import can_view_case
from tafel.cases.audit_events import CaseEvent
from tafel.cases.changes import case_proposal_decide
from tafel.cases.models import CaseOrganisation, CaseProposal, ParticipationKind, ProposalKind
from tafel.cases.services import PersonInput, aanmelding_create, case_add_organisation
from tafel.core.models import AuditEvent
from tafel.lifecycle import services as lifecycle
from tafel.lifecycle.models import RiskLevel, VtOrigin, VtRoute
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import aanmelding_input, make_org, make_user, screen

pytestmark = pytest.mark.django_db


def _kind(case, organisation):
    return CaseOrganisation.objects.get(case=case, organisation=organisation).kind


def _adds(case, organisation):
    return list(
        AuditEvent.objects.filter(
            event_type=CaseEvent.CASE_PARTICIPANT_ADD, case_id=case.pk, details__organisation=organisation.pk
        ).values_list("details", flat=True)
    )


def _joining(reporter, case, municipality):
    person = case.case_persons.select_related("person").first().person
    screen(reporter, person)
    result = aanmelding_create(
        actor=reporter,
        data=aanmelding_input(
            municipality, persons=[PersonInput(role="kind", existing_person_id=person.pk, last_name=person.last_name)]
        ),
    )
    assert result.joined_existing and result.case == case
    return CaseProposal.objects.get(case=case, kind=ProposalKind.ORGANISATION, organisation=reporter.organisation)


@pytest.fixture
def case(professional, municipality):
    return aanmelding_create(actor=professional, data=aanmelding_input(municipality)).case


@pytest.mark.parametrize("convenant", [False, True])
def test_accepting_a_joining_meldings_sender_gives_the_intake_kind(case, municipality, procesregisseur, convenant):
    org = make_org("Huisartsenpraktijk", OrganisationType.ZORG, convenant=convenant)
    sender = make_user(org, Role.AANMELDER, Role.PROFESSIONAL, username="huisarts")
    proposal = _joining(sender, case, municipality)
    case_proposal_decide(actor=procesregisseur, case=case, proposal_id=proposal.pk, accept=True)
    expected = ParticipationKind.PARTNER if convenant else ParticipationKind.REPORTER
    assert _kind(case, org) == expected
    assert can_view_case(sender, case) is convenant
    assert _adds(case, org) == [{"organisation": org.pk, "kind": expected, "proposal": proposal.pk}]


def test_handover_to_a_reporter_makes_it_a_partner_audited(professional, municipality):
    vt = make_org("Veilig Thuis Test", OrganisationType.VEILIG_THUIS)
    vt_worker = make_user(vt, Role.PROFESSIONAL, username="vtmedewerker")
    wijkteam = make_org("Wijkteam zonder convenant", OrganisationType.ZORG, convenant=False)
    coach = make_user(wijkteam, Role.PROFESSIONAL, Role.AANMELDER, username="coach")
    melding = lifecycle.vt_melding_create(
        actor=professional, origin=VtOrigin.POLITIE, data=aanmelding_input(municipality)
    )
    case = melding.case
    CaseOrganisation.objects.create(
        case=case,
        organisation=wijkteam,
        kind=ParticipationKind.REPORTER,
        reason="aanmelder",
        added_at=timezone.now(),
        added_by=coach,
    )
    assert not can_view_case(coach, case)
    lifecycle.vt_decide(
        actor=vt_worker,
        case=case,
        risk_level=RiskLevel.LAAG,
        route=VtRoute.OVERDRACHT,
        reason="Lokaal veld kan het dragen",
        handover_organisation_id=wijkteam.pk,
        handover_on=timezone.localdate(),
        handover_present="Ouders, coach, VT",
    )
    assert _kind(case, wijkteam) == ParticipationKind.PARTNER
    assert can_view_case(coach, case)
    assert _adds(case, wijkteam) == [{"organisation": wijkteam.pk, "kind": "partner", "from": "melder"}]


def test_the_house_adding_a_reporter_makes_it_a_partner_audited(case, procesregisseur):
    school = make_org("School", OrganisationType.ZORG, convenant=False)
    juf = make_user(school, Role.AANMELDER, username="juf")
    CaseOrganisation.objects.create(
        case=case, organisation=school, kind=ParticipationKind.REPORTER, reason="aanmelder", added_at=timezone.now()
    )
    assert case_add_organisation(actor=procesregisseur, case=case, organisation=school, reason="Zorgteam school.")
    assert _kind(case, school) == ParticipationKind.PARTNER and can_view_case(juf, case)
    assert _adds(case, school) == [{"organisation": school.pk, "kind": "partner", "from": "melder"}]
    # Asked again: nothing changes, nothing is recorded twice.
    assert not case_add_organisation(actor=procesregisseur, case=case, organisation=school, reason="Nogmaals.")
    assert len(_adds(case, school)) == 1
