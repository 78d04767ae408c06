"""Planning a meeting (SPEC §4.2, §4.5): the meeting, its agenda, named invitees, client invitations with
split sessions, invitation e-mails, attendance and the chair's opening."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from tafel.access.policy import may_manage_case, refuse_unseen
from tafel.cases.access import PARTNER, can_view_case
from tafel.cases.models import CaseOrganisation, CasePerson, CaseStatus, PersonRole
from tafel.core.audit import audit
from tafel.core.dates import nl_date, nl_datetime
from tafel.core.errors import AccessDenied, TransitionNotAllowed
from tafel.meetings.audit_events import MeetingEvent
from tafel.organisations.models import OrganisationType, Role, User
from tafel.persons.models import Person

from ..access import may_plan_meetings, may_run_meeting
from ..models import (
    CLIENT_PARTS,
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendMode,
    CaseDiscussion,
    CaseMeetingFlags,
    DeferReason,
    Invitation,
    Meeting,
    MeetingStatus,
    OverlegType,
    Plan,
    SafetyMarker,
    SessionPart,
)
from ._common import (
    NOT_TAKING_PART,
    bump,
    clean,
    fail,
    fail_many,
    load_user,
    require_not_closed,
    require_plan,
    require_planned,
    require_run,
    user_may_take_part,
)

# Invitations and the agenda go out in time (SPEC §4.2); later than this many days before gets a warning.
INVITATION_LEAD_DAYS = 5

# The chair's opening (001:L2971), offered as the default text.
DEFAULT_PRIVACY_REMINDER = (
    "Wat hier besproken wordt, blijft binnen dit overleg. We delen alleen wat nodig is voor het doel van dit "
    "overleg (convenant Zorg- en Veiligheidshuis). Ieder brengt eigen informatie in en blijft daarvoor "
    "verantwoordelijk. Medische en justitiële gegevens delen we alleen voor zover dat nodig en toegestaan is."
)

# Persons whose role makes them a client who is invited by default ("ja, tenzij", SPEC §4.5). Children and
# witnesses are invited by a deliberate choice of the regisseur.
DEFAULT_CLIENT_ROLES = frozenset(
    {PersonRole.PLEGER, PersonRole.VERDACHTE, PersonRole.SLACHTOFFER, PersonRole.OUDER, PersonRole.BETROKKENE}
)

# A case that ended is not discussed again, except to learn from it (casusevaluatie, SPEC §5.5).
ENDED_STATUSES = frozenset({CaseStatus.AFGESLOTEN, CaseStatus.NIET_GEACCEPTEERD, CaseStatus.LOKAAL, CaseStatus.RIEC})
EVALUATION_TYPE_CODE = "casusevaluatie"


@dataclass
class InvitationResult:
    invitation: Invitation
    warnings: list[str] = field(default_factory=list)


# --- the meeting ------------------------------------------------------------------------------------------


def _valid_link(url: str) -> bool:
    """Only web links: the link is shown as a hyperlink to every invitee."""
    try:
        URLValidator(schemes=["https", "http"])(url)
    except DjangoValidationError:
        return False
    return True


def meeting_plan(
    *,
    actor,
    overleg_type: OverlegType,
    starts_at: datetime.datetime,
    place: str = "",
    video_link: str = "",
    chair: User | None = None,
    invitation_text: str | None = None,
) -> Meeting:
    if not may_plan_meetings(actor):
        raise AccessDenied("Alleen het huis plant overleggen.")
    errors: dict[str, list[str]] = {}
    if not overleg_type.active:
        errors["overleg_type"] = ["Dit overlegtype is niet actief."]
    if starts_at is None or timezone.is_naive(starts_at):
        errors["starts_at"] = ["Kies datum en tijd."]
    if not overleg_type.asynchronous and not clean(place) and not clean(video_link):
        errors["place"] = ["Vul een plaats of een videolink in."]
    if clean(video_link) and not _valid_link(clean(video_link)):
        errors["video_link"] = ["De videolink is geen geldige https-link."]
    chair = load_user(chair, field="chair") or actor
    if not (may_manage_case(chair) and chair.has_role(Role.PROCESREGISSEUR)):
        errors["chair"] = ["De voorzitter is een procesregisseur van het huis."]
    if errors:
        raise fail_many("Het overleg is niet volledig.", errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            overleg_type=overleg_type,
            starts_at=starts_at,
            place=clean(place),
            video_link=clean(video_link),
            chair=chair,
            invitation_text=clean(invitation_text) or overleg_type.invitation_text,
            created_by=actor,
            created_at=timezone.now(),
        )
        audit(
            actor=actor,
            event=MeetingEvent.MEETING_PLAN,
            details={"meeting": meeting.pk, "type": overleg_type.code, "starts_at": starts_at.isoformat()},
        )
    return meeting


def meeting_update(
    *,
    actor,
    meeting: Meeting,
    starts_at: datetime.datetime,
    place: str = "",
    video_link: str = "",
    invitation_text: str = "",
    expected_version: int | None = None,
) -> Meeting:
    require_plan(actor, meeting)
    require_planned(meeting)
    if starts_at is None or timezone.is_naive(starts_at):
        raise fail("Kies datum en tijd.", "starts_at")
    if not meeting.overleg_type.asynchronous and not clean(place) and not clean(video_link):
        raise fail("Vul een plaats of een videolink in.", "place")
    if clean(video_link) and not _valid_link(clean(video_link)):
        raise fail("De videolink is geen geldige https-link.", "video_link")
    with transaction.atomic():
        bump(
            Meeting,
            meeting,
            expected_version,
            starts_at=starts_at,
            place=clean(place),
            video_link=clean(video_link),
            invitation_text=clean(invitation_text) or meeting.overleg_type.invitation_text,
        )
        audit(actor=actor, event=MeetingEvent.MEETING_UPDATE, details={"meeting": meeting.pk})
    return meeting


# --- agenda -----------------------------------------------------------------------------------------------


def _reorder(meeting: Meeting) -> None:
    """New cases first, then follow-up (rappel) cases (000:L3064, L3678); deferred cases last."""
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("added_at", "id"))
    items.sort(key=lambda i: (i.deferred, i.kind != AgendaKind.NEW))
    changed = []
    for position, item in enumerate(items, start=1):
        if item.order != position:
            item.order = position
            changed.append(item)
    if changed:
        AgendaItem.objects.bulk_update(changed, ["order"])


def agenda_add_case(*, actor, meeting: Meeting, case, kind: str | None = None) -> AgendaItem:
    """Put a case on the agenda. A case discussed before, or with a plan, is a follow-up case."""
    require_plan(actor, meeting)
    require_planned(meeting)
    if not can_view_case(actor, case):
        raise fail("Deze casus bestaat niet of u heeft er geen toegang toe.", "case")
    if case.status in ENDED_STATUSES and meeting.overleg_type.code != EVALUATION_TYPE_CODE:
        raise TransitionNotAllowed(
            f"Casus {case.reference} heeft status ‘{case.get_status_display()}’ en staat niet meer op een agenda "
            "(alleen in een casusevaluatie)."
        )
    if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
        raise fail(f"Casus {case.reference} staat al op de agenda.", "case")
    if kind is None:
        seen_before = (
            CaseDiscussion.objects.filter(case=case).exists()
            or Plan.objects.filter(case=case, published_at__isnull=False).exists()
        )
        kind = AgendaKind.FOLLOW_UP if seen_before else AgendaKind.NEW
    elif kind not in AgendaKind.values:
        raise fail("Kies nieuw of vervolg.", "kind")
    with transaction.atomic():
        now = timezone.now()
        item = AgendaItem.objects.create(meeting=meeting, case=case, kind=kind, added_by=actor, added_at=now)
        if meeting.overleg_type.clients_invited_by_default:
            # Clients are always invited and decide themselves whether to come ("ja, tenzij", SPEC §4.5).
            for link in CasePerson.objects.filter(case=case, role__in=DEFAULT_CLIENT_ROLES).order_by("id"):
                part = _free_client_part(item, link.person_id, requested=None, flags=_flags(case))
                Invitation.objects.create(
                    meeting=meeting,
                    agenda_item=item,
                    is_client=True,
                    person_id=link.person_id,
                    session_part=part,
                    preparation_by_id=case.casusregisseur_id or case.procesregisseur_id or actor.pk,
                    invited_by=actor,
                    invited_at=now,
                )
            _assign_sessions(meeting)
        _reorder(meeting)
        # SPEC §4.2: the police check the persons on the agenda (DIK-check), one task per person.
        from .police_checks import police_checks_request

        police_checks_request(actor=actor, agenda_item=item, now=now)
        audit(
            actor=actor,
            event=MeetingEvent.AGENDA_ADD,
            case_id=case.pk,
            details={"meeting": meeting.pk, "kind": kind},
        )
    item.refresh_from_db()
    return item


def agenda_defer(*, actor, item: AgendaItem, reason: str, note: str = "") -> AgendaItem:
    """Doorschuiven with a recorded reason: missing information or a missing person (SPEC §4.2)."""
    meeting = item.meeting
    require_plan(actor, meeting)
    require_not_closed(meeting)
    if reason not in DeferReason.values:
        raise fail("Kies waarom de casus wordt doorgeschoven.", "reason")
    if reason == DeferReason.OTHER and not clean(note):
        raise fail("Licht toe waarom de casus wordt doorgeschoven.", "note")
    if item.deferred:
        raise TransitionNotAllowed("Deze casus is al doorgeschoven.")
    if CaseDiscussion.objects.filter(agenda_item=item).exists():
        raise TransitionNotAllowed("Deze casus is in dit overleg al besproken.")
    with transaction.atomic():
        item.deferred, item.defer_reason, item.defer_note = True, reason, clean(note)
        item.save(update_fields=["deferred", "defer_reason", "defer_note"])
        _reorder(meeting)
        audit(
            actor=actor,
            event=MeetingEvent.AGENDA_DEFER,
            case_id=item.case_id,
            reason=f"defer.{DeferReason(reason).value}",
            details={"meeting": meeting.pk},
        )
    item.refresh_from_db(fields=["order"])
    return item


# --- sessions: the OM split and the stalking rule (SPEC §4.5) ---------------------------------------------


def _flags(case) -> CaseMeetingFlags | None:
    return CaseMeetingFlags.objects.filter(case=case).first()


def _separated(flags: CaseMeetingFlags | None) -> set[int]:
    """The persons a stalking or intimate-terrorism marker keeps apart (issue 11: persons, not roles)."""
    if flags is None or flags.safety_marker not in SafetyMarker.values:
        return set()
    return set(flags.separated_persons.values_list("pk", flat=True))


def _persons_in_part(item: AgendaItem, part: str, exclude_person_id: int | None = None) -> set[int]:
    return set(
        Invitation.objects.filter(agenda_item=item, is_client=True, invited=True, session_part=part)
        .exclude(person_id=exclude_person_id)
        .values_list("person_id", flat=True)
    )


def _names(person_ids) -> str:
    from tafel.persons.models import Person

    names = sorted(p.full_name for p in Person.objects.filter(pk__in=person_ids))
    return " en ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def _free_client_part(item: AgendaItem, person_id: int, *, requested: str | None, flags) -> str:
    """The client part a client joins. In stalking or intimate terrorism, the persons the marker names are
    never in the same session, whatever their roles: an explicit request that breaks this is refused;
    otherwise the planner picks a client part without any of the others."""
    separated = _separated(flags)
    others = separated - {person_id} if person_id in separated else set()
    if requested is not None:
        if requested not in CLIENT_PARTS:
            raise fail("Een cliënt neemt deel aan een cliëntdeel.", "session_part")
        clash = others & _persons_in_part(item, requested, exclude_person_id=person_id)
        if clash:
            raise fail(
                f"Deze casus is gemarkeerd als {SafetyMarker(flags.safety_marker).label.lower()}: "
                f"{_names({person_id, *clash})} zitten nooit in dezelfde sessie. Kies een ander cliëntdeel.",
                "session_part",
            )
        return requested
    for part in CLIENT_PARTS:
        if not (others & _persons_in_part(item, part, exclude_person_id=person_id)):
            return part
    raise fail(
        f"{_names(separated)} kunnen in deze casus niet samen in een sessie; er is geen vrij cliëntdeel meer.",
        "session_part",
    )


def _is_om(invitation: Invitation) -> bool:
    return invitation.organisation is not None and invitation.organisation.type == OrganisationType.OM


def _assign_sessions(meeting: Meeting) -> None:
    """When the OM and clients meet on a case, the case has an OM part without clients and a client part
    without the OM (SPEC §4.5). Recomputed after every change of invitees."""
    items = list(AgendaItem.objects.filter(meeting=meeting))
    invitations = list(Invitation.objects.filter(meeting=meeting).select_related("organisation"))
    clients_by_item: dict[int, int] = {}
    for inv in invitations:
        if inv.is_client and inv.invited:
            clients_by_item[inv.agenda_item_id] = clients_by_item.get(inv.agenda_item_id, 0) + 1
    oms = [inv for inv in invitations if not inv.is_client and _is_om(inv)]
    for item in items:
        has_om = any(inv.agenda_item_id in (None, item.pk) for inv in oms)
        split = bool(clients_by_item.get(item.pk)) and has_om
        if split and not meeting.overleg_type.split_om_part:
            raise fail(
                f"In een {meeting.overleg_type.name} is er geen apart OM-deel: nodig de cliënt of het OM niet "
                "voor dezelfde casus uit, of kies een overlegtype met een gesplitste bespreking."
            )
        if item.split_session != split:
            item.split_session = split
            item.save(update_fields=["split_session"])
    for inv in oms:
        covered = [inv.agenda_item_id] if inv.agenda_item_id else [i.pk for i in items]
        part = SessionPart.PROFESSIONALS if any(clients_by_item.get(pk) for pk in covered) else SessionPart.ALL
        if inv.session_part != part:
            inv.session_part = part
            inv.save(update_fields=["session_part"])


def _table_warnings(meeting: Meeting) -> list[str]:
    """A configurable cap on people at the table (002:L3629), as a warning, not a refusal."""
    count = Invitation.objects.filter(meeting=meeting, invited=True).count()
    cap = meeting.overleg_type.max_at_table
    if cap and count > cap:
        return [
            f"Er zijn {count} mensen uitgenodigd; voor een {meeting.overleg_type.name} is het maximum {cap}. "
            "Een kleinere tafel dwingt tot keuzes: wie kent de cliënt persoonlijk?"
        ]
    return []


# --- invitations ------------------------------------------------------------------------------------------


def invitation_add(
    *,
    actor,
    meeting: Meeting,
    user,
    agenda_item: AgendaItem | None = None,
    substitute_for=None,
) -> InvitationResult:
    """Invite a named person (SPEC §4.2) — only people of organisations that take part in the case(s) on
    the agenda, or of the house itself (need-to-know, SPEC §6)."""
    require_plan(actor, meeting)
    require_not_closed(meeting)
    if user is None or user == "":
        raise fail("Kies wie u uitnodigt.", "user")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise fail("Dit agendapunt hoort niet bij dit overleg.", "agenda_item")
    case_ids = (
        [agenda_item.case_id]
        if agenda_item is not None
        else list(AgendaItem.objects.filter(meeting=meeting).values_list("case_id", flat=True))
    )
    if not case_ids:
        raise fail("Zet eerst een casus op de agenda; daarna nodigt u de mensen van die casus uit.", "user")
    # Ids from the request go through the one fetch-and-check for users named in a case's work: an unknown
    # id and someone outside the case get the same answer, which names nobody (issue 10, finding 2).
    user = load_user(user, actor=actor, case_ids=case_ids, field="user")
    substitute_for = load_user(substitute_for, actor=actor, case_ids=case_ids, field="substitute_for")
    if not user_may_take_part(user, case_ids):
        raise fail(NOT_TAKING_PART, "user")
    if Invitation.objects.filter(meeting=meeting, user=user).exists():
        raise fail(f"{user} is al uitgenodigd.", "user")
    original = None
    if substitute_for is not None:
        original = Invitation.objects.filter(meeting=meeting, user=substitute_for).first()
        if original is None:
            raise fail("Een vervanger vervangt iemand die is uitgenodigd.", "substitute_for")
    with transaction.atomic():
        invitation = Invitation.objects.create(
            meeting=meeting,
            agenda_item=agenda_item,
            user=user,
            organisation_id=user.organisation_id,
            substitute_for=substitute_for,
            invited_by=actor,
            invited_at=timezone.now(),
        )
        if original is not None and original.attendance == Attendance.UNKNOWN:
            # Attendance is not optional; whoever sends a substitute is recorded as excused (SPEC §4.2).
            original.attendance = Attendance.EXCUSED
            original.save(update_fields=["attendance"])
        _assign_sessions(meeting)
        audit(
            actor=actor,
            event=MeetingEvent.INVITATION_ADD,
            case_id=agenda_item.case_id if agenda_item else None,
            details={
                "meeting": meeting.pk,
                "user": user.pk,
                "organisation": user.organisation_id,
                "substitute_for": substitute_for.pk if substitute_for else None,
            },
        )
    invitation.refresh_from_db()
    return InvitationResult(invitation=invitation, warnings=_table_warnings(meeting))


def invitation_remove(*, actor, invitation: Invitation) -> None:
    meeting = invitation.meeting
    require_plan(actor, meeting)
    require_planned(meeting)
    if invitation.is_client:
        raise fail("Een cliënt wordt niet verwijderd: leg vast waarom hij of zij niet wordt uitgenodigd.")
    with transaction.atomic():
        user_id = invitation.user_id
        invitation.delete()
        _assign_sessions(meeting)
        audit(
            actor=actor,
            event=MeetingEvent.INVITATION_REMOVE,
            details={"meeting": meeting.pk, "user": user_id},
        )


def client_invite(
    *,
    actor,
    agenda_item: AgendaItem,
    person_id: int,
    invited: bool = True,
    not_invited_reason: str = "",
    attend_mode: str = "",
    accompanied_by=None,
    vertrouwenspersoon: str = "",
    session_part: str | None = None,
    preparation_by=None,
    debrief_by=None,
    client_wishes: str = "",
) -> InvitationResult:
    """Invite a client (a person of the case), or record why not ("ja, tenzij", SPEC §4.5). Re-inviting
    the same person updates the invitation."""
    meeting = agenda_item.meeting
    require_plan(actor, meeting)
    require_not_closed(meeting)
    link = CasePerson.objects.filter(case_id=agenda_item.case_id, person_id=person_id).first()
    if link is None:
        # A person of another case and an unknown id answer alike and are recorded alike (issue 10).
        refuse_unseen(actor, kind="person", object_id=person_id, action="invite", model=Person, case_field=None)
        raise fail("Deze persoon hoort niet bij de casus.", "person")
    case_ids = [agenda_item.case_id]
    accompanied_by = load_user(accompanied_by, actor=actor, case_ids=case_ids, field="accompanied_by")
    preparation_by = load_user(preparation_by, actor=actor, case_ids=case_ids, field="preparation_by")
    debrief_by = load_user(debrief_by, actor=actor, case_ids=case_ids, field="debrief_by")
    errors: dict[str, list[str]] = {}
    if not invited and not clean(not_invited_reason):
        errors["not_invited_reason"] = ["Cliënten worden altijd uitgenodigd, tenzij: leg de reden vast."]
    if attend_mode and attend_mode not in AttendMode.values:
        errors["attend_mode"] = ["Kies aan tafel of online."]
    if invited and attend_mode == AttendMode.ONLINE and accompanied_by is None:
        errors["accompanied_by"] = ["Bij online deelname zit een professional naast de cliënt: wie?"]
    for name, who in (
        ("accompanied_by", accompanied_by),
        ("preparation_by", preparation_by),
        ("debrief_by", debrief_by),
    ):
        if who is not None and not user_may_take_part(who, [agenda_item.case_id]):
            errors[name] = [NOT_TAKING_PART]
    if errors:
        raise fail_many("De uitnodiging van de cliënt is niet volledig.", errors)
    with transaction.atomic():
        existing = Invitation.objects.filter(agenda_item=agenda_item, person_id=person_id).first()
        part = SessionPart.CLIENTS
        if invited:
            part = _free_client_part(agenda_item, person_id, requested=session_part, flags=_flags(agenda_item.case))
        values = {
            "invited": invited,
            "not_invited_reason": "" if invited else clean(not_invited_reason),
            "attend_mode": attend_mode if invited else "",
            "accompanied_by": accompanied_by if invited and attend_mode == AttendMode.ONLINE else None,
            "vertrouwenspersoon": clean(vertrouwenspersoon) if invited else "",
            "session_part": part,
            "preparation_by": preparation_by or (existing.preparation_by if existing else None) or actor,
            "debrief_by": debrief_by or (existing.debrief_by if existing else None),
            "client_wishes": clean(client_wishes) or (existing.client_wishes if existing else ""),
        }
        if existing is None:
            invitation = Invitation.objects.create(
                meeting=meeting,
                agenda_item=agenda_item,
                is_client=True,
                person_id=person_id,
                invited_by=actor,
                invited_at=timezone.now(),
                **values,
            )
        else:
            invitation = existing
            for key, value in values.items():
                setattr(invitation, key, value)
            invitation.save(update_fields=list(values))
        _assign_sessions(meeting)
        audit(
            actor=actor,
            event=MeetingEvent.CLIENT_INVITE,
            case_id=agenda_item.case_id,
            person_id=person_id,
            details={"meeting": meeting.pk, "invited": invited, "session_part": part, "attend_mode": attend_mode},
        )
    invitation.refresh_from_db()
    return InvitationResult(invitation=invitation, warnings=_table_warnings(meeting))


def client_task_done(*, actor, invitation: Invitation, task: str, wishes: str = "") -> Invitation:
    """The preparation talk (wishes are carried in even if the client does not come) and the debrief or
    feedback afterwards are tasks of a named professional (002:L4069-4133)."""
    if not invitation.is_client:
        raise fail("Alleen bij een cliënt.")
    owner_id = invitation.preparation_by_id if task == "preparation" else invitation.debrief_by_id
    if actor.pk != owner_id and not may_run_meeting(actor, invitation.meeting):
        raise AccessDenied("Deze taak hoort bij een andere professional.")
    with transaction.atomic():
        if task == "preparation":
            invitation.preparation_done = True
            if clean(wishes):
                invitation.client_wishes = clean(wishes)
            fields = ["preparation_done", "client_wishes"]
        elif task == "debrief":
            invitation.debrief_done = True
            fields = ["debrief_done"]
        else:
            raise fail("Onbekende taak.")
        invitation.save(update_fields=fields)
        audit(
            actor=actor,
            event=MeetingEvent.CLIENT_INVITE,
            case_id=invitation.agenda_item.case_id,
            person_id=invitation.person_id,
            details={"meeting": invitation.meeting_id, "task": task},
        )
    return invitation


def safety_marker_set(
    *, actor, case, marker: str, reason: str, person_ids: list[int] | None = None
) -> CaseMeetingFlags:
    """Mark a case as stalking or intimate terrorism (or clear it), naming the persons of the case who must
    never share a session (issue 11: the marker protects persons, not roles). Refused while a meeting that is
    not closed already has two of them in one session."""
    if not may_manage_case(actor):
        raise AccessDenied("Alleen het huis zet deze markering.")
    if marker and marker not in SafetyMarker.values:
        raise fail("Kies stalking of intiem terrorisme.", "marker")
    errors: dict[str, list[str]] = {}
    if not clean(reason):
        errors["reason"] = ["Geef een reden."]
    chosen: set[int] = set()
    if marker:
        try:
            chosen = {int(pk) for pk in person_ids or []}
        except (TypeError, ValueError):
            chosen = set()
            errors["persons"] = ["Onbekende persoon."]
        in_case = set(CasePerson.objects.filter(case=case, person_id__in=chosen).values_list("person_id", flat=True))
        if chosen - in_case:
            for pk in sorted(chosen - in_case):
                refuse_unseen(actor, kind="person", object_id=pk, action="mark", model=Person, case_field=None)
            errors["persons"] = ["Kies alleen personen uit deze casus."]
        elif len(chosen) < 2:
            errors["persons"] = ["Kies ten minste twee personen die nooit samen in een sessie mogen zitten."]
    if errors:
        raise fail_many("De markering is niet volledig.", errors)
    with transaction.atomic():
        flags, _ = CaseMeetingFlags.objects.select_for_update().get_or_create(
            case=case, defaults={"set_by": actor, "set_at": timezone.now()}
        )
        flags.safety_marker, flags.reason, flags.set_by, flags.set_at = marker, clean(reason), actor, timezone.now()
        flags.save(update_fields=["safety_marker", "reason", "set_by", "set_at"])
        flags.separated_persons.set(sorted(chosen))
        if marker:
            for item in AgendaItem.objects.filter(case=case).exclude(meeting__status=MeetingStatus.CLOSED):
                for part in CLIENT_PARTS:
                    together = chosen & _persons_in_part(item, part)
                    if len(together) > 1:
                        raise fail(
                            f"In het overleg van {nl_date(item.meeting.starts_at)} zitten {_names(together)} in "
                            "dezelfde sessie. Zet een van hen eerst in een ander cliëntdeel.",
                            "persons",
                        )
        audit(
            actor=actor,
            event=MeetingEvent.SAFETY_MARKER_SET,
            case_id=case.pk,
            details={"marker": marker, "persons": sorted(chosen)},
        )
    return flags


# --- e-mail -----------------------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int
    warnings: list[str]


def render_invitation_text(template: str, values: dict[str, str]) -> str:
    """Plain placeholder replacement: the text is edited by users, so no format-string evaluation."""
    text = template
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _visible_case_refs(user: User, items: list[AgendaItem], participations: dict[int, set[int]]) -> list[str]:
    """Only references of cases the invitee may know about: an e-mail is no place to reveal other cases."""
    refs = []
    for item in items:
        if user.in_house or user.organisation_id in participations.get(item.case_id, set()):
            refs.append(item.case.reference + (" (nieuw)" if item.kind == AgendaKind.NEW else " (vervolg)"))
    return refs


def meeting_send_invitations(*, actor, meeting: Meeting, text: str | None = None) -> SendResult:
    """Send the invitation with the agenda to every invited professional who has not had it yet.

    The text is the editable standard text of the overleg type, addressed to the person by name."""
    require_plan(actor, meeting)
    require_planned(meeting)
    items = list(
        AgendaItem.objects.filter(meeting=meeting, deferred=False).select_related("case").order_by("order", "id")
    )
    participations: dict[int, set[int]] = {}
    for case_id, org_id in CaseOrganisation.objects.filter(
        case_id__in=[i.case_id for i in items], kind=PARTNER
    ).values_list("case_id", "organisation_id"):
        participations.setdefault(case_id, set()).add(org_id)
    invitations = list(
        Invitation.objects.filter(meeting=meeting, is_client=False, email_sent_at__isnull=True).select_related(
            "user", "user__organisation"
        )
    )
    local = timezone.localtime(meeting.starts_at)
    template = clean(text) or meeting.invitation_text or meeting.overleg_type.invitation_text
    messages = []
    for inv in invitations:
        if not inv.user.email:
            continue
        own_items = [i for i in items if inv.agenda_item_id in (None, i.pk)]
        refs = _visible_case_refs(inv.user, own_items, participations)
        body = render_invitation_text(
            template,
            {
                "naam": inv.user.get_full_name() or inv.user.username,
                "overleg": meeting.overleg_type.name,
                "datum": f"{nl_date(local)}",
                "tijd": f"{local:%H:%M}",
                "plaats": meeting.place or "online",
                "videolink": meeting.video_link,
                "agenda": "\n".join(f"- {ref}" for ref in refs) or "- (volgt)",
                "voorzitter": str(meeting.chair),
            },
        )
        messages.append(
            EmailMessage(
                subject=f"Uitnodiging {meeting.overleg_type.name} {nl_datetime(local)}",
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[inv.user.email],
            )
        )
    warnings = []
    if meeting.starts_at - timezone.now() < datetime.timedelta(days=INVITATION_LEAD_DAYS):
        warnings.append(
            f"Het overleg is binnen {INVITATION_LEAD_DAYS} dagen: de uitnodiging is laat. Bel wie de casus kent."
        )
    with transaction.atomic():
        now = timezone.now()
        sent_ids = [inv.pk for inv in invitations if inv.user.email]
        Invitation.objects.filter(pk__in=sent_ids).update(email_sent_at=now)
        # Issue 11: the invitee also finds it in Tafel (Berichten, the digest, "Mijn werk") and answers there.
        from .partners import tell_invited

        tell_invited(meeting, invitations)
        fields = ["invitations_sent_at"]
        meeting.invitations_sent_at = now
        if clean(text):
            meeting.invitation_text = clean(text)
            fields.append("invitation_text")
        meeting.save(update_fields=fields)
        audit(
            actor=actor,
            event=MeetingEvent.INVITATION_SEND,
            details={"meeting": meeting.pk, "count": len(messages)},
        )
        transaction.on_commit(lambda: get_connection(fail_silently=False).send_messages(messages))
    return SendResult(sent=len(messages), warnings=warnings)


# --- the meeting itself -----------------------------------------------------------------------------------


def meeting_open(*, actor, meeting: Meeting, privacy_text: str = "") -> Meeting:
    """The chair opens with a privacy reminder (001:L2971); it becomes part of the meeting record. An open
    meeting is not yet "gehouden": the chair closes it explicitly (`meeting_close`, issue 12, item 5)."""
    require_run(actor, meeting)
    require_planned(meeting)
    with transaction.atomic():
        meeting.status = MeetingStatus.OPEN
        meeting.privacy_reminder_given = True
        meeting.privacy_reminder_text = clean(privacy_text) or DEFAULT_PRIVACY_REMINDER
        meeting.privacy_reminder_at = timezone.now()
        meeting.version += 1
        meeting.save(
            update_fields=[
                "status",
                "privacy_reminder_given",
                "privacy_reminder_text",
                "privacy_reminder_at",
                "version",
            ]
        )
        audit(actor=actor, event=MeetingEvent.PRIVACY_REMINDER, details={"meeting": meeting.pk})
    return meeting


def attendance_record(*, actor, invitation: Invitation, attendance: str) -> Invitation:
    """Attendance per invitee (issue 3, item 6)."""
    require_run(actor, invitation.meeting)
    require_not_closed(invitation.meeting)
    if attendance not in Attendance.values:
        raise fail("Kies aanwezig, afwezig of afgemeld.", "attendance")
    if invitation.is_client and not invitation.invited:
        raise fail("Deze cliënt is niet uitgenodigd.", "attendance")
    with transaction.atomic():
        invitation.attendance = attendance
        invitation.save(update_fields=["attendance"])
        audit(
            actor=actor,
            event=MeetingEvent.ATTENDANCE_RECORD,
            case_id=invitation.agenda_item.case_id if invitation.agenda_item_id else None,
            person_id=invitation.person_id,
            details={"meeting": invitation.meeting_id, "invitation": invitation.pk, "attendance": attendance},
        )
    return invitation
