"""Every read and write of personal data leaves an audit event (SPEC §6; STYLE.md Audit)."""

from __future__ import annotations

import datetime

import pytest

from tafel.cases import selectors as case_selectors
from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import Case, CaseStatus
from tafel.cases.screening import person_match
from tafel.cases.services import (
    PersonInput,
    aanmelding_create,
    aanmelding_supply_info,
    case_add_note,
    case_add_organisation,
    case_transition,
    triage_decide,
)
from tafel.cases.tests.test_services_triage import triage_input
from tafel.core.audit import audit, set_channel
from tafel.core.audit_events import CoreEvent
from tafel.core.errors import NotFound, ValidationFailed
from tafel.core.models import AppendOnly, AuditEvent
from tafel.persons.audit_events import PersonEvent
from tafel.persons.matching import NameParts
from tafel.persons.services import PersonData, person_create
from tafel.testing import aanmelding_input, make_case, screen


def _only_new(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id")[before:])


def _assert_event(event: AuditEvent, *, actor, event_type, case_id=None, person_id=None):
    assert event.event_type == event_type
    assert event.actor == actor
    assert event.actor_label.endswith(f"({actor.username})")
    assert event.organisation_id == actor.organisation_id
    assert event.at is not None
    if case_id is not None:
        assert event.case_id == case_id
    if person_id is not None:
        assert event.person_id == person_id


# --- reads --------------------------------------------------------------------------------------------


def test_case_detail_is_audited_as_case_view(case, professional):
    before = AuditEvent.objects.count()

    detail = case_selectors.case_detail(viewer=professional, case_id=case.pk)

    assert detail.case == case
    [event] = _only_new(before)
    _assert_event(event, actor=professional, event_type=CaseEvent.CASE_VIEW, case_id=case.pk)


def test_case_list_audits_every_case_shown(case, procesregisseur, outsider, municipality):
    other = aanmelding_create(actor=outsider, data=aanmelding_input(municipality)).case
    before = AuditEvent.objects.count()

    page = list(case_selectors.case_list(viewer=procesregisseur))
    case_selectors.audit_case_list(viewer=procesregisseur, cases=page)

    events = _only_new(before)
    assert {e.case_id for e in events} == {case.pk, other.pk}
    for event in events:
        _assert_event(event, actor=procesregisseur, event_type=CoreEvent.CASE_LIST)


def test_a_list_writes_its_rows_in_one_insert_with_every_field_of_a_single_event(
    case, procesregisseur, professional, municipality, django_assert_num_queries
):
    from tafel.core.audit import audit_many, reset_request_context, set_request_context

    other = make_case(professional, municipality)
    token = set_request_context(request_id="ab" * 16, origin="192.0.2.7")
    try:
        single = audit(actor=procesregisseur, event=CoreEvent.CASE_LIST, case_id=case.pk, reason="list.test")
        before = AuditEvent.objects.count()
        # The list's rows are prepared once and inserted together (issue 14 item 3): one statement.
        with django_assert_num_queries(1):
            audit_many(
                actor=procesregisseur, event=CoreEvent.CASE_LIST, case_ids=[case.pk, other.pk], reason="list.test"
            )
    finally:
        reset_request_context(token)

    events = _only_new(before)
    assert [e.case_id for e in events] == [case.pk, other.pk]
    single.refresh_from_db()
    fields = ("actor_id", "actor_label", "organisation_id", "event_type", "person_id", "reason", "details")
    fields += ("channel", "outcome", "roles", "purpose", "origin", "request_id", "seq", "hash")
    for event in events:
        _assert_event(event, actor=procesregisseur, event_type=CoreEvent.CASE_LIST)
        assert {f: getattr(event, f) for f in fields} == {f: getattr(single, f) for f in fields} | {"seq": None}
        assert event.details == {} and event.request_id == "ab" * 16 and event.origin == "192.0.2.7"


def test_empty_case_list_writes_nothing(analyst):
    before = AuditEvent.objects.count()
    case_selectors.audit_case_list(viewer=analyst, cases=list(case_selectors.case_list(viewer=analyst)))
    assert AuditEvent.objects.count() == before


def test_case_list_query_count_does_not_grow_with_cases(
    procesregisseur, professional, municipality, django_assert_max_num_queries
):
    for _ in range(6):
        make_case(professional, municipality)

    with django_assert_max_num_queries(4):
        page = list(case_selectors.case_list(viewer=procesregisseur))
        case_selectors.audit_case_list(viewer=procesregisseur, cases=page)
        [(c.municipality.name, c.procesregisseur) for c in page]

    assert len(page) == 6


def test_person_match_audits_each_candidate(case, outsider):
    person = case.case_persons.get().person
    before = AuditEvent.objects.count()

    person_match(
        viewer=outsider,
        query=NameParts(first_names=person.first_names, last_name=person.last_name, date_of_birth=person.date_of_birth),
    )

    events = _only_new(before)
    match = next(e for e in events if e.event_type == PersonEvent.PERSON_MATCH and e.person_id)
    _assert_event(match, actor=outsider, event_type=PersonEvent.PERSON_MATCH, person_id=person.pk)
    signal = next(e for e in events if e.event_type == PersonEvent.PERSON_KNOWN_SIGNAL)
    _assert_event(signal, actor=outsider, event_type=PersonEvent.PERSON_KNOWN_SIGNAL, case_id=case.pk)


def test_aanmelding_detail_is_audited(case, professional):
    aanmelding = case.aanmeldingen.get()
    before = AuditEvent.objects.count()

    case_selectors.aanmelding_detail(viewer=professional, aanmelding_id=aanmelding.pk)

    [event] = _only_new(before)
    _assert_event(event, actor=professional, event_type=CaseEvent.AANMELDING_VIEW, case_id=case.pk)
    assert event.details == {"aanmelding": aanmelding.pk}


def test_triage_context_is_audited(case, procesregisseur):
    before = AuditEvent.objects.count()
    case_selectors.triage_context(viewer=procesregisseur, case_id=case.pk)
    [event] = _only_new(before)
    _assert_event(event, actor=procesregisseur, event_type=CaseEvent.TRIAGE_VIEW, case_id=case.pk)


def test_refused_read_is_audited_as_access_denied(case, outsider):
    before = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        case_selectors.case_detail(viewer=outsider, case_id=case.pk)
    [event] = _only_new(before)
    _assert_event(event, actor=outsider, event_type=CoreEvent.ACCESS_DENIED, case_id=case.pk)


# --- writes -------------------------------------------------------------------------------------------


def test_aanmelding_create_audits_person_case_and_aanmelding(professional, municipality):
    before = AuditEvent.objects.count()

    result = aanmelding_create(actor=professional, data=aanmelding_input(municipality))

    events = {e.event_type: e for e in _only_new(before)}
    person = result.case.case_persons.get().person
    _assert_event(
        events[PersonEvent.PERSON_CREATE],
        actor=professional,
        event_type=PersonEvent.PERSON_CREATE,
        person_id=person.pk,
    )
    _assert_event(
        events[CaseEvent.CASE_CREATE],
        actor=professional,
        event_type=CaseEvent.CASE_CREATE,
        case_id=result.case.pk,
    )
    create = events[CaseEvent.AANMELDING_CREATE]
    _assert_event(create, actor=professional, event_type=CaseEvent.AANMELDING_CREATE, case_id=result.case.pk)
    assert create.details == {"aanmelding": result.aanmelding.pk, "persons": [person.pk]}


def test_joining_aanmelding_is_audited(case, outsider, municipality):
    person = case.case_persons.get().person
    screen(outsider, person)
    before = AuditEvent.objects.count()

    aanmelding_create(
        actor=outsider,
        data=aanmelding_input(municipality, persons=[PersonInput(existing_person_id=person.pk, role="pleger")]),
    )

    types = [e.event_type for e in _only_new(before)]
    assert CaseEvent.AANMELDING_JOINED in types
    assert CaseEvent.AANMELDING_CREATE in types
    assert CaseEvent.CASE_CREATE not in types
    assert PersonEvent.PERSON_CREATE not in types


def test_transition_is_audited(case, procesregisseur):
    before = AuditEvent.objects.count()
    case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.VERRIJKEN, reason="Info mist.")
    [event] = _only_new(before)
    _assert_event(event, actor=procesregisseur, event_type=CaseEvent.CASE_TRANSITION, case_id=case.pk)
    # The reason is in the status history, not in the audit log (issue 10 finding 8).
    assert event.reason == ""
    assert event.details["to"] == CaseStatus.VERRIJKEN
    assert case.status_changes.get(pk=event.details["change"]).reason == "Info mist."


