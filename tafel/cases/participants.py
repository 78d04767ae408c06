"""Removing a partner organisation from a case (issue 11 item 6). Adding goes through
`services.case_add_organisation`; both are for the house's process roles (`policy.may_manage_case`), like
"Partner maken".

Removing is refused — with the reason in words and what stands in the way listed — when the organisation is
the house itself, is the last partner besides the house, provides the casusregisseur, owns (or co-owns) open
actions of the case, or has people invited to a coming meeting about the case. We refuse rather than
reassign silently: the procesregisseur reassigns the actions and withdraws the invitations on the pages
built for that, each of which is audited and told to the people concerned, and then removes the organisation.
The moment the participation row is gone the organisation's users lose the case (need-to-know, SPEC §6). The
reason is kept in the case's history (`CaseChange`, field "organisation"), the audit row holds ids only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tafel.access.policy import may_manage_case
from tafel.cases.access import PARTNER
from tafel.cases.audit_events import CaseEvent
from tafel.cases.partners import partner_count_refresh
from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, NotFound, TransitionNotAllowed, ValidationFailed
from tafel.organisations.models import OrganisationType

from .models import Case, CaseChange, CaseChangeField, CaseOrganisation

REASON_MAX = 300

# Apps above cases (meetings: open actions, coming invitations) add what stands in the way from their own records;
# they register a finder at start-up, so cases imports no app above it (docs/decisions/0008-dependency-layers.md).
_obstacle_finders: list[Callable[..., list[str]]] = []


def register_removal_obstacles(finder: Callable[..., list[str]]) -> None:
    """`finder(case=, organisation=)` returns the obstacles, in words, that its app sees."""
    if finder not in _obstacle_finders:
        _obstacle_finders.append(finder)


@dataclass
class RemovalCheck:
    """What stands in the way of removing an organisation: shown on the confirmation page before anyone
    types a reason, and the same list makes the service refuse."""

    participation: CaseOrganisation
    blockers: list[str]

    @property
    def allowed(self) -> bool:
        return not self.blockers


def participation_get(*, case: Case, organisation_id, for_update: bool = False) -> CaseOrganisation:
    """An organisation's participation in the case, by the id in the request: the one fetch for removing it
    and for making a reporter a partner. `for_update` locks the row (inside a transaction)."""
    try:
        organisation_id = int(organisation_id)
    except (TypeError, ValueError):
        raise NotFound("Deze organisatie neemt niet deel aan de casus.") from None
    if not 0 < organisation_id < 2**63:  # beyond any key the database can hold
        raise NotFound("Deze organisatie neemt niet deel aan de casus.")
    qs = CaseOrganisation.objects.select_related("organisation")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    found = qs.filter(case=case, organisation_id=organisation_id).first()
    if found is None:
        raise NotFound("Deze organisatie neemt niet deel aan de casus.")
    return found


def removal_check(*, case: Case, participation: CaseOrganisation) -> RemovalCheck:
    org = participation.organisation
    blockers: list[str] = []
    if org.type == OrganisationType.ZVH:
        blockers.append(f"{org} is het Zorg- en Veiligheidshuis zelf en blijft altijd bij de casus.")
    if participation.kind == PARTNER:
        others = (
            CaseOrganisation.objects.filter(case=case, kind=PARTNER)
            .exclude(organisation_id=org.pk)
            .exclude(organisation__type=OrganisationType.ZVH)
        )
        if org.type != OrganisationType.ZVH and not others.exists():
            blockers.append(f"{org} is de laatste partner in de casus; voeg eerst een andere partner toe.")
    if case.casusregisseur_id and case.casusregisseur.organisation_id == org.pk:
        blockers.append(f"De casusregisseur ({case.casusregisseur}) werkt bij {org}; benoem eerst een ander.")
    for find in _obstacle_finders:
        blockers.extend(find(case=case, organisation=org))
    return RemovalCheck(participation=participation, blockers=blockers)


def removal_check_read(*, viewer, case: Case, participation: CaseOrganisation) -> RemovalCheck:
    """The check as shown to the house (confirmation page, API): it names people and actions of the case, so
    it is a read of the case, audited."""
    audit(actor=viewer, event=CaseEvent.CASE_VIEW, case_id=case.pk, reason="participation_remove")
    return removal_check(case=case, participation=participation)


def case_participation_remove(*, actor, case: Case, organisation_id, reason: str) -> CaseOrganisation:
    """Take an organisation out of the case, with a reason, audited (CASE_PARTICIPANT_REMOVE). Refused with
    every blocker listed (see the module note)."""
    if not may_manage_case(actor):
        raise AccessDenied("Alleen het huis haalt organisaties uit een casus.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            "Geef een reden.", field_errors={"reason": ["Waarom neemt deze organisatie niet meer deel?"]}
        )
    if len(reason) > REASON_MAX:
        raise ValidationFailed("De reden is te lang.", field_errors={"reason": [f"Maximaal {REASON_MAX} tekens."]})
    with transaction.atomic():
        # Lock the case row so two removals cannot both pass the "last partner" rule.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        participation = participation_get(case=case, organisation_id=organisation_id)
        check = removal_check(case=case, participation=participation)
        if not check.allowed:
            raise TransitionNotAllowed(
                f"{participation.organisation} kan niet uit de casus worden gehaald: " + " ".join(check.blockers)
            )
        participation.delete()
        partner_count_refresh(case.pk)
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
        # The reason is free text: it lives in the case's history, the audit row holds ids and codes only.
        CaseChange.objects.create(
            case=case,
            field=CaseChangeField.ORGANISATION,
            old_value=participation.organisation.name[:300],
            new_value="",
            actor=actor,
            at=timezone.now(),
            reason=reason,
        )
        audit(
            actor=actor,
            event=CaseEvent.CASE_PARTICIPANT_REMOVE,
            case_id=case.pk,
            details={"organisation": participation.organisation_id, "kind": participation.kind},
        )
    return participation
