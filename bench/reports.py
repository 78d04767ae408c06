"""Bench section of the monitor (issue 6): the dashboard page in < 1 s and the full quarterly report (PDF and
XLSX) in < 10 s on 100,000 demo cases, on SQLite and PostgreSQL.

Called by bench/run.py as `run(results)` with Django set up against the bench database. Adds, in seconds:
  reports.dashboard_cold_s       the first GET /monitor/ of the process (imports, template compilation)
  reports.dashboard_s            GET /monitor/ (current quarter) as a ketenmanager, full stack, median of 3
  reports.dashboard_past_s       GET /monitor/?period=<last complete quarter>, median of 3, its figures read
                                 from the stored ones (tafel.reports.stored; the first request stored them)
  reports.dashboard_past_cpu_s   CPU seconds of this process for one such request (all its threads)
  reports.dashboard_past_computed_s  the same page computing every figure (the stored ones forgotten before each
                                 request, alternating with the stored reads), median of 3
  reports.dashboard_past_computed_cpu_s  CPU seconds for one such request
  reports.dashboard_past_serial_s  the same page computed with TAFEL_MONITOR_WORKERS=1 (one after the other),
                                 when the indicators otherwise run side by side
  reports.quarterly_pdf_s        the PDF of the last complete quarter, all municipalities
  reports.quarterly_xlsx_s       the XLSX of the same quarter
  reports.quarterly_pdf_xlsx_s   both, each computing its own figures (two separate single-format builds)
  reports.quarterly_pdf_xlsx_cpu_s  CPU seconds of this process for both (the database's own CPU not included)
  reports.quarterly_job_s        the issue's "full quarterly report" as one report job makes it: the figures
                                 once, then the PDF, the XLSX and the CSV from them
  reports.quarterly_job_cpu_s    CPU seconds of this process for that job (all its threads)
  reports.quarterly_job_stored_cpu_s  CPU seconds of the same job once the quarter's figures are stored
The reports (and the page's computed figures) are measured with the stored figures forgotten first.
and reports.cases (the number of cases measured on). If the database holds no cases yet it can be filled
with `tafel.demo.benchdata.generate(100_000)` (bulk rows for the indicators, no demo texts).
"""

from __future__ import annotations

import datetime
import statistics
import time


def _reader():
    from tafel.organisations.models import Organisation, OrganisationType, Role, User, UserRole

    house = Organisation.objects.filter(type=OrganisationType.ZVH).order_by("pk").first()
    if house is None:
        house = Organisation.objects.create(name="Bench Zorg- en Veiligheidshuis", type=OrganisationType.ZVH)
    user, created = User.objects.get_or_create(
        username="bench-ketenmanager", defaults={"organisation": house, "first_name": "Bench"}
    )
    if created:
        UserRole.objects.create(user=user, role=Role.KETENMANAGER)
    return user


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return round(time.perf_counter() - started, 3)


def _cpu(fn) -> float:
    """CPU seconds of this process: on SQLite (in-process) close to the wall time on an idle machine, so a
    busy CI runner does not hide a regression or fake one."""
    started = time.process_time()
    fn()
    return round(time.process_time() - started, 3)


def run(results: dict) -> None:
    from django.conf import settings
    from django.test import Client, override_settings

    from tafel.cases.models import Case
    from tafel.reports.exports import build_report, build_reports
    from tafel.reports.indicators.concurrent import workers
    from tafel.reports.params import parse_params
    from tafel.reports.periods import current_quarter, quarter_of
    from tafel.reports.stored import clear

    previous = quarter_of(current_quarter().first_day - datetime.timedelta(days=1)).code
    client = Client()
    client.force_login(_reader(), backend="tafel.access.backends.UserBackend")

    def page(query: dict):
        # The bench user has no second factor; the page itself is what is measured.
        with override_settings(TAFEL_REQUIRE_2FA=False):
            response = client.get("/monitor/", query)
        assert response.status_code == 200, response.status_code

    results["reports.cases"] = Case.objects.count()
    results["reports.dashboard_cold_s"] = _timed(lambda: page({}))  # first request: imports, templates, caches
    results["reports.dashboard_s"] = statistics.median(_timed(lambda: page({})) for _ in range(3))
    past = {"period": previous}

    page(past)  # computes and stores the quarter's figures
    served, fresh, served_cpu, fresh_cpu = [], [], [], []
    for _ in range(3):  # alternating, so a change in the machine's load hits both alike
        served.append(_timed(lambda: page(past)))
        clear()
        fresh.append(_timed(lambda: page(past)))
    served_cpu.append(_cpu(lambda: page(past)))
    clear()
    fresh_cpu.append(_cpu(lambda: page(past)))
    results["reports.dashboard_past_s"] = statistics.median(served)
    results["reports.dashboard_past_cpu_s"] = served_cpu[0]
    results["reports.dashboard_past_computed_s"] = statistics.median(fresh)
    results["reports.dashboard_past_computed_cpu_s"] = fresh_cpu[0]
    if workers() > 1:
        # The same page with the indicators one after the other, for the ratio (docs/decisions/0004).
        with override_settings(TAFEL_MONITOR_WORKERS=1):
            serial = []
            for _ in range(3):
                clear()
                serial.append(_timed(lambda: page(past)))
            results["reports.dashboard_past_serial_s"] = statistics.median(serial)
        results["reports.monitor_workers"] = settings.TAFEL_MONITOR_WORKERS
    params = parse_params({"period": previous})

    # The reports are measured as they compute every figure (the first report of a quarter): the stored
    # figures are forgotten before each (`clear()`, not timed).
    clear()
    results["reports.quarterly_pdf_s"] = _timed(lambda: build_report(params, "pdf"))
    clear()
    results["reports.quarterly_xlsx_s"] = _timed(lambda: build_report(params, "xlsx"))
    clear()
    pdf_cpu = _cpu(lambda: build_report(params, "pdf"))
    clear()
    results["reports.quarterly_pdf_xlsx_cpu_s"] = round(pdf_cpu + _cpu(lambda: build_report(params, "xlsx")), 3)
    both = results["reports.quarterly_pdf_s"] + results["reports.quarterly_xlsx_s"]
    results["reports.quarterly_pdf_xlsx_s"] = round(both, 3)
    # What a report job makes (services.report_job_run): the figures once, then PDF, XLSX and CSV from them.
    clear()
    results["reports.quarterly_job_s"] = _timed(lambda: build_reports(params, ["pdf", "xlsx", "csv"]))
    clear()
    results["reports.quarterly_job_cpu_s"] = _cpu(lambda: build_reports(params, ["pdf", "xlsx", "csv"]))
    # The same job once the quarter's figures are stored (the page stored them, or an earlier report).
    results["reports.quarterly_job_stored_cpu_s"] = _cpu(lambda: build_reports(params, ["pdf", "xlsx", "csv"]))
    results["reports.quarter"] = previous


if __name__ == "__main__":  # pragma: no cover - `python bench/reports.py` on the configured database
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tafel.settings")
    import django

    django.setup()
    measured: dict = {}
    run(measured)
    for key, value in measured.items():
        print(f"{key:32s} {value}")  # noqa: T201
