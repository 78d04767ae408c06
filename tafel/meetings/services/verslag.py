"""The minutes (verslag, issue 3 item 6): generated from the structured data, one per meeting for the whole
family system (002:L1192), editable for wording, approved by the chair, sent only to participants."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from tafel.cases.access import PARTNER
from tafel.cases.models import CaseOrganisation, CasePerson
from tafel.core.audit import audit
from tafel.core.dates import nl_date, nl_datetime
from tafel.core.errors import AccessDenied, TransitionNotAllowed
from tafel.meetings.audit_events import MeetingEvent

from ..access import may_approve_verslag
from ..models import (
    Action,
    AgendaItem,
    Attendance,
    Bodemeis,
    CaseDiscussion,
    Invitation,
    Meeting,
    MeetingStatus,
    Plan,
    ScaleScore,
    Verslag,
    VerslagSection,
)
from ._common import bump, clean, require_run
from .conversation import RISK_LEVEL, RISK_STABILITY


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _date(value) -> str:
    return value.isoformat() if value else ""


def _plans_of_meeting(meeting: Meeting) -> dict[int, Plan]:
    """Per case, the latest plan version published in this meeting: its agreements are the meeting's."""
    plans: dict[int, Plan] = {}
    qs = (
        Plan.objects.filter(meeting=meeting, published_at__isnull=False)
        .select_related("casusregisseur", "casusregisseur__organisation")
        .prefetch_related(
            Prefetch(
                "actions", queryset=Action.objects.select_related("owner", "organisation").order_by("order", "id")
            ),
            Prefetch("bodemeisen", queryset=Bodemeis.objects.select_related("guard").order_by("order", "id")),
        )
        .order_by("case_id", "number")
    )
    for plan in qs:
        plans[plan.case_id] = plan
    return plans


def _plan_snapshot(plan: Plan | None) -> dict:
    if plan is None:
        return {}
    return {
        "id": plan.pk,
        "number": plan.number,
        "goals": plan.goals,
        "casusregisseur": _name(plan.casusregisseur),
        "casusregisseur_org": plan.casusregisseur.organisation.name
        if plan.casusregisseur and plan.casusregisseur.organisation
        else "",
        "casusregie_subtasks": plan.casusregie_subtasks,
        "casusregie_period": [_date(plan.casusregie_from), _date(plan.casusregie_until)],
        "casusregie_exclusions": plan.casusregie_exclusions,
        "afdoeningsadvies": plan.afdoeningsadvies,
        "next_meeting_date": _date(plan.next_meeting_date),
        "bodemeisen": [
            {"text": b.text, "guard": _name(b.guard), "if_broken": b.if_broken} for b in plan.bodemeisen.all()
        ],
        "actions": [
            {
                "id": a.pk,
                "what": a.what,
                "owner": _name(a.owner),
                "organisation": a.organisation.name if a.organisation else "",
                "deadline": _date(a.deadline),
                "type": a.get_type_display(),
                "rationale": a.rationale,
                "term": a.get_term_display(),
                "status": a.get_status_display(),
            }
            for a in plan.actions.all()
        ],
    }


