"""Every read of the lifecycle app, scoped by the viewer: the timeline, the dashboard, notifications, the
case-event feed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tafel.access import policy
from tafel.cases import access as case_access
from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import (
    Aanmelding,
    Case,
    CaseNote,
    CaseOrganisation,
    CaseStatus,
    CaseStatusChange,
    InfoCategory,
    Triage,
)
from tafel.core.audit import audit, audit_list
from tafel.core.dates import format_date
from tafel.core.errors import NotFound
from tafel.core.models import AuditEvent
from tafel.lifecycle.audit_events import LifecycleEvent
from tafel.meetings.audit_events import MeetingEvent

from . import timeline
from .models import (
    BodemeisBreach,
    CaseIntervention,
    CaseRappel,
    Closure,
    ClosureProposal,
    EnrichmentAnswer,
    EnrichmentRequest,
    Escalation,
    EscalationLog,
    InterventionType,
    Notification,
    ProgressUpdate,
    ProposalStatus,
    VtDecision,
)

# --- timeline (SPEC §5.4) --------------------------------------------------------------------------------

# The keys are stored (filters, evaluation moments) and stay Dutch; the labels are shown in the page language.
TIMELINE_KINDS = {
    "melding": gettext_lazy("Melding"),
    "triage": gettext_lazy("Triage"),
    "status": gettext_lazy("Status"),
    "overleg": gettext_lazy("Overleg"),
    "plan": gettext_lazy("Plan van aanpak"),
    "actie": gettext_lazy("Actie"),
    "interventie": gettext_lazy("Interventie"),
    "fase": gettext_lazy("Fase"),
    "bodemeis": gettext_lazy("Bodemeis"),
    "voortgang": gettext_lazy("Voortgang"),
    "escalatie": gettext_lazy("Escalatie"),
    "afsluiting": gettext_lazy("Afsluiting"),
    "veilig_thuis": gettext_lazy("Veilig Thuis"),
    "notitie": gettext_lazy("Notitie"),
    "rappel": gettext_lazy("Rappel"),
    "schaal": gettext_lazy("Schaalvraag"),
}


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str
    title: str
    detail: str = ""
    organisation_id: int | None = None
    organisation: str = ""
    # For the privacy policy: who supplied it and in which category (SPEC §6, "eigen informatie").
    supplied_by_org_id: int | None = None
    category: str = InfoCategory.ALGEMEEN
    item: object = None
    # Issue 12, item 7: an event known by its date only (shown as a date, ordered after that day's timed
    # events; tafel.lifecycle.timeline), and the page of its record.
    date_only: bool = False
    url: str = ""

    @property
    def kind_label(self) -> str:
        return str(TIMELINE_KINDS.get(self.kind, self.kind))


def _org(user) -> tuple[int | None, str]:
    org = getattr(user, "organisation", None)
    return (org.pk, org.name) if org is not None else (None, "")


def _entries(case: Case) -> list[TimelineEntry]:
    """Every event of the case, one query per source (so the count does not grow with the case). Titles are
    written in the active language; whoever stores one (an evaluation moment) builds them in Dutch."""
    from tafel.meetings.models import Action, AgendaItem, PhaseChange, Plan

    out: list[TimelineEntry] = []
    for a in Aanmelding.objects.filter(case=case).select_related("supplied_by_org"):
        out.append(
            TimelineEntry(
                a.created_at,
                "melding",
                _("Melding (%(route)s)") % {"route": a.get_route_display() + (", " + a.origin if a.origin else "")},
                a.reason,
                a.supplied_by_org_id,
                a.supplied_by_org.name,
                a.supplied_by_org_id,
                a.category,
                a,
            )
        )
    for t in Triage.objects.filter(case=case).select_related("decided_by__organisation"):
        oid, oname = _org(t.decided_by)
        out.append(
            TimelineEntry(
                t.decided_at,
                "triage",
                _("Triage: %(outcome)s") % {"outcome": t.get_outcome_display()},
                t.feedback,
                oid,
                oname,
                oid,
                item=t,
            )
        )
    for s in CaseStatusChange.objects.filter(case=case).select_related("actor__organisation"):
        oid, oname = _org(s.actor)
        out.append(
            TimelineEntry(
                s.at,
                "status",
                _("Status: %(status)s") % {"status": s.get_to_status_display()},
                s.reason,
                oid,
                oname,
                oid,
                item=s,
            )
        )
    for i in AgendaItem.objects.filter(case=case).select_related("meeting__overleg_type"):
        m = i.meeting
        title = f"{m.overleg_type.name} ({i.get_kind_display().lower()})"
        if i.deferred:
            title += " — " + _("doorgeschoven")
        out.append(TimelineEntry(m.starts_at, "overleg", title, i.defer_note, item=i))
    for p in Plan.objects.filter(case=case, published_at__isnull=False).select_related("supplied_by_org"):
        out.append(
            TimelineEntry(
                p.published_at,
                "plan",
                _("Plan van aanpak versie %(number)s") % {"number": p.number},
                p.goals
                + (
                    "\n" + _("Volgend overleg (rappel): %(date)s") % {"date": format_date(p.next_meeting_date)}
                    if p.next_meeting_date
                    else ""
                ),
                p.supplied_by_org_id,
                p.supplied_by_org.name,
                p.supplied_by_org_id,
                p.category,
                p,
            )
        )
    carried = Action.objects.filter(case=case, plan__published_at__isnull=False, carried_from__isnull=False)
    actions = (
        Action.objects.filter(case=case, plan__published_at__isnull=False)
        .exclude(pk__in=Subquery(carried.values("carried_from_id")))
        .select_related("plan", "organisation", "owner")
    )
    for a in actions:
        detail = f"{a.get_status_display()}" + (f" — {a.outcome_note}" if a.outcome_note else "")
        if a.deadline:
            detail += " (" + _("termijn %(date)s") % {"date": format_date(a.deadline)} + ")"
        out.append(
            TimelineEntry(
                a.updated_at or a.plan.published_at,
                "actie",
                _("Actie: %(what)s") % {"what": a.what[:150]},
                detail,
                a.organisation_id,
                a.organisation.name if a.organisation else "",
                a.plan.supplied_by_org_id,
                a.plan.category,
                a,
            )
        )
    for iv in CaseIntervention.objects.filter(case=case).select_related("type", "organisation"):
        period = (
            f"{format_date(iv.started_on)} – {format_date(iv.ended_on)}"
            if iv.ended_on
            else _("sinds %(date)s") % {"date": format_date(iv.started_on)}
        )
        out.append(
            TimelineEntry(
                timeline.date_only_at(iv.started_on),
                "interventie",
                _("Interventie: %(type)s (%(track)s), %(period)s")
                % {"type": iv.type.name, "track": iv.type.get_track_display().lower(), "period": period},
                iv.result or iv.note,
                iv.organisation_id,
                iv.organisation.name,
                iv.supplied_by_org_id,
                iv.category,
                iv,
                date_only=True,
            )
        )
    for pc in PhaseChange.objects.filter(case=case).select_related("actor__organisation"):
        oid, oname = _org(pc.actor)
        where = _("in overleg") if pc.discussion_id else _("tussen overleggen")
        out.append(
            TimelineEntry(
                pc.at,
                "fase",
                _("Fase: %(from)s → %(to)s (%(where)s)")
                % {"from": pc.get_from_phase_display() or "—", "to": pc.get_to_phase_display(), "where": where},
                pc.reason,
                oid,
                oname,
                oid,
                item=pc,
            )
        )
    for b in BodemeisBreach.objects.filter(case=case).select_related("bodemeis", "supplied_by_org"):
        out.append(
            TimelineEntry(
                b.created_at,
                "bodemeis",
                _("Bodemeis niet nagekomen: %(text)s") % {"text": b.bodemeis.text[:120]},
                b.description,
                b.supplied_by_org_id,
                b.supplied_by_org.name,
                b.supplied_by_org_id,
                b.category,
                b,
            )
        )
    for u in ProgressUpdate.objects.filter(case=case).select_related("supplied_by_org"):
        out.append(
            TimelineEntry(
                u.created_at,
                "voortgang",
                _("Voortgang casusregisseur (wacht op informatie)")
                if u.waiting_for_information
                else _("Voortgang casusregisseur"),
                u.problem,
                u.supplied_by_org_id,
                u.supplied_by_org.name,
                u.supplied_by_org_id,
                u.category,
                u,
            )
        )
    for e in EscalationLog.objects.filter(escalation__case=case).select_related("actor__organisation"):
        oid, oname = _org(e.actor)
        out.append(
            TimelineEntry(
                e.at,
                "escalatie",
                _("Escalatie: %(step)s") % {"step": e.get_step_display()},
                e.note,
                oid,
                oname,
                oid,
                item=e,
            )
        )
    for c in Closure.objects.filter(case=case).select_related("actor__organisation"):
        oid, oname = _org(c.actor)
        title = c.get_kind_display()
        if c.goal_reached:
            title = _("%(kind)s — doel: %(goal)s") % {"kind": title, "goal": c.get_goal_reached_display().lower()}
        out.append(TimelineEntry(c.at, "afsluiting", title, c.reason, oid, oname, oid, item=c))
    for cp in ClosureProposal.objects.filter(case=case).select_related("organisation"):
        out.append(
            TimelineEntry(
                cp.at,
                "afsluiting",
                _("Afsluiting voorgesteld (%(status)s)") % {"status": cp.get_status_display().lower()},
                cp.reason,
                cp.organisation_id,
                cp.organisation.name,
                cp.organisation_id,
                item=cp,
            )
        )
    for d in VtDecision.objects.filter(case=case).select_related("decided_by__organisation"):
        oid, oname = _org(d.decided_by)
        out.append(
            TimelineEntry(
                d.decided_at,
                "veilig_thuis",
                _("Veilig Thuis: risico %(risk)s, %(route)s")
                % {"risk": d.get_risk_level_display().lower(), "route": d.get_route_display().lower()},
                d.reason,
                oid,
                oname,
                oid,
                item=d,
            )
        )
    # Issue 11: the answers to an enrichment request (dat-informatie) reach the asker in the timeline too.
    for ans in EnrichmentAnswer.objects.filter(request__case=case).select_related("supplied_by_org", "request"):
        contact = f" — {ans.contact}" if ans.contact else ""
        out.append(
            TimelineEntry(
                ans.created_at,
                "veilig_thuis",
                (_("Dat-informatie: bekend bij %(org)s") if ans.known else _("Dat-informatie: niet bekend bij %(org)s"))
                % {"org": ans.supplied_by_org.name}
                + contact,
                ans.note,
                ans.supplied_by_org_id,
                ans.supplied_by_org.name,
                ans.supplied_by_org_id,
                ans.category,
                ans,
            )
        )
    for n in CaseNote.objects.filter(case=case).select_related("supplied_by_org"):
        out.append(
            TimelineEntry(
                n.created_at,
                "notitie",
                _("Notitie"),
                n.text,
                n.supplied_by_org_id,
                n.supplied_by_org.name,
                n.supplied_by_org_id,
                n.category,
                n,
            )
        )
    out.extend(timeline.extra_entries(case, TimelineEntry))
    return out


def _policy_filter(viewer, case: Case, entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Only what the viewer may see (SPEC §6): each entry goes through the privacy policy's item rule with the
    organisation that supplied it, its category and the underlying record (for shares and restrictions).
    One context per page, so the rule costs a fixed number of queries however long the timeline is."""
    context = case_access.ItemContext(viewer, case, case_visible=True)
    return [
        e
        for e in entries
        if case_access.item_visible(
            viewer,
            case=case,
            supplied_by_org_id=e.supplied_by_org_id,
            category=e.category,
            item=e.item if hasattr(e.item, "_meta") else None,
            context=context,
        )
    ]


