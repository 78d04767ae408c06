"""Issue 13 item 5: the audit trail to NEN 7513 / BIO 8.15 — outcome, role, purpose of use, origin address, a
request id (W3C traceparent) on every event, and a hash chain that `manage.py audit_verify` checks."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.test import RequestFactory

from tafel.cases.audit_events import CaseEvent
from tafel.core.audit import audit, audit_many
from tafel.core.audit_events import CoreEvent
from tafel.core.auditchain import seal_pending, verify
from tafel.core.models import AuditChainHead, AuditEvent
from tafel.core.net import client_ip

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE}-00f067aa0ba902b7-01"


def _tamper(sql: str, params) -> None:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


# --- what each event records ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_event_records_outcome_role_purpose_origin_and_the_partners_trace_id(client, case, professional, settings):
    settings.TAFEL_TRUSTED_PROXY_COUNT = 1
    client.force_login(professional)

    response = client.get(
        f"/casussen/{case.pk}/",
        HTTP_TRACEPARENT=TRACEPARENT,
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        REMOTE_ADDR="10.0.0.2",
    )

    assert response.status_code == 200
    event = AuditEvent.objects.filter(event_type=CaseEvent.CASE_VIEW, case_id=case.pk).latest("id")
    assert event.outcome == "allowed"
    assert set(event.roles.split(",")) == {"professional", "aanmelder"}
    assert event.purpose == "casusregie"
    assert event.origin == "203.0.113.9"
    assert event.request_id == TRACE
    assert response["X-Request-ID"] == TRACE
    assert response["traceparent"].startswith(f"00-{TRACE}-")


@pytest.mark.django_db
def test_without_a_traceparent_the_request_gets_its_own_id_on_the_events_and_the_response(client, case, professional):
    client.force_login(professional)

    response = client.get(f"/casussen/{case.pk}/", HTTP_TRACEPARENT="00-zzz-bad-01")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32 and int(request_id, 16)
    assert response["traceparent"].split("-")[1] == request_id
    assert AuditEvent.objects.filter(case_id=case.pk, request_id=request_id).exists()


@pytest.mark.django_db
def test_a_denial_is_recorded_with_outcome_denied(case, outsider):
    from tafel.cases import access as case_access
    from tafel.core.errors import NotFound

    with pytest.raises(NotFound):
        case_access.case_get_for_user(user=outsider, case_id=case.pk)

    event = AuditEvent.objects.get(event_type=CoreEvent.ACCESS_DENIED)
    assert (event.outcome, event.reason, event.purpose) == ("denied", "case.view", "beveiliging")


@pytest.mark.django_db
def test_the_monitor_reads_for_accountability_not_for_case_work(analyst):
    audit_many(actor=analyst, event=CoreEvent.CASE_LIST, case_ids=[1, 2], reason="monitor", purpose="verantwoording")
    assert set(AuditEvent.objects.values_list("purpose", flat=True)) == {"verantwoording"}


@pytest.mark.parametrize(
    ("trusted", "forwarded", "remote", "expected"),
    [
        (0, "198.51.100.7", "192.0.2.1", "192.0.2.1"),  # no proxy trusted: the header is ignored
        (1, "198.51.100.7", "10.0.0.2", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "10.0.0.2", "198.51.100.7"),  # a forged entry on the left is ignored
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.9", "10.0.0.2", "198.51.100.7"),
        (1, "", "10.0.0.2", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2", ""),
        (0, "", "::ffff:192.0.2.1", "::ffff:c000:201"),
    ],
)
def test_client_ip_behind_trusted_proxies(settings, trusted, forwarded, remote, expected):
    settings.TAFEL_TRUSTED_PROXY_COUNT = trusted
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **meta)) == expected


# --- the hash chain ------------------------------------------------------------------------------------------


def _write(professional, n: int, case_id: int = 1) -> list[AuditEvent]:
    return [audit(actor=professional, event=CaseEvent.CASE_VIEW, case_id=case_id, details={"i": i}) for i in range(n)]


@pytest.mark.django_db
def test_sealed_rows_form_one_unbroken_chain(professional):
    _write(professional, 5)
    audit_many(actor=professional, event=CoreEvent.CASE_LIST, case_ids=[1, 2, 3])

    assert seal_pending() == 8
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.seq for r in rows] == list(range(1, 9))
    assert all(r.prev_hash == p.hash for p, r in zip(rows, rows[1:], strict=False))
    assert AuditChainHead.objects.get().seq == 8
    assert verify().ok
    assert seal_pending() == 0


@pytest.mark.django_db
def test_verify_names_the_row_whose_content_was_changed_in_the_database(professional):
    events = _write(professional, 6)
    seal_pending()
    victim = events[3]

    _tamper("UPDATE {table} SET case_id = %s WHERE id = %s", [999, victim.pk])

    result = verify()
    assert not result.ok
    assert (result.row_id, result.seq) == (victim.pk, 4)
    assert "inhoud gewijzigd" in result.problem
    assert result.checked == 3


@pytest.mark.django_db
def test_verify_names_the_row_after_a_removed_one_and_notices_a_cut_off_end(professional):
    events = _write(professional, 5)
    seal_pending()
    _tamper("DELETE FROM {table} WHERE id = %s", [events[1].pk])

    result = verify()
    assert (result.ok, result.row_id) == (False, events[2].pk)
    assert "ontbreken" in result.problem

    _tamper("DELETE FROM {table} WHERE id IN (%s, %s, %s, %s)", [e.pk for e in events[1:]])
    result = verify()
    assert not result.ok and "eind" in result.problem


@pytest.mark.django_db
def test_audit_verify_command_passes_then_fails_naming_the_row(professional):
    events = _write(professional, 3)
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "in orde: 3 regels" in out.getvalue()

    _tamper("UPDATE {table} SET actor_label = %s WHERE id = %s", ["Iemand Anders (x)", events[1].pk])

    with pytest.raises(CommandError, match=rf"GEBROKEN bij regel id={events[1].pk} \(volgnummer 2\)"):
        call_command("audit_verify", stdout=io.StringIO())


@pytest.mark.django_db
def test_audit_verify_passes_on_the_demo_and_fails_after_a_row_is_changed(client):
    """Must hold (issue 13 item 5): on the demo, after people used it, the chain holds; changing one row
    directly in the database makes `audit_verify` fail and name that row."""
    from tafel.cases.models import Case
    from tafel.organisations.models import User

    call_command("demo", seed=2, cases=40, verbosity=0, stdout=io.StringIO())
    for username in ("regisseur", "politie"):
        user = User.objects.get(username=username)
        client.force_login(user)
        client.get("/casussen/")
        for case in Case.objects.order_by("pk")[:5]:
            client.get(f"/casussen/{case.pk}/")
    assert AuditEvent.objects.count() > 10
    call_command("audit_verify", stdout=io.StringIO())

    victim = AuditEvent.objects.order_by("id")[7]
    _tamper("UPDATE {table} SET details = %s WHERE id = %s", ['{"case": 1}', victim.pk])

    with pytest.raises(CommandError, match=rf"regel id={victim.pk} "):
        call_command("audit_verify", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_never_fork_the_chain(professional, settings):
    """Writers in parallel, each in its own transaction and connection, sealing on commit: one chain."""
    settings.TAFEL_AUDIT_SEAL_ON_COMMIT = True
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("SQLite in memory: the threads would share one connection's lock; see the PostgreSQL run")
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(k: int) -> None:
        try:
            start.wait()
            for i in range(15):
                # As a service writes: in its transaction, sealed when it commits.
                with transaction.atomic():
                    audit(actor=professional, event=CaseEvent.CASE_VIEW, case_id=k, details={"i": i})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 0  # each commit sealed its own row
    seqs = sorted(AuditEvent.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, 61))
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_read_outside_a_transaction_is_sealed_by_the_next_seal_not_by_itself(professional, settings):
    """Issue 14: a page view's record is not sealed on its own (that would lock the chain head on every read);
    the next write's commit or the one-minute task seals it, in order."""
    settings.TAFEL_AUDIT_SEAL_ON_COMMIT = True
    audit(actor=professional, event=CaseEvent.CASE_VIEW, case_id=1)
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 1
    with transaction.atomic():
        audit(actor=professional, event=CaseEvent.CASE_VIEW, case_id=2)
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 0
    assert sorted(AuditEvent.objects.values_list("case_id", "seq")) == [(1, 1), (2, 2)]
    assert verify().ok