def _narrative(d: CaseDiscussion | None) -> str:
    """The beeldvorming and oordeel in words. Editable afterwards; the agreements are not part of it."""
    if d is None:
        return "Deze casus is niet volgens de gespreksleidraad besproken."
    lines = [f"Fase: {d.get_phase_display()}."]

    def add(label: str, value: str) -> None:
        if value and value.strip():
            lines.append(f"{label}: {value.strip()}")

    add("Beeld van het gezin", d.family_picture)
    add("Zorgen", d.worries)
    add("Eerste incident", d.incident_first)
    add("Ergste incident", d.incident_worst)
    add("Laatste incident", d.incident_latest)
    add("Grootste gevaar", d.greatest_danger)
    add("Onderliggende patronen", d.patterns)
    for r in d.risks:
        tags = f"{RISK_STABILITY.get(r.get('stability'), '?')}, {RISK_LEVEL.get(r.get('level'), '?')}"
        lines.append(f"Risico{' (top 3)' if r.get('top') else ''}: {r.get('text')} ({tags})")
    add("Krachten", d.strengths)
    for s in d.support_per_member:
        lines.append(f"Steun voor {s.get('member')}: {s.get('support')}")
    for i, point in enumerate(d.recovery_points, start=1):
        lines.append(f"Herstelpunt {i}: {point}")
    add("Wat we nog niet weten", d.unknowns)
    if d.right_people_at_table is False:
        add("Niet aan tafel, wel nodig", d.right_people_note or "(niet ingevuld)")
    if d.oordeel:
        lines.append(f"Oordeel: {d.get_oordeel_display()}." + (f" {d.oordeel_note}" if d.oordeel_note else ""))
    add("Hoe we weten dat het veilig is", d.safe_when)
    add("Wat het gezin nodig vindt", d.family_view_needed)
    add("Afsluitingsplan", d.afsluitingsplan)
    return "\n".join(lines)


def section_snapshot(item, d, scores, *, reference: str, clients, roles: dict, plan) -> dict:
    """What the verslag keeps of one agenda item: the structured record as it stood at generation. `d` is the
    item's discussion (or None), `scores` its scale scores, `clients` the client invitations for this item and
    `roles` the case roles by (case id, person id). Shared with the demo generator, which builds verslagen
    from rows in memory."""
    return {
        "case": item.case_id,
        "reference": reference,
        "kind": item.get_kind_display(),
        "deferred": item.deferred,
        "defer_reason": item.get_defer_reason_display() if item.deferred else "",
        "defer_note": item.defer_note,
        "split_session": item.split_session,
        "phase": d.get_phase_display() if d else "",
        "oordeel": d.get_oordeel_display() if d and d.oordeel else "",
        "scores": [
            {
                "id": s.pk,
                "who": _name(s.participant),
                "organisation": s.supplied_by_org.name,
                "kind": s.get_kind_display(),
                "score": s.score,
                "rationale": s.rationale,
            }
            for s in scores
            if not s.is_client
        ],
        "client_scores": [
            {
                "id": s.pk,
                "person": s.person_id,
                "who": s.person.full_name,
                "kind": s.get_kind_display(),
                "score": s.score,
                "rationale": s.rationale,
            }
            for s in scores
            if s.is_client
        ],
        "clients": [
            {
                "person": inv.person_id,
                "name": inv.person.full_name,
                "role": roles.get((item.case_id, inv.person_id), ""),
                "invited": inv.invited,
                "not_invited_reason": inv.not_invited_reason,
                "attend_mode": inv.get_attend_mode_display() if inv.attend_mode else "",
                "attendance": Attendance(inv.attendance).label,
                "session_part": inv.get_session_part_display(),
                "vertrouwenspersoon": inv.vertrouwenspersoon,
                "wishes": inv.client_wishes,
            }
            for inv in clients
        ],
        "plan": _plan_snapshot(plan),
    }