@dataclass
class Timeline:
    case: Case
    entries: list[TimelineEntry]
    kinds: dict[str, str]
    organisations: list[tuple[int, str]]
    kind: str = ""
    organisation_id: int | None = None
    total: int = 0
    filters: dict = field(default_factory=dict)


def case_timeline(*, viewer, case_id, kind: str = "", organisation_id=None, pdf: bool = False) -> Timeline:
    case = case_access.case_get_for_user(user=viewer, case_id=case_id)
    entries = _policy_filter(viewer, case, _entries(case))
    if not policy.sees_house_reasoning(viewer):
        # The reasons for status changes are the house's reasoning (issue 10, finding 15).
        for entry in entries:
            if entry.kind == "status":
                entry.detail = ""
    organisations = sorted(
        {(e.organisation_id, e.organisation) for e in entries if e.organisation_id}, key=lambda o: o[1]
    )
    total = len(entries)
    if kind in TIMELINE_KINDS:
        entries = [e for e in entries if e.kind == kind]
    else:
        kind = ""
    try:
        org_id = int(organisation_id) if organisation_id else None
    except (TypeError, ValueError):
        org_id = None
    if org_id:
        entries = [e for e in entries if e.organisation_id == org_id]
    entries.sort(key=timeline.order_key)
    timeline.link_entries(viewer, case, entries)
    audit(
        actor=viewer,
        event=LifecycleEvent.TIMELINE_PDF if pdf else LifecycleEvent.TIMELINE_VIEW,
        case_id=case.pk,
        details={"kind": kind, "organisation": org_id},
    )
    return Timeline(case, entries, TIMELINE_KINDS, organisations, kind, org_id, total)