# --- the audit log's own retention: whole months, a partition drop on PostgreSQL -------------------------------


@pytest.mark.django_db
def test_audit_retention_removes_old_months_keeps_the_anchor_and_the_rest_verifies(professional):
    import datetime

    import time_machine
    from django.utils import timezone

    from tafel.core.auditpartitions import (
        add_months,
        create_partition_sql,
        is_partitioned,
        month_start,
        monthly_partitions,
    )
    from tafel.core.models import AuditArchive

    this_month = month_start(timezone.localdate())
    old_months = [add_months(this_month, -k) for k in (3, 2)]
    if is_partitioned():
        with connection.cursor() as cursor:
            for month in old_months:
                cursor.execute(create_partition_sql(month))
    for month in old_months:
        with time_machine.travel(datetime.datetime(month.year, month.month, 10, 12, tzinfo=datetime.UTC), tick=False):
            _write(professional, 3)
    recent = _write(professional, 2)
    seal_pending()

    out = io.StringIO()
    call_command("audit_retention", before=f"{add_months(this_month, -1):%Y-%m}", stdout=out)

    assert "2 maanden" in out.getvalue() and "6 regels" in out.getvalue()
    assert not AuditEvent.objects.filter(at__lt=recent[0].at - datetime.timedelta(days=20)).exists()
    assert [a.month for a in AuditArchive.objects.all()] == old_months
    assert AuditArchive.objects.get(month=old_months[-1]).last_seq == 6
    if is_partitioned():
        assert not set(old_months) & set(monthly_partitions())
    assert AuditEvent.objects.filter(event_type=CoreEvent.AUDIT_RETENTION).exists()
    result = verify()
    assert result.ok, result.problem
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "in orde: 3 regels" in out.getvalue()  # the two recent rows and the retention's own event
