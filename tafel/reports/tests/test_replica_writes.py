"""Issue 14 attack on the replica router (tafel.core.databases): whatever runs while the monitor reads — a
login, an audit row, the shared cache, a queued job, a goal saved, a row locked for update — writes on the
primary and leaves nothing on the replica; and a reader who may not drill down gets the same 404 with no read
of the replica. On PostgreSQL only (the replica alias is the TEST MIRROR of the primary)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tafel.cases.models import Case
from tafel.core.audit import audit
from tafel.core.audit_events import CoreEvent
from tafel.core.databases import monitor_reads
from tafel.core.models import AuditEvent
from tafel.reports.models import Goal

from .test_replica import replica, writes  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.skipif(connections["default"].vendor != "postgresql", reason="a replica is PostgreSQL only"),
]


def test_nothing_written_while_the_monitor_reads_reaches_the_replica(client, history, ketenmanager, replica):  # noqa: F811
    client.force_login(ketenmanager)
    with CaptureQueriesContext(replica) as on_replica, monitor_reads() as alias:
        assert alias == "replica"
        cache.set("h14attack", {"user": ketenmanager.pk}, 60)
        assert cache.get("h14attack") == {"user": ketenmanager.pk}
        audit(actor=ketenmanager, event=CoreEvent.CASE_LIST, reason="monitor")
        session = client.session
        session["h14attack"] = 1
        session.save()
        goal = Goal.objects.create(
            title="Aanval",
            indicator_code="caseload",
            target_value=1,
            created_by=ketenmanager,
            created_at=timezone.now(),
        )
        with transaction.atomic():
            locked = Case.objects.select_for_update().filter(pk=history.cases["D"].pk).first()
            locked.save(update_fields=["title"])
        from tafel.reports.tasks import make_report

        make_report.enqueue(0)
    assert writes(on_replica) == []
    assert not any(
        name in q["sql"]
        for q in on_replica.captured_queries
        for name in ("tafel_cache", "django_session", "core_audit", "FOR UPDATE", "django_tasks", "jobs_")
    ), [q["sql"] for q in on_replica.captured_queries]
    assert AuditEvent.objects.using("default").filter(actor=ketenmanager, reason="monitor").exists()
    assert Goal.objects.using("default").filter(pk=goal.pk).exists()


@pytest.mark.parametrize("who", ["professional", "outsider", "ketenmanager", "analyst"])
def test_who_may_not_drill_down_gets_a_404_without_reading_the_replica(
    client,
    history,
    replica,  # noqa: F811
    request,
    who,
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    with CaptureQueriesContext(replica) as on_replica:
        response = client.get(
            reverse("reports:drilldown", args=["caseload"]),
            {"period": "2025Q2", "row": str(history.hilversum.pk), "column": "actief"},
        )
    assert response.status_code in (403, 404)
    assert len(on_replica) == 0
    assert history.cases["D"].reference not in response.content.decode()
