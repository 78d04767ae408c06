"""The plan van aanpak (SPEC §4.4): one draft per case, edited in the meeting and published as a new
version; earlier versions stay as they were. Actions are updated afterwards by their owner only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tafel.access.policy import is_house_procesregisseur
from tafel.cases.access import PARTNER
from tafel.cases.models import Case, CaseOrganisation
from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from tafel.meetings.audit_events import MeetingEvent

from ..access import may_edit_plan, may_run_meeting
from ..models import (
    Action,
    ActionStatus,
    ActionType,
    Audience,
    Bodemeis,
    CaseDiscussion,
    Meeting,
    Plan,
    Term,
    default_audience,
)
from ._common import NOT_TAKING_PART, bump, clean, fail, fail_many, load_user, user_may_take_part

PLAN_FIELDS = (
    "goals",
    "casusregisseur",
    "casusregie_subtasks",
    "casusregie_from",
    "casusregie_until",
    "casusregie_exclusions",
    "afdoeningsadvies",
    "next_meeting_date",
    "family_worries",
    "family_going_well",
)


def _require_draft(plan: Plan) -> None:
    if not plan.is_draft:
        raise TransitionNotAllowed(
            f"Versie {plan.number} is gepubliceerd en blijft zoals ze is. Start een nieuwe versie om te wijzigen."
        )


def _require_edit(actor, plan: Plan) -> None:
    if not may_edit_plan(actor, plan):
        raise AccessDenied("Alleen de voorzitter of een procesregisseur bewerkt het plan.")


def current_plan(case) -> Plan | None:
    return (
        Plan.objects.filter(case=case, published_at__isnull=False)
        .select_related("casusregisseur", "casusregisseur__organisation")
        .order_by("-number")
        .first()
    )


def plan_start(*, actor, case, meeting: Meeting | None = None) -> Plan:
    """The draft of the next version: a copy of the current plan with its bodemeisen and open actions (each
    remembering where it came from, for the recurring-action flag). Returns the existing draft if any."""
    if meeting is not None and not may_run_meeting(actor, meeting):
        raise AccessDenied("Alleen de voorzitter of een procesregisseur bewerkt het plan.")
    if meeting is None:
        if not is_house_procesregisseur(actor):
            raise AccessDenied("Alleen een procesregisseur start een nieuwe versie van het plan.")
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        draft = Plan.objects.filter(case=case, published_at__isnull=True).first()
        if draft is not None:
            if meeting is not None and draft.meeting_id != meeting.pk:
                draft.meeting = meeting
                draft.save(update_fields=["meeting"])
            return draft
        previous = current_plan(case)
        number = (Plan.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0) + 1
        copied = {name: getattr(previous, name) for name in PLAN_FIELDS} if previous else {}
        if not copied:
            copied["casusregisseur"] = case.casusregisseur
        draft = Plan.objects.create(
            case=case,
            number=number,
            based_on=previous,
            meeting=meeting,
            supplied_by_org_id=actor.organisation_id,
            created_by=actor,
            created_at=timezone.now(),
            **copied,
        )
        if previous is not None:
            Bodemeis.objects.bulk_create(
                [
                    Bodemeis(
                        plan=draft,
                        text=b.text,
                        guard_id=b.guard_id,
                        if_broken=b.if_broken,
                        audience=b.audience,
                        order=b.order,
                    )
                    for b in previous.bodemeisen.all()
                ]
            )
            Action.objects.bulk_create(
                [
                    Action(
                        plan=draft,
                        case=case,
                        owner_id=a.owner_id,
                        organisation_id=a.organisation_id,
                        what=a.what,
                        plain_text=a.plain_text,
                        family_member=a.family_member,
                        deadline=a.deadline,
                        type=a.type,
                        audience=a.audience,
                        rationale=a.rationale,
                        term=a.term,
                        status=a.status,
                        outcome_note=a.outcome_note,
                        carried_from=a,
                        meeting_count=a.meeting_count,
                        order=a.order,
                    )
                    for a in previous.actions.filter(status=ActionStatus.OPEN)
                ]
            )
        audit(
            actor=actor,
            event=MeetingEvent.PLAN_UPDATE,
            case_id=case.pk,
            details={"plan": draft.pk, "number": number, "based_on": getattr(previous, "pk", None)},
        )
    return draft


def _check_person(user, case_id: int, field: str, errors: dict) -> None:
    if user is not None and not user_may_take_part(user, [case_id]):
        errors[field] = [NOT_TAKING_PART]


def _date(value, field: str, errors: dict) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = ["Geen geldige datum."]
        return None


def plan_update(*, actor, plan: Plan, data: dict, expected_version: int | None = None) -> Plan:
    _require_edit(actor, plan)
    _require_draft(plan)
    errors: dict[str, list[str]] = {}
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        errors["__all__"] = [f"Onbekende velden: {', '.join(sorted(unknown))}."]
    values: dict = {}
    for name in (
        "goals",
        "casusregie_subtasks",
        "casusregie_exclusions",
        "afdoeningsadvies",
        "family_worries",
        "family_going_well",
    ):
        if name in data:
            values[name] = clean(data[name])
    for name in ("casusregie_from", "casusregie_until", "next_meeting_date"):
        if name in data:
            values[name] = _date(data[name], name, errors)
    if "casusregisseur" in data:
        regisseur = load_user(data["casusregisseur"], actor=actor, case_ids=[plan.case_id], field="casusregisseur")
        _check_person(regisseur, plan.case_id, "casusregisseur", errors)
        values["casusregisseur"] = regisseur
    start = values.get("casusregie_from", plan.casusregie_from)
    end = values.get("casusregie_until", plan.casusregie_until)
    if start and end and end < start:
        errors["casusregie_until"] = ["De periode eindigt voor ze begint."]
    if errors:
        raise fail_many("Het plan bevat fouten.", errors)
    with transaction.atomic():
        bump(Plan, plan, expected_version, updated_at=timezone.now(), **values)
        audit(
            actor=actor,
            event=MeetingEvent.PLAN_UPDATE,
            case_id=plan.case_id,
            details={"plan": plan.pk, "fields": sorted(values)},
        )
    return plan


def _touch(actor, plan: Plan, what: str, **details) -> None:
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now(), version=F("version") + 1)
    audit(
        actor=actor,
        event=MeetingEvent.PLAN_UPDATE,
        case_id=plan.case_id,
        details={"plan": plan.pk, "change": what, **details},
    )


def _bodemeis_checked(actor, plan: Plan, *, text: str, guard, audience: str):
    """The rules of a bodemeis, for adding and correcting one alike: the draft may be edited by the actor, the
    text is filled in, the audience is known, and it has a guard who takes part in the case. The guard is named
    through the one fetch-and-check for users of a case's work, so an unknown id and the id of someone outside
    the case give the same error (issue 10, finding 2). Returns the guard."""
    _require_edit(actor, plan)
    _require_draft(plan)
    guard = load_user(guard, actor=actor, case_ids=[plan.case_id], field="guard")
    errors: dict[str, list[str]] = {}
    if not clean(text):
        errors["text"] = ["Wat moet er minimaal gerealiseerd worden?"]
    if audience not in Audience.values:
        errors["audience"] = ["Kies of deze bodemeis voor het gezin is of alleen voor professionals."]
    if guard is None:
        # The convenant's quality criteria: every bodemeis has a guard (001:L3340). A hard rule, not a warning.
        errors["guard"] = ["Wie bewaakt deze bodemeis? Elke bodemeis heeft een bewaker."]
    _check_person(guard, plan.case_id, "guard", errors)
    if errors:
        raise fail_many("De bodemeis is niet volledig.", errors)
    return guard


def bodemeis_add(
    *, actor, plan: Plan, text: str, guard=None, if_broken: str = "", audience: str = Audience.PROFESSIONALS
) -> Bodemeis:
    """A bodemeis (the minimum that must be realised) with who guards it and what we do if it is broken, and
    whether the family is told (issue 10, finding 5: only family-facing bodemeisen reach the family's plan)."""
    guard = _bodemeis_checked(actor, plan, text=text, guard=guard, audience=audience)
    with transaction.atomic():
        order = (plan.bodemeisen.aggregate(n=Max("order"))["n"] or 0) + 1
        row = Bodemeis.objects.create(
            plan=plan, text=clean(text), guard=guard, if_broken=clean(if_broken), audience=audience, order=order
        )
        _touch(actor, plan, "bodemeis_add", bodemeis=row.pk)
    return row


def bodemeis_edit(
    *, actor, bodemeis: Bodemeis, text: str, guard=None, if_broken: str = "", audience: str = Audience.PROFESSIONALS
) -> Bodemeis:
    """Correct a bodemeis of the draft (issue 12): the same rules as adding one."""
    plan = bodemeis.plan
    guard = _bodemeis_checked(actor, plan, text=text, guard=guard, audience=audience)
    with transaction.atomic():
        bodemeis.text, bodemeis.guard, bodemeis.if_broken = clean(text), guard, clean(if_broken)
        bodemeis.audience = audience
        bodemeis.save(update_fields=["text", "guard", "if_broken", "audience"])
        _touch(actor, plan, "bodemeis_edit", bodemeis=bodemeis.pk)
    return bodemeis


def bodemeis_remove(*, actor, bodemeis: Bodemeis) -> None:
    plan = bodemeis.plan
    _require_edit(actor, plan)
    _require_draft(plan)
    with transaction.atomic():
        pk = bodemeis.pk
        bodemeis.delete()
        _touch(actor, plan, "bodemeis_remove", bodemeis=pk)


@dataclass
class ActionInput:
    what: str = ""
    type: str = ""
    owner: object = None
    organisation_id: int | None = None
    deadline: object = None
    rationale: str = ""
    term: str = Term.SHORT
    plain_text: str = ""
    # A family member who does it themselves ("Papa"); the family's plan names them (issue 12, item 6).
    family_member: str = ""
    # Empty: derived from the type (actions towards, with or about the family are family-facing).
    audience: str = ""
    # Four eyes (issue 11): a second owner who confirms "gedaan" too.
    co_owner: object = None


def _validate_action(plan: Plan, data: ActionInput, actor=None) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    if not clean(data.what):
        errors["what"] = ["Wat wordt er gedaan?"]
    if data.type not in ActionType.values:
        errors["type"] = ["Kies de soort actie."]
    if len(clean(data.family_member)) > 80:
        errors["family_member"] = ["Noem het gezinslid kort, bijvoorbeeld ‘moeder’ of een voornaam."]
    if data.term not in Term.values:
        errors["term"] = ["Kies korte of lange termijn."]
    audience = data.audience or default_audience(data.type)
    if audience not in Audience.values:
        errors["audience"] = ["Kies of deze actie voor het gezin is of alleen voor professionals."]
    owner = load_user(data.owner, actor=actor, case_ids=[plan.case_id], field="owner")
    _check_person(owner, plan.case_id, "owner", errors)
    co_owner = (
        load_user(data.co_owner, actor=actor, case_ids=[plan.case_id], field="co_owner")
        if data.co_owner not in (None, "")
        else None
    )
    if co_owner is not None:
        _check_person(co_owner, plan.case_id, "co_owner", errors)
        if owner is None:
            errors["co_owner"] = ["Een tweede eigenaar hoort bij een eerste: kies eerst wie de actie heeft."]
        elif co_owner.pk == owner.pk:
            errors["co_owner"] = ["De tweede eigenaar is iemand anders dan de eerste."]
    organisation_id = owner.organisation_id if owner is not None else data.organisation_id
    if organisation_id and owner is None:
        if not CaseOrganisation.objects.filter(
            case_id=plan.case_id, organisation_id=organisation_id, kind=PARTNER
        ).exists():
            errors["organisation"] = ["Deze organisatie neemt niet deel aan de casus."]
    values = {
        "what": clean(data.what),
        "type": data.type,
        "audience": audience,
        "owner": owner,
        "organisation_id": organisation_id or None,
        "deadline": _date(data.deadline, "deadline", errors),
        "rationale": clean(data.rationale),
        "term": data.term,
        "plain_text": clean(data.plain_text),
        "family_member": clean(data.family_member),
        "co_owner": co_owner,
    }
    return values, errors


def plan_action_add(*, actor, plan: Plan, data: ActionInput) -> Action:
    """Who (person + organisation) does what, when, of which type and why (SPEC §4.4). Tafel asks for the
    rationale: only 17.1% of actions in the dossier analysis had one."""
    _require_edit(actor, plan)
    _require_draft(plan)
    values, errors = _validate_action(plan, data, actor)
    if errors:
        raise fail_many("De actie is niet volledig.", errors)
    with transaction.atomic():
        order = (plan.actions.aggregate(n=Max("order"))["n"] or 0) + 1
        action = Action.objects.create(plan=plan, case_id=plan.case_id, order=order, **values)
        _touch(actor, plan, "action_add", action=action.pk)
    return action


def plan_action_edit(*, actor, action: Action, data: ActionInput) -> Action:
    plan = action.plan
    _require_edit(actor, plan)
    _require_draft(plan)
    values, errors = _validate_action(plan, data, actor)
    if errors:
        raise fail_many("De actie is niet volledig.", errors)
    with transaction.atomic():
        for key, value in values.items():
            setattr(action, key, value)
        action.save(update_fields=[k if k != "organisation_id" else "organisation" for k in values])
        _touch(actor, plan, "action_edit", action=action.pk)
    return action


def plan_action_remove(*, actor, action: Action) -> None:
    plan = action.plan
    _require_edit(actor, plan)
    _require_draft(plan)
    with transaction.atomic():
        pk = action.pk
        action.delete()
        _touch(actor, plan, "action_remove", action=pk)


def plan_source_discussion(plan: Plan) -> CaseDiscussion | None:
    """The discussion a plan version comes from: the one of its meeting, else the case's latest."""
    qs = CaseDiscussion.objects.filter(case_id=plan.case_id)
    if plan.meeting_id:
        found = qs.filter(agenda_item__meeting_id=plan.meeting_id).first()
        if found is not None:
            return found
    return qs.order_by("-agenda_item__meeting__starts_at", "-id").first()


IDEA_SOURCES = ("brainstorm", "shortlist")


def plan_action_from_idea(
    *, actor, plan: Plan, source: str, index: int, type: str = ActionType.PROFESSIONAL_ACTION
) -> Action:
    """Besluitvorming in one step (issue 12): an idea of the brainstorm or the prioritised shortlist becomes an
    action of the draft, with the idea as what and where it came from as why. Owner and deadline are then set
    on the action; the quality check names them until they are."""
    _require_edit(actor, plan)
    _require_draft(plan)
    discussion = plan_source_discussion(plan)
    rows = getattr(discussion, source, None) if source in IDEA_SOURCES and discussion is not None else None
    if not rows or not 0 <= index < len(rows) or not clean(rows[index].get("option")):
        raise fail("Dit idee staat niet (meer) in de bespreking.", "index")
    row = rows[index]
    if source == "shortlist":
        why = clean(row.get("expert_view")) or "Gekozen uit de geprioriteerde shortlist van de bespreking."
        term = row.get("term") if row.get("term") in Term.values else Term.SHORT
    else:
        why = "Uit de brainstorm van de bespreking" + (
            f" (idee van {clean(row['by'])})." if clean(row.get("by")) else "."
        )
        term = Term.SHORT
    return plan_action_add(
        actor=actor, plan=plan, data=ActionInput(what=clean(row["option"]), type=type, rationale=why, term=term)
    )


def plan_quality(plan: Plan, bodemeisen: list[Bodemeis], actions: list[Action]) -> list[str]:
    """The convenant's quality criteria for a plan (001:L3340, SPEC §4.4), plus "what if broken" for every
    bodemeis (issue 3, item 5). Returns what is missing; empty means the plan meets them.

    The one rule (issue 12, item 3): the plan page and the API show it, and publication stores its outcome on
    the plan (`meets_quality`, `quality_missing`), which the monitor counts. Nothing else judges a plan."""
    missing = []
    if not plan.goals.strip():
        missing.append(_("Er is geen gezamenlijk doel vastgelegd."))
    if plan.casusregisseur_id is None:
        missing.append(_("Er is geen casusregisseur benoemd."))
    if not actions:
        missing.append(_("Er zijn geen acties afgesproken."))
    for a in actions:
        if a.owner_id is None:
            missing.append(_("Actie ‘%(what)s’ heeft geen eigenaar.") % {"what": a.what[:60]})
        if a.deadline is None:
            missing.append(_("Actie ‘%(what)s’ heeft geen termijn.") % {"what": a.what[:60]})
    for b in bodemeisen:
        if b.guard_id is None:
            missing.append(_("Bodemeis ‘%(text)s’ heeft geen bewaker.") % {"text": b.text[:60]})
        if not b.if_broken.strip():
            missing.append(
                _("Bij bodemeis ‘%(text)s’ staat niet wat we doen als ze niet wordt nagekomen.") % {"text": b.text[:60]}
            )
    if plan.next_meeting_date is None:
        missing.append(_("Er is geen datum voor de volgende evaluatie of het volgende overleg."))
    return missing


def plan_quality_store(plans) -> None:
    """Store the outcome of `plan_quality` on published plans (publication does this; so do the demo and
    benchmark data, which write plans directly)."""
    changed = []
    for plan in plans:
        missing = plan_quality(plan, list(plan.bodemeisen.all()), list(plan.actions.all()))
        plan.meets_quality, plan.quality_missing = not missing, min(len(missing), 32767)
        changed.append(plan)
    Plan.objects.bulk_update(changed, ["meets_quality", "quality_missing"], batch_size=500)


class QualityConfirmationRequired(ValidationFailed):
    """The plan fails the quality check: publishing it needs an explicit confirmation with a reason."""

    code = "quality_confirmation_required"


@dataclass
class PublishResult:
    plan: Plan
    missing: list[str]


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def plan_publish(*, actor, plan: Plan, expected_version: int | None = None, quality_reason: str = "") -> PublishResult:
    """Publish the draft as the case's current plan. The previous version is kept untouched. Carried actions
    that were finished meanwhile take their owner's status; an action standing unchanged into another
    meeting counts one more meeting (the recurring-action flag).

    A plan that fails the quality check is published only with an explicit reason (issue 12): the reason is
    kept on the plan and the monitor counts such plans."""
    _require_edit(actor, plan)
    _require_draft(plan)
    with transaction.atomic():
        if expected_version is not None and expected_version != plan.version:
            raise ConcurrentEdit("Iemand anders heeft dit plan intussen gewijzigd. Laad de pagina opnieuw.")
        now = timezone.now()
        actions = list(plan.actions.select_related("carried_from", "carried_from__plan").order_by("order", "id"))
        missing = plan_quality(plan, list(plan.bodemeisen.all()), actions)
        reason = clean(quality_reason) if missing else ""
        if missing and not reason:
            raise QualityConfirmationRequired(
                "Het plan voldoet nog niet aan de kwaliteitscriteria. Vul aan wat ontbreekt, of geef aan waarom "
                "u het toch nu publiceert.",
                field_errors={"quality_reason": ["Waarom publiceert u dit plan terwijl er nog iets ontbreekt?"]},
            )
        changed = []
        for action in actions:
            source = action.carried_from
            if source is None:
                continue
            if source.status != ActionStatus.OPEN and action.status == ActionStatus.OPEN:
                action.status, action.outcome_note = source.status, source.outcome_note
                action.done_at = source.done_at
            if _same_text(action.what, source.what):
                new_meeting = plan.meeting_id is not None and plan.meeting_id != source.plan.meeting_id
                action.meeting_count = source.meeting_count + (1 if new_meeting else 0)
            else:
                action.meeting_count = 1
            changed.append(action)
        if changed:
            Action.objects.bulk_update(changed, ["status", "outcome_note", "done_at", "meeting_count"])
        quality = {"meets_quality": not missing, "quality_missing": len(missing), "quality_override_reason": reason}
        updated = Plan.objects.filter(pk=plan.pk, published_at__isnull=True).update(
            published_at=now, published_by=actor, version=F("version") + 1, **quality
        )
        if updated != 1:
            raise TransitionNotAllowed("Dit plan is al gepubliceerd.")
        plan.published_at, plan.published_by, plan.version = now, actor, plan.version + 1
        for key, value in quality.items():
            setattr(plan, key, value)
        previous_casusregisseur_id = Case.objects.filter(pk=plan.case_id).values_list("casusregisseur_id", flat=True)[0]
        if plan.casusregisseur_id:
            # One family, one plan, one regisseur (002:L2023): the case shows the appointed casusregisseur.
            Case.objects.filter(pk=plan.case_id).exclude(casusregisseur_id=plan.casusregisseur_id).update(
                casusregisseur_id=plan.casusregisseur_id, version=F("version") + 1
            )
        audit(
            actor=actor,
            event=MeetingEvent.PLAN_PUBLISH,
            case_id=plan.case_id,
            details={
                "plan": plan.pk,
                "number": plan.number,
                "missing": len(missing),
                "confirmed_incomplete": bool(reason),
                "meeting": plan.meeting_id,
            },
        )
        # Issue 11: the casusregisseur, the owners of new actions and the meeting's invitees are told.
        from .partners import tell_plan_published

        tell_plan_published(plan, actions, previous_casusregisseur_id=previous_casusregisseur_id)
    return PublishResult(plan=plan, missing=missing)


FINAL_NOTE_REQUIRED = frozenset({ActionStatus.NIET_GEDAAN, ActionStatus.VERVALLEN})


def action_update(*, actor, action: Action, status: str, outcome_note: str = "") -> Action:
    """An owner reports on their action (issue 3, item 8). Only actions of the case's current plan. With a
    second owner (four eyes, issue 11) either may report, and `gedaan` holds only when both have confirmed it:
    the first confirmation is kept and the action stays open until the other confirms."""
    if actor.pk not in (action.owner_id, action.co_owner_id):
        raise AccessDenied("Alleen de eigenaar van de actie kan deze bijwerken.")
    if status not in ActionStatus.values:
        raise fail("Kies een status.", "status")
    if status in FINAL_NOTE_REQUIRED and not clean(outcome_note):
        raise fail("Licht toe waarom de actie niet is gedaan of is vervallen.", "outcome_note")
    with transaction.atomic():
        current = current_plan(action.case_id)
        if action.plan.is_draft or current is None or current.pk != action.plan_id:
            raise TransitionNotAllowed("Deze actie hoort bij een eerdere versie van het plan en ligt vast.")
        previous = action.status
        now = timezone.now()
        fields = ["status", "outcome_note", "updated_at", "updated_by", "done_at"]
        if action.co_owner_id:
            fields += ["owner_confirmed_at", "co_owner_confirmed_at"]
            if status == ActionStatus.GEDAAN:
                if actor.pk == action.owner_id:
                    action.owner_confirmed_at = action.owner_confirmed_at or now
                if actor.pk == action.co_owner_id:
                    action.co_owner_confirmed_at = action.co_owner_confirmed_at or now
                if not (action.owner_confirmed_at and action.co_owner_confirmed_at):
                    status = ActionStatus.OPEN  # waits for the other owner's confirmation
            else:
                action.owner_confirmed_at = action.co_owner_confirmed_at = None
        action.status, action.outcome_note = status, clean(outcome_note)
        action.updated_at, action.updated_by = now, actor
        # The moment it was done stays when the owner only rewrites the note of a done action; any other
        # status clears it ("afspraken op tijd uitgevoerd" compares it with the deadline).
        if status != ActionStatus.GEDAAN:
            action.done_at = None
        elif previous != ActionStatus.GEDAAN or action.done_at is None:
            action.done_at = now
        action.save(update_fields=fields)
        audit(
            actor=actor,
            event=MeetingEvent.ACTION_UPDATE,
            case_id=action.case_id,
            details={"action": action.pk, "from": previous, "to": status},
        )
    return action