def test_triage_is_audited(case, procesregisseur):
    before = AuditEvent.objects.count()
    triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com"))
    types = [e.event_type for e in _only_new(before)]
    assert types.count(CaseEvent.TRIAGE_DECIDE) == 1
    assert types.count(CaseEvent.CASE_TRANSITION) == 1
    assert all(e.case_id == case.pk and e.actor == procesregisseur for e in _only_new(before))


def test_supplying_info_is_audited(case, procesregisseur, professional):
    triage_decide(actor=procesregisseur, case=case, data=triage_input("verrijken", e_met=False, missing_info="?"))
    before = AuditEvent.objects.count()

    aanmelding_supply_info(actor=professional, aanmelding=case.aanmeldingen.get(), text="Aanvulling.")

    events = _only_new(before)
    assert {e.event_type for e in events} == {CaseEvent.AANMELDING_INFO_ADDED, CaseEvent.CASE_TRANSITION}
    assert all(e.case_id == case.pk and e.actor == professional for e in events)


def test_adding_organisation_is_audited_once(case, procesregisseur, ggz):
    before = AuditEvent.objects.count()
    assert case_add_organisation(actor=procesregisseur, case=case, organisation=ggz, reason="Behandelaar")
    assert not case_add_organisation(actor=procesregisseur, case=case, organisation=ggz, reason="Nogmaals")
    [event] = _only_new(before)
    _assert_event(event, actor=procesregisseur, event_type=CaseEvent.CASE_PARTICIPANT_ADD, case_id=case.pk)
    assert event.details == {"organisation": ggz.pk, "kind": "partner"}