def build_snapshot(meeting: Meeting) -> tuple[dict, list[dict]]:
    """Everything the verslag shows, read in a fixed number of queries."""
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("case").order_by("order", "id"))
    discussions = {
        d.agenda_item_id: d
        for d in CaseDiscussion.objects.filter(agenda_item__meeting=meeting).prefetch_related(
            Prefetch(
                "scale_scores",
                queryset=ScaleScore.objects.select_related("participant", "person", "supplied_by_org").order_by(
                    "is_client", "id"
                ),
            )
        )
    }
    plans = _plans_of_meeting(meeting)
    invitations = list(
        Invitation.objects.filter(meeting=meeting).select_related(
            "user", "organisation", "person", "substitute_for", "agenda_item"
        )
    )
    roles = {
        (cp.case_id, cp.person_id): cp.get_role_display()
        for cp in CasePerson.objects.filter(case_id__in=[i.case_id for i in items])
    }
    general = {
        "meeting": meeting.pk,
        "type": meeting.overleg_type.name,
        "starts_at": nl_datetime(meeting.starts_at),
        "place": meeting.place,
        "video_link": meeting.video_link,
        "chair": _name(meeting.chair),
        "privacy_reminder_given": meeting.privacy_reminder_given,
        "privacy_reminder_text": meeting.privacy_reminder_text,
        "attendance": [
            {
                "name": _name(inv.user),
                "organisation": inv.organisation.name if inv.organisation else "",
                "attendance": Attendance(inv.attendance).label,
                "substitute_for": _name(inv.substitute_for),
                "session_part": inv.get_session_part_display(),
                "case": inv.agenda_item.case_id if inv.agenda_item_id else None,
            }
            for inv in invitations
            if not inv.is_client
        ],
    }
    sections = []
    for item in items:
        d = discussions.get(item.pk)
        scores = list(d.scale_scores.all()) if d else []
        sections.append(
            {
                "item": item,
                "snapshot": section_snapshot(
                    item,
                    d,
                    scores,
                    reference=item.case.reference,
                    clients=[inv for inv in invitations if inv.is_client and inv.agenda_item_id == item.pk],
                    roles=roles,
                    plan=plans.get(item.case_id),
                ),
                "text": _narrative(d) if not item.deferred else "",
            }
        )
    return general, sections


def verslag_generate(*, actor, meeting: Meeting) -> Verslag:
    """(Re)generate the verslag from the structured data. Wording edits are kept; after approval it is fixed."""
    require_run(actor, meeting)
    if meeting.status == MeetingStatus.PLANNED:
        raise TransitionNotAllowed("Het overleg is nog niet gehouden.")
    with transaction.atomic():
        existing = Verslag.objects.select_for_update().filter(meeting=meeting).first()
        if existing is not None and existing.is_approved:
            raise TransitionNotAllowed("Het verslag is vastgesteld en wordt niet opnieuw opgesteld.")
        general, sections = build_snapshot(meeting)
        now = timezone.now()
        if existing is None:
            verslag = Verslag.objects.create(meeting=meeting, snapshot=general, generated_by=actor, generated_at=now)
        else:
            verslag = existing
            bump(Verslag, verslag, None, snapshot=general, generated_by=actor, generated_at=now)
        kept = {s.case_id: s for s in VerslagSection.objects.filter(verslag=verslag)}
        fresh, changed = [], []
        for order, section in enumerate(sections, start=1):
            item = section["item"]
            row = kept.pop(item.case_id, None)
            if row is None:
                fresh.append(
                    VerslagSection(
                        verslag=verslag,
                        agenda_item=item,
                        case_id=item.case_id,
                        snapshot=section["snapshot"],
                        generated_text=section["text"],
                        order=order,
                    )
                )
            else:
                row.snapshot, row.generated_text, row.order = section["snapshot"], section["text"], order
                changed.append(row)
        VerslagSection.objects.bulk_create(fresh)
        VerslagSection.objects.bulk_update(changed, ["snapshot", "generated_text", "order"])
        if kept:
            VerslagSection.objects.filter(pk__in=[s.pk for s in kept.values()]).delete()
        audit(actor=actor, event=MeetingEvent.VERSLAG_GENERATE, details={"meeting": meeting.pk})
    return verslag


def verslag_edit(*, actor, section: VerslagSection, text: str, expected_version: int | None = None) -> VerslagSection:
    """Edit the wording of one case's narrative. The agreements stay as recorded."""
    verslag = section.verslag
    require_run(actor, verslag.meeting)
    if verslag.is_approved:
        raise TransitionNotAllowed("Het verslag is vastgesteld.")
    with transaction.atomic():
        bump(Verslag, verslag, expected_version)
        section.edited_text = "" if clean(text) == section.generated_text.strip() else clean(text)
        section.save(update_fields=["edited_text"])
        audit(
            actor=actor,
            event=MeetingEvent.VERSLAG_EDIT,
            case_id=section.case_id,
            details={"meeting": verslag.meeting_id},
        )
    return section


