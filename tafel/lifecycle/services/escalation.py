"""The escalation model (SPEC §5.2, 001:L3475-3533) as a tracked procedure of six steps.

One place for the steps and their clocks: the page, the API and the periodic run (`tick`) all move an
escalation through `_enter_step`, which sets the clocks, logs the step, writes the audit event and tells the
people involved. `tick` acts as the named system actor (tafel.core.system), never as a procesregisseur."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tafel.cases.access import PARTNER
from tafel.cases.models import Case, CaseOrganisation
from tafel.core.audit import audit
from tafel.core.dates import nl_datetime
from tafel.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed
from tafel.core.system import system_actor
from tafel.lifecycle.audit_events import LifecycleEvent
from tafel.organisations.models import Role, User

from ..conf import escalation_clock_days
from ..models import (
    Escalation,
    EscalationArgument,
    EscalationLog,
    EscalationStatus,
    EscalationStep,
    NotificationKind,
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


def _url(escalation: Escalation) -> str:
    return reverse("lifecycle:escalation", args=[escalation.pk])


def _candidate_users(escalation: Escalation) -> list[User]:
    """The people to tell: the one who started it and the casusregisseurs of the candidate organisations."""
    org_ids = list(escalation.candidates.values_list("pk", flat=True))
    users = list(User.objects.filter(organisation_id__in=org_ids, is_active=True, roles__role=Role.CASUSREGISSEUR))
    return [escalation.started_by, *users]


def _bump(escalation: Escalation, **values) -> None:
    updated = Escalation.objects.filter(pk=escalation.pk, version=escalation.version).update(
        version=F("version") + 1, **values
    )
    if updated != 1:
        raise ConcurrentEdit("Iemand anders heeft deze escalatie intussen gewijzigd. Laad de pagina opnieuw.")
    for key, value in values.items():
        setattr(escalation, key, value)
    escalation.version += 1


def _log(escalation: Escalation, actor, note: str = "") -> None:
    EscalationLog.objects.create(escalation=escalation, step=escalation.step, actor=actor, at=timezone.now(), note=note)


def escalation_start(*, actor, case: Case, reason: str, candidate_org_ids: list[int] | None = None) -> Escalation:
    """ "We zitten vast": any professional in the case reports to the procesregisseur (step 1, 001:L3580)."""
    require_in_case(actor, case)
    if not clean(reason):
        raise fail("Beschrijf waarom het vastzit.", "reason")
    if Escalation.objects.filter(case=case, status=EscalationStatus.OPEN).exists():
        raise TransitionNotAllowed("Voor deze casus loopt al een escalatie.")
    participating = set(
        CaseOrganisation.objects.filter(case=case, kind=PARTNER).values_list("organisation_id", flat=True)
    )
    candidates = [int(i) for i in (candidate_org_ids or [])]
    if any(i not in participating for i in candidates):
        raise fail("Kandidaten zijn organisaties die aan de casus deelnemen.", "candidates")
    with transaction.atomic():
        now = timezone.now()
        escalation = Escalation.objects.create(
            case=case, started_by=actor, started_by_org_id=actor.organisation_id, started_at=now, reason=clean(reason)
        )
        escalation.candidates.set(candidates)
        _log(escalation, actor, clean(reason))
        audit(
            actor=actor, event=LifecycleEvent.ESCALATION_START, case_id=case.pk, details={"escalation": escalation.pk}
        )
        notify(
            case_regisseurs(case),
            case=case,
            kind=NotificationKind.ESCALATION,
            text=f"Casus {case.reference}: escalatie gestart — ‘{clean(reason)[:150]}’.",
            url=_url(escalation),
        )
    return escalation


def escalation_add_argument(*, actor, escalation: Escalation, text: str) -> EscalationArgument:
    """Step 2: a candidate organisation (or the house) hands in its written argument."""
    require_in_case(actor, escalation.case)
    if not escalation.is_open:
        raise TransitionNotAllowed("Deze escalatie is afgerond.")
    is_candidate = escalation.candidates.filter(pk=actor.organisation_id).exists()
    if not (is_candidate or is_house_procesregisseur(actor)):
        raise AccessDenied("Alleen de kandidaat-organisaties leveren een argument aan.")
    if not clean(text):
        raise fail("Schrijf uw argument op.", "text")
    with transaction.atomic():
        argument = EscalationArgument.objects.create(
            escalation=escalation,
            text=clean(text),
            supplied_by_org_id=actor.organisation_id,
            created_by=actor,
            created_at=timezone.now(),
        )
        audit(
            actor=actor,
            event=LifecycleEvent.ESCALATION_ARGUMENT,
            case_id=escalation.case_id,
            details={"escalation": escalation.pk},
        )
    return argument


def escalation_advance(
    *,
    actor,
    escalation: Escalation,
    note: str = "",
    proposal: str = "",
    proposal_until: datetime.date | None = None,
    subtasks_in: str = "",
    subtasks_out: str = "",
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> Escalation:
    """Move to the next step; the procesregisseur of the house acts at every step after the first.
    Step 3 needs the proposal (period, sub-tasks in and out); step 4 needs the objection; step 5 starts the
    directors' clock and informs the openbaar bestuur in parallel; step 6 (the bestuur's clock) follows when
    the directors' clock ran out (`tick` takes it by itself: `escalation_directors_clock_expired`)."""
    require_procesregisseur(actor, "Alleen de procesregisseur van het huis zet de escalatie een stap verder.")
    if not escalation.is_open:
        raise TransitionNotAllowed("Deze escalatie is afgerond.")
    if expected_version is not None and expected_version != escalation.version:
        raise ConcurrentEdit("Iemand anders heeft deze escalatie intussen gewijzigd. Laad de pagina opnieuw.")
    if escalation.step >= EscalationStep.BESTUUR:
        raise TransitionNotAllowed("Stap 6 is de laatste stap: leg het besluit vast.")
    now = now or timezone.now()
    target = escalation.step + 1
    values: dict = {}
    if target == EscalationStep.PROPOSAL:
        if not clean(proposal):
            raise fail("Schrijf het voorstel op.", "proposal")
        if proposal_until is None:
            raise fail("Noem de periode van de casusregie.", "proposal_until")
        values.update(
            proposal=clean(proposal),
            proposal_until=proposal_until,
            subtasks_in=clean(subtasks_in),
            subtasks_out=clean(subtasks_out),
        )
    elif target == EscalationStep.TAKEOVER:
        if not clean(note):
            raise fail("Leg vast welke partij bezwaar maakt en waarom.", "note")
    elif target == EscalationStep.BESTUUR and not _directors_clock_ran_out(escalation, now):
        raise TransitionNotAllowed(
            "De directeuren hebben tot "
            f"{nl_datetime(timezone.localtime(escalation.directors_deadline))}; pas daarna gaat het naar het "
            "openbaar bestuur."
        )
    return _enter_step(actor=actor, escalation=escalation, target=target, values=values, note=clean(note), now=now)


