"""May-see / may-do answers for meetings, built on the policy (tafel.access.policy, tafel.cases.access).

A user sees a meeting only when they see at least one case on its agenda (policy: their organisation takes
part in it, or they work house-wide) AND they are invited to it, chair it, or work house-wide. What they see
inside it (agenda items, discussions, plans, verslag sections) is cut down to the cases they may see.
Not visible → NotFound (404, never revealing that the record exists); visible but not allowed → 403.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from tafel.access.policy import (
    is_active_account,
    is_house_procesregisseur,
    refuse_unseen,
    sees_all_cases,
    sees_case_content,
)
from tafel.cases.access import case_visible_q, cases_visible_to
from tafel.core.audit import audit
from tafel.core.audit_events import CoreEvent
from tafel.core.errors import AccessDenied, NotFound

from .models import Action, AgendaItem, Bodemeis, Invitation, Meeting, Plan, Verslag, VerslagSection

_NOT_FOUND_MEETING = "Dit overleg bestaat niet of u heeft er geen toegang toe."
_NOT_FOUND_PLAN = "Dit plan bestaat niet of u heeft er geen toegang toe."
_NOT_FOUND_ACTION = "Deze actie bestaat niet of u heeft er geen toegang toe."
_NOT_FOUND_VERSLAG = "Dit verslag bestaat niet of u heeft er geen toegang toe."


def _int(value, message: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(message) from None


# --- may-do answers ---------------------------------------------------------------------------------------


def may_plan_meetings(user) -> bool:
    """Planning, agenda and invitations: the house's process roles (procesregisseur, informatiemedewerker
    who prepares agendas, 000:L5136-5308)."""
    return sees_all_cases(user)


def may_run_meeting(user, meeting: Meeting) -> bool:
    """Opening, the conversation guide, the plan and the verslag: the chair, or a procesregisseur of the house."""
    if not is_active_account(user):
        return False
    if meeting.chair_id == user.pk:
        return True
    return is_house_procesregisseur(user)


def may_edit_plan(user, plan: Plan) -> bool:
    if not is_active_account(user):
        return False
    if is_house_procesregisseur(user):
        return True
    return plan.meeting_id is not None and plan.meeting.chair_id == user.pk


def may_review_family_plan(user) -> bool:
    """The procesregisseur reviews the family's version of a plan before it is given (issue 12, item 6)."""
    return is_house_procesregisseur(user)


def may_approve_verslag(user, meeting: Meeting) -> bool:
    """The chair approves the minutes (issue 3, item 6)."""
    return is_active_account(user) and meeting.chair_id == user.pk


def is_invited(user, meeting: Meeting, agenda_item: AgendaItem | None = None) -> bool:
    """Invited to the whole meeting, or to this agenda item (or chairs it)."""
    if not is_active_account(user):
        return False
    if meeting.chair_id == user.pk:
        return True
    qs = Invitation.objects.filter(meeting=meeting, user=user)
    if agenda_item is not None:
        qs = qs.filter(Q(agenda_item__isnull=True) | Q(agenda_item=agenda_item))
    return qs.exists()


# --- visibility -------------------------------------------------------------------------------------------


def meetings_visible_to(user) -> QuerySet:
    if not sees_case_content(user):
        return Meeting.objects.none()
    if sees_all_cases(user):
        return Meeting.objects.all()
    invited = Invitation.objects.filter(meeting=OuterRef("pk"), user=user)
    sees_a_case = AgendaItem.objects.filter(meeting=OuterRef("pk"), case__in=cases_visible_to(user))
    return Meeting.objects.filter(Q(Exists(invited)) | Q(chair=user), Exists(sees_a_case))


def agenda_items_visible_to(user, meeting: Meeting) -> QuerySet:
    return AgendaItem.objects.filter(meeting=meeting, case__in=cases_visible_to(user))


