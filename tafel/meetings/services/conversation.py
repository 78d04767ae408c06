"""Preparation and the conversation guide (SPEC §4.2-4.3): pre-meeting updates, the gespreksverslag that
carries the picture forward between meetings, the oordeel with its phase change, and scale scores."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tafel.access.policy import sees_all_cases
from tafel.cases.models import Case, CasePerson, Phase
from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed
from tafel.meetings.audit_events import MeetingEvent

from ..access import is_invited, may_run_meeting
from ..guide import PHASE_ORDER, all_part_codes, guide_for
from ..models import (
    PHASE_SCALE,
    AgendaItem,
    CaseDiscussion,
    GuideDraft,
    MeetingStatus,
    OordeelChoice,
    PhaseChange,
    PreMeetingUpdate,
    ScaleKind,
    ScaleScore,
    Term,
)
from ._common import bump, clean, fail, fail_many, load_user, require_not_closed, require_run

# --- preparation ------------------------------------------------------------------------------------------


def pre_meeting_update_submit(
    *, actor, agenda_item: AgendaItem, current_situation: str, worries: str = "", what_changed: str = ""
) -> PreMeetingUpdate:
    """A short update before the meeting (002:L4170). One per author per case per meeting; a second
    submission replaces the first."""
    meeting = agenda_item.meeting
    if not (sees_all_cases(actor) or is_invited(actor, meeting, agenda_item)):
        raise AccessDenied("Alleen wie is uitgenodigd geeft een update voor dit overleg.")
    require_not_closed(meeting)
    if not clean(current_situation):
        raise fail("Beschrijf kort de huidige situatie.", "current_situation")
    with transaction.atomic():
        now = timezone.now()
        update = PreMeetingUpdate.objects.filter(agenda_item=agenda_item, created_by=actor).first()
        if update is None:
            update = PreMeetingUpdate.objects.create(
                agenda_item=agenda_item,
                current_situation=clean(current_situation),
                worries=clean(worries),
                what_changed=clean(what_changed),
                supplied_by_org_id=actor.organisation_id,
                created_by=actor,
                created_at=now,
            )
        else:
            update.current_situation = clean(current_situation)
            update.worries = clean(worries)
            update.what_changed = clean(what_changed)
            update.updated_at = now
            update.save(update_fields=["current_situation", "worries", "what_changed", "updated_at"])
        audit(
            actor=actor,
            event=MeetingEvent.PRE_MEETING_UPDATE,
            case_id=agenda_item.case_id,
            details={"meeting": meeting.pk, "update": update.pk},
        )
    return update


# --- the gespreksverslag ----------------------------------------------------------------------------------

# The picture is carried forward from the previous discussion of the case and edited, never retyped
# (002:L3641-3945). What the meeting decides (oordeel, brainstorm, shortlist) starts empty each time.
CARRIED_FIELDS = (
    "family_picture",
    "help_involved",
    "worries",
    "incident_first",
    "incident_worst",
    "incident_latest",
    "earlier_violence",
    "greatest_danger",
    "patterns",
    "risks",
    "tried_before",
    "strengths",
    "support_per_member",
    "recovery_points",
    "social_network",
    "future_view",
    "unknowns",
    "keep_informed",
    "timeline",
    "afsluitingsplan",
)
TEXT_FIELDS = (
    "family_picture",
    "help_involved",
    "worries",
    "incident_first",
    "incident_worst",
    "incident_latest",
    "earlier_violence",
    "greatest_danger",
    "patterns",
    "tried_before",
    "strengths",
    "social_network",
    "future_view",
    "unknowns",
    "right_people_note",
    "family_view_needed",
    "safe_when",
    "keep_informed",
    "timeline",
    "afsluitingsplan",
)
LIST_FIELDS = ("risks", "support_per_member", "recovery_points", "brainstorm", "shortlist")
EDITABLE_FIELDS = frozenset({*TEXT_FIELDS, *LIST_FIELDS, "parts", "right_people_at_table"})
TOP_N = 3
RISK_STABILITY = {"static": "statisch", "dynamic": "dynamisch"}
RISK_LEVEL = {"individual": "individueel", "systemic": "systemisch"}


def previous_discussion(case, *, before_item: AgendaItem | None = None) -> CaseDiscussion | None:
    qs = CaseDiscussion.objects.filter(case=case)
    if before_item is not None:
        qs = qs.exclude(agenda_item=before_item).filter(
            agenda_item__meeting__starts_at__lte=before_item.meeting.starts_at
        )
    return qs.order_by("-agenda_item__meeting__starts_at", "-id").first()


def discussion_start(*, actor, agenda_item: AgendaItem, parts: list[str] | None = None) -> CaseDiscussion:
    """Start the record of this case in this meeting, with the previous discussion's picture as the starting
    values. Idempotent: a second call returns the same record."""
    meeting = agenda_item.meeting
    require_run(actor, meeting)
    require_not_closed(meeting)
    if agenda_item.deferred:
        raise TransitionNotAllowed("Deze casus is doorgeschoven en wordt in dit overleg niet besproken.")
    if meeting.status == MeetingStatus.PLANNED and not meeting.overleg_type.asynchronous:
        raise TransitionNotAllowed("Open eerst het overleg met de privacy-opening.")
    existing = CaseDiscussion.objects.filter(agenda_item=agenda_item).first()
    if existing is not None:
        return existing
    case = agenda_item.case
    phase = case.phase or Phase.DIRECTE_VEILIGHEID
    codes = all_part_codes(phase)
    chosen = [p for p in (parts or codes) if p in codes]
    previous = previous_discussion(case, before_item=agenda_item)
    carried = {name: getattr(previous, name) for name in CARRIED_FIELDS} if previous else {}
    with transaction.atomic():
        discussion = CaseDiscussion.objects.create(
            agenda_item=agenda_item,
            case=case,
            carried_from=previous,
            phase=phase,
            parts=chosen,
            supplied_by_org_id=actor.organisation_id,
            created_by=actor,
            created_at=timezone.now(),
            **carried,
        )
        audit(
            actor=actor,
            event=MeetingEvent.DISCUSSION_UPDATE,
            case_id=case.pk,
            details={"meeting": meeting.pk, "discussion": discussion.pk, "carried_from": getattr(previous, "pk", None)},
        )
    return discussion


def _text_list(value, name: str, errors: dict, limit: int | None = None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors[name] = ["Verwacht een lijst met teksten."]
        return []
    items = [v.strip() for v in value if v.strip()]
    if limit and len(items) > limit:
        errors[name] = [f"Noem er ten hoogste {limit}."]
    return items


def _dict_list(value, name: str, errors: dict) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        errors[name] = ["Verwacht een lijst."]
        return []
    return value


def validate_discussion_data(data: dict, *, phase: str) -> tuple[dict, dict[str, list[str]]]:
    """Check and normalise the fields the guide form sends. Unknown fields are refused."""
    errors: dict[str, list[str]] = {}
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        errors["__all__"] = [f"Onbekende velden: {', '.join(sorted(unknown))}."]
    values: dict = {}
    for name in TEXT_FIELDS:
        if name in data:
            values[name] = clean(data[name])
    if "parts" in data:
        codes = all_part_codes(phase)
        parts = _text_list(data["parts"], "parts", errors)
        if set(parts) - set(codes):
            errors["parts"] = ["Onbekend onderdeel van de gespreksleidraad."]
        values["parts"] = [c for c in codes if c in parts]
    if "right_people_at_table" in data:
        if data["right_people_at_table"] not in (True, False, None):
            errors["right_people_at_table"] = ["Kies ja, nee of onbekend."]
        values["right_people_at_table"] = data["right_people_at_table"]
    if "recovery_points" in data:
        values["recovery_points"] = _text_list(data["recovery_points"], "recovery_points", errors, limit=TOP_N)
    if "risks" in data:
        risks = []
        for i, r in enumerate(_dict_list(data["risks"], "risks", errors)):
            text = clean(r.get("text"))
            if not text:
                continue
            if r.get("stability") not in RISK_STABILITY or r.get("level") not in RISK_LEVEL:
                errors[f"risks.{i}"] = ["Geef aan: statisch of dynamisch, individueel of systemisch."]
            risks.append(
                {"text": text, "stability": r.get("stability"), "level": r.get("level"), "top": bool(r.get("top"))}
            )
        if sum(1 for r in risks if r["top"]) > TOP_N:
            errors["risks"] = [f"Kies ten hoogste {TOP_N} toprisico's."]
        values["risks"] = risks
    if "support_per_member" in data:
        values["support_per_member"] = [
            {"member": clean(r.get("member")), "support": clean(r.get("support"))}
            for r in _dict_list(data["support_per_member"], "support_per_member", errors)
            if clean(r.get("member")) or clean(r.get("support"))
        ]
    if "brainstorm" in data:
        values["brainstorm"] = [
            {"option": clean(r.get("option")), "by": clean(r.get("by"))}
            for r in _dict_list(data["brainstorm"], "brainstorm", errors)
            if clean(r.get("option"))
        ]
    if "shortlist" in data:
        shortlist = []
        for i, r in enumerate(_dict_list(data["shortlist"], "shortlist", errors)):
            if not clean(r.get("option")):
                continue
            term = r.get("term") or Term.SHORT
            if term not in Term.values:
                errors[f"shortlist.{i}"] = ["Kies korte of lange termijn."]
            priority = r.get("client_priority")
            if priority in ("", None):
                priority = None
            else:
                try:
                    priority = int(priority)
                except (TypeError, ValueError):
                    errors[f"shortlist.{i}"] = ["De prioriteit van de cliënt is een getal."]
                    priority = None
            shortlist.append(
                {
                    "option": clean(r.get("option")),
                    "client_priority": priority,
                    "expert_view": clean(r.get("expert_view")),
                    "belastbaarheid": clean(r.get("belastbaarheid")),
                    "term": term,
                }
            )
        values["shortlist"] = shortlist
    return values, errors


def discussion_update(
    *, actor, discussion: CaseDiscussion, data: dict, expected_version: int | None = None
) -> CaseDiscussion:
    meeting = discussion.agenda_item.meeting
    require_run(actor, meeting)
    require_not_closed(meeting)
    values, errors = validate_discussion_data(data, phase=discussion.phase)
    if errors:
        raise fail_many("Het gespreksverslag bevat fouten.", errors)
    with transaction.atomic():
        bump(CaseDiscussion, discussion, expected_version, updated_at=timezone.now(), **values)
        audit(
            actor=actor,
            event=MeetingEvent.DISCUSSION_UPDATE,
            case_id=discussion.case_id,
            details={"meeting": meeting.pk, "discussion": discussion.pk, "fields": sorted(values)},
        )
    return discussion


class PartConflict(ConcurrentEdit):
    """Someone else saved this part of the guide since the editor loaded it. Carries the current version so
    the page can show the other's text beside the editor's own, and let the editor save deliberately."""

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message)
        self.current_version = current_version


def part_fields(phase: str, part: str) -> set[str]:
    """The record fields one part of the guide fills in (a special list field stands for its rows)."""
    guide_part = guide_for(phase).part(part)
    if guide_part is None:
        raise fail("Onbekend onderdeel van de gespreksleidraad.", "part")
    names = set(guide_part.fields)
    if "right_people_at_table" in names:
        names.add("right_people_note")
    return names


def discussion_part_save(
    *, actor, discussion: CaseDiscussion, part: str, data: dict, expected_version: int
) -> CaseDiscussion:
    """Save one part of the guide on its own (issue 12): only that part's fields, checked against that part's
    version, so two people in one meeting never overwrite each other silently. The editor's draft of the part
    is removed once it is saved."""
    meeting = discussion.agenda_item.meeting
    require_run(actor, meeting)
    require_not_closed(meeting)
    allowed = part_fields(discussion.phase, part)
    if set(data) - allowed:
        raise fail_many(
            "Het gespreksverslag bevat fouten.",
            {"__all__": ["Dit onderdeel bevat velden van een ander onderdeel."]},
        )
    values, errors = validate_discussion_data(data, phase=discussion.phase)
    if errors:
        raise fail_many("Het gespreksverslag bevat fouten.", errors)
    with transaction.atomic():
        row = CaseDiscussion.objects.select_for_update().get(pk=discussion.pk)
        current = row.part_version(part)
        if expected_version != current:
            raise PartConflict(
                "Iemand anders heeft dit onderdeel intussen opgeslagen. Uw tekst staat er nog; vergelijk met de "
                "opgeslagen tekst en sla opnieuw op om uw tekst te bewaren.",
                current_version=current,
            )
        versions = {**row.part_versions, part: current + 1}
        now = timezone.now()
        CaseDiscussion.objects.filter(pk=row.pk).update(
            part_versions=versions, version=F("version") + 1, updated_at=now, **values
        )
        for key, value in values.items():
            setattr(discussion, key, value)
        discussion.part_versions, discussion.version, discussion.updated_at = versions, row.version + 1, now
        GuideDraft.objects.filter(discussion=discussion, part=part, author=actor).delete()
        audit(
            actor=actor,
            event=MeetingEvent.DISCUSSION_UPDATE,
            case_id=discussion.case_id,
            details={"meeting": meeting.pk, "discussion": discussion.pk, "part": part, "fields": sorted(values)},
        )
    return discussion


# A draft holds the raw values of one part's form; anything bigger than this is not a typed part.
DRAFT_MAX_FIELDS = 120
DRAFT_MAX_CHARS = 60_000


def guide_draft_save(*, actor, discussion: CaseDiscussion, part: str, data: dict, base_version: int) -> GuideDraft:
    """Keep what the editor is typing in one part, so that a reload, a scale score or a closed tab loses
    nothing (issue 12). Only the values of that part's fields are kept, as typed."""
    meeting = discussion.agenda_item.meeting
    require_run(actor, meeting)
    require_not_closed(meeting)
    allowed = part_fields(discussion.phase, part)
    prefixes = {"risks": "risk_", "support_per_member": "support_", "brainstorm": "brainstorm_"}
    prefixes |= {"shortlist": "short_", "recovery_points": "recovery_"}
    kept = {}
    for name, value in data.items():
        if name in allowed or any(name.startswith(prefixes[f]) for f in allowed if f in prefixes):
            kept[name] = str(value)[:DRAFT_MAX_CHARS]
    if len(kept) > DRAFT_MAX_FIELDS or sum(len(v) for v in kept.values()) > DRAFT_MAX_CHARS:
        raise fail("Het concept is te groot.")
    with transaction.atomic():
        draft, _ = GuideDraft.objects.update_or_create(
            discussion=discussion,
            part=part,
            author=actor,
            defaults={"data": kept, "base_version": max(0, int(base_version)), "saved_at": timezone.now()},
        )
        audit(
            actor=actor,
            event=MeetingEvent.DISCUSSION_UPDATE,
            case_id=discussion.case_id,
            details={"meeting": meeting.pk, "discussion": discussion.pk, "part": part, "draft": draft.pk},
        )
    return draft


