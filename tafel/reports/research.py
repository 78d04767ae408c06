"""The pseudonymised research export (issue 6 item 6; SPEC §6: data for research leaves the house
pseudonymised; issue 10 finding 16: and k-anonymous).

One row per person in a case created in the period. Persons appear only as keyed pseudonyms with their role;
what could single them out (age, municipality, when the case ran) is generalised until every combination
holds at least `TAFEL_RESEARCH_K` persons, and rows that still stand out are left out (tafel.reports.anonymity).
No free text (titles, reasons, notes, arguments), no names, no BSN, no exact dates. The pseudonyms are keyed
hashes (tafel.core.crypto.keyed_hash) of the record ids, so two exports of the same case give the same pseudonym
(a researcher can link waves) while nobody without the house's key can turn a pseudonym back into a case or
person.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.utils import timezone

from tafel.access.policy import may_export_research
from tafel.cases.models import Case, CasePerson, Triage
from tafel.core import crypto, spreadsheet
from tafel.core.audit import audit
from tafel.core.audit_events import CoreEvent
from tafel.core.errors import AccessDenied, ValidationFailed
from tafel.core.models import AuditPurpose
from tafel.reports import anonymity
from tafel.reports.models import ResearchExport

COLUMNS = [
    "casus_pseudoniem",
    "persoon_pseudoniem",
    "rol",
    "leeftijdsgroep",
    "regio",
    "begin",
    "einde",
    "thema",
    "instroomroute",
    "status",
    "fase",
    "triage_uitkomst",
    "aantal_besprekingen",
    "aantal_acties",
]

# A pseudonym is shortened for readability; 16 hex digits (64 bits) keep collisions out of reach for the
# size of a house's case load.
PSEUDONYM_LENGTH = 16


def case_pseudonym(case_id: int) -> str:
    return crypto.keyed_hash(f"research:{case_id}")[:PSEUDONYM_LENGTH]


def person_pseudonym(person_id: int) -> str:
    return crypto.keyed_hash(f"research:person:{person_id}")[:PSEUDONYM_LENGTH]


@dataclass
class ResearchExportInput:
    researcher_name: str = ""
    researcher_organisation: str = ""
    approval_reference: str = ""
    purpose: str = ""
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None

    def validate(self) -> None:
        errors: dict[str, list[str]] = {}
        for name, label in (
            ("researcher_name", "de naam van de onderzoeker"),
            ("researcher_organisation", "de organisatie van de onderzoeker"),
            ("approval_reference", "het kenmerk van de goedkeuring"),
            ("purpose", "het doel van het onderzoek"),
        ):
            if not (getattr(self, name) or "").strip():
                errors[name] = [f"Vul {label} in."]
        if self.period_start is None:
            errors["period_start"] = ["Vul een begindatum in."]
        if self.period_end is None:
            errors["period_end"] = ["Vul een einddatum in."]
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = ["De einddatum ligt voor de begindatum."]
        if errors:
            raise ValidationFailed("De export is niet gemaakt: controleer de velden.", field_errors=errors)


def _cases(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    latest_triage = Triage.objects.filter(case=OuterRef("pk")).order_by("-decided_at", "-id").values("outcome")[:1]
    from tafel.meetings.models import Action, AgendaItem

    meetings = (
        AgendaItem.objects.filter(case=OuterRef("pk"), deferred=False)
        .order_by()
        .values("case")
        .annotate(n=Count("id"))
        .values("n")
    )
    actions = Action.objects.filter(case=OuterRef("pk")).order_by().values("case").annotate(n=Count("id")).values("n")
    return (
        Case.objects.filter(created_at__gte=since, created_at__lt=until)
        .select_related("municipality")
        .annotate(
            triage_outcome=Subquery(latest_triage),
            meeting_count=Subquery(meetings),
            action_count=Subquery(actions),
        )
        .prefetch_related(
            Prefetch(
                "case_persons",
                queryset=CasePerson.objects.select_related("person").only(
                    "id", "case_id", "role", "person_id", "person__date_of_birth"
                ),
            )
        )
        .order_by("created_at", "id")
    )


def _local_date(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(value).date() if value else None


def _subjects(cases) -> list[tuple[anonymity.Subject, object, object]]:
    """(quasi-identifiers, case, case person) for every person in every case."""
    out = []
    for case in cases:
        start = _local_date(case.created_at)
        for cp in sorted(case.case_persons.all(), key=lambda cp: cp.person_id):
            subject = anonymity.Subject(
                person_id=cp.person_id,
                age=anonymity.age_on(cp.person.date_of_birth, start),
                municipality=case.municipality.name if case.municipality_id else "",
                start=start,
                end=_local_date(case.closed_at),
            )
            out.append((subject, case, cp))
    return out


def _row(case, cp, qi: anonymity.Generalised) -> list[str]:
    return [
        case_pseudonym(case.pk),
        person_pseudonym(cp.person_id),
        cp.role,
        qi.age_band,
        qi.region,
        qi.start,
        qi.end,
        case.theme,
        case.entry_route,
        case.status,
        case.phase,
        case.triage_outcome or "",
        str(case.meeting_count or 0),
        str(case.action_count or 0),
    ]


def research_export_create(*, actor, data: ResearchExportInput) -> tuple[ResearchExport, str]:
    """Make the CSV, keep the record of the export and audit it in one transaction. Returns the record and
    the CSV text (not stored: the researcher receives it, the house keeps the record)."""
    if not may_export_research(actor):
        raise AccessDenied("Alleen de ketenmanager of de beheerder maakt een onderzoeksexport.")
    data.validate()
    k = settings.TAFEL_RESEARCH_K
    with transaction.atomic():
        subjects = _subjects(_cases(data.period_start, data.period_end))
        result = anonymity.anonymise([s for s, _, _ in subjects], k)
        table = [_row(subjects[i][1], subjects[i][2], qi) for i, qi in result.rows]
        rows = len(table)
        record = ResearchExport.objects.create(
            requested_by=actor,
            created_at=timezone.now(),
            researcher_name=data.researcher_name.strip(),
            researcher_organisation=data.researcher_organisation.strip(),
            approval_reference=data.approval_reference.strip(),
            purpose=data.purpose.strip(),
            period_start=data.period_start,
            period_end=data.period_end,
            row_count=rows,
            k_required=k,
            k_achieved=result.k_achieved,
            suppressed_count=result.suppressed,
            generalisation=result.level_description,
        )
        # No event type of its own: a case-level read of many cases, recorded as a case list with the reason.
        audit(
            actor=actor,
            event=CoreEvent.CASE_LIST,
            reason="research_export",
            purpose=AuditPurpose.ONDERZOEK,
            # The researcher's name and the approval reference stay on the ResearchExport record.
            details={
                "research_export_id": record.pk,
                "period": [data.period_start.isoformat(), data.period_end.isoformat()],
                "rows": rows,
                "k": k,
                "k_achieved": result.k_achieved,
                "suppressed": result.suppressed,
            },
        )
    return record, spreadsheet.csv_text(COLUMNS, table)


def research_export_list(*, viewer):
    if not may_export_research(viewer):
        raise AccessDenied("Alleen de ketenmanager of de beheerder ziet de onderzoeksexports.")
    return ResearchExport.objects.select_related("requested_by")[:200]