# --- the lifecycle page of a case ------------------------------------------------------------------------


@dataclass
class CaseLifecycle:
    case: Case
    bodemeisen: list
    rappels: list
    progress: list
    escalations: list
    interventions: list
    intervention_types: list
    closures: list
    proposals: list
    vt_decisions: list
    enrichment: list
    organisations: list
    # What stands in the way of closing or stepping down (issue 12, item 4).
    guard: object = None

    @property
    def monitoring_open(self) -> bool:
        """Monitoring after a Veilig Thuis handover runs until Veilig Thuis closes it (issue 11)."""
        return any(d.monitor_on and not d.monitoring_closed_at for d in self.vt_decisions)


def case_lifecycle(*, viewer, case_id) -> CaseLifecycle:
    from tafel.meetings.models import Bodemeis
    from tafel.meetings.services import current_plan

    from .services.closing import closure_guard

    case = case_access.case_get_for_user(user=viewer, case_id=case_id)
    audit(actor=viewer, event=CaseEvent.CASE_VIEW, case_id=case.pk, reason="opvolging")
    plan = current_plan(case)
    bodemeisen = list(Bodemeis.objects.filter(plan=plan).select_related("guard")) if plan else []
    return CaseLifecycle(
        case=case,
        bodemeisen=bodemeisen,
        rappels=list(CaseRappel.objects.filter(case=case, done_at__isnull=True)),
        progress=list(
            ProgressUpdate.objects.filter(case=case).select_related("created_by").order_by("-created_at")[:5]
        ),
        escalations=list(Escalation.objects.filter(case=case).select_related("started_by_org")),
        interventions=list(CaseIntervention.objects.filter(case=case).select_related("type", "organisation")),
        intervention_types=list(InterventionType.objects.filter(active=True)),
        closures=list(Closure.objects.filter(case=case).select_related("actor")),
        proposals=list(
            ClosureProposal.objects.filter(case=case, status=ProposalStatus.OPEN).select_related("organisation")
        ),
        vt_decisions=list(
            VtDecision.objects.filter(case=case).select_related("responsible_worker", "handover_organisation")
        ),
        enrichment=list(
            EnrichmentRequest.objects.filter(case=case).select_related("organisation", "answer", "answer__created_by")
        ),
        organisations=list(
            CaseOrganisation.objects.filter(case=case).select_related("organisation").order_by("organisation__name")
        ),
        guard=closure_guard(case) if case.status == CaseStatus.ACTIEF else None,
    )


