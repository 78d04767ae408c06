"""The monitor on a read replica (issue 14 item 6; tafel.core.databases): with a replica configured the
dashboard, the indicator API and the report jobs read their figures there and write nothing there; the audit
log and the job's own row stay on the primary. The replica alias is Django's TEST MIRROR of the test database
(tafel/test_settings.py), so the tests commit their data (transaction=True) for the second connection to see it."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tafel.core.audit import audit
from tafel.core.audit_events import CoreEvent
from tafel.core.databases import monitor_reads
from tafel.core.models import AuditEvent
from tafel.reports import services
from tafel.reports.models import ReportJob, ReportStatus
from tafel.reports.selectors import compute

from .test_concurrent import figures

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER")


def writes(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.fixture
def replica(settings):
    settings.TAFEL_MONITOR_DATABASE = "replica"
    settings.TAFEL_MONITOR_WORKERS = 1  # in this thread, where the queries are captured
    yield connections["replica"]
    connections["replica"].close()


def test_the_dashboard_reads_its_figures_from_the_replica_and_writes_nothing_there(
    client, history, ketenmanager, replica
):
    client.force_login(ketenmanager)
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_primary:
        response = client.get(reverse("reports:dashboard"), {"period": "2025Q2"})

    assert response.status_code == 200
    assert "Casussen" in response.content.decode()
    # The indicators' aggregate queries ran on the replica; the session, the user and the page's own cards on
    # the primary. No temporary table either: a hot standby refuses to create one.
    assert len(on_replica) > 20
    assert writes(on_replica) == []
    assert not any("tafel_cache" in q["sql"] or "django_session" in q["sql"] for q in on_replica.captured_queries)
    assert any("django_session" in q["sql"] for q in on_primary.captured_queries)


def test_figures_from_the_replica_equal_the_primarys(history, q2, settings, replica):
    on_replica = figures(compute(q2, suppressed=True))
    settings.TAFEL_MONITOR_DATABASE = "default"
    on_primary = figures(compute(q2, suppressed=True))
    assert on_replica == on_primary


def test_side_by_side_workers_read_the_replica_too(history, q2, settings, replica):
    settings.TAFEL_MONITOR_WORKERS = 3
    side_by_side = figures(compute(q2, suppressed=True))
    settings.TAFEL_MONITOR_DATABASE = "default"
    settings.TAFEL_MONITOR_WORKERS = 1
    assert side_by_side == figures(compute(q2, suppressed=True))


def test_a_report_job_reads_figures_on_the_replica_and_writes_its_row_on_the_primary(
    history, ketenmanager, replica, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    job = ReportJob.objects.create(
        requested_by=ketenmanager, created_at=timezone.now(), format="csv", params={"period": "2025Q2"}
    )
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_primary:
        services.report_job_run(job.pk)

    job.refresh_from_db()
    assert job.status == ReportStatus.DONE, job.error
    assert len(on_replica) > 20 and writes(on_replica) == []
    assert any("reports_reportjob" in sql for sql in writes(on_primary))
    assert not any("reports_reportjob" in q["sql"] for q in on_replica.captured_queries)


def test_an_audit_row_written_while_the_monitor_reads_goes_to_the_primary(history, procesregisseur, replica):
    with CaptureQueriesContext(replica) as on_replica, monitor_reads() as alias:
        assert alias == "replica"
        audit(actor=procesregisseur, event=CoreEvent.CASE_LIST, case_id=history.cases["D"].pk, reason="monitor")
    assert writes(on_replica) == []
    assert AuditEvent.objects.using("default").filter(actor=procesregisseur, reason="monitor").exists()


def test_the_audited_drilldown_reads_and_writes_on_the_primary(client, history, procesregisseur, replica):
    client.force_login(procesregisseur)
    with CaptureQueriesContext(replica) as on_replica:
        response = client.get(
            reverse("reports:drilldown", args=["caseload"]),
            {"period": "2025Q2", "row": str(history.hilversum.pk), "column": "actief"},
        )
    assert response.status_code == 200
    assert len(on_replica) == 0
    assert AuditEvent.objects.filter(
        actor=procesregisseur, event_type=CoreEvent.CASE_LIST, case_id=history.cases["D"].pk
    ).exists()


def test_the_indicator_api_reads_the_replica(client, history, ketenmanager, replica):
    from tafel.api.models import SCOPES
    from tafel.api.services import api_token_create

    token = api_token_create(actor=None, user=ketenmanager, name="replica", scopes=list(SCOPES), days=1).key
    with CaptureQueriesContext(replica) as on_replica:
        response = client.get("/api/v1/indicators/caseload", {"period": "2025Q2"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    assert len(on_replica) > 0 and writes(on_replica) == []
