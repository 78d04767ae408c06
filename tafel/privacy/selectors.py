"""Reads of the privacy layer: what the FG searches, exports and is warned about, and the data-subject
export. Each checks the viewer first (STYLE.md: selectors take `viewer` and apply the policy)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tafel.access.policy import may_act_as_fg, may_read_audit
from tafel.cases.access import ItemFacts
from tafel.cases.audit_events import CaseEvent
from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, NotFound
from tafel.core.models import AuditEvent
from tafel.core.registry import audit_event_action, audit_event_label
from tafel.meetings.audit_events import MeetingEvent
from tafel.persons.audit_events import PersonEvent
from tafel.privacy.audit_events import PrivacyEvent

from .models import Consent, ItemRestriction, Reglement, Share

# Events that are a read of case content (the unusual-access alert counts these).
READ_EVENTS = (
    CaseEvent.CASE_VIEW,
    CaseEvent.AANMELDING_VIEW,
    CaseEvent.TRIAGE_VIEW,
    MeetingEvent.DISCUSSION_VIEW,
    MeetingEvent.PLAN_VIEW,
    MeetingEvent.VERSLAG_VIEW,
)


def _require_fg(viewer) -> None:
    if not may_act_as_fg(viewer):
        raise AccessDenied("Alleen de functionaris gegevensbescherming.")


# --- audit search and export ------------------------------------------------------------------------------


@dataclass
class AuditFilters:
    person_id: int | None = None
    case_id: int | None = None
    user: str = ""
    organisation_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    event_type: int | None = None
    # The case's kenmerk (e.g. ZVH-2026-000123), as the FG is asked about it (issue 12, item 8). The audit
    # trail holds case ids; the kenmerk is looked up among the cases that still exist (a destroyed case keeps
    # only a hashed reference, so its events are found by case number).
    reference: str = ""


def audit_search(*, viewer, filters: AuditFilters) -> QuerySet:
    if not may_read_audit(viewer):
        raise AccessDenied("U mag het auditlog niet inzien.")
    qs = AuditEvent.objects.select_related("organisation").order_by("-at", "-id")
    if filters.person_id:
        qs = qs.filter(person_id=filters.person_id)
    if filters.case_id:
        qs = qs.filter(case_id=filters.case_id)
    if filters.reference.strip():
        from tafel.cases.models import Case

        qs = qs.filter(case_id__in=Case.objects.filter(reference__iexact=filters.reference.strip()).values("pk"))
    if filters.user:
        qs = qs.filter(actor_label__icontains=filters.user)
    if filters.organisation_id:
        qs = qs.filter(organisation_id=filters.organisation_id)
    if filters.date_from:
        qs = qs.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(at__date__lte=filters.date_to)
    if filters.event_type:
        qs = qs.filter(event_type=filters.event_type)
    return qs


# The FG's export speaks NEN 7513's field names (the audit-message fields of NEN 7513:2018 §7, as the
# Logius "Logboek Dataverwerkingen NEN7513" extension names them), so an auditor's tooling reads it as is. Where
# NEN 7513 has no field of its own, a Tafel column follows (organisation, channel, case, reason, details, the
# hash chain).
AUDIT_CSV_HEADER = [
    "EventID",
    "EventDateTime",
    "EventActionCode",
    "EventTypeCode",
    "EventTypeName",
    "EventOutcomeIndicator",
    "UserID",
    "UserName",
    "RoleIDCode",
    "UserOrganisation",
    "PurposeOfUse",
    "NetworkAccessPointTypeCode",
    "NetworkAccessPointID",
    "Channel",
    "ParticipantObjectID",
    "ParticipantObjectIDTypeCode",
    "CaseID",
    "ReasonCode",
    "Details",
    "TraceID",
    "AuditSourceID",
    "ChainSequence",
    "ChainHash",
]


def action_code(event_type: int) -> str:
    """NEN 7513 EventActionCode (C create, R read, U update, D delete, E execute): each app registers it with
    its event types (`tafel.core.registry.register_audit_event_types`)."""
    return audit_event_action(event_type)


def audit_rows(qs: QuerySet):
    import json

    source = settings.TAFEL_HOUSE_NAME
    for e in qs.iterator(chunk_size=2000):
        yield [
            e.pk,
            e.at.isoformat(),
            action_code(e.event_type),
            e.event_type,
            e.get_event_type_display(),
            # DICOM/NEN 7513 outcome: 0 success, 4 minor failure (a refused access).
            "0" if e.outcome == "allowed" else "4",
            e.actor_id or "",
            e.actor_label,
            e.roles,
            e.organisation.name if e.organisation else "",
            e.purpose,
            # Network access point type 2: an IP address.
            "2" if e.origin else "",
            e.origin,
            e.channel,
            e.person_id or "",
            "person" if e.person_id else "",
            e.case_id or "",
            e.reason,
            json.dumps(e.details, sort_keys=True, ensure_ascii=False) if e.details else "",
            e.request_id,
            source,
            e.seq if e.seq is not None else "",
            e.hash,
        ]


# --- unusual access ---------------------------------------------------------------------------------------


@dataclass
class AccessAlert:
    day: datetime.date
    actor_id: int
    actor_label: str
    organisation: str
    cases_without_task: int


def unusual_access(*, viewer=None, days: int = 7, threshold: int | None = None, now=None) -> list[AccessAlert]:
    """Users who, on one day, read at least `threshold` distinct cases in which they have no task: not
    procesregisseur or casusregisseur, no action on the plan, no invitation to a meeting about it.
    `viewer=None` is the scheduled command (system)."""
    if viewer is not None:
        _require_fg(viewer)
    from tafel.cases.models import Case
    from tafel.meetings.models import Action, Invitation

    threshold = threshold or settings.TAFEL_UNUSUAL_ACCESS_THRESHOLD
    now = now or timezone.now()
    since = now - datetime.timedelta(days=days)
    reads = (
        AuditEvent.objects.filter(at__gte=since, event_type__in=READ_EVENTS, actor__isnull=False, case_id__isnull=False)
        .values_list("actor_id", "actor_label", "organisation__name", "at", "case_id")
        .distinct()
    )
    by_actor_day: dict[tuple[int, datetime.date], set[int]] = defaultdict(set)
    labels: dict[int, tuple[str, str]] = {}
    for actor_id, label, org, at, case_id in reads:
        by_actor_day[(actor_id, timezone.localdate(at))].add(case_id)
        labels[actor_id] = (label, org or "")
    # Cheap first cut: only actor-days above the threshold need the task check.
    suspects = {key: ids for key, ids in by_actor_day.items() if len(ids) >= threshold}
    if not suspects:
        return []
    actor_ids = {a for a, _ in suspects}
    case_ids = set().union(*suspects.values())
    tasks: dict[int, set[int]] = defaultdict(set)
    for cid, pr, cr in Case.objects.filter(pk__in=case_ids).values_list(
        "pk", "procesregisseur_id", "casusregisseur_id"
    ):
        for uid in (pr, cr):
            if uid in actor_ids:
                tasks[uid].add(cid)
    for uid, cid in Action.objects.filter(owner_id__in=actor_ids, case_id__in=case_ids).values_list(
        "owner_id", "case_id"
    ):
        tasks[uid].add(cid)
    for uid, cid in Invitation.objects.filter(
        user_id__in=actor_ids, meeting__agenda_items__case_id__in=case_ids
    ).values_list("user_id", "meeting__agenda_items__case_id"):
        tasks[uid].add(cid)
    alerts = []
    for (actor_id, day), ids in sorted(suspects.items(), key=lambda kv: (kv[0][1], kv[0][0]), reverse=True):
        without = ids - tasks[actor_id]
        if len(without) >= threshold:
            label, org = labels[actor_id]
            alerts.append(AccessAlert(day, actor_id, label, org, len(without)))
    return alerts


@dataclass
class ScreeningAlert:
    day: datetime.date
    actor_id: int
    actor_label: str
    organisation: str
    name_only: int
    burst: int


SCREENING_BURST_WINDOW = datetime.timedelta(minutes=10)


def screening_alerts(*, viewer=None, days: int = 7, now=None) -> list[ScreeningAlert]:
    """Users whose screening looks like fishing (issue 10, finding 3): on one day at least
    TAFEL_SCREENING_NAME_ONLY_THRESHOLD queries without a date of birth or BSN (refused ones included), or at
    least TAFEL_SCREENING_BURST queries within ten minutes (stepping through names, dates or numbers). Read from
    the one audit row each query writes (`details.query`, a code). `viewer=None` is the scheduled command."""
    if viewer is not None:
        _require_fg(viewer)
    now = now or timezone.now()
    rows = (
        AuditEvent.objects.filter(
            at__gte=now - datetime.timedelta(days=days),
            event_type=PersonEvent.PERSON_MATCH,
            person_id__isnull=True,
            actor__isnull=False,
        )
        .values_list("actor_id", "actor_label", "organisation__name", "at", "details")
        .order_by("actor_id", "at")
    )
    by_actor_day: dict[tuple[int, datetime.date], list] = defaultdict(list)
    labels: dict[int, tuple[str, str]] = {}
    for actor_id, label, org, at, details in rows:
        shape = (details or {}).get("query", "")
        if not shape:
            continue
        by_actor_day[(actor_id, timezone.localdate(at))].append((at, shape))
        labels[actor_id] = (label, org or "")
    name_only_limit = settings.TAFEL_SCREENING_NAME_ONLY_THRESHOLD
    burst_limit = settings.TAFEL_SCREENING_BURST
    alerts = []
    for (actor_id, day), queries in by_actor_day.items():
        name_only = sum(1 for _, shape in queries if "bsn" not in shape and "geboortedatum" not in shape)
        burst, start = 0, 0
        for end in range(len(queries)):
            while queries[end][0] - queries[start][0] > SCREENING_BURST_WINDOW:
                start += 1
            burst = max(burst, end - start + 1)
        if name_only >= name_only_limit or burst >= burst_limit:
            label, org = labels[actor_id]
            alerts.append(ScreeningAlert(day, actor_id, label, org, name_only, burst))
    alerts.sort(key=lambda a: (a.day, a.actor_id), reverse=True)
    return alerts


# --- the data-subject export (AVG art. 15) ---------------------------------------------------------------


def _text(obj, fields) -> dict:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def person_export(*, viewer, person_id) -> dict:
    """Everything held about one person, with its sources and who saw it (the FG answers an inzageverzoek).
    Audited: the export is itself a read of all of it."""
    _require_fg(viewer)
    from tafel.cases.models import Aanmelding, AanmeldingPerson, CaseNote, CasePerson
    from tafel.meetings.models import CaseDiscussion, Invitation, PreMeetingUpdate
    from tafel.persons.models import Person
    from tafel.privacy.models import Consent, PersonRectification

    try:
        person = Person.objects.select_related("municipality").get(pk=int(person_id))
    except (Person.DoesNotExist, TypeError, ValueError):
        raise NotFound("Deze persoon bestaat niet.") from None
    links = list(CasePerson.objects.filter(person=person).select_related("case", "case__municipality").order_by("id"))
    case_ids = [link.case_id for link in links]
    aanmelding_ids = list(AanmeldingPerson.objects.filter(person=person).values_list("aanmelding_id", flat=True))
    aanmeldingen = Aanmelding.objects.filter(Q(pk__in=aanmelding_ids)).select_related("supplied_by_org", "case")
    name_q = Q()
    for token in {person.last_name, person.first_names.split(" ")[0] if person.first_names else ""} - {""}:
        name_q |= Q(text__icontains=token)
    notes = CaseNote.objects.filter(case_id__in=case_ids).select_related("supplied_by_org")
    updates = PreMeetingUpdate.objects.filter(agenda_item__case_id__in=case_ids).select_related(
        "supplied_by_org", "agenda_item__meeting"
    )
    discussions = CaseDiscussion.objects.filter(case_id__in=case_ids).select_related("supplied_by_org")
    seen = (
        AuditEvent.objects.filter(Q(person_id=person.pk) | Q(case_id__in=case_ids))
        .exclude(actor__isnull=True)
        .values("actor_label", "organisation__name", "event_type", "case_id")
        .annotate(n=Count("id"))
        .order_by("actor_label", "event_type")
    )
    data = {
        "generated_at": timezone.now().isoformat(),
        "person": {
            **_text(
                person,
                ["id", "first_names", "prefix", "last_name", "birth_last_name", "date_of_birth", "gender", "address"],
            ),
            "bsn": person.bsn_masked,
            "municipality": person.municipality.name if person.municipality else "",
            "processing_restricted": person.processing_restricted,
            "source": person.created_by_org.name if person.created_by_org_id else "",
        },
        "cases": [
            {
                "reference": link.case.reference,
                "role": link.get_role_display(),
                "theme": link.case.get_theme_display(),
                "status": link.case.get_status_display(),
                "municipality": link.case.municipality.name,
                "created_at": link.case.created_at.isoformat(),
                "closed_at": link.case.closed_at.isoformat() if link.case.closed_at else None,
            }
            for link in links
        ],
        "aanmeldingen": [
            {
                "case": a.case.reference,
                "source": a.supplied_by_org.name,
                "category": a.category,
                **_text(
                    a,
                    [
                        "created_at",
                        "reason",
                        "summary",
                        "household",
                        "antecedents",
                        "help_tried",
                        "client_knows",
                        "client_knows_reason",
                    ],
                ),
            }
            for a in aanmeldingen
        ],
        "notes": [
            {
                "case_id": n.case_id,
                "source": n.supplied_by_org.name,
                "category": n.category,
                **_text(n, ["created_at", "text"]),
            }
            for n in notes
        ],
        "pre_meeting_updates": [
            {
                "case_id": u.agenda_item.case_id,
                "source": u.supplied_by_org.name,
                "category": u.category,
                **_text(u, ["created_at", "current_situation", "worries", "what_changed"]),
            }
            for u in updates
        ],
        "discussions": [
            {
                "case_id": d.case_id,
                "source": d.supplied_by_org.name,
                "category": d.category,
                **_text(d, ["created_at", "family_picture", "worries", "strengths", "oordeel_note"]),
            }
            for d in discussions
        ],
        "meetings_as_client": list(
            Invitation.objects.filter(person=person).values_list("meeting__starts_at", flat=True)
        ),
        "consents": [
            {
                "case_id": c.case_id,
                "purpose": c.get_purpose_display(),
                "form": c.get_form_display(),
                "given_on": c.given_on.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
                "withdrawn_reason": c.withdrawn_reason,
            }
            for c in Consent.objects.filter(person=person)
        ],
        "rectifications": [
            {"field": r.field, "old": r.old_value, "new": r.new_value, "reason": r.reason, "at": r.at.isoformat()}
            for r in PersonRectification.objects.filter(person=person)
        ],
        "seen_by": [
            {
                "user": row["actor_label"],
                "organisation": row["organisation__name"] or "",
                "event": audit_event_label(row["event_type"]),
                "case_id": row["case_id"],
                "count": row["n"],
            }
            for row in seen
        ],
    }
    data["meetings_as_client"] = [m.isoformat() for m in data["meetings_as_client"]]
    audit(actor=viewer, event=PrivacyEvent.PERSON_EXPORT, person_id=person.pk)
    return data


# --- counting destroyed cases (for the monitor) -----------------------------------------------------------


def closed_case_count(*, year: int | None = None, municipality_id: int | None = None) -> int:
    """Closed cases, including those retention destroyed (their RetainedCaseStat rows): reports keep
    counting a case after its personal data is gone."""
    from tafel.cases.models import Case
    from tafel.privacy.models import RetainedCaseStat

    live = Case.objects.filter(closed_at__isnull=False)
    kept = RetainedCaseStat.objects.all()
    if year:
        live = live.filter(closed_at__year=year)
        kept = kept.filter(closed_year=year)
    if municipality_id:
        live = live.filter(municipality_id=municipality_id)
        kept = kept.filter(municipality_id=municipality_id)
    return live.count() + kept.count()


# --- the records behind the item rules (tafel.cases.access) ------------------------------------------------


def case_reglement(case):
    """The reglement that governs a case: that of the overleg type of its most recent meeting."""
    return (
        Reglement.objects.filter(overleg_type__meeting__agenda_items__case=case)
        .order_by("-overleg_type__meeting__starts_at")
        .first()
    )


def item_facts(*, case, org_id) -> ItemFacts:
    """What the policy's item rules need for one case and one viewing organisation (registered with the policy
    in PrivacyConfig.ready): four small queries, once per page."""
    return ItemFacts(
        shared=set(Share.objects.filter(case=case, to_org_id=org_id).values_list("item_type", "item_id")),
        restrictions={
            (t, i): scope
            for t, i, scope in ItemRestriction.objects.filter(case=case).values_list("item_type", "item_id", "scope")
        },
        consent_purposes=set(
            Consent.objects.filter(case=case, withdrawn_at__isnull=True).values_list("purpose", flat=True)
        ),
        reglement=case_reglement(case),
    )


def case_shares(case):
    """The case's recorded shares, oldest first, with both organisations (the family's view reads their kind)."""
    return Share.objects.filter(case=case).select_related("from_org", "to_org").order_by("shared_at", "id")