def vt_workers(*, viewer, case: Case) -> list:
    """Who can be named responsible worker for a Veilig Thuis decision on this melding: the active users of the
    Veilig Thuis organisation concerned (the viewer's own when they work there, else the Veilig Thuis
    organisations taking part in the case). Two queries."""
    from tafel.organisations.models import OrganisationType

    if viewer.organisation.type == OrganisationType.VEILIG_THUIS:
        org_ids = [viewer.organisation_id]
    else:
        org_ids = CaseOrganisation.objects.filter(case=case, organisation__type=OrganisationType.VEILIG_THUIS).values(
            "organisation_id"
        )
    return list(
        policy.active_users()
        .filter(organisation_id__in=org_ids)
        .prefetch_related("roles")
        .order_by("first_name", "last_name", "username")
    )


def escalation_get_for_user(*, user, escalation_id, action: str = "view") -> Escalation:
    """Fetch an escalation of a case the user may see (else NotFound, 404). `view` is a read and is audited
    as one; `edit` fetches for a write, whose service checks who may do it and writes its own audit event,
    so a write leaves exactly its write event and no read record beside it."""
    if action not in ("view", "edit"):
        raise ValueError(f"escalation_get_for_user: onbekende actie {action!r}")
    try:
        escalation_id = int(escalation_id)
    except (TypeError, ValueError):
        raise NotFound("Deze escalatie bestaat niet of u heeft er geen toegang toe.") from None
    escalation = (
        Escalation.objects.filter(pk=escalation_id, case__in=case_access.cases_visible_to(user))
        .select_related("case", "started_by", "started_by_org", "resolved_by")
        .first()
    )
    if escalation is None:
        policy.refuse_unseen(user, kind="escalation", object_id=escalation_id, action=action, model=Escalation)
        raise NotFound("Deze escalatie bestaat niet of u heeft er geen toegang toe.")
    if action == "view":
        audit(
            actor=user,
            event=CaseEvent.CASE_VIEW,
            case_id=escalation.case_id,
            reason="escalation",
            details={"escalation": escalation.pk},
        )
    return escalation


