"""The escalation model (SPEC §5.2, 001:L3475-3533) as a tracked procedure of six steps."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tafel.cases.models import Case, CaseOrganisation
from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed
from tafel.core.models import AuditEventType
from tafel.organisations.models import Role, User

from ..models import (
    ESCALATION_CLOCK_DAYS,
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
    participating = set(CaseOrganisation.objects.filter(case=case).values_list("organisation_id", flat=True))
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
        audit(actor=actor, event=AuditEventType.ESCALATION_START, case_id=case.pk, reason=clean(reason)[:500])
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
            event=AuditEventType.ESCALATION_ARGUMENT,
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
    directors' 10-day clock and informs the openbaar bestuur in parallel; step 6 (the bestuur's 10 days)
    follows when the directors' clock ran out (`tick` does that by itself)."""
    require_procesregisseur(actor, "Alleen de procesregisseur van het huis zet de escalatie een stap verder.")
    if not escalation.is_open:
        raise TransitionNotAllowed("Deze escalatie is afgerond.")
    if expected_version is not None and expected_version != escalation.version:
        raise ConcurrentEdit("Iemand anders heeft deze escalatie intussen gewijzigd. Laad de pagina opnieuw.")
    if escalation.step >= EscalationStep.BESTUUR:
        raise TransitionNotAllowed("Stap 6 is de laatste stap: leg het besluit vast.")
    now = now or timezone.now()
    target = escalation.step + 1
    values: dict = {"step": target}
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
        values["takeover_at"] = now
    elif target == EscalationStep.DIRECTORS:
        # Step 5: directors decide within 10 days; the openbaar bestuur is informed at the same time.
        values.update(
            directors_informed_at=now,
            directors_deadline=now + datetime.timedelta(days=ESCALATION_CLOCK_DAYS),
            bestuur_informed_at=now,
        )
    elif target == EscalationStep.BESTUUR:
        if escalation.directors_deadline and now < escalation.directors_deadline:
            raise TransitionNotAllowed(
                "De directeuren hebben tot "
                f"{timezone.localtime(escalation.directors_deadline):%d-%m-%Y %H:%M}; pas daarna gaat het naar het "
                "openbaar bestuur."
            )
        values["bestuur_deadline"] = now + datetime.timedelta(days=ESCALATION_CLOCK_DAYS)
    with transaction.atomic():
        _bump(escalation, **values)
        _log(escalation, actor, clean(note))
        audit(
            actor=actor,
            event=AuditEventType.ESCALATION_STEP,
            case_id=escalation.case_id,
            reason=clean(note)[:500],
            details={"escalation": escalation.pk, "step": target},
        )
        notify(
            [*_candidate_users(escalation), *case_regisseurs(escalation.case)],
            case=escalation.case,
            kind=NotificationKind.ESCALATION,
            text=f"Casus {escalation.case.reference}: escalatie naar {EscalationStep(target).label}.",
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
            event=AuditEventType.ESCALATION_RESOLVE,
            case_id=escalation.case_id,
            reason=clean(resolution)[:500],
            details={"escalation": escalation.pk, "step": escalation.step, "withdrawn": withdrawn},
        )
    return escalation
