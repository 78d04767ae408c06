"""Report jobs: started from the page, made by a worker from the database queue, progress polled by htmx,
downloaded by the user who asked for it only."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tafel.core.tests.pdfua import assert_pdf_ua
from tafel.reports import services
from tafel.reports.models import ReportJob, ReportStatus

from .pagetables import xlsx_tables


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run_inline(monkeypatch):
    """Run the job in the test's own thread and transaction (the queue and its worker are tested below and in
    tafel/jobs/tests)."""
    monkeypatch.setattr(services, "enqueue_report", services.report_job_run)


@pytest.mark.django_db
def test_report_started_from_the_page_is_made_and_downloaded(
    client, history, ketenmanager, run_inline, django_capture_on_commit_callbacks
):
    client.force_login(ketenmanager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:report_start"),
            {"period": "2025Q2", "municipality": str(history.huizen.pk), "format": "xlsx"},
        )

    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:job", args=[job.pk])
    assert job.status == ReportStatus.DONE and job.progress == 100
    assert job.requested_by == ketenmanager
    assert job.filename == "tafel-monitor-2025Q2-huizen.xlsx"

    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert reverse("reports:job_download", args=[job.pk]) in page
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    # Huizen, Q2: new cases C and G → "<5".
    assert xlsx_tables(book)["casussen_thema"][-1] == ["Totaal", "<5", "×"]


@pytest.mark.django_db
def test_progress_is_polled_every_second_until_the_job_is_done(client, ketenmanager):
    job = ReportJob.objects.create(
        requested_by=ketenmanager, created_at=timezone.now(), format="pdf", params={"period": "2025Q2"}
    )
    ReportJob.objects.filter(pk=job.pk).update(status=ReportStatus.RUNNING, progress=40)
    client.force_login(ketenmanager)

    partial = client.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert 'hx-trigger="every 1s"' in partial
    assert '<progress id="job-bar" class="tafel-job__bar" max="100" value="40">' in partial
    assert "<html" not in partial

    ReportJob.objects.filter(pk=job.pk).update(status=ReportStatus.FAILED, error="Mislukt.")
    partial = client.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and "Mislukt." in partial


@pytest.mark.django_db
def test_a_job_cut_off_by_a_restart_stops_polling(client, ketenmanager):
    job = ReportJob.objects.create(
        requested_by=ketenmanager, created_at="2026-01-01T10:00Z", format="pdf", params={"period": "2025Q2"}
    )
    ReportJob.objects.filter(pk=job.pk).update(status=ReportStatus.RUNNING, progress=40)
    client.force_login(ketenmanager)

    partial = client.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert "hx-trigger" not in partial and "onderbroken" in partial


@pytest.mark.django_db
def test_another_users_report_is_not_found(client, ketenmanager, analyst):
    job = ReportJob.objects.create(
        requested_by=ketenmanager, created_at="2026-01-01T10:00Z", format="csv", params={"period": "2025Q2"}
    )
    client.force_login(analyst)

    assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_professionals_cannot_start_a_report(client, professional):
    client.force_login(professional)

    response = client.post(reverse("reports:report_start"), {"period": "2025Q2", "format": "pdf"})

    assert response.status_code == 403
    assert not ReportJob.objects.exists()


@pytest.mark.django_db
def test_a_failing_report_is_recorded_on_the_job(ketenmanager, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr("tafel.reports.exports.build_reports", broken)
    job = ReportJob.objects.create(
        requested_by=ketenmanager, created_at="2026-01-01T10:00Z", format="pdf", params={"period": "2025Q2"}
    )

    services.report_job_run(job.pk)

    job.refresh_from_db()
    assert job.status == ReportStatus.FAILED
    assert "kon niet worden gemaakt" in job.error
    assert job.others_done and not job.others_pending


@pytest.mark.django_db
def test_the_job_makes_the_other_formats_from_the_same_figures(
    client, history, ketenmanager, run_inline, django_capture_on_commit_callbacks
):
    client.force_login(ketenmanager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_start"), {"period": "2025Q2", "format": "xlsx"})

    job = ReportJob.objects.get()
    assert job.status == ReportStatus.DONE and job.others_done and not job.others_pending
    # The asked format is the job's own file; CSV and PDF follow, cheapest first.
    assert job.filename == "tafel-monitor-2025Q2.xlsx"
    assert [(f.format, f.filename) for f in job.other_files.all()] == [
        ("csv", "tafel-monitor-2025Q2.csv"),
        ("pdf", "tafel-monitor-2025Q2.pdf"),
    ]
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Dezelfde rapportage, met dezelfde cijfers, als" in page
    assert "hx-trigger" not in page  # nothing left to wait for: no more polling

    def download(fmt):
        response = client.get(reverse("reports:job_download_format", args=[job.pk, fmt]))
        assert response.status_code == 200
        return response, b"".join(response.streaming_content)

    response, pdf = download("pdf")
    assert response["Content-Type"] == "application/pdf"
    assert_pdf_ua(pdf)
    assert 'filename="tafel-monitor-2025Q2.pdf"' in response["Content-Disposition"]
    _, xlsx = download("xlsx")  # the asked format through the same address
    _, csv_bytes = download("csv")
    # The XLSX and the CSV give the same figure: all new cases of Q2 (A, B, C, D, G = 5) in the total row.
    assert xlsx_tables(openpyxl.load_workbook(io.BytesIO(xlsx)))["casussen_thema"][-1][:2] == ["Totaal", 5]
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig")), delimiter=";"))
    assert {(r[0], r[3], r[4]): r[5] for r in rows[1:]}[("casussen_thema", "Totaal", "Aantal")] == "5"
    # A format the job did not make is not found; nor is another user's job.
    assert client.get(reverse("reports:job_download_format", args=[job.pk, "docx"])).status_code == 404


@pytest.mark.django_db
def test_the_page_keeps_polling_while_the_other_formats_are_made(client, ketenmanager):
    now = timezone.now()
    job = ReportJob.objects.create(
        requested_by=ketenmanager,
        created_at=now,
        finished_at=now,
        format="pdf",
        params={"period": "2025Q2"},
        status=ReportStatus.DONE,
        progress=100,
        filename="r.pdf",
        file="reports/r.pdf",
    )
    client.force_login(ketenmanager)

    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert job.others_pending
    assert "de andere formaten worden nog gemaakt" in page and 'hx-trigger="every 1s"' in page
    assert client.get(reverse("reports:job_download_format", args=[job.pk, "csv"])).status_code == 404

    # A server that stopped while making them: after the stale time the page stops waiting.
    ReportJob.objects.filter(pk=job.pk).update(finished_at=now - datetime.timedelta(hours=1))
    job.refresh_from_db()
    assert not job.others_pending
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page and "nog gemaakt" not in page


@pytest.mark.django_db
def test_a_failure_after_the_asked_format_keeps_that_file(ketenmanager, history, monkeypatch):
    from tafel.reports import exports

    def broken_pdf(*args):
        raise RuntimeError("kapot")

    monkeypatch.setattr(exports, "pdf_bytes", broken_pdf)
    job = ReportJob.objects.create(
        requested_by=ketenmanager, created_at=timezone.now(), format="csv", params={"period": "2025Q2"}
    )

    services.report_job_run(job.pk)

    job.refresh_from_db()
    assert job.status == ReportStatus.DONE and job.filename == "tafel-monitor-2025Q2.csv"
    assert [f.format for f in job.other_files.all()] == ["xlsx"]  # made before the PDF failed
    assert job.others_done and not job.others_pending


@pytest.mark.django_db
def test_the_job_is_a_task_on_the_queue_that_a_worker_makes(ketenmanager):
    from django_tasks_db.models import DBTaskResult

    from tafel.jobs.worker import run_pending
    from tafel.reports.indicators import Params
    from tafel.reports.periods import parse_period

    job = services.report_job_start(actor=ketenmanager, params=Params(period=parse_period("2025Q2")), fmt="csv")

    task = DBTaskResult.objects.get()
    assert (task.task_path, task.queue_name, task.args_kwargs["args"]) == (
        "tafel.reports.tasks.make_report",
        "reports",
        [job.pk],
    )
    job.refresh_from_db()
    assert job.status == ReportStatus.QUEUED  # nothing runs in the web process

    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE
    assert job.file.read().startswith("\ufeffindicator_code".encode())


@pytest.mark.django_db
def test_a_job_interrupted_while_running_starts_over_and_ends_with_whole_files(ketenmanager, history):
    job = ReportJob.objects.create(
        requested_by=ketenmanager, created_at=timezone.now(), format="csv", params={"period": "2025Q2"}
    )
    ReportJob.objects.filter(pk=job.pk).update(status=ReportStatus.RUNNING, progress=40)

    services.report_job_run(job.pk)

    job.refresh_from_db()
    assert job.status == ReportStatus.DONE and job.progress == 100
    assert sorted(f.format for f in job.other_files.all()) == ["pdf", "xlsx"]
    directory = job.file.path.rsplit("/", 1)[0]
    import os

    assert not [name for name in os.listdir(directory) if name.endswith(".part")]
