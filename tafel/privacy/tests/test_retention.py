"""Retention (issue 4 §6): drive time past the retention period; the case and its persons go, a
pseudonymised statistic and a destruction record stay, and counting still works."""

from __future__ import annotations

import datetime
from io import StringIO

import time_machine
from django.core.management import call_command
from django.utils import timezone

from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import Case, CasePerson, CaseStatus
from tafel.core.models import AuditEvent
from tafel.persons.models import Person
from tafel.privacy.audit_events import PrivacyEvent
from tafel.privacy.models import DestructionRecord, RetainedCaseStat
from tafel.privacy.selectors import closed_case_count
from tafel.privacy.services.retention import retention_run
from tafel.testing import make_case


def _close(case, when):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.AFGESLOTEN, closed_at=when)
    case.refresh_from_db()
    return case


def test_a_case_past_its_retention_is_destroyed_and_still_counted(
    professional, municipality, procesregisseur, settings
):
    settings.TAFEL_RETENTION_MONTHS = 12
    closed_on = timezone.make_aware(datetime.datetime(2026, 1, 10, 12, 0))
    case = _close(make_case(professional, municipality), closed_on)
    person_id = CasePerson.objects.get(case=case).person_id
    case_id, reference = case.pk, case.reference
    assert closed_case_count(year=2026) == 1

    # Eleven months later nothing is due.
    with time_machine.travel(closed_on + datetime.timedelta(days=330), tick=False):
        assert retention_run(dry_run=True).candidates == []
        assert retention_run().record is None
    assert Case.objects.filter(pk=case_id).exists()

    with time_machine.travel(closed_on + datetime.timedelta(days=370), tick=False):
        report = retention_run(dry_run=True)
        assert [c.case.pk for c in report.candidates] == [case_id]
        assert Case.objects.filter(pk=case_id).exists(), "the dry run deletes nothing"
        result = retention_run()

    assert not Case.objects.filter(pk=case_id).exists()
    assert not Person.objects.filter(pk=person_id).exists()
    record = DestructionRecord.objects.get()
    assert record.cases_destroyed == 1 and record.persons_deleted == 1 and record.items_deleted > 0
    # The record holds no personal data and no readable reference: only the keyed hash.
    assert reference not in str(record.case_references_hashed)
    stat = RetainedCaseStat.objects.get()
    assert stat.closed_year == 2026 and stat.closed_quarter == 1 and stat.person_count == 1
    assert stat.theme == "huiselijk_geweld" and stat.municipality_id == municipality.pk
    assert stat.case_pseudonym == record.case_references_hashed[0]
    # Reports keep counting the case.
    assert closed_case_count(year=2026) == 1
    assert closed_case_count(year=2026, municipality_id=municipality.pk) == 1
    # The audit trail stays (ids only) and the destruction itself is in it.
    assert AuditEvent.objects.filter(case_id=case_id, event_type=CaseEvent.CASE_CREATE).exists()
    assert AuditEvent.objects.filter(case_id=case_id, event_type=PrivacyEvent.RETENTION_DESTROY).exists()
    assert result.record == record
    # Idempotent: a second run finds nothing.
    assert retention_run(as_of=closed_on + datetime.timedelta(days=800)).record is None
    assert DestructionRecord.objects.count() == 1


def test_a_person_in_another_case_is_kept(professional, municipality, procesregisseur, settings):
    settings.TAFEL_RETENTION_MONTHS = 1
    old = _close(make_case(professional, municipality), timezone.now() - datetime.timedelta(days=90))
    person = CasePerson.objects.get(case=old).person
    other = make_case(professional, municipality)
    CasePerson.objects.create(case=other, person=person, role="betrokkene", added_at=timezone.now())
    retention_run()
    assert not Case.objects.filter(pk=old.pk).exists()
    assert Person.objects.filter(pk=person.pk).exists()


def test_the_command_reports_in_a_dry_run_and_destroys_otherwise(professional, municipality, procesregisseur):
    case = _close(make_case(professional, municipality), timezone.make_aware(datetime.datetime(2020, 1, 1)))
    out = StringIO()
    call_command("retention", "--dry-run", "--now", "2026-01-01", stdout=out)
    assert case.reference in out.getvalue() and Case.objects.filter(pk=case.pk).exists()
    out = StringIO()
    call_command("retention", "--now", "2026-01-01", stdout=out)
    assert "1 casus(sen) vernietigd" in out.getvalue()
    assert not Case.objects.filter(pk=case.pk).exists()


def test_a_reglement_sets_the_period(professional, municipality, procesregisseur, settings):
    from tafel.meetings.tests.factories import plan_meeting, triaged
    from tafel.privacy.models import Reglement

    settings.TAFEL_RETENTION_MONTHS = 60
    case = triaged(make_case(professional, municipality), procesregisseur)
    meeting = plan_meeting(procesregisseur, cases=[case])
    Reglement.objects.create(overleg_type=meeting.overleg_type, purpose="Casusoverleg", retention_months=6)
    _close(case, timezone.now() - datetime.timedelta(days=200))
    cands = retention_run(dry_run=True).candidates
    assert [c.case.pk for c in cands] == [case.pk] and cands[0].retention_months == 6
    retention_run()
    assert not Case.objects.filter(pk=case.pk).exists()
