"""Retention (SPEC §6, issue 4 §6): cases closed longer ago than their reglement's retention period are
destroyed. Personal data goes; a pseudonymised statistics row stays so the monitor keeps counting the case;
a destruction record without personal data proves it happened. The audit log stays (ids only).

Run by `manage.py retention` (periodically); `--dry-run` produces the report the FG checks first. A second
run finds nothing left to do (idempotent)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from tafel.cases.models import Aanmelding, Case, CasePerson
from tafel.core import crypto
from tafel.core.audit import audit
from tafel.persons.models import Person
from tafel.privacy.audit_events import PrivacyEvent
from tafel.privacy.models import CaseAttachment, DestructionRecord, Reglement, RetainedCaseStat


@dataclass(frozen=True)
class RetentionPart:
    """What an app above privacy adds to destroying a case (the reports app registers one in its
    AppConfig.ready(), so privacy need not import it): `kept(case_id)` gives fields of the pseudonymised
    statistics row that stays (e.g. the re-entry history), `dependants(case_id)` the rows that go with the case
    although the database does not delete them with it (e.g. the case-review answers). Both are read while the
    case still exists."""

    kept: Callable[[int], dict] | None = None
    dependants: Callable[[int], Iterable] | None = None


_parts: list[RetentionPart] = []


def register_retention_part(part: RetentionPart) -> None:
    if part not in _parts:
        _parts.append(part)


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    # Clamp the day: 31 January + 1 month is the last day of February.
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError("unreachable")


def case_pseudonym(case: Case) -> str:
    """A keyed hash: stable for the same case, not reversible without the house's key."""
    return crypto.keyed_hash(f"case:{case.pk}:{case.reference}")


def _quarter(moment: datetime.datetime) -> int:
    return (moment.month - 1) // 3 + 1


@dataclass
class Candidate:
    case: Case
    retention_months: int
    due_at: datetime.datetime
    reglement: str
    person_count: int
    persons_to_delete: int


def _retention_months_by_case(cases: list[Case]) -> dict[int, tuple[int, str]]:
    """The retention period per case: the longest of the reglementen of the overleg types it was discussed
    in (the strictest keeping duty wins), or TAFEL_RETENTION_MONTHS without one."""
    rows = Reglement.objects.filter(overleg_type__meeting__agenda_items__case__in=cases).values_list(
        "overleg_type__meeting__agenda_items__case_id", "retention_months", "overleg_type__name"
    )
    result: dict[int, tuple[int, str]] = {}
    for case_id, months, name in rows:
        if case_id not in result or months > result[case_id][0]:
            result[case_id] = (months, name)
    return result


def retention_candidates(*, as_of: datetime.datetime) -> list[Candidate]:
    # No closed case can be due before the shortest possible period; fetch closed cases, then decide each.
    closed = list(Case.objects.filter(closed_at__isnull=False, closed_at__lt=as_of).order_by("closed_at", "id"))
    months_by_case = _retention_months_by_case(closed)
    default = settings.TAFEL_RETENTION_MONTHS
    due = []
    for case in closed:
        months, reglement = months_by_case.get(case.pk, (default, ""))
        due_at = add_months(case.closed_at, months)
        if due_at <= as_of:
            due.append((case, months, due_at, reglement))
    if not due:
        return []
    ids = [c.pk for c, *_ in due]
    links = list(CasePerson.objects.filter(case_id__in=ids).values_list("case_id", "person_id"))
    person_ids = {pid for _, pid in links}
    elsewhere = set(
        CasePerson.objects.filter(person_id__in=person_ids).exclude(case_id__in=ids).values_list("person_id", flat=True)
    )
    result = []
    for case, months, due_at, reglement in due:
        mine = {pid for cid, pid in links if cid == case.pk}
        result.append(
            Candidate(
                case=case,
                retention_months=months,
                due_at=due_at,
                reglement=reglement,
                person_count=len(mine),
                persons_to_delete=len(mine - elsewhere),
            )
        )
    return result