def verslag_recipients(verslag: Verslag) -> dict[int, tuple[object, list[str]]]:
    """Per invited professional, the references of the cases in the verslag they took part in: invited to
    the whole meeting or that case, and of an organisation in the case (or the house)."""
    sections = list(verslag.sections.select_related("case"))
    participations: dict[int, set[int]] = {}
    for case_id, org_id in CaseOrganisation.objects.filter(
        case_id__in=[s.case_id for s in sections], kind=PARTNER
    ).values_list("case_id", "organisation_id"):
        participations.setdefault(case_id, set()).add(org_id)
    result: dict[int, tuple[object, list[str]]] = {}
    invitations = Invitation.objects.filter(meeting_id=verslag.meeting_id, is_client=False).select_related(
        "user", "user__organisation"
    )
    for inv in invitations:
        user = inv.user
        refs = [
            s.case.reference
            for s in sections
            if inv.agenda_item_id in (None, s.agenda_item_id)
            and (user.in_house or user.organisation_id in participations.get(s.case_id, set()))
        ]
        if refs and user.email and user.is_active:
            result[user.pk] = (user, refs)
    return result


def verslag_approve(*, actor, verslag: Verslag, expected_version: int | None = None) -> Verslag:
    """The chair approves; the meeting is then closed and participants are told the verslag is ready (the
    e-mail holds no content, only where to read it)."""
    meeting = verslag.meeting
    if not may_approve_verslag(actor, meeting):
        raise AccessDenied("Alleen de voorzitter stelt het verslag vast.")
    if verslag.is_approved:
        raise TransitionNotAllowed("Het verslag is al vastgesteld.")
    with transaction.atomic():
        now = timezone.now()
        bump(Verslag, verslag, expected_version, approved_by=actor, approved_at=now)
        closing = {"status": MeetingStatus.CLOSED}
        if meeting.status == MeetingStatus.OPEN:
            # Issue 12, item 5: only the chair closes a meeting, and approving its minutes is the chair saying,
            # explicitly, that it is over: the meeting is recorded as held at this moment, then as afgerond.
            closing.update(held_at=now, held_by=actor)
            audit(actor=actor, event=MeetingEvent.MEETING_CLOSE, details={"meeting": meeting.pk, "by": "verslag"})
        Meeting.objects.filter(pk=meeting.pk).update(**closing)
        for key, value in closing.items():
            setattr(meeting, key, value)
        recipients = verslag_recipients(verslag)
        path = reverse("meetings:verslag", args=[meeting.pk])
        local = timezone.localtime(meeting.starts_at)
        messages = [
            EmailMessage(
                subject=f"Verslag {meeting.overleg_type.name} {nl_date(local)} vastgesteld",
                body=(
                    f"Beste {_name(user)},\n\nHet verslag van het {meeting.overleg_type.name} van "
                    f"{nl_date(local)} is vastgesteld. U leest het in Tafel: {path}\n"
                    f"Het gaat over: {', '.join(refs)}.\n\nMet vriendelijke groet,\n{_name(meeting.chair)}"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
            )
            for user, refs in recipients.values()
        ]
        audit(
            actor=actor,
            event=MeetingEvent.VERSLAG_APPROVE,
            details={"meeting": meeting.pk, "recipients": sorted(recipients)},
        )
        from .partners import tell_verslag_sent

        tell_verslag_sent(meeting, [user for user, _refs in recipients.values()])
        transaction.on_commit(lambda: get_connection(fail_silently=False).send_messages(messages))
    return verslag