def guide_draft_discard(*, actor, discussion: CaseDiscussion, part: str) -> None:
    """The editor throws away their unsaved text of one part."""
    with transaction.atomic():
        deleted, _ = GuideDraft.objects.filter(discussion=discussion, part=part, author=actor).delete()
        if deleted:
            audit(
                actor=actor,
                event=MeetingEvent.DISCUSSION_UPDATE,
                case_id=discussion.case_id,
                details={"discussion": discussion.pk, "part": part, "draft_discarded": 1},
            )


def _target_phase(current: str, choice: str, to_phase: str | None) -> str:
    index = PHASE_ORDER.index(current)
    if choice == OordeelChoice.STAY:
        return current
    if choice == OordeelChoice.MOVE_ON:
        if index + 1 >= len(PHASE_ORDER):
            raise fail(
                "Herstelgerichte zorg is de laatste fase. Blijf in deze fase en maak een afsluitingsplan.", "oordeel"
            )
        return PHASE_ORDER[index + 1]
    earlier = PHASE_ORDER[:index]
    if not earlier:
        raise fail("Directe veiligheid is de eerste fase; terug kan niet.", "oordeel")
    if to_phase:
        if to_phase not in earlier:
            raise fail("Kies een eerdere fase.", "to_phase")
        return to_phase
    return earlier[-1]