def _delete_with_dependants(obj, depth: int = 0) -> int:
    """Delete `obj`, first deleting whatever protects it (plans, agenda items, actions, discussions and the
    content other apps add later). Returns the number of rows deleted."""
    if depth > 8:
        raise RuntimeError("retention: protected relations nest too deep")
    total = 0
    for _ in range(20):
        try:
            n, _ = obj.delete()
            return total + n
        except ProtectedError as exc:
            for protected in list(exc.protected_objects):
                if protected.pk is not None and type(protected)._default_manager.filter(pk=protected.pk).exists():
                    total += _delete_with_dependants(protected, depth + 1)
    raise RuntimeError(f"retention: could not delete {obj!r}")


def _destroy_case(case: Case, *, now, run: DestructionRecord) -> tuple[int, int]:
    person_ids = list(CasePerson.objects.filter(case=case).values_list("person_id", flat=True))
    person_ids += list(
        Aanmelding.objects.filter(case=case)
        .values_list("persons__person_id", flat=True)
        .exclude(persons__person_id=None)
    )
    kept: dict = {}
    for part in _parts:
        if part.kept:
            kept.update(part.kept(case.pk))
    RetainedCaseStat.objects.create(
        case_pseudonym=case_pseudonym(case),
        municipality_id=case.municipality_id,
        theme=case.theme,
        route=case.entry_route,
        status_at_closure=case.status,
        created_year=case.created_at.year,
        created_quarter=_quarter(case.created_at),
        closed_year=case.closed_at.year,
        closed_quarter=_quarter(case.closed_at),
        person_count=len(set(CasePerson.objects.filter(case=case).values_list("person_id", flat=True))),
        destroyed_at=now,
        run=run,
        **kept,
    )
    for attachment in CaseAttachment.objects.filter(case=case):
        attachment.file.delete(save=False)
    case_id = case.pk
    # Rows that go with the case without a database cascade (the case-review answers, open text about this
    # case): collected before the case is deleted, which unlinks them (their case link is SET_NULL).
    dependants = [obj for part in _parts if part.dependants for obj in part.dependants(case_id)]
    items = _delete_with_dependants(case)
    for obj in dependants:
        items += _delete_with_dependants(obj)
    persons = 0
    for person in Person.objects.filter(pk__in=set(person_ids)):
        if person.case_links.exists():
            continue
        try:
            n = _delete_with_dependants(person)
        except RuntimeError:
            continue
        persons += 1
        items += n - 1
    audit(actor=None, event=PrivacyEvent.RETENTION_DESTROY, case_id=case_id, details={"run": run.run_id})
    return items, persons


@dataclass
class RetentionResult:
    candidates: list[Candidate]
    record: DestructionRecord | None


def retention_run(*, as_of: datetime.datetime | None = None, dry_run: bool = False, actor=None) -> RetentionResult:
    as_of = as_of or timezone.now()
    candidates = retention_candidates(as_of=as_of)
    if dry_run:
        audit(
            actor=actor,
            event=PrivacyEvent.RETENTION_REPORT,
            details={"as_of": as_of.isoformat(), "cases": len(candidates)},
        )
        return RetentionResult(candidates=candidates, record=None)
    if not candidates:
        return RetentionResult(candidates=[], record=None)
    now = timezone.now()
    with transaction.atomic():
        record = DestructionRecord.objects.create(
            run_at=now,
            run_id=uuid.uuid4().hex,
            as_of=as_of,
            actor_label=getattr(actor, "username", "") or "systeem",
        )
        items = persons = 0
        hashed = []
        for cand in candidates:
            hashed.append(case_pseudonym(cand.case))
            n_items, n_persons = _destroy_case(cand.case, now=now, run=record)
            items += n_items
            persons += n_persons
        record.cases_destroyed = len(candidates)
        record.persons_deleted = persons
        record.items_deleted = items
        record.case_references_hashed = hashed
        record.save(update_fields=["cases_destroyed", "persons_deleted", "items_deleted", "case_references_hashed"])
    return RetentionResult(candidates=candidates, record=record)