# --- notifications ---------------------------------------------------------------------------------------


def unread_count(user) -> int:
    if not (user and user.is_authenticated):
        return 0
    loaded = getattr(user, "_unread_notifications", None)  # loaded with the signed-in user (tafel.access.backends)
    if loaded is not None:
        return loaded
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(*, viewer, limit: int = 50) -> list[Notification]:
    """The viewer's messages, newest first. They name cases and what happened in them: a read, audited."""
    items = list(Notification.objects.filter(user=viewer).select_related("case")[:limit])
    audit_list(actor=viewer, list_code="berichten", case_ids=[n.case_id for n in items], shown=len(items))
    return items


def enrichment_inbox(*, viewer) -> list[EnrichmentRequest]:
    """Requests for dat-informatie addressed to the viewer's organisation: only the question, the asking
    organisation and the case reference; no case content (SPEC §3.2)."""
    if not policy.sees_case_content(viewer):
        return []
    return list(
        EnrichmentRequest.objects.filter(organisation_id=viewer.organisation_id)
        .select_related("case", "requested_by__organisation", "answer")
        .order_by("-requested_at")[:100]
    )


def enrichment_request_get_for_user(*, user, request_id) -> EnrichmentRequest:
    try:
        request_id = int(request_id)
    except (TypeError, ValueError):
        raise NotFound("Dit verzoek bestaat niet.") from None
    obj = (
        EnrichmentRequest.objects.filter(pk=request_id, organisation_id=user.organisation_id)
        .select_related("case", "requested_by")
        .first()
    )
    if obj is None or not policy.sees_case_content(user):
        raise NotFound("Dit verzoek bestaat niet.")
    return obj


# --- the case-event feed (API) ---------------------------------------------------------------------------

