"""Interventions (SPEC §2) and closing a case (SPEC §5.3): afschaling, opschaling to the RIEC, afsluiting with
volgen op afstand, re-entry, and closure proposals by partners. Every status change goes through
`cases.services.case_transition`."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tafel.cases.access import PARTNER
from tafel.cases.models import Case, CaseOrganisation, CaseStatus, InfoCategory
from tafel.cases.services import case_transition
from tafel.core.audit import audit
from tafel.core.dates import implausible_date, nl_date
from tafel.core.errors import AccessDenied, TransitionNotAllowed
from tafel.lifecycle.audit_events import LifecycleEvent

from ..conf import follow_up_months
from ..models import (
    CLOSURE_CHECKLIST,
    CLOSURE_CRITERIA,
    BodemeisBreach,
    CaseIntervention,
    Closure,
    ClosureKind,
    ClosureProposal,
    Escalation,
    EscalationStatus,
    GoalReached,
    InterventionType,
    NotificationKind,
    ProposalStatus,
)
from ._common import (
    case_regisseurs,
    clean,
    fail,
    is_house_procesregisseur,
    notify,
    require_in_case,
    require_procesregisseur,
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- interventions --------------------------------------------------------------------------------------


def intervention_add(
    *,
    actor,
    case: Case,
    type_id,
    organisation_id=None,
    started_on: datetime.date | None,
    ended_on: datetime.date | None = None,
    result: str = "",
    note: str = "",
    category: str = InfoCategory.ALGEMEEN,
) -> CaseIntervention:
    """A measure in the case: by default the actor's own organisation runs it; the house may register it for
    any organisation in the case."""
    require_in_case(actor, case)
    errors: dict[str, list[str]] = {}
    itype = InterventionType.objects.filter(pk=type_id if str(type_id).isdigit() else 0, active=True).first()
    if itype is None:
        errors["type"] = ["Kies een interventie uit de lijst."]
    org_id = int(organisation_id) if organisation_id else actor.organisation_id
    if org_id != actor.organisation_id:
        if not is_house_procesregisseur(actor):
            errors["organisation"] = ["U legt alleen interventies van uw eigen organisatie vast."]
        elif not CaseOrganisation.objects.filter(case=case, organisation_id=org_id, kind=PARTNER).exists():
            errors["organisation"] = ["Kies een organisatie die aan de casus deelneemt."]
    if started_on is None:
        errors["started_on"] = ["Vul de startdatum in."]
    elif message := implausible_date(started_on):
        errors["started_on"] = [message]
    if message := implausible_date(ended_on):
        errors["ended_on"] = [message]
    elif ended_on is not None and started_on is not None and ended_on < started_on:
        errors["ended_on"] = ["De einddatum ligt na de startdatum."]
    if category not in InfoCategory.values:
        errors["category"] = ["Kies een informatiecategorie."]
    if errors:
        raise fail_many(errors)
    with transaction.atomic():
        intervention = CaseIntervention.objects.create(
            case=case,
            type=itype,
            organisation_id=org_id,
            started_on=started_on,
            ended_on=ended_on,
            result=clean(result),
            note=clean(note),
            category=category,
            supplied_by_org_id=actor.organisation_id,
            created_by=actor,
            created_at=timezone.now(),
        )
        audit(
            actor=actor,
            event=LifecycleEvent.INTERVENTION_ADD,
            case_id=case.pk,
            details={"intervention": intervention.pk, "type": itype.code},
        )
    return intervention


def intervention_end(
    *, actor, intervention: CaseIntervention, ended_on: datetime.date, result: str
) -> CaseIntervention:
    require_in_case(actor, intervention.case)
    if intervention.supplied_by_org_id != actor.organisation_id and not is_house_procesregisseur(actor):
        raise AccessDenied("Alleen de organisatie die de interventie vastlegde, werkt haar bij.")
    if message := implausible_date(ended_on):
        raise fail(message, "ended_on")
    if ended_on is None or ended_on < intervention.started_on:
        raise fail("De einddatum ligt na de startdatum.", "ended_on")
    if not clean(result):
        raise fail("Beschrijf het resultaat.", "result")
    with transaction.atomic():
        intervention.ended_on, intervention.result = ended_on, clean(result)
        intervention.save(update_fields=["ended_on", "result"])
        audit(
            actor=actor,
            event=LifecycleEvent.INTERVENTION_UPDATE,
            case_id=intervention.case_id,
            details={"intervention": intervention.pk},
        )
    return intervention


def fail_many(errors: dict[str, list[str]]):
    from tafel.core.errors import ValidationFailed

    return ValidationFailed("Controleer de invoer.", field_errors=errors)


# --- closing ----------------------------------------------------------------------------------------------


# A bodemeis breach reported this recently makes closing or stepping down ask for an explicit confirmation.
RECENT_BREACH_DAYS = 30


@dataclass
class ClosureGuard:
    """What stands in the way of closing or stepping down a case (issue 12, item 4). An open escalation refuses
    it: the partners are stuck and the directors or the bestuur still have to decide. A recent bodemeis breach
    or open actions on the current plan need an explicit confirmation with a reason."""

    open_escalation_steps: list[int] = field(default_factory=list)
    recent_breaches: int = 0
    open_actions: int = 0

    @property
    def refused(self) -> bool:
        return bool(self.open_escalation_steps)

    @property
    def refusal(self) -> str:
        steps = ", ".join(str(step) for step in self.open_escalation_steps)
        return (
            f"Er loopt een escalatie (stap {steps}). Rond die eerst af of trek haar in; een casus met een lopende "
            "escalatie wordt niet afgesloten of afgeschaald."
        )

    @property
    def warnings(self) -> list[str]:
        found = []
        if self.recent_breaches:
            found.append(
                f"In de afgelopen {RECENT_BREACH_DAYS} dagen is {self.recent_breaches} keer gemeld dat een bodemeis "
                "niet is nagekomen."
            )
        if self.open_actions:
            found.append(f"Op het geldende plan staan nog {self.open_actions} open acties.")
        return found


def closure_guard(case: Case) -> ClosureGuard:
    from tafel.meetings.models import ActionStatus
    from tafel.meetings.services import current_plan

    since = timezone.now() - datetime.timedelta(days=RECENT_BREACH_DAYS)
    plan = current_plan(case)
    return ClosureGuard(
        open_escalation_steps=sorted(
            Escalation.objects.filter(case=case, status=EscalationStatus.OPEN).values_list("step", flat=True)
        ),
        recent_breaches=BodemeisBreach.objects.filter(case=case, created_at__gte=since).count(),
        open_actions=plan.actions.filter(status=ActionStatus.OPEN).count() if plan else 0,
    )


def _check_guard(case: Case, confirm_reason: str, errors: dict[str, list[str]]) -> str:
    """Refuse with an open escalation; ask for a reason when there is a recent breach or open actions. Returns
    the confirmed reason (empty when nothing needed confirming)."""
    guard = closure_guard(case)
    if guard.refused:
        raise TransitionNotAllowed(guard.refusal)
    if not guard.warnings:
        return ""
    if not clean(confirm_reason):
        errors["confirm_reason"] = [
            " ".join(guard.warnings) + " Bevestig met een reden dat u de casus toch afsluit of afschaalt."
        ]
    return clean(confirm_reason)


def _leave_future_agendas(case: Case) -> list[int]:
    """A case that leaves the aanpak leaves the agendas of meetings that have not started (issue 12, item 4).
    Held meetings keep their record. Returns the meetings it was taken off."""
    from tafel.meetings.models import AgendaItem, MeetingStatus

    items = AgendaItem.objects.filter(
        case=case, meeting__status=MeetingStatus.PLANNED, meeting__starts_at__gt=timezone.now()
    )
    meetings = sorted(items.values_list("meeting_id", flat=True))
    items.delete()
    return meetings


def _record(case: Case, actor, kind: str, reason: str, **fields) -> Closure:
    closure = Closure.objects.create(
        case=case, kind=kind, actor=actor, at=timezone.now(), reason=clean(reason), **fields
    )
    ClosureProposal.objects.filter(case=case, status=ProposalStatus.OPEN).update(
        status=ProposalStatus.ACCEPTED, decided_by=actor, decided_at=timezone.now(), decision_note=clean(reason)
    )
    left = _leave_future_agendas(case)
    audit(
        actor=actor,
        event=LifecycleEvent.CLOSURE_RECORD,
        case_id=case.pk,
        details={
            "closure": closure.pk,
            "kind": kind,
            "goal_reached": closure.goal_reached,
            "confirmed_despite_warnings": bool(closure.guard_override_reason),
            "left_agendas": left,
        },
    )
    return closure


def _check_goal(goal_reached: str | None, errors: dict[str, list[str]]) -> str | None:
    """Afsluiting and afschaling record whether the joint goal was reached (the monitor's "doorbraak",
    001:L456); opschaling to the RIEC does not (the aanpak continues there)."""
    if not goal_reached:
        errors["goal_reached"] = ["Geef aan of het gezamenlijke doel is bereikt: bereikt, deels of niet."]
        return None
    if goal_reached not in GoalReached.values:
        errors["goal_reached"] = ["Kies bereikt, deels bereikt of niet bereikt."]
        return None
    return goal_reached


def _require_running(case: Case) -> None:
    if case.status != CaseStatus.ACTIEF:
        raise TransitionNotAllowed("Alleen een lopende ZVH-casus wordt afgeschaald, opgeschaald of afgesloten.")


def case_close(
    *,
    actor,
    case: Case,
    reason: str,
    criteria: dict[str, bool],
    afsluitingsplan: str,
    goal_reached: str | None = None,
    follow_up_months_: int | None = None,
    confirm_reason: str = "",
) -> Closure:
    """Afsluiting (SPEC §5.3). Only the house's procesregisseur closes: a complex case is never closed by one
    partner alone (001:L2522). At least one closure criterion must hold and the afsluitingsplan ("if the case
    is closed, what is the plan if things go wrong again?") is mandatory, as is whether the joint goal was
    reached (`GoalReached`). The case then goes under volgen op
    afstand for the configured period; `tick` closes it when the period ends."""
    require_procesregisseur(actor, "Een partner sluit een casus niet alleen af: stel de afsluiting voor aan het huis.")
    _require_running(case)
    errors: dict[str, list[str]] = {}
    known = {**CLOSURE_CRITERIA, **CLOSURE_CHECKLIST}
    values = {key: bool(criteria.get(key)) for key in known}
    if any(key not in known for key in criteria):
        errors["criteria"] = ["Onbekend afsluitcriterium."]
    elif not any(values[key] for key in CLOSURE_CRITERIA):
        errors["criteria"] = [
            "Aan geen afsluitcriterium is voldaan: iedereen die zorg nodig heeft is gestart, een justitieel traject "
            "is gestart, of het gezin weigert hulp."
        ]
    if not clean(afsluitingsplan):
        errors["afsluitingsplan"] = ["Schrijf het afsluitingsplan: wat doen we als het opnieuw misgaat?"]
    goal = _check_goal(goal_reached, errors)
    if not clean(reason):
        errors["reason"] = ["Geef de reden van afsluiting."]
    months = follow_up_months() if follow_up_months_ is None else int(follow_up_months_)
    if months < 0 or months > 60:
        errors["follow_up_months"] = ["Kies een periode van 0 tot 60 maanden."]
    confirmed = _check_guard(case, confirm_reason, errors)
    if errors:
        raise fail_many(errors)
    with transaction.atomic():
        until = add_months(timezone.localdate(), months) if months else None
        closure = _record(
            case,
            actor,
            ClosureKind.AFSLUITING,
            reason,
            criteria=values,
            afsluitingsplan=clean(afsluitingsplan),
            follow_up_until=until,
            goal_reached=goal,
            guard_override_reason=confirmed,
        )
        if until:
            case_transition(
                actor=actor,
                case=case,
                to_status=CaseStatus.VOLGEN,
                reason=f"Afgesloten, volgen op afstand tot {nl_date(until)}: {clean(reason)}",
            )
        else:
            case_transition(actor=actor, case=case, to_status=CaseStatus.AFGESLOTEN, reason=clean(reason))
        _tell_partners(
            case, f"Casus {case.reference} is afgesloten" + (" en wordt op afstand gevolgd." if until else ".")
        )
    return closure


def case_afschalen(
    *,
    actor,
    case: Case,
    reason: str,
    handover_to: str,
    handover_on: datetime.date | None,
    family_present: bool | None,
    family_absent_reason: str = "",
    goal_reached: str | None = None,
    confirm_reason: str = "",
) -> Closure:
    """Afschaling to local handling with a warm handover: who, when, with the family present or why not
    (004:L734), and whether the joint goal was reached so far."""
    require_procesregisseur(actor)
    _require_running(case)
    errors: dict[str, list[str]] = {}
    if not clean(handover_to):
        errors["handover_to"] = ["Aan wie wordt de casus overgedragen?"]
    if handover_on is None:
        errors["handover_on"] = ["Wanneer is de warme overdracht?"]
    if family_present is None:
        errors["family_present"] = ["Was het gezin bij de overdracht?"]
    elif not family_present and not clean(family_absent_reason):
        errors["family_absent_reason"] = ["Leg vast waarom het gezin er niet bij was."]
    goal = _check_goal(goal_reached, errors)
    if not clean(reason):
        errors["reason"] = ["Geef de reden van afschaling."]
    confirmed = _check_guard(case, confirm_reason, errors)
    if errors:
        raise fail_many(errors)
    with transaction.atomic():
        closure = _record(
            case,
            actor,
            ClosureKind.AFSCHALING,
            reason,
            handover_to=clean(handover_to)[:200],
            handover_on=handover_on,
            family_present=family_present,
            family_absent_reason="" if family_present else clean(family_absent_reason),
            goal_reached=goal,
            guard_override_reason=confirmed,
        )
        case_transition(actor=actor, case=case, to_status=CaseStatus.LOKAAL, reason=f"Afgeschaald: {clean(reason)}")
        _tell_partners(case, f"Casus {case.reference} is afgeschaald naar {clean(handover_to)[:100]}.")
    return closure


def case_opschalen_riec(*, actor, case: Case, reason: str) -> Closure:
    require_procesregisseur(actor)
    _require_running(case)
    if not clean(reason):
        raise fail("Geef de reden van opschaling naar het RIEC.", "reason")
    with transaction.atomic():
        closure = _record(case, actor, ClosureKind.RIEC, reason)
        case_transition(actor=actor, case=case, to_status=CaseStatus.RIEC, reason=f"Opgeschaald: {clean(reason)}")
        _tell_partners(case, f"Casus {case.reference} is doorgezet naar het RIEC.")
    return closure


def _tell_partners(case: Case, text: str) -> None:
    from tafel.organisations.models import Role, User

    users = User.objects.filter(
        organisation__participations__case=case,
        organisation__participations__kind=PARTNER,
        is_active=True,
        roles__role=Role.CASUSREGISSEUR,
    ).distinct()
    notify(
        [*users, case.casusregisseur],
        case=case,
        kind=NotificationKind.CLOSURE,
        text=text,
        url=reverse("lifecycle:case", args=[case.pk]),
    )


def closure_propose(*, actor, case: Case, reason: str) -> ClosureProposal:
    """A partner proposes closure; the house decides (001:L2522)."""
    require_in_case(actor, case)
    _require_running(case)
    if not clean(reason):
        raise fail("Waarom kan de casus worden afgesloten?", "reason")
    with transaction.atomic():
        proposal = ClosureProposal.objects.create(
            case=case, proposed_by=actor, organisation_id=actor.organisation_id, at=timezone.now(), reason=clean(reason)
        )
        audit(actor=actor, event=LifecycleEvent.CLOSURE_PROPOSE, case_id=case.pk, details={"proposal": proposal.pk})
        notify(
            case_regisseurs(case),
            case=case,
            kind=NotificationKind.CLOSURE,
            text=f"Casus {case.reference}: {actor.organisation} stelt afsluiting voor.",
            url=reverse("lifecycle:case", args=[case.pk]),
        )
    return proposal


def closure_proposal_reject(*, actor, proposal: ClosureProposal, note: str) -> ClosureProposal:
    require_procesregisseur(actor)
    if proposal.status != ProposalStatus.OPEN:
        raise TransitionNotAllowed("Dit voorstel is al beoordeeld.")
    if not clean(note):
        raise fail("Waarom blijft de casus lopen?", "note")
    with transaction.atomic():
        proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.REJECTED, actor, timezone.now()
        proposal.decision_note = clean(note)
        proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit(
            actor=actor,
            event=LifecycleEvent.CLOSURE_PROPOSAL_DECIDE,
            case_id=proposal.case_id,
            reason="closure_proposal.rejected",
            details={"proposal": proposal.pk},
        )
        notify(
            [proposal.proposed_by],
            case=proposal.case,
            kind=NotificationKind.CLOSURE,
            text=f"Casus {proposal.case.reference}: afsluitvoorstel niet overgenomen — {clean(note)[:150]}",
            url=reverse("lifecycle:case", args=[proposal.case_id]),
        )
    return proposal


def case_reenter(*, actor, case: Case, reason: str):
    """Re-entry from volgen op afstand at any professional's initiative (001:L3620). The history stays."""
    require_in_case(actor, case)
    if case.status != CaseStatus.VOLGEN:
        raise TransitionNotAllowed("Alleen een casus onder volgen op afstand wordt zo heropend.")
    if not clean(reason):
        raise fail("Waarom moet de casus weer worden opgepakt?", "reason")
    with transaction.atomic():
        change = case_transition(
            actor=actor, case=case, to_status=CaseStatus.ACTIEF, reason=f"Heropend: {clean(reason)}"
        )
        audit(actor=actor, event=LifecycleEvent.CASE_REENTRY, case_id=case.pk, details={"change": change.pk})
        notify(
            case_regisseurs(case),
            case=case,
            kind=NotificationKind.FOLLOW_UP,
            text=f"Casus {case.reference} is heropend vanuit volgen op afstand.",
            url=reverse("lifecycle:case", args=[case.pk]),
        )
    return change


def follow_up_end(*, case: Case, closure: Closure) -> None:
    """The follow-up period ended without re-entry: the case is closed (run by `tick`). The procesregisseur who
    closed the case is the recorded actor, since the decision to close was theirs."""
    with transaction.atomic():
        case_transition(
            actor=closure.actor,
            case=case,
            to_status=CaseStatus.AFGESLOTEN,
            reason=f"Einde volgen op afstand ({nl_date(closure.follow_up_until)}).",
        )
        audit(actor=None, event=LifecycleEvent.FOLLOW_UP_END, case_id=case.pk, details={"closure": closure.pk})