def test_adding_inactive_organisation_is_refused(case, procesregisseur, ggz):
    ggz.active = False
    ggz.save(update_fields=["active"])
    with pytest.raises(ValidationFailed):
        case_add_organisation(actor=procesregisseur, case=case, organisation=ggz, reason="Behandelaar")


def test_adding_note_is_audited(case, professional):
    before = AuditEvent.objects.count()
    note = case_add_note(actor=professional, case=case, text="Gesprek met moeder gehad.")
    [event] = _only_new(before)
    _assert_event(event, actor=professional, event_type=CaseEvent.CASE_NOTE_ADD, case_id=case.pk)
    assert event.details == {"note": note.pk}


def test_outsider_cannot_add_note_to_case_it_does_not_take_part_in(case, outsider):
    with pytest.raises(NotFound):
        case_add_note(actor=outsider, case=case, text="Ik weet ook iets.")
    assert not case.notes.exists()


def test_note_with_unknown_category_is_refused(case, professional):
    with pytest.raises(ValidationFailed) as exc:
        case_add_note(actor=professional, case=case, text="Tekst.", category="geheim")
    assert "category" in exc.value.field_errors


def test_person_create_is_audited(professional):
    before = AuditEvent.objects.count()
    person = person_create(
        actor=professional,
        data=PersonData(first_names="Eva", last_name="Smit", date_of_birth=datetime.date(1990, 1, 1)),
    )
    [event] = _only_new(before)
    _assert_event(event, actor=professional, event_type=PersonEvent.PERSON_CREATE, person_id=person.pk)


def test_failed_write_leaves_no_audit_event(case, professional):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed):
        case_transition(actor=professional, case=case, to_status=CaseStatus.ACTIEF, reason="")
    assert AuditEvent.objects.count() == before


# --- the log itself -----------------------------------------------------------------------------------


def test_audit_event_cannot_be_rewritten(case, professional):
    event = AuditEvent.objects.filter(case_id=case.pk).first()
    event.reason = "weggepoetst"

    with pytest.raises(RuntimeError, match="append-only"):
        event.save()

    event.refresh_from_db()
    assert event.reason != "weggepoetst"


def test_audit_events_cannot_be_bulk_updated(case, professional):
    events = AuditEvent.objects.filter(case_id=case.pk)
    reasons = list(events.values_list("reason", flat=True))

    with pytest.raises(AppendOnly, match="append-only"):
        events.update(reason="weggepoetst")
    with pytest.raises(AppendOnly, match="append-only"):
        AuditEvent.objects.update(reason="weggepoetst")
    rows = list(events)
    for row in rows:
        row.reason = "weggepoetst"
    with pytest.raises(AppendOnly, match="append-only"):
        AuditEvent.objects.bulk_update(rows, ["reason"])

    assert list(events.values_list("reason", flat=True)) == reasons