# The feed carries changes of a case, never reads (issue 10, finding 9): an allowlist, so a new event type
# stays out until someone decides it is a change other participants may learn of. Reads, denials, logins and
# exports, and the privacy officer's own work (shares, restrictions, rectifications), are not in it. Apps above
# this one (privacy, evaluations) add theirs with `register_feed_events` in their `AppConfig.ready()`.
FEED_EVENTS = {
    CaseEvent.CASE_CREATE,
    CaseEvent.CASE_UPDATE,
    CaseEvent.CASE_TRANSITION,
    CaseEvent.CASE_PARTICIPANT_ADD,
    CaseEvent.CASE_PARTICIPANT_REMOVE,
    CaseEvent.CASE_NOTE_ADD,
    CaseEvent.AANMELDING_CREATE,
    CaseEvent.AANMELDING_JOINED,
    CaseEvent.AANMELDING_INFO_ADDED,
    CaseEvent.TRIAGE_DECIDE,
    MeetingEvent.MEETING_PLAN,
    MeetingEvent.MEETING_UPDATE,
    MeetingEvent.AGENDA_ADD,
    MeetingEvent.AGENDA_DEFER,
    MeetingEvent.INVITATION_ADD,
    MeetingEvent.INVITATION_SEND,
    MeetingEvent.INVITATION_REMOVE,
    MeetingEvent.CLIENT_INVITE,
    MeetingEvent.ATTENDANCE_RECORD,
    MeetingEvent.PRE_MEETING_UPDATE,
    MeetingEvent.DISCUSSION_UPDATE,
    MeetingEvent.SCALE_SCORE_ADD,
    MeetingEvent.PHASE_CHANGE,
    MeetingEvent.SAFETY_MARKER_SET,
    MeetingEvent.PLAN_UPDATE,
    MeetingEvent.PLAN_PUBLISH,
    MeetingEvent.ACTION_UPDATE,
    MeetingEvent.VERSLAG_GENERATE,
    MeetingEvent.VERSLAG_EDIT,
    MeetingEvent.VERSLAG_APPROVE,
    LifecycleEvent.RAPPEL_SET,
    LifecycleEvent.BREACH_REPORT,
    LifecycleEvent.PROGRESS_UPDATE,
    LifecycleEvent.FOLLOW_UP_AGENDA,
    LifecycleEvent.ESCALATION_START,
    LifecycleEvent.ESCALATION_STEP,
    LifecycleEvent.ESCALATION_ARGUMENT,
    LifecycleEvent.ESCALATION_RESOLVE,
    LifecycleEvent.INTERVENTION_ADD,
    LifecycleEvent.INTERVENTION_UPDATE,
    LifecycleEvent.CLOSURE_RECORD,
    LifecycleEvent.CLOSURE_PROPOSE,
    LifecycleEvent.CLOSURE_PROPOSAL_DECIDE,
    LifecycleEvent.CASE_REENTRY,
    LifecycleEvent.FOLLOW_UP_END,
    LifecycleEvent.VT_DECISION,
    LifecycleEvent.VT_ESCALATE,
}

# Events about one piece of supplied content: (event type, key in the details) → its model. Such an event is
# in the feed only when the caller may read that item (SPEC §6 item rules): otherwise the feed would tell that
# the police added a medical note the caller is not allowed to see.
FEED_ITEMS = {
    (CaseEvent.CASE_NOTE_ADD, "note"): ("cases", "CaseNote"),
    (CaseEvent.AANMELDING_CREATE, "aanmelding"): ("cases", "Aanmelding"),
    (CaseEvent.AANMELDING_JOINED, "aanmelding"): ("cases", "Aanmelding"),
    (CaseEvent.AANMELDING_INFO_ADDED, "aanmelding"): ("cases", "Aanmelding"),
    (MeetingEvent.PRE_MEETING_UPDATE, "update"): ("meetings", "PreMeetingUpdate"),
    (MeetingEvent.DISCUSSION_UPDATE, "discussion"): ("meetings", "CaseDiscussion"),
    (MeetingEvent.PLAN_UPDATE, "plan"): ("meetings", "Plan"),
    (MeetingEvent.PLAN_PUBLISH, "plan"): ("meetings", "Plan"),
    (LifecycleEvent.BREACH_REPORT, "breach"): ("lifecycle", "BodemeisBreach"),
    (LifecycleEvent.PROGRESS_UPDATE, "update"): ("lifecycle", "ProgressUpdate"),
    (LifecycleEvent.INTERVENTION_ADD, "intervention"): ("lifecycle", "CaseIntervention"),
    (LifecycleEvent.INTERVENTION_UPDATE, "intervention"): ("lifecycle", "CaseIntervention"),
}