def escalation_directors_clock_expired(*, escalation: Escalation, now: datetime.datetime | None = None) -> bool:
    """Step 6 by itself (001:L3475-3533): no decision of the directors within their period, so the openbaar
    bestuur gets its period. Called by `tick` for every escalation at step 5; acts as the system actor, through
    the same step change as the procesregisseur's. Returns True when it moved the escalation."""
    now = now or timezone.now()
    if not escalation.is_open or escalation.step != EscalationStep.DIRECTORS:
        return False
    if not _directors_clock_ran_out(escalation, now):
        return False
    try:
        _enter_step(
            actor=system_actor(),
            escalation=escalation,
            target=EscalationStep.BESTUUR,
            values={},
            note="Geen besluit van de directeuren binnen de termijn: naar het openbaar bestuur.",
            now=now,
        )
    except ConcurrentEdit:
        # A procesregisseur moved or closed it at the same moment: their step stands.
        return False
    return True


def _directors_clock_ran_out(escalation: Escalation, now: datetime.datetime) -> bool:
    return escalation.directors_deadline is None or now >= escalation.directors_deadline


def _clock_values(escalation: Escalation, target: int, now: datetime.datetime) -> dict:
    """The clocks a step starts, the same whoever takes it. Step 4 marks the house's takeover. Step 5 starts
    the directors' period and informs the openbaar bestuur at the same time; step 6 gives the bestuur "nog eens"
    a period, counted from the end of the directors' period — so the bestuur's deadline does not depend on
    whether a person or `tick` (and how soon after the deadline) took the step."""
    days = datetime.timedelta(days=escalation_clock_days())
    if target == EscalationStep.TAKEOVER:
        return {"takeover_at": now}
    if target == EscalationStep.DIRECTORS:
        return {"directors_informed_at": now, "directors_deadline": now + days, "bestuur_informed_at": now}
    if target == EscalationStep.BESTUUR:
        return {"bestuur_deadline": (escalation.directors_deadline or now) + days}
    return {}