def _deny(user, *, kind: str, object_id, action: str, case_id: int | None = None) -> None:
    """A denial in the audit log: the kind of object and the action as a code, its id in the details."""
    if is_active_account(user):
        try:
            object_id = int(object_id)
        except (TypeError, ValueError):
            object_id = None
        audit(
            actor=user,
            event=CoreEvent.ACCESS_DENIED,
            case_id=case_id,
            reason=f"{kind}.{action}",
            details={kind: object_id},
        )


def meeting_get_for_user(*, user, meeting_id, action: str = "view") -> Meeting:
    """Fetch a meeting and check access in one step. Actions: view, plan (agenda and invitations),
    run (opening, guide, plan, verslag), approve (the chair)."""
    meeting_id = _int(meeting_id, _NOT_FOUND_MEETING)
    meeting = (
        meetings_visible_to(user)
        .select_related("overleg_type", "chair", "chair__organisation")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        refuse_unseen(user, kind="meeting", object_id=meeting_id, action=action, model=Meeting, case_field=None)
        raise NotFound(_NOT_FOUND_MEETING)
    allowed = {
        "view": lambda: True,
        "plan": lambda: may_plan_meetings(user) or may_run_meeting(user, meeting),
        "run": lambda: may_run_meeting(user, meeting),
        "approve": lambda: may_approve_verslag(user, meeting),
    }[action]()
    if not allowed:
        _deny(user, kind="meeting", object_id=meeting.pk, action=action)
        raise AccessDenied("U mag deze handeling bij dit overleg niet uitvoeren.")
    return meeting


def agenda_item_get_for_user(*, user, item_id, action: str = "view") -> AgendaItem:
    """An agenda item is visible when its meeting is and its case is. Actions: view, update (a pre-meeting
    update: invited to it, or house-wide), run, plan."""
    item_id = _int(item_id, _NOT_FOUND_MEETING)
    item = (
        AgendaItem.objects.filter(pk=item_id, case__in=cases_visible_to(user), meeting__in=meetings_visible_to(user))
        .select_related("meeting", "meeting__overleg_type", "meeting__chair", "case", "case__municipality")
        .first()
    )
    if item is None:
        refuse_unseen(
            user, kind="agenda_item", object_id=item_id, action=action, model=AgendaItem, case_field="case_id"
        )
        raise NotFound(_NOT_FOUND_MEETING)
    meeting = item.meeting
    allowed = {
        "view": lambda: True,
        "update": lambda: sees_all_cases(user) or is_invited(user, meeting, item),
        "plan": lambda: may_plan_meetings(user) or may_run_meeting(user, meeting),
        "run": lambda: may_run_meeting(user, meeting),
    }[action]()
    if not allowed:
        _deny(user, kind="agenda_item", object_id=item.pk, action=action, case_id=item.case_id)
        raise AccessDenied("U mag deze handeling bij dit agendapunt niet uitvoeren.")
    return item


def plans_visible_to(user) -> QuerySet:
    """A plan is case content: whoever may see the case may read its plan (participants of the case)."""
    return Plan.objects.filter(case__in=cases_visible_to(user))


def plan_get_for_user(*, user, plan_id, action: str = "view") -> Plan:
    plan_id = _int(plan_id, _NOT_FOUND_PLAN)
    plan = (
        plans_visible_to(user)
        .select_related("case", "meeting", "meeting__chair", "casusregisseur", "casusregisseur__organisation")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        refuse_unseen(user, kind="plan", object_id=plan_id, action=action, model=Plan, case_field="case_id")
        raise NotFound(_NOT_FOUND_PLAN)
    if action == "edit" and not may_edit_plan(user, plan):
        _deny(user, kind="plan", object_id=plan.pk, action=action, case_id=plan.case_id)
        raise AccessDenied("Alleen de voorzitter of een procesregisseur bewerkt het plan.")
    return plan


def require_family_review(user, plan: Plan) -> None:
    """After the plan was fetched and checked: only a procesregisseur reviews the family's version (403)."""
    if not may_review_family_plan(user):
        _deny(user, kind="plan", object_id=plan.pk, action="review_family", case_id=plan.case_id)
        raise AccessDenied("Alleen een procesregisseur beoordeelt de versie voor het gezin.")


def action_get_for_user(*, user, action_id, action: str = "view") -> Action:
    """Actions are read by whoever sees the case; only the owner updates one (issue 3, item 8)."""
    action_id = _int(action_id, _NOT_FOUND_ACTION)
    # One row by its key: the case is checked per row (case_visible_q), and no ORDER BY.
    obj = next(
        iter(
            Action.objects.filter(case_visible_q(user), pk=action_id)
            .select_related("plan", "case", "owner", "organisation")
            .order_by()[:1]
        ),
        None,
    )
    if obj is None:
        refuse_unseen(user, kind="action", object_id=action_id, action=action, model=Action, case_field="case_id")
        raise NotFound(_NOT_FOUND_ACTION)
    # Four eyes (issue 11): the second owner reports too.
    if action == "update" and user.pk not in (obj.owner_id, obj.co_owner_id):
        _deny(user, kind="action", object_id=obj.pk, action=action, case_id=obj.case_id)
        raise AccessDenied("Alleen de eigenaar van de actie kan deze bijwerken.")
    return obj


def plan_item_get(*, plan: Plan, kind: str, item_id) -> Bodemeis | Action:
    """A bodemeis or action of a plan the caller has already fetched and checked (`plan_get_for_user`): only
    that plan's own rows, so the id of an item of another plan is a miss, never a way into it."""
    model = {"bodemeis": Bodemeis, "action": Action}[kind]
    obj = model.objects.filter(plan=plan, pk=_int(item_id, _NOT_FOUND_PLAN)).first()
    if obj is None:
        raise NotFound(_NOT_FOUND_PLAN)
    obj.plan = plan
    return obj


def verslag_get_for_user(*, user, meeting_id, action: str = "view") -> Verslag:
    """The verslag goes only to participants of the meeting, and each reads only the sections of the cases
    they may see (callers filter sections with `agenda_items_visible_to`/`cases_visible_to`)."""
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id, action=action)
    verslag = Verslag.objects.filter(meeting=meeting).select_related("approved_by", "generated_by").first()
    if verslag is None:
        raise NotFound(_NOT_FOUND_VERSLAG)
    verslag.meeting = meeting
    return verslag


def invitation_get_for_user(*, user, invitation_id, action: str = "run") -> Invitation:
    """An invitation through its meeting (and, for a case's invitee, its case)."""
    invitation_id = _int(invitation_id, _NOT_FOUND_MEETING)
    invitation = (
        Invitation.objects.filter(pk=invitation_id, meeting__in=meetings_visible_to(user))
        .filter(Q(agenda_item__isnull=True) | Q(agenda_item__case__in=cases_visible_to(user)))
        .select_related("agenda_item", "person", "user")
        .first()
    )
    if invitation is None:
        refuse_unseen(
            user,
            kind="invitation",
            object_id=invitation_id,
            action=action,
            model=Invitation,
            case_field="agenda_item__case_id",
        )
        raise NotFound(_NOT_FOUND_MEETING)
    invitation.meeting = meeting_get_for_user(user=user, meeting_id=invitation.meeting_id, action=action)
    return invitation


def verslag_section_get_for_user(*, user, section_id, action: str = "run") -> VerslagSection:
    """One case's part of a verslag: its meeting and its case must both be visible."""
    section_id = _int(section_id, _NOT_FOUND_VERSLAG)
    section = (
        VerslagSection.objects.filter(
            pk=section_id, case__in=cases_visible_to(user), verslag__meeting__in=meetings_visible_to(user)
        )
        .select_related("verslag", "case")
        .first()
    )
    if section is None:
        refuse_unseen(
            user,
            kind="verslag_section",
            object_id=section_id,
            action=action,
            model=VerslagSection,
            case_field="case_id",
        )
        raise NotFound(_NOT_FOUND_VERSLAG)
    section.verslag.meeting = meeting_get_for_user(user=user, meeting_id=section.verslag.meeting_id, action=action)
    return section