def discussion_decide(
    *, actor, discussion: CaseDiscussion, choice: str, note: str = "", to_phase: str | None = None
) -> CaseDiscussion:
    """Oordeelsvorming ends in a recorded choice: stay, move on or go back. A phase change is written to the
    case (and its timeline) here."""
    meeting = discussion.agenda_item.meeting
    require_run(actor, meeting)
    require_not_closed(meeting)
    if choice not in OordeelChoice.values:
        raise fail("Kies: blijven, door naar de volgende fase of terug.", "oordeel")
    target = _target_phase(discussion.phase, choice, to_phase)
    if choice != OordeelChoice.STAY and not clean(note):
        raise fail("Licht de faseovergang toe.", "oordeel_note")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=discussion.case_id)
        discussion.oordeel, discussion.oordeel_note, discussion.updated_at = choice, clean(note), timezone.now()
        discussion.version += 1
        discussion.save(update_fields=["oordeel", "oordeel_note", "updated_at", "version"])
        if target != case.phase:
            PhaseChange.objects.create(
                case=case,
                discussion=discussion,
                from_phase=case.phase,
                to_phase=target,
                actor=actor,
                at=timezone.now(),
                reason=clean(note),
            )
            Case.objects.filter(pk=case.pk).update(phase=target, version=F("version") + 1)
            audit(
                actor=actor,
                event=MeetingEvent.PHASE_CHANGE,
                case_id=case.pk,
                details={"from": case.phase, "to": target, "meeting": meeting.pk},
            )
        audit(
            actor=actor,
            event=MeetingEvent.DISCUSSION_UPDATE,
            case_id=case.pk,
            details={"meeting": meeting.pk, "discussion": discussion.pk, "oordeel": choice},
        )
    return discussion