# The code the audit log keeps for a step change (the note itself stays in the escalation's own log, which
# retention destroys with the case).
STEP_REASON = {
    EscalationStep.ARGUMENTS: "escalation.talks",
    EscalationStep.PROPOSAL: "escalation.proposal",
    EscalationStep.TAKEOVER: "escalation.objection",
    EscalationStep.DIRECTORS: "escalation.directors_informed",
    EscalationStep.BESTUUR: "escalation.directors_clock_expired",
}


def _enter_step(*, actor, escalation: Escalation, target: int, values: dict, note: str, now) -> Escalation:
    """The one step change: clocks, log, audit event and notifications, in one transaction."""
    values = {"step": target, **values, **_clock_values(escalation, target, now)}
    with transaction.atomic():
        _bump(escalation, **values)
        EscalationLog.objects.create(escalation=escalation, step=target, actor=actor, at=now, note=note)
        audit(
            actor=actor,
            event=LifecycleEvent.ESCALATION_STEP,
            case_id=escalation.case_id,
            reason=STEP_REASON[target],
            details={"escalation": escalation.pk, "step": target},
        )
        text = f"Casus {escalation.case.reference}: escalatie naar {EscalationStep(target).label}."
        if target == EscalationStep.BESTUUR:
            text = (
                f"Casus {escalation.case.reference}: de termijn van de directeuren is verstreken; escalatie naar "
                f"{EscalationStep(target).label}."
            )
        notify(
            [*_candidate_users(escalation), *case_regisseurs(escalation.case)],
            case=escalation.case,
            kind=NotificationKind.ESCALATION,
            text=text,
            url=_url(escalation),
        )
    return escalation


def escalation_resolve(*, actor, escalation: Escalation, resolution: str, withdrawn: bool = False) -> Escalation:
    """The parties (or the directors, or the bestuur) decided: record the decision; the house's temporary
    casusregie ends with it."""
    require_procesregisseur(actor, "Alleen de procesregisseur van het huis legt het besluit vast.")
    if not escalation.is_open:
        raise TransitionNotAllowed("Deze escalatie is al afgerond.")
    if not clean(resolution):
        raise fail("Leg het besluit vast.", "resolution")
    with transaction.atomic():
        _bump(
            escalation,
            status=EscalationStatus.WITHDRAWN if withdrawn else EscalationStatus.RESOLVED,
            resolution=clean(resolution),
            resolved_at=timezone.now(),
            resolved_by=actor,
        )
        _log(escalation, actor, clean(resolution))
        audit(
            actor=actor,
            event=LifecycleEvent.ESCALATION_RESOLVE,
            case_id=escalation.case_id,
            reason="escalation.withdrawn" if withdrawn else "escalation.resolved",
            details={"escalation": escalation.pk, "step": escalation.step, "withdrawn": withdrawn},
        )
    return escalation
