"""Follow-up between meetings (SPEC §5.1): rappel dates, bodemeis breaches, progress updates, phases."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tafel.cases.models import Case, CaseStatus, InfoCategory, Phase
from tafel.core.audit import audit
from tafel.core.dates import implausible_date
from tafel.core.errors import TransitionNotAllowed
from tafel.lifecycle.audit_events import LifecycleEvent
from tafel.meetings.audit_events import MeetingEvent

from ..models import BodemeisBreach, CaseRappel, Notification, NotificationKind, ProgressUpdate
from ._common import (
    case_regisseurs,
    clean,
    fail,
    notify,
    require_in_case,
    require_regie,
    schedule_follow_up,
)

RUNNING = frozenset({CaseStatus.ACTIEF, CaseStatus.VOLGEN})


def rappel_set(*, actor, case: Case, due_on: datetime.date, note: str = "") -> CaseRappel:
    """A rappel date: on that day the case comes back on the agenda (tick) and its regisseurs are reminded."""
    require_regie(actor, case)
    if not isinstance(due_on, datetime.date):
        raise fail("Kies een rappeldatum.", "due_on")
    if message := implausible_date(due_on):
        raise fail(message, "due_on")
    if due_on < timezone.localdate():
        raise fail("Een rappeldatum ligt niet in het verleden.", "due_on")
    with transaction.atomic():
        rappel = CaseRappel.objects.create(
            case=case, due_on=due_on, note=clean(note)[:300], set_by=actor, set_at=timezone.now()
        )
        audit(actor=actor, event=LifecycleEvent.RAPPEL_SET, case_id=case.pk, details={"due_on": due_on.isoformat()})
    return rappel


def breach_report(*, actor, case: Case, bodemeis_id, description: str, occurred_on=None) -> BodemeisBreach:
    """Anyone in the case reports a broken bodemeis. Its guard and the procesregisseur are notified and the
    case goes on the next suitable agenda (SPEC §4.3: "what we do if a bodemeis is broken")."""
    from tafel.meetings.models import Bodemeis

    require_in_case(actor, case)
    if not clean(description):
        raise fail("Beschrijf wat er is gebeurd.", "description")
    bodemeis = (
        Bodemeis.objects.filter(pk=bodemeis_id if str(bodemeis_id).isdigit() else 0, plan__case=case)
        .select_related("guard", "plan")
        .first()
    )
    if bodemeis is None:
        raise fail("Kies een bodemeis van het plan van deze casus.", "bodemeis")
    with transaction.atomic():
        breach = BodemeisBreach.objects.create(
            case=case,
            bodemeis=bodemeis,
            description=clean(description),
            occurred_on=occurred_on,
            supplied_by_org_id=actor.organisation_id,
            created_by=actor,
            created_at=timezone.now(),
            category=InfoCategory.ALGEMEEN,
        )
        audit(
            actor=actor,
            event=LifecycleEvent.BREACH_REPORT,
            case_id=case.pk,
            details={"bodemeis": bodemeis.pk, "breach": breach.pk},
        )
        text = f"Casus {case.reference}: bodemeis niet nagekomen — ‘{bodemeis.text[:120]}’."
        if bodemeis.if_broken:
            text += f" Afgesproken: {bodemeis.if_broken[:200]}"
        notify(
            [bodemeis.guard, *case_regisseurs(case)],
            case=case,
            kind=NotificationKind.BREACH,
            text=text,
            url=reverse("lifecycle:case", args=[case.pk]),
        )
        schedule_follow_up(case, reason="Bodemeis niet nagekomen")
    return breach


def progress_update_submit(
    *,
    actor,
    case: Case,
    problem: str,
    goal: str = "",
    plan: str = "",
    waiting_for_information: bool = False,
    waiting_note: str = "",
) -> ProgressUpdate:
    """The casusregisseur keeps problem, goal and plan current and sends it to the procesregisseur."""
    require_regie(actor, case)
    if not clean(problem):
        raise fail("Beschrijf hoe het ervoor staat.", "problem")
    if waiting_for_information and not clean(waiting_note):
        raise fail("Noem op welke informatie u wacht.", "waiting_note")
    with transaction.atomic():
        update = ProgressUpdate.objects.create(
            case=case,
            problem=clean(problem),
            goal=clean(goal),
            plan=clean(plan),
            waiting_for_information=waiting_for_information,
            waiting_note=clean(waiting_note)[:300] if waiting_for_information else "",
            supplied_by_org_id=actor.organisation_id,
            created_by=actor,
            created_at=timezone.now(),
        )
        audit(actor=actor, event=LifecycleEvent.PROGRESS_UPDATE, case_id=case.pk, details={"update": update.pk})
        # Progress must reach partners actively (002:L2377): the regisseurs of the case are told.
        notify(
            [u for u in [*case_regisseurs(case), case.casusregisseur] if u is not None and u.pk != actor.pk],
            case=case,
            kind=NotificationKind.PROGRESS,
            text=f"Casus {case.reference}: nieuwe voortgang van de casusregisseur.",
            url=reverse("lifecycle:case", args=[case.pk]),
        )
    return update


PHASE_ORDER = [Phase.DIRECTE_VEILIGHEID, Phase.RISICOGESTUURDE_ZORG, Phase.HERSTELGERICHTE_ZORG]


def phase_change(*, actor, case: Case, to_phase: str, reason: str):
    """A phase change between meetings (SPEC §4.3), recorded in the meetings app's PhaseChange so the case has
    one phase history whether the change was made in a meeting or not. Back-transitions are allowed."""
    from tafel.meetings.models import PhaseChange

    require_regie(actor, case)
    if to_phase not in Phase.values:
        raise fail("Kies een fase.", "to_phase")
    if not clean(reason):
        raise fail("Geef de reden van de faseovergang.", "reason")
    if case.status not in RUNNING:
        raise TransitionNotAllowed("Alleen een lopende casus wisselt van fase.")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.phase == to_phase:
            raise fail("De casus is al in deze fase.", "to_phase")
        change = PhaseChange.objects.create(
            case=locked,
            discussion=None,
            from_phase=locked.phase,
            to_phase=to_phase,
            actor=actor,
            at=timezone.now(),
            reason=clean(reason),
        )
        Case.objects.filter(pk=case.pk).update(phase=to_phase, version=F("version") + 1)
        audit(
            actor=actor,
            event=MeetingEvent.PHASE_CHANGE,
            case_id=case.pk,
            details={"from": locked.phase, "to": to_phase, "meeting": None},
        )
        case.phase, case.version = to_phase, locked.version + 1
    return change


def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