def register_feed_events(events, *, items: dict | None = None) -> None:
    """An app above this one puts its change events in the feed (`FEED_EVENTS`), and the content items among
    them (`FEED_ITEMS`: (event type, key in the details) → (app label, model name))."""
    FEED_EVENTS.update(events)
    FEED_ITEMS.update(items or {})


# How an item reaches its case where it has no `case` field of its own.
FEED_ITEM_CASE = {("meetings", "PreMeetingUpdate"): "agenda_item__case"}


def _items_visible(viewer, events: list[AuditEvent]) -> list[AuditEvent]:
    """Drop the events whose item the viewer may not read: one query per kind of item and one item context
    per case, so the cost does not grow with the number of events."""
    from operator import attrgetter

    from django.apps import apps

    wanted: dict[tuple[str, str], set[int]] = {}
    for e in events:
        for (event_type, key), model in FEED_ITEMS.items():
            if e.event_type == event_type and isinstance((e.details or {}).get(key), int):
                wanted.setdefault(model, set()).add(e.details[key])
    visible: set[tuple[tuple[str, str], int]] = set()
    contexts: dict[int, case_access.ItemContext] = {}
    for model, ids in wanted.items():
        path = FEED_ITEM_CASE.get(model, "case")
        rows = list(apps.get_model(*model).objects.filter(pk__in=ids).select_related(path))
        for row in rows:
            case = attrgetter(path.replace("__", "."))(row)
            context = contexts.get(case.pk)
            if context is None:
                context = contexts[case.pk] = case_access.ItemContext(viewer, case, case_visible=True)
            if case_access.item_visible(
                viewer,
                case=case,
                supplied_by_org_id=row.supplied_by_org_id,
                category=row.category,
                item=row,
                context=context,
            ):
                visible.add((model, row.pk))
    kept = []
    for e in events:
        items = [
            (model, (e.details or {}).get(key))
            for (event_type, key), model in FEED_ITEMS.items()
            if e.event_type == event_type and isinstance((e.details or {}).get(key), int)
        ]
        if all(item in visible for item in items):
            kept.append(e)
    return kept


def case_events(*, viewer, cursor: int = 0, limit: int = 100) -> tuple[int, list[AuditEvent]]:
    """Changes since `cursor` (the audit log's monotonic id) on the cases the viewer's organisation is part
    of as a partner, and only about items the viewer may read. The audit log is written in the same
    transaction as every change, so nothing is missed. The cursor moves past events left out, so a page may
    hold fewer than `limit` items. Returns (next cursor: the last event examined, the events to show)."""
    visible = case_access.cases_visible_to(viewer).values("pk")
    events = list(
        AuditEvent.objects.filter(pk__gt=cursor, case_id__in=Subquery(visible), event_type__in=FEED_EVENTS).order_by(
            "pk"
        )[:limit]
    )
    return (events[-1].pk if events else cursor), _items_visible(viewer, events)


def unread_columns(model, outer: str) -> dict:
    """The unread-notification count as a column of a user query (tafel.access.backends): the bell in the
    header then needs no query of its own."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from tafel.core.jsonrows import compiled

    def unread():
        count = (
            Notification.objects.filter(user=OuterRef(outer), read_at__isnull=True)
            .order_by()
            .values("user")
            .annotate(n=Count("id"))
            .values("n")
        )
        return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))

    return {"_unread": compiled(model, ("unread", outer), unread, output_field=IntegerField())}


def unread_apply(user, row) -> None:
    user._unread_notifications = int(row._unread)