# --- scale question ---------------------------------------------------------------------------------------


def scale_score_add(
    *,
    actor,
    discussion: CaseDiscussion,
    score,
    rationale: str,
    participant=None,
    person_id: int | None = None,
    kind: str | None = None,
) -> ScaleScore:
    """Scale question 1–10 with rationale, per participant; the client's own score is kept apart. The chair
    records anyone's score; a participant may record their own. A new score replaces the earlier one."""
    item = discussion.agenda_item
    meeting = item.meeting
    participant = load_user(participant, actor=actor, case_ids=[item.case_id], field="participant")
    is_client = person_id is not None
    if is_client == (participant is not None):
        raise fail("Kies een deelnemer of een cliënt.", "participant")
    own = participant is not None and participant.pk == actor.pk
    if not (may_run_meeting(actor, meeting) or (own and is_invited(actor, meeting, item))):
        raise AccessDenied("Alleen de voorzitter of de deelnemer zelf legt een schaalscore vast.")
    require_not_closed(meeting)
    kind = kind or PHASE_SCALE.get(discussion.phase, ScaleKind.IMMEDIATE_SAFETY)
    errors: dict[str, list[str]] = {}
    if kind not in ScaleKind.values:
        errors["kind"] = ["Onbekende schaalvraag."]
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 10:
        errors["score"] = ["Kies een cijfer van 1 tot en met 10."]
    if not clean(rationale):
        errors["rationale"] = ["Wat is de onderbouwing voor het cijfer?"]
    if participant is not None and not is_invited(participant, meeting, item):
        errors["participant"] = [f"{participant} is niet uitgenodigd voor deze bespreking."]
    if is_client and not CasePerson.objects.filter(case_id=discussion.case_id, person_id=person_id).exists():
        errors["person"] = ["Deze persoon hoort niet bij de casus."]
    if errors:
        raise fail_many("De schaalscore is niet volledig.", errors)
    with transaction.atomic():
        ScaleScore.objects.filter(
            discussion=discussion, kind=kind, participant=participant, person_id=person_id
        ).delete()
        row = ScaleScore.objects.create(
            discussion=discussion,
            kind=kind,
            participant=participant,
            is_client=is_client,
            person_id=person_id,
            score=score,
            rationale=clean(rationale),
            supplied_by_org_id=participant.organisation_id if participant else actor.organisation_id,
            created_by=actor,
            created_at=timezone.now(),
        )
        audit(
            actor=actor,
            event=MeetingEvent.SCALE_SCORE_ADD,
            case_id=discussion.case_id,
            person_id=person_id,
            details={
                "meeting": meeting.pk,
                "kind": kind,
                "score": score,
                "participant": getattr(participant, "pk", None),
            },
        )
    return row
