"""Issue 6 in the browser: the ketenmanager opens the monitor, filters on one municipality and one quarter,
makes the report as XLSX (background job, progress polled by htmx), downloads it and then the PDF the same job
made from the same figures; the figures in both equal the ones on the page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

from .pagetables import as_number, html_tables, xlsx_tables

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def worker(monkeypatch):
    """A worker of the database queue picks the report up once its job is committed (here a thread that runs
    what is ready, started after the commit: a worker polling all the time would contend with the pages for
    the in-memory SQLite test database's table locks). The worker process itself is tested in tafel/jobs."""
    from django.db import connections, transaction

    from tafel.jobs.worker import run_pending
    from tafel.reports import services

    threads: list[threading.Thread] = []
    original = services.enqueue_report

    def run():
        from django_tasks_db.models import DBTaskResult

        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                run_pending()
                if not DBTaskResult.objects.ready().exists():
                    break
                time.sleep(0.2)  # the claim met a locked table: try again
        finally:
            connections.close_all()

    def enqueue_and_wake(job_id):
        original(job_id)

        def wake():
            thread = threading.Thread(target=run, name=f"tafel-test-worker-{job_id}", daemon=True)
            threads.append(thread)
            thread.start()

        transaction.on_commit(wake)

    monkeypatch.setattr(services, "enqueue_report", enqueue_and_wake)
    yield
    for thread in threads:
        thread.join(timeout=60)


@pytest.fixture
def browser_page(browser, live_server, settings, tmp_path, worker):
    settings.MEDIA_ROOT = tmp_path / "media"
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", accept_downloads=True)
    context.set_default_timeout(30000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and "Content Security Policy" in msg.text else None,
    )
    yield page
    context.close()
    assert not errors, f"JavaScript or CSP errors in the browser: {errors}"


def make_report(page, button: str, tmp_path):
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("^Rapportage"))).to_be_visible()
    download_link = page.get_by_role("link", name=re.compile("^Download tafel-monitor-2025Q2-hilversum"))
    expect(download_link).to_be_visible(timeout=60000)  # appears once the job is done (polled every second)
    with page.expect_download() as info:
        download_link.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_ketenmanager_filters_and_downloads_pdf_and_xlsx_with_the_page_figures(
    browser_page, history, ketenmanager, tmp_path
):
    import openpyxl

    page = browser_page
    login(page, "ketenmanager")
    page.goto("/monitor/")
    page.get_by_label("Periode", exact=True).select_option("2025Q2")
    page.get_by_label("Gemeente", exact=True).select_option(label="Hilversum")
    page.get_by_role("button", name="Toon cijfers").click()
    page.wait_for_url(re.compile(r"period=2025Q2"))
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name=re.compile("Cijfers voor"))).to_contain_text("Hilversum", timeout=30000)
    tables = html_tables(page.content())
    assert len(tables) > 15

    xlsx = make_report(page, "Excel (XLSX)", tmp_path)
    sheets = xlsx_tables(openpyxl.load_workbook(xlsx))
    for code, rows in tables.items():
        expected = [[label, *[as_number(v) for v in values]] for label, *values in rows]
        actual = [[str(r[0]), *[v if isinstance(v, str) else float(v) for v in r[1:]]] for r in sheets[code]]
        assert actual == expected, code

    # The same job then makes the PDF (and the CSV) from the same figures: offered on the job page.
    pdf_link = page.get_by_role("link", name="PDF", exact=True)
    expect(pdf_link).to_be_visible(timeout=60000)
    with page.expect_download() as info:
        pdf_link.click()
    pdf = tmp_path / info.value.suggested_filename
    info.value.save_as(pdf)
    assert pdf.name == "tafel-monitor-2025Q2-hilversum.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    # The PDF's figures read back (make test installs pdftotext with Chromium).
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install -y poppler-utils (make chromium)"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.decode().splitlines()]
    for code in ("aanmeldingen", "casussen_thema", "triage_uitkomst", "caseload"):
        for label, *values in tables[code]:
            wanted = " ".join(values)
            assert any(line.startswith(label.split()[0]) and line.endswith(wanted) for line in lines), (code, label)
