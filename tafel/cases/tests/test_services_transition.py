"""The one transition function: the table decides, every change records who/when/why and is audited."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import Case, CaseStatus, CaseStatusChange
from tafel.cases.services import ALLOWED_TRANSITIONS, CLOSED_STATUSES, case_transition
from tafel.core.errors import ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from tafel.core.models import AuditEvent

ALL_STATUSES = list(CaseStatus.values)
ALLOWED_PAIRS = sorted((src, dst) for src, targets in ALLOWED_TRANSITIONS.items() for dst in targets)
REFUSED_PAIRS = sorted(
    (src, dst)
    for src, dst in itertools.product(ALL_STATUSES, repeat=2)
    if dst not in ALLOWED_TRANSITIONS.get(src, frozenset())
)


def _put_in_status(case: Case, status: str) -> Case:
    """Arrange a case in a given status (test set-up only; production goes through case_transition)."""
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    return case


def test_table_covers_every_status():
    assert set(ALLOWED_TRANSITIONS) == set(ALL_STATUSES)
    assert len(ALLOWED_PAIRS) + len(REFUSED_PAIRS) == len(ALL_STATUSES) ** 2


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED_PAIRS)
def test_allowed_transition_changes_status_and_records_who_when_why(case, procesregisseur, from_status, to_status):
    case = _put_in_status(case, from_status)
    version_before = case.version
    before = timezone.now()

    change = case_transition(actor=procesregisseur, case=case, to_status=to_status, reason="  Besproken in overleg. ")

    case.refresh_from_db()
    assert case.status == to_status
    assert case.version == version_before + 1
    assert case.status_changed_at >= before
    assert change.pk is not None
    assert (change.from_status, change.to_status) == (from_status, to_status)
    assert change.actor == procesregisseur
    assert change.at >= before
    assert change.reason == "Besproken in overleg."
    event = AuditEvent.objects.filter(event_type=CaseEvent.CASE_TRANSITION, case_id=case.pk).get()
    assert event.actor == procesregisseur
    assert event.organisation_id == procesregisseur.organisation_id
    # The why stays in the status history; the audit log has the ids (issue 10 finding 8).
    assert event.details == {"from": from_status, "to": to_status, "change": change.pk}
    assert event.reason == ""


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED_PAIRS)
def test_transition_not_in_table_is_refused_in_dutch_and_changes_nothing(case, procesregisseur, from_status, to_status):
    case = _put_in_status(case, from_status)
    version_before = case.version
    changes_before = CaseStatusChange.objects.count()
    events_before = AuditEvent.objects.count()

    with pytest.raises(TransitionNotAllowed) as exc:
        case_transition(actor=procesregisseur, case=case, to_status=to_status, reason="Poging.")

    assert "kan niet naar" in exc.value.message
    assert CaseStatus(from_status).label in exc.value.message
    assert CaseStatus(to_status).label in exc.value.message
    case.refresh_from_db()
    assert case.status == from_status
    assert case.version == version_before
    assert CaseStatusChange.objects.count() == changes_before
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_transition_without_reason_is_refused(case, procesregisseur, reason):
    with pytest.raises(ValidationFailed) as exc:
        case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.ACTIEF, reason=reason)

    assert "reason" in exc.value.field_errors
    case.refresh_from_db()
    assert case.status == CaseStatus.AANGEMELD
    assert not CaseStatusChange.objects.filter(case=case, to_status=CaseStatus.ACTIEF).exists()


def test_transition_to_unknown_status_is_refused(case, procesregisseur):
    with pytest.raises(ValidationFailed) as exc:
        case_transition(actor=procesregisseur, case=case, to_status="verdwenen", reason="Test.")

    assert "to_status" in exc.value.field_errors


def test_transition_with_stale_expected_version_raises_concurrent_edit_and_changes_nothing(case, procesregisseur):
    stale = case.version
    case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.VERRIJKEN, reason="Info ontbreekt.")
    case.refresh_from_db()
    changes_before = CaseStatusChange.objects.count()

    with pytest.raises(ConcurrentEdit) as exc:
        case_transition(
            actor=procesregisseur, case=case, to_status=CaseStatus.AANGEMELD, reason="Terug.", expected_version=stale
        )

    assert "opnieuw" in exc.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.VERRIJKEN
    assert CaseStatusChange.objects.count() == changes_before


def test_transition_on_outdated_case_object_raises_concurrent_edit(case, procesregisseur):
    other_copy = Case.objects.get(pk=case.pk)
    case_transition(actor=procesregisseur, case=other_copy, to_status=CaseStatus.VERRIJKEN, reason="Info.")
    changes_before = CaseStatusChange.objects.count()

    with pytest.raises(ConcurrentEdit):
        case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.ACTIEF, reason="Aanpak.")

    case.refresh_from_db()
    assert case.status == CaseStatus.VERRIJKEN
    assert CaseStatusChange.objects.count() == changes_before


def test_transition_with_current_expected_version_succeeds(case, procesregisseur):
    case_transition(
        actor=procesregisseur,
        case=case,
        to_status=CaseStatus.ACTIEF,
        reason="Aanpak start.",
        expected_version=case.version,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF


@pytest.mark.parametrize("closed", sorted(CLOSED_STATUSES))
def test_closing_transition_sets_closed_at(case, procesregisseur, closed):
    source = next(src for src, targets in ALLOWED_TRANSITIONS.items() if closed in targets)
    case = _put_in_status(case, source)

    case_transition(actor=procesregisseur, case=case, to_status=closed, reason="Afgerond.")

    assert case.closed_at is not None
    case.refresh_from_db()
    assert case.closed_at is not None
    assert case.closed_at == case.status_changed_at


def test_reopening_clears_closed_at_and_keeps_history(case, procesregisseur):
    case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.ACTIEF, reason="Aanpak.")
    case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.AFGESLOTEN, reason="Doelen bereikt.")
    case.refresh_from_db()
    assert case.closed_at is not None

    case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.ACTIEF, reason="Nieuwe zorgen.")

    case.refresh_from_db()
    assert case.closed_at is None
    assert list(CaseStatusChange.objects.filter(case=case).values_list("to_status", flat=True)) == [
        CaseStatus.AANGEMELD,
        CaseStatus.ACTIEF,
        CaseStatus.AFGESLOTEN,
        CaseStatus.ACTIEF,
    ]


def test_follow_up_is_not_closed(case, procesregisseur):
    case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.ACTIEF, reason="Aanpak.")
    case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.VOLGEN, reason="Stabiel.")

    case.refresh_from_db()
    assert case.status == CaseStatus.VOLGEN
    assert case.closed_at is None