def test_audit_events_cannot_be_deleted_in_bulk_or_one_by_one(case, professional):
    count = AuditEvent.objects.count()
    assert count > 0

    with pytest.raises(AppendOnly, match="append-only"):
        AuditEvent.objects.filter(case_id=case.pk).delete()
    with pytest.raises(AppendOnly, match="append-only"):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnly, match="append-only"):
        AuditEvent.objects.first().delete()

    assert AuditEvent.objects.count() == count


def test_deleting_a_user_keeps_their_audit_events_as_written(db):
    # The actor is a reference without a database constraint: deleting the user changes nothing in the row
    # (so its hash still holds); the label keeps the name.
    from tafel.organisations.models import User

    user = User.objects.create(username="vertrokken", first_name="Ver", last_name="Trokken")
    event = audit(actor=user, event=CoreEvent.LOGIN)
    user_id = user.pk

    user.delete()

    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_id == user_id
    assert event.actor_label == "Ver Trokken (vertrokken)"


def test_audit_survives_deleting_the_case(case, procesregisseur):
    case_selectors.case_detail(viewer=procesregisseur, case_id=case.pk)
    case_id = case.pk
    count = AuditEvent.objects.filter(case_id=case_id).count()
    assert count >= 2

    Case.objects.filter(pk=case_id).delete()

    assert not Case.objects.filter(pk=case_id).exists()
    assert AuditEvent.objects.filter(case_id=case_id).count() == count


def test_api_channel_is_recorded(professional):
    set_channel("api")
    try:
        event = audit(actor=professional, event=CoreEvent.CASE_LIST)
    finally:
        set_channel("web")
    assert event.channel == "api"


def test_system_actor_is_named(db):
    from tafel.core.system import SYSTEM_USERNAME

    event = audit(actor=None, event=CaseEvent.CASE_VIEW, case_id=1)
    assert event.actor.username == SYSTEM_USERNAME
    assert event.actor_label == "Tafel (systeem)"
    assert event.roles == "systeem"
    assert event.organisation_id is None


def test_a_single_event_is_the_row_django_s_save_writes(case, procesregisseur, monkeypatch):
    """`audit()` inserts its row directly (issue 14 item 3): one INSERT, the id read back, no more queries than with
    the model's `save()`, and in the database every field as `save()` writes it (compared with a row saved so)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tafel.core import audit as audit_module
    from tafel.core.audit import reset_request_context, set_request_context

    details = {"note": 7, "codes": ["a", "b"], "flag": True}
    token = set_request_context(request_id="cd" * 16, origin="2001:db8::1")
    try:
        with monkeypatch.context() as m:
            m.setattr(audit_module, "_insert_one", lambda row: row.save())
            with CaptureQueriesContext(connection) as by_save:
                audit(actor=procesregisseur, event=CoreEvent.CASE_LIST, case_id=case.pk, reason="y")
        with CaptureQueriesContext(connection) as ctx:
            fast = audit(actor=procesregisseur, event=CoreEvent.CASE_LIST, case_id=case.pk, reason="x", details=details)
        assert len(ctx) <= len(by_save)  # the first call may also read the actor's roles
        assert len([q for q in ctx.captured_queries if q["sql"].startswith("INSERT")]) == 1
        saved = audit_module._row(
            procesregisseur,
            CoreEvent.CASE_LIST,
            case_id=case.pk,
            person_id=None,
            reason="x",
            details=details,
            channel=None,
            outcome=None,
            purpose=None,
            now=fast.at,
            ctx=audit_module._request.get(),
        )
        saved.save()
    finally:
        reset_request_context(token)
    assert fast.pk is not None and not fast._state.adding and fast.pk != saved.pk
    names = [f.attname for f in AuditEvent._meta.concrete_fields if f.attname not in ("id", "seq", "prev_hash", "hash")]
    rows = {e.pk: {n: getattr(e, n) for n in names} for e in AuditEvent.objects.filter(pk__in=[fast.pk, saved.pk])}
    assert rows[fast.pk] == rows[saved.pk]
    assert rows[fast.pk]["details"] == details and rows[fast.pk]["at"] == fast.at
