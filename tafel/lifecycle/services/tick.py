"""The periodic run (`manage.py tick`): deadlines, clocks, the follow-up period and the e-mail digest.

Idempotent: every reminder is claimed in SentReminder under a unique (kind, object, due moment) before it is
sent, so two runs — one after the other or at the same time — send it once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone

from tafel.cases.models import Case, CaseStatus
from tafel.core.dates import nl_date, nl_datetime
from tafel.core.errors import TafelError

from ..models import (
    ESCALATION_REMINDER_DAYS_BEFORE,
    CaseRappel,
    Closure,
    ClosureKind,
    Escalation,
    EscalationStatus,
    EscalationStep,
    Notification,
    NotificationKind,
    VtDecision,
)
from ._common import case_regisseurs, notify, reminder_once, schedule_follow_up
from .closing import follow_up_end
from .escalation import escalation_directors_clock_expired


@dataclass
class TickResult:
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] += n


def _rappels(now: datetime.datetime, today: datetime.date, result: TickResult) -> None:
    due = CaseRappel.objects.filter(due_on__lte=today, done_at__isnull=True).select_related(
        "case__procesregisseur", "case__casusregisseur"
    )
    for rappel in due:
        if not reminder_once("rappel", f"rappel:{rappel.pk}", rappel.due_on):
            continue
        case = rappel.case
        notify(
            [*case_regisseurs(case), case.casusregisseur],
            case=case,
            kind=NotificationKind.RAPPEL,
            text=f"Casus {case.reference}: rappeldatum {nl_date(rappel.due_on)}. {rappel.note}".strip(),
            url=reverse("lifecycle:case", args=[case.pk]),
        )
        schedule_follow_up(case, reason=f"Rappeldatum {nl_date(rappel.due_on)}", now=now)
        CaseRappel.objects.filter(pk=rappel.pk).update(done_at=now)
        result.add("rappels")
    # Rappel dates set in the plan (next meeting / evaluation date) count as well.
    from tafel.meetings.models import Plan

    latest = {}
    plans = (
        Plan.objects.filter(
            published_at__isnull=False,
            next_meeting_date__lte=today,
            case__status=CaseStatus.ACTIEF,
        )
        .select_related("case")
        .order_by("case_id", "-number")
    )
    for plan in plans:
        latest.setdefault(plan.case_id, plan)
    for plan in latest.values():
        if reminder_once("plan_rappel", f"plan:{plan.pk}", plan.next_meeting_date):
            schedule_follow_up(plan.case, reason=f"Evaluatiedatum plan {nl_date(plan.next_meeting_date)}", now=now)
            result.add("plan_rappels")


# Owners hear of an action this many days before its deadline (issue 11), and again when it is overdue.
ACTION_DUE_SOON_DAYS = 2


def _actions(now: datetime.datetime, today: datetime.date, result: TickResult) -> None:
    """Open actions of the current plans past their deadline: the owner and the procesregisseur are told once
    per deadline, and the case goes on the next agenda."""
    from django.db.models import OuterRef, Subquery

    from tafel.meetings.models import Action, ActionStatus, Plan

    current = Plan.objects.filter(case=OuterRef("case_id"), published_at__isnull=False).order_by("-number")
    overdue = (
        Action.objects.filter(status=ActionStatus.OPEN, deadline__lt=today, case__status=CaseStatus.ACTIEF)
        .annotate(current_plan=Subquery(current.values("pk")[:1]))
        .select_related("owner", "co_owner", "case__procesregisseur")
    )
    for action in overdue:
        if action.plan_id != action.current_plan:
            continue
        if not reminder_once("action_due", f"action:{action.pk}", action.deadline):
            continue
        case = action.case
        notify(
            [action.owner, action.co_owner, *case_regisseurs(case)],
            case=case,
            kind=NotificationKind.ACTION_DUE,
            text=f"Casus {case.reference}: actie over de termijn ({nl_date(action.deadline)}) — {action.what[:120]}",
            url=reverse("lifecycle:case", args=[case.pk]),
        )
        schedule_follow_up(case, reason="Open acties over de termijn", now=now)
        result.add("actions")
    # Issue 11: the owners are also told shortly before the deadline, once per deadline.
    soon = (
        Action.objects.filter(
            status=ActionStatus.OPEN,
            deadline__gte=today,
            deadline__lte=today + datetime.timedelta(days=ACTION_DUE_SOON_DAYS),
            case__status=CaseStatus.ACTIEF,
        )
        .annotate(current_plan=Subquery(current.values("pk")[:1]))
        .select_related("owner", "co_owner", "case")
    )
    for action in soon:
        if action.plan_id != action.current_plan or not reminder_once(
            "action_due_soon", f"action:{action.pk}", action.deadline
        ):
            continue
        notify(
            [action.owner, action.co_owner],
            case=action.case,
            kind=NotificationKind.ACTION_DUE,
            text=f"Casus {action.case.reference}: uw actie moet uiterlijk {nl_date(action.deadline)} gedaan zijn. "
            "Werk haar bij in Mijn werk.",
            url=reverse("meetings:my_work"),
        )
        result.add("actions_due_soon")


def _clock(escalation: Escalation, deadline, label: str, now, result: TickResult, *, at_expiry: bool = True) -> bool:
    """Reminders before (2 days) and at expiry of one clock. Returns True when the clock has run out. The
    directors' clock has no separate expiry reminder: its expiry moves the escalation to step 6, and that step
    change tells the same people (the same notification as when the procesregisseur takes the step)."""
    soon = deadline - datetime.timedelta(days=ESCALATION_REMINDER_DAYS_BEFORE)
    users = case_regisseurs(escalation.case)
    url = reverse("lifecycle:escalation", args=[escalation.pk])
    if soon <= now < deadline and reminder_once(f"escalation_{label}_soon", f"escalation:{escalation.pk}", deadline):
        notify(
            users,
            case=escalation.case,
            kind=NotificationKind.ESCALATION_CLOCK,
            text=f"Casus {escalation.case.reference}: de termijn van {label} loopt af op "
            f"{nl_datetime(timezone.localtime(deadline))}.",
            url=url,
        )
        result.add("escalation_reminders")
    if now >= deadline:
        if at_expiry and reminder_once(f"escalation_{label}_expired", f"escalation:{escalation.pk}", deadline):
            notify(
                users,
                case=escalation.case,
                kind=NotificationKind.ESCALATION_CLOCK,
                text=f"Casus {escalation.case.reference}: de termijn van {label} is verstreken.",
                url=url,
            )
            result.add("escalation_expired")
        return True
    return False


def _escalations(now, result: TickResult) -> None:
    running = Escalation.objects.filter(
        status=EscalationStatus.OPEN, step__in=[EscalationStep.DIRECTORS, EscalationStep.BESTUUR]
    ).select_related("case__procesregisseur")
    for escalation in running:
        if escalation.step == EscalationStep.DIRECTORS and escalation.directors_deadline:
            if _clock(escalation, escalation.directors_deadline, "de directeuren", now, result, at_expiry=False):
                # Step 6 (001:L3475-3533) through the one escalation service, as the system actor.
                if escalation_directors_clock_expired(escalation=escalation, now=now):
                    result.add("escalations_to_bestuur")
        if escalation.step == EscalationStep.BESTUUR and escalation.bestuur_deadline:
            _clock(escalation, escalation.bestuur_deadline, "het openbaar bestuur", now, result)


def _follow_up_period(today: datetime.date, result: TickResult) -> None:
    cases = Case.objects.filter(status=CaseStatus.VOLGEN)
    closures = (
        Closure.objects.filter(case__in=cases, kind=ClosureKind.AFSLUITING, follow_up_until__isnull=False)
        .select_related("case", "actor")
        .order_by("case_id", "-at", "-id")
    )
    latest: dict[int, Closure] = {}
    for closure in closures:
        latest.setdefault(closure.case_id, closure)
    for closure in latest.values():
        if closure.follow_up_until > today:
            continue
        try:
            follow_up_end(case=closure.case, closure=closure)
        except TafelError:
            continue
        result.add("follow_up_ended")


def _vt_monitoring(today: datetime.date, result: TickResult) -> None:
    """Monitoring after a Veilig Thuis handover: the responsible worker is reminded on the first check day and
    then every TAFEL_VT_MONITOR_INTERVAL_DAYS, until Veilig Thuis closes the monitoring (issue 11). Each
    reminder is claimed once for its own due day, so a catch-up run sends only the latest one."""
    from ..conf import vt_monitor_interval_days

    interval = vt_monitor_interval_days()
    decisions = VtDecision.objects.filter(monitor_on__lte=today, monitoring_closed_at__isnull=True).select_related(
        "case", "decided_by", "responsible_worker", "handover_organisation"
    )
    for decision in decisions:
        due = decision.monitor_on + datetime.timedelta(days=((today - decision.monitor_on).days // interval) * interval)
        if reminder_once("vt_monitor", f"vt:{decision.pk}", due):
            target = decision.handover_organisation.name if decision.handover_organisation_id else decision.handover_to
            notify(
                [decision.responsible_worker or decision.decided_by],
                case=decision.case,
                kind=NotificationKind.VT,
                text=f"Melding {decision.case.reference}: monitoren na overdracht aan {target}. Sluit de monitoring "
                "af als die niet meer nodig is.",
                url=reverse("lifecycle:case", args=[decision.case_id]),
            )
            result.add("vt_monitoring")


def send_digests(result: TickResult) -> None:
    """One e-mail per user with everything not yet e-mailed. Each notification is claimed before sending, so
    a second run finds nothing left."""
    pending = (
        Notification.objects.filter(emailed_at__isnull=True).select_related("user", "case").order_by("user_id", "id")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for n in pending:
        by_user[n.user_id].append(n)
    if not by_user:
        return
    messages = []
    now = timezone.now()
    for items in by_user.values():
        ids = [n.pk for n in items]
        claimed = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now)
        user = items[0].user
        if not claimed or not user.email:
            continue
        # Only the kind and the case reference travel by e-mail; the content stays in Tafel.
        lines = [f"- {n.get_kind_display()}" + (f" — casus {n.case.reference}" if n.case_id else "") for n in items]
        body = (
            f"Beste {user.get_full_name() or user.username},\n\nEr zijn {len(items)} nieuwe meldingen in Tafel:\n\n"
            + "\n".join(lines)
            + "\n\nLog in op Tafel om ze te bekijken. Dit bericht bevat bewust geen inhoud van casussen.\n"
        )
        messages.append(
            EmailMessage(
                subject=f"Tafel: {len(items)} nieuwe meldingen",
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
            )
        )
    if messages:
        get_connection().send_messages(messages)
    result.add("digests", len(messages))


def tick(*, now: datetime.datetime | None = None, send_mail: bool = True) -> TickResult:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    result = TickResult()
    # One clock for the whole run: with `--now` every choice (which meeting is next, which clock has run out)
    # is made as at that moment, not partly at the real time.
    _rappels(now, today, result)
    _actions(now, today, result)
    _escalations(now, result)
    _follow_up_period(today, result)
    _vt_monitoring(today, result)
    if send_mail:
        send_digests(result)
    return result
