"""Every read of meetings used by pages and the API, scoped by the viewer through tafel.meetings.access.

Lists and the agenda are read in a fixed number of queries, whatever the length of a case's history
(earlier meetings, plan versions, actions): counts and "latest" values come from subqueries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tafel.access.policy import is_house_procesregisseur, sees_restricted_persons
from tafel.cases.access import PARTNER, ItemContext, case_get_for_user, cases_visible_to, filter_items
from tafel.cases.models import (
    TRIAGE_URGENCY_RANK,
    ZVH_OUTCOMES,
    Aanmelding,
    Case,
    CaseNote,
    CaseOrganisation,
    CasePerson,
    CaseStatus,
    Triage,
)
from tafel.core.audit import audit, audit_list, audit_many
from tafel.core.dates import format_date
from tafel.core.errors import NotFound
from tafel.meetings.audit_events import MeetingEvent
from tafel.organisations.models import User

from .access import (
    agenda_item_get_for_user,
    agenda_items_visible_to,
    may_approve_verslag,
    may_edit_plan,
    may_plan_meetings,
    may_run_meeting,
    meeting_get_for_user,
    meetings_visible_to,
    plan_get_for_user,
    verslag_get_for_user,
)
from .guide import PhaseGuide, guide_for
from .models import (
    RECURRING_AFTER_MEETINGS,
    Action,
    ActionStatus,
    AgendaItem,
    Bodemeis,
    CaseDiscussion,
    GuideDraft,
    Invitation,
    Meeting,
    MeetingStatus,
    Plan,
    PreMeetingUpdate,
    ScaleScore,
    Verslag,
    VerslagSection,
)
from .services.conversation import previous_discussion
from .services.plans import plan_quality, plan_source_discussion

# --- meetings ---------------------------------------------------------------------------------------------


def audit_meeting_list(*, viewer, meetings) -> None:
    """The meeting list shows which cases are on which table: each case the viewer sees on a listed meeting is
    a read (issue 10, finding 11). One query and one insert, whatever the length of the list."""
    case_ids = AgendaItem.objects.filter(
        meeting__in=[m.pk for m in meetings], case__in=cases_visible_to(viewer)
    ).values_list("case_id", flat=True)
    audit_list(actor=viewer, list_code="overleggen", case_ids=list(case_ids) if meetings else [])


def meeting_list(*, viewer, upcoming: bool | None = None) -> QuerySet:
    """Meetings the viewer may see, with the number of agenda items they may see."""
    visible_items = (
        AgendaItem.objects.filter(meeting=OuterRef("pk"), case__in=cases_visible_to(viewer))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        meetings_visible_to(viewer)
        .select_related("overleg_type", "chair")
        .annotate(n_items=Coalesce(Subquery(visible_items, output_field=IntegerField()), Value(0)))
    )
    if upcoming is True:
        # An open meeting is still going on (issue 12, item 5): it stays with the coming ones until it is closed.
        qs = qs.filter(
            Q(status=MeetingStatus.OPEN)
            | Q(status=MeetingStatus.PLANNED, starts_at__gte=timezone.now() - datetime.timedelta(hours=12))
        )
        return qs.order_by("starts_at", "id")
    if upcoming is False:
        qs = qs.exclude(status__in=[MeetingStatus.PLANNED, MeetingStatus.OPEN])
    return qs.order_by("-starts_at", "-id")


def agenda(*, viewer, meeting: Meeting) -> list[AgendaItem]:
    """The agenda as the viewer may see it: new cases first, then follow-up; each item with the state of its
    case in a fixed number of queries (no per-item or per-history-row queries)."""
    current_plan = (
        Plan.objects.filter(case=OuterRef("case_id"), published_at__isnull=False).order_by("-number").values("pk")[:1]
    )

    def count(qs) -> Coalesce:
        sub = qs.order_by().values("plan_id").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))

    actions_of_current = Action.objects.filter(plan_id=OuterRef("current_plan_id"))
    open_actions = actions_of_current.filter(status=ActionStatus.OPEN)
    updates = (
        PreMeetingUpdate.objects.filter(agenda_item=OuterRef("pk"))
        .order_by()
        .values("agenda_item")
        .annotate(n=Count("pk"))
        .values("n")
    )
    previous_meeting = (
        AgendaItem.objects.filter(case=OuterRef("case_id"), meeting__starts_at__lt=meeting.starts_at, deferred=False)
        .order_by("-meeting__starts_at")
        .values("meeting__starts_at")[:1]
    )
    items = (
        agenda_items_visible_to(viewer, meeting)
        .select_related("case", "case__municipality", "case__casusregisseur", "case__meeting_flags")
        .annotate(
            current_plan_id=Subquery(current_plan),
            current_plan_number=Subquery(Plan.objects.filter(pk=OuterRef("current_plan_id")).values("number")[:1]),
            n_open_actions=count(open_actions),
            n_recurring_actions=count(open_actions.filter(meeting_count__gte=RECURRING_AFTER_MEETINGS)),
            n_ownerless_actions=count(open_actions.filter(owner__isnull=True)),
            n_overdue_actions=count(open_actions.filter(deadline__lt=timezone.localdate())),
            n_updates=Coalesce(Subquery(updates, output_field=IntegerField()), Value(0)),
            has_discussion=Exists(CaseDiscussion.objects.filter(agenda_item=OuterRef("pk"))),
            previous_meeting_at=Subquery(previous_meeting),
        )
        .prefetch_related(
            Prefetch("case__case_persons", queryset=_persons_shown_to(viewer, CasePerson.objects)),
            "case__meeting_flags__separated_persons",
            Prefetch(
                "invitations",
                queryset=_persons_shown_to(
                    viewer,
                    Invitation.objects.filter(is_client=True).select_related("preparation_by", "debrief_by"),
                ),
                to_attr="client_invitations",
            ),
        )
        .order_by("order", "id")
    )
    items = list(items)
    _count_visible_updates(viewer, items)
    return items


def _persons_shown_to(viewer, qs: QuerySet) -> QuerySet:
    """Rows that name a person (case persons, client invitations), without the persons under restriction of
    processing unless the viewer is the FG or the procesregisseur (AVG art. 18, as on the case page)."""
    qs = qs.select_related("person").order_by("id")
    if not sees_restricted_persons(viewer):
        qs = qs.filter(person__processing_restricted=False)
    return qs


def case_persons(*, viewer, case) -> list[CasePerson]:
    """The persons of a case as the meeting pages show and offer them (clients to invite, scale scores)."""
    return list(_persons_shown_to(viewer, CasePerson.objects.filter(case=case)))


def _count_visible_updates(viewer, items: list[AgendaItem]) -> None:
    """The agenda counts only the pre-meeting updates the viewer may read (SPEC §6): an update withheld by its
    category is not hinted at by a number either. One query, and the policy's rows only for cases that have
    a sensitive update."""
    with_updates = [i for i in items if i.n_updates]
    if not with_updates:
        return
    by_item: dict[int, list[PreMeetingUpdate]] = {}
    for update in PreMeetingUpdate.objects.filter(agenda_item__in=with_updates).only(
        "id", "agenda_item_id", "supplied_by_org_id", "category"
    ):
        by_item.setdefault(update.agenda_item_id, []).append(update)
    contexts: dict[int, ItemContext] = {}
    for item in with_updates:
        ctx = contexts.setdefault(item.case_id, ItemContext(viewer, item.case, case_visible=True))
        item.n_updates = len(filter_items(viewer, case=item.case, items=by_item.get(item.pk, []), context=ctx))


def agenda_for_viewer(*, viewer, meeting_id) -> tuple[Meeting, list[AgendaItem]]:
    """The agenda alone (API): access-checked and audited like the meeting page."""
    meeting = meeting_get_for_user(user=viewer, meeting_id=meeting_id)
    items = agenda(viewer=viewer, meeting=meeting)
    audit_many(actor=viewer, event=MeetingEvent.MEETING_VIEW, case_ids=[i.case_id for i in items])
    return meeting, items


# How far back a due date may lie and still make a case "due" for an agenda (issue 12, item 5). A rappel or an
# action deadline older than this, or a triage longer ago, is stale: the follow-up overview (opvolging) asks
# after those cases; the agenda proposal offers what is due now.
SUGGESTION_WINDOW_DAYS = 90
# Most urgent first, as in the triage queue.
URGENCY_RANK = TRIAGE_URGENCY_RANK


@dataclass
class AgendaSuggestion:
    case: Case
    reason: str
    # The reasons as codes (rappel, actions, triaged, deferred) for the API; `reason` is their text.
    codes: list[str] = field(default_factory=list)
    due_on: datetime.date | None = None


def agenda_suggestions(*, viewer, meeting: Meeting, horizon_days: int = 7, limit: int = 25) -> list[AgendaSuggestion]:
    """Running cases that are due for this meeting (000:L3064, L3678; issue 12, item 5), most urgent first
    (the case's urgency, then the earliest due date), each with why it is proposed:

    - rappel: the current plan's next meeting date falls before or within `horizon_days` after this meeting,
      and no meeting on or after that date has the case on its agenda yet;
    - actions: an open action of the current plan has its deadline on or before the meeting's day;
    - triaged: accepted for the ZVH-aanpak and not yet on any agenda (a deferral does not count);
    - deferred: deferred at an earlier meeting and not on a later agenda since.

    Closed cases and cases not running are never proposed, and neither are stale ones: a due date longer than
    SUGGESTION_WINDOW_DAYS before the meeting. One query. The reasons are only shown, never stored, so they are
    written in the page's language."""
    day = timezone.localtime(meeting.starts_at).date()
    until = day + datetime.timedelta(days=horizon_days)
    since = day - datetime.timedelta(days=SUGGESTION_WINDOW_DAYS)
    since_at = meeting.starts_at - datetime.timedelta(days=SUGGESTION_WINDOW_DAYS)
    current = Plan.objects.filter(case=OuterRef("pk"), published_at__isnull=False).order_by("-number")
    on_agenda = AgendaItem.objects.filter(case=OuterRef("pk"), deferred=False).exclude(meeting=meeting)
    last_deferred = (
        AgendaItem.objects.filter(case=OuterRef("pk"), deferred=True, meeting__starts_at__lt=meeting.starts_at)
        .order_by("-meeting__starts_at")
        .values("meeting__starts_at")[:1]
    )
    zvh_triage = (
        Triage.objects.filter(case=OuterRef("pk"), outcome__in=ZVH_OUTCOMES)
        .order_by("-decided_at")
        .values("decided_at")
    )
    due_action = (
        Action.objects.filter(
            plan_id=OuterRef("current_plan_id"), status=ActionStatus.OPEN, deadline__lte=day, deadline__gte=since
        )
        .order_by("deadline")
        .values("deadline")[:1]
    )
    qs = (
        cases_visible_to(viewer)
        .filter(status__in=[CaseStatus.ACTIEF, CaseStatus.VOLGEN])
        .exclude(agenda_items__meeting=meeting)
        .annotate(
            current_plan_id=Subquery(current.values("pk")[:1]),
            rappel=Subquery(current.values("next_meeting_date")[:1]),
            deferred_at=Subquery(last_deferred),
            triaged_at=Coalesce(Subquery(zvh_triage[:1]), F("status_changed_at")),
        )
        .annotate(
            action_due=Subquery(due_action),
            rappel_honoured=Exists(on_agenda.filter(meeting__starts_at__date__gte=OuterRef("rappel"))),
            ever_on_agenda=Exists(on_agenda),
            on_agenda_since_deferral=Exists(on_agenda.filter(meeting__starts_at__gt=OuterRef("deferred_at"))),
        )
        .filter(
            Q(rappel__lte=until, rappel__gte=since, rappel_honoured=False)
            | Q(action_due__isnull=False)
            | Q(status=CaseStatus.ACTIEF, ever_on_agenda=False, triaged_at__gte=since_at)
            | Q(deferred_at__gte=since_at, on_agenda_since_deferral=False)
        )
        .order_by("pk")
    )
    suggestions = []
    for case in qs:
        reasons, codes, dates = [], [], []
        if case.rappel and since <= case.rappel <= until and not case.rappel_honoured:
            codes.append("rappel")
            dates.append(case.rappel)
            reasons.append(_("volgend overleg gepland op %(date)s") % {"date": format_date(case.rappel)})
        if case.action_due:
            codes.append("actions")
            dates.append(case.action_due)
            reasons.append(_("open acties over de termijn"))
        if case.status == CaseStatus.ACTIEF and not case.ever_on_agenda and case.triaged_at >= since_at:
            triaged_on = timezone.localtime(case.triaged_at).date()
            codes.append("triaged")
            dates.append(triaged_on)
            reasons.append(_("nieuw aangenomen op %(date)s, nog niet besproken") % {"date": format_date(triaged_on)})
        if case.deferred_at and case.deferred_at >= since_at and not case.on_agenda_since_deferral:
            deferred_on = timezone.localtime(case.deferred_at).date()
            codes.append("deferred")
            dates.append(deferred_on)
            reasons.append(_("doorgeschoven van het overleg van %(date)s") % {"date": format_date(deferred_on)})
        if codes:
            suggestions.append(AgendaSuggestion(case=case, reason="; ".join(reasons), codes=codes, due_on=min(dates)))
    suggestions.sort(key=lambda s: (URGENCY_RANK.get(s.case.urgency, 9), s.due_on, s.case.pk))
    suggestions = suggestions[:limit]
    # The proposal names cases: a read of each (issue 10, finding 11).
    audit_list(actor=viewer, list_code="agendavoorstel", case_ids=[s.case.pk for s in suggestions])
    return suggestions


@dataclass
class Proposal:
    user: User
    knows_client: bool
    reason: str


@dataclass
class MeetingDetail:
    meeting: Meeting
    items: list[AgendaItem]
    invitations: list[Invitation]
    may_plan: bool
    may_run: bool
    warnings: list[str] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    suggestions: list[AgendaSuggestion] = field(default_factory=list)
    has_verslag: bool = False


def meeting_detail(*, viewer, meeting_id, for_planning: bool = True) -> MeetingDetail:
    """The meeting page: the agenda, the invitees and, for whoever plans it, proposals of people and cases."""
    meeting = meeting_get_for_user(user=viewer, meeting_id=meeting_id)
    items = agenda(viewer=viewer, meeting=meeting)
    item_ids = {i.pk for i in items}
    invitations = [
        inv
        for inv in Invitation.objects.filter(meeting=meeting, is_client=False)
        .select_related("user", "organisation", "substitute_for", "agenda_item__case")
        .order_by("id")
        if inv.agenda_item_id is None or inv.agenda_item_id in item_ids
    ]
    may_plan = may_plan_meetings(viewer) or may_run_meeting(viewer, meeting)
    detail = MeetingDetail(
        meeting=meeting,
        items=items,
        invitations=invitations,
        may_plan=may_plan,
        may_run=may_run_meeting(viewer, meeting),
        has_verslag=Verslag.objects.filter(meeting=meeting).exists(),
    )
    if may_plan and for_planning:
        at_table = Invitation.objects.filter(meeting=meeting, invited=True).count()
        cap = meeting.overleg_type.max_at_table
        if cap and at_table > cap:
            detail.warnings.append(f"{at_table} mensen uitgenodigd; het maximum voor dit overlegtype is {cap}.")
        detail.proposals = invitation_proposals(meeting=meeting)
        if meeting.status == MeetingStatus.PLANNED:
            detail.suggestions = agenda_suggestions(viewer=viewer, meeting=meeting)
    audit(actor=viewer, event=MeetingEvent.MEETING_VIEW, details={"meeting": meeting.pk})
    audit_many(actor=viewer, event=MeetingEvent.MEETING_VIEW, case_ids=[i.case_id for i in items])
    return detail


def invitation_proposals(*, meeting: Meeting, limit: int = 30) -> list[Proposal]:
    """People to invite, those who know the client personally first (001:L1594): the regisseurs of the
    case, and whoever wrote updates, notes or referrals in it or owns actions in it. Then other people of the
    participating organisations, the overleg type's default organisation types first."""
    case_ids = list(AgendaItem.objects.filter(meeting=meeting).values_list("case_id", flat=True))
    if not case_ids:
        return []
    reasons: dict[int, str] = {}

    def know(ids, reason: str) -> None:
        for pk in ids:
            if pk and pk not in reasons:
                reasons[pk] = reason

    for proc, cas in Case.objects.filter(pk__in=case_ids).values_list("procesregisseur_id", "casusregisseur_id"):
        know([cas], "casusregisseur")
        know([proc], "procesregisseur")
    know(
        Action.objects.filter(case_id__in=case_ids, plan__published_at__isnull=False).values_list(
            "owner_id", flat=True
        ),
        "heeft acties in de casus",
    )
    know(
        PreMeetingUpdate.objects.filter(agenda_item__case_id__in=case_ids).values_list("created_by_id", flat=True),
        "gaf eerder een update",
    )
    know(CaseNote.objects.filter(case_id__in=case_ids).values_list("created_by_id", flat=True), "schreef notities")
    know(Aanmelding.objects.filter(case_id__in=case_ids).values_list("created_by_id", flat=True), "meldde de casus aan")
    invited = set(Invitation.objects.filter(meeting=meeting, user__isnull=False).values_list("user_id", flat=True))
    org_ids = set(
        CaseOrganisation.objects.filter(case_id__in=case_ids, kind=PARTNER).values_list("organisation_id", flat=True)
    )
    candidates = (
        User.objects.filter(is_active=True)
        .filter(Q(organisation_id__in=org_ids) | Q(pk__in=list(reasons), organisation__type="zvh"))
        .exclude(pk__in=invited)
        .select_related("organisation")
        .distinct()
    )
    defaults = set(meeting.overleg_type.default_participant_types or [])
    proposals = [Proposal(user=u, knows_client=u.pk in reasons, reason=reasons.get(u.pk, "")) for u in candidates]
    proposals.sort(
        key=lambda p: (
            not p.knows_client,
            p.user.organisation.type not in defaults,
            p.user.organisation.name,
            p.user.get_full_name(),
        )
    )
    return proposals[:limit]


# --- the conversation guide -------------------------------------------------------------------------------


@dataclass
class DiscussionView:
    item: AgendaItem
    discussion: CaseDiscussion | None
    previous: CaseDiscussion | None
    updates: list[PreMeetingUpdate]
    guide: PhaseGuide
    scores: list[ScaleScore]
    client_scores: list[ScaleScore]
    persons: list[CasePerson]
    participants: list[User]
    draft_plan: Plan | None
    current_plan: Plan | None
    may_run: bool
    # The viewer's own unsaved text per part of the guide ({part code: GuideDraft}).
    drafts: dict = field(default_factory=dict)


def discussion_view(*, viewer, item_id) -> DiscussionView:
    """The guide for one case: the merged pre-meeting updates first (002:L4170), then the phase's parts."""
    item = agenda_item_get_for_user(user=viewer, item_id=item_id)
    discussion = (
        CaseDiscussion.objects.filter(agenda_item=item)
        .prefetch_related(
            Prefetch(
                "scale_scores",
                queryset=ScaleScore.objects.select_related("participant", "person", "supplied_by_org").order_by("id"),
            )
        )
        .first()
    )
    previous = discussion.carried_from if discussion else previous_discussion(item.case, before_item=item)
    # Item rules (SPEC §6): a record or update the viewer may not read is left out of the page.
    if discussion is not None and not filter_items(viewer, case=item.case, items=[discussion]):
        discussion = None
    if previous is not None and not filter_items(viewer, case=item.case, items=[previous]):
        previous = None
    scores = filter_items(viewer, case=item.case, items=discussion.scale_scores.all()) if discussion else []
    persons = case_persons(viewer=viewer, case=item.case)
    shown_person_ids = {cp.person_id for cp in persons}
    # A client's score names the client: left out with the person while their processing is restricted.
    scores = [s for s in scores if not s.is_client or s.person_id in shown_person_ids]
    draft_plan = Plan.objects.filter(case=item.case, published_at__isnull=True).first()
    current_plan = Plan.objects.filter(case=item.case, published_at__isnull=False).order_by("-number").first()
    plans = filter_items(viewer, case=item.case, items=[p for p in (draft_plan, current_plan) if p is not None])
    draft_plan = draft_plan if draft_plan in plans else None
    current_plan = current_plan if current_plan in plans else None
    participants = [
        inv.user
        for inv in Invitation.objects.filter(meeting=item.meeting, is_client=False)
        .filter(Q(agenda_item__isnull=True) | Q(agenda_item=item))
        .select_related("user", "user__organisation")
        .order_by("id")
    ]
    if item.meeting.chair not in participants:
        participants.insert(0, item.meeting.chair)
    audit(actor=viewer, event=MeetingEvent.DISCUSSION_VIEW, case_id=item.case_id, details={"item": item.pk})
    return DiscussionView(
        item=item,
        discussion=discussion,
        previous=previous,
        updates=filter_items(
            viewer,
            case=item.case,
            items=PreMeetingUpdate.objects.filter(agenda_item=item)
            .select_related("created_by", "supplied_by_org")
            .order_by("created_at", "id"),
        ),
        guide=guide_for(discussion.phase if discussion else (item.case.phase or "")),
        scores=[s for s in scores if not s.is_client],
        client_scores=[s for s in scores if s.is_client],
        persons=persons,
        participants=participants,
        draft_plan=draft_plan,
        current_plan=current_plan,
        may_run=may_run_meeting(viewer, item.meeting),
        drafts={g.part: g for g in GuideDraft.objects.filter(discussion=discussion, author=viewer)}
        if discussion is not None
        else {},
    )


# --- plans ------------------------------------------------------------------------------------------------


@dataclass
class PlanView:
    plan: Plan
    bodemeisen: list[Bodemeis]
    actions: list[Action]
    missing: list[str]
    versions: list[Plan]
    may_edit: bool
    rationale_share: float | None
    is_current: bool
    # The case's draft (when this page shows a published version) and whether the viewer may start one.
    draft: Plan | None = None
    may_start_version: bool = False
    # Ideas of the discussion's brainstorm and shortlist not yet on the plan: [{source, index, option, by}].
    ideas: list = field(default_factory=list)


def _plan_parts(plan: Plan) -> tuple[list[Bodemeis], list[Action]]:
    bodemeisen = list(plan.bodemeisen.select_related("guard", "guard__organisation").order_by("order", "id"))
    actions = list(
        plan.actions.select_related("owner", "organisation", "co_owner", "co_owner__organisation").order_by(
            "order", "id"
        )
    )
    return bodemeisen, actions


def _plan_checked(*, viewer, plan_id) -> Plan:
    plan = plan_get_for_user(user=viewer, plan_id=plan_id)
    if not filter_items(viewer, case=plan.case, items=[plan]):
        raise NotFound("Dit plan bestaat niet of u heeft er geen toegang toe.")
    return plan


def plan_view(*, viewer, plan_id) -> PlanView:
    plan = _plan_checked(viewer=viewer, plan_id=plan_id)
    bodemeisen, actions = _plan_parts(plan)
    versions = list(
        Plan.objects.filter(case_id=plan.case_id).select_related("meeting", "published_by").order_by("-number")
    )
    latest_published = next((v for v in versions if v.published_at), None)
    with_rationale = sum(1 for a in actions if a.rationale.strip())
    may_edit = plan.is_draft and may_edit_plan(viewer, plan)
    ideas = _plan_ideas(viewer, plan, actions) if may_edit else []
    audit(actor=viewer, event=MeetingEvent.PLAN_VIEW, case_id=plan.case_id, details={"plan": plan.pk})
    return PlanView(
        plan=plan,
        bodemeisen=bodemeisen,
        actions=actions,
        missing=plan_quality(plan, bodemeisen, actions),
        versions=versions,
        may_edit=may_edit,
        rationale_share=(with_rationale / len(actions)) if actions else None,
        is_current=latest_published is not None and latest_published.pk == plan.pk,
        draft=next((v for v in versions if v.published_at is None), None),
        may_start_version=is_house_procesregisseur(viewer),
        ideas=ideas,
    )


def _plan_ideas(viewer, plan: Plan, actions: list[Action]) -> list[dict]:
    """The brainstorm and shortlist of the discussion this version comes from, minus what is already an action:
    each can become an action in one step (issue 12)."""
    discussion = plan_source_discussion(plan)
    if discussion is None or not filter_items(viewer, case=plan.case, items=[discussion]):
        return []
    taken = {" ".join(a.what.lower().split()) for a in actions}
    ideas = []
    for source in ("shortlist", "brainstorm"):
        for index, row in enumerate(getattr(discussion, source) or []):
            option = (row.get("option") or "").strip()
            if option and " ".join(option.lower().split()) not in taken:
                ideas.append({"source": source, "index": index, "option": option, "by": row.get("by", "")})
    return ideas


def plans_for_case(*, viewer, case_id) -> list[Plan]:
    case = case_get_for_user(user=viewer, case_id=case_id)
    return filter_items(
        viewer,
        case=case,
        case_visible=True,
        items=Plan.objects.filter(case=case).select_related("published_by").order_by("-number"),
    )


def plan_for_family_review(*, viewer, plan_id) -> Plan:
    """A plan whose family version the viewer may review: visible (item rules too) and a procesregisseur."""
    from .access import require_family_review

    plan = _plan_checked(viewer=viewer, plan_id=plan_id)
    require_family_review(viewer, plan)
    return plan


def family_view(*, viewer, plan_id, review: bool = False):
    """The plan in plain language for the family (SPEC §4.5); built in `tafel.meetings.family`."""
    from .family import family_view as build

    return build(viewer=viewer, plan=_plan_checked(viewer=viewer, plan_id=plan_id), review=review)


def my_actions_list(*, viewer) -> list[Action]:
    """The viewer's actions on current plans; each case shown is a read of its plan."""
    actions = list(my_actions(viewer=viewer))
    audit_many(actor=viewer, event=MeetingEvent.PLAN_VIEW, case_ids=sorted({a.case_id for a in actions}))
    return actions


def my_actions(*, viewer) -> QuerySet:
    """Open and finished actions the viewer owns on the current plans of cases they see."""
    newest = (
        Plan.objects.filter(case=OuterRef("case_id"), published_at__isnull=False).order_by("-number").values("pk")[:1]
    )
    return (
        Action.objects.filter(Q(owner=viewer) | Q(co_owner=viewer), case__in=cases_visible_to(viewer))
        .annotate(current_plan_id=Subquery(newest))
        .filter(plan_id=F("current_plan_id"))
        .select_related("case", "plan", "organisation", "owner", "co_owner")
        .order_by("deadline", "id")
    )


# --- verslag ----------------------------------------------------------------------------------------------


def _filter_verslag_sections(viewer, sections: list[VerslagSection]) -> None:
    """Give each section the cut of its snapshot this viewer may read (SPEC §6): the narrative only when the
    discussion record it was written from is visible, each scale score and the plan by their own supplier and
    category, and no persons under restriction of processing (AVG art. 18). The snapshot is frozen at
    generation, so the items are looked up live: a later share, consent or restriction counts at once.

    Sets `visible_snapshot`, `visible_text` and `content_visible` (may this viewer see, and so edit, the
    narrative) on every section. A fixed number of queries for the whole verslag, plus the policy's rows per
    case that shows a sensitive item."""
    if not sections:
        return
    discussions = {
        d.agenda_item_id: d
        for d in CaseDiscussion.objects.filter(agenda_item_id__in=[s.agenda_item_id for s in sections]).only(
            "id", "agenda_item_id", "supplied_by_org_id", "category"
        )
    }
    scores: dict[int, list[ScaleScore]] = {}
    for score in ScaleScore.objects.filter(discussion__in=list(discussions.values())).only(
        "id", "discussion_id", "supplied_by_org_id", "category"
    ):
        scores.setdefault(score.discussion_id, []).append(score)
    plan_ids = [s.snapshot.get("plan", {}).get("id") for s in sections]
    plans = {
        p.pk: p
        for p in Plan.objects.filter(pk__in=[pk for pk in plan_ids if pk]).only("id", "supplied_by_org_id", "category")
    }
    hidden_persons: dict[int, dict[int, str]] = {}
    if not sees_restricted_persons(viewer):
        for case_id, person_id, first, prefix, last in CasePerson.objects.filter(
            case_id__in=[s.case_id for s in sections], person__processing_restricted=True
        ).values_list("case_id", "person_id", "person__first_names", "person__prefix", "person__last_name"):
            hidden_persons.setdefault(case_id, {})[person_id] = " ".join(p for p in (first, prefix, last) if p)

    for section in sections:
        ctx = ItemContext(viewer, section.case, case_visible=True)
        discussion = discussions.get(section.agenda_item_id)
        live_scores = scores.get(discussion.pk, []) if discussion else []
        visible_scores = {sc.pk for sc in filter_items(viewer, case=section.case, items=live_scores, context=ctx)}
        hidden = hidden_persons.get(section.case_id, {})

        def person_shown(row: dict, *, hidden=hidden) -> bool:
            # Sections generated before person ids were kept are matched on the name.
            if "person" in row:
                return row["person"] not in hidden
            return row.get("name", row.get("who")) not in hidden.values()

        def score_shown(row: dict, *, visible_scores=visible_scores, live_scores=live_scores) -> bool:
            # A row without an id (an older verslag) is shown only when every score of the record is visible.
            if "id" in row:
                return row["id"] in visible_scores
            return len(visible_scores) == len(live_scores)

        x = dict(section.snapshot)
        section.content_visible = discussion is None or bool(
            filter_items(viewer, case=section.case, items=[discussion], context=ctx)
        )
        if not section.content_visible:
            x["oordeel"] = ""
        x["scores"] = [row for row in x.get("scores", []) if score_shown(row)]
        x["client_scores"] = [row for row in x.get("client_scores", []) if score_shown(row) and person_shown(row)]
        x["clients"] = [row for row in x.get("clients", []) if person_shown(row)]
        plan = plans.get((x.get("plan") or {}).get("id"))
        if x.get("plan") and (plan is None or not filter_items(viewer, case=section.case, items=[plan], context=ctx)):
            x["plan"] = {}
        section.visible_snapshot = x
        section.visible_text = section.text if section.content_visible else ""


@dataclass
class VerslagView:
    verslag: Verslag
    meeting: Meeting
    sections: list[VerslagSection]
    may_run: bool
    may_approve: bool


def verslag_view(*, viewer, meeting_id, pdf: bool = False) -> VerslagView:
    """The verslag as the viewer may read it: only the sections of cases they may see."""
    verslag = verslag_get_for_user(user=viewer, meeting_id=meeting_id)
    meeting = verslag.meeting
    sections = list(
        VerslagSection.objects.filter(verslag=verslag, case__in=cases_visible_to(viewer))
        .select_related("case")
        .order_by("order", "id")
    )
    visible_case_ids = {s.case_id for s in sections}
    _filter_verslag_sections(viewer, sections)
    general = dict(verslag.snapshot)
    # Per-case invitees appear only to those who may see that case.
    general["attendance"] = [
        row for row in general.get("attendance", []) if row.get("case") is None or row["case"] in visible_case_ids
    ]
    verslag.visible_snapshot = general
    audit_many(
        actor=viewer,
        event=MeetingEvent.VERSLAG_PDF if pdf else MeetingEvent.VERSLAG_VIEW,
        case_ids=sorted(visible_case_ids),
    )
    return VerslagView(
        verslag=verslag,
        meeting=meeting,
        sections=sections,
        may_run=may_run_meeting(viewer, meeting),
        may_approve=may_approve_verslag(viewer, meeting),
    )
