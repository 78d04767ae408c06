"""Stored figures of closed quarters (tafel.reports.stored): served only while equal to the live ones, to
whoever the live page would serve, suppressed the same way."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from tafel.organisations.models import Role
from tafel.reports import selectors, stored
from tafel.reports.indicators import Params
from tafel.reports.models import MonitorQuarter, StoredFigure
from tafel.reports.periods import parse_period
from tafel.reports.tests.conftest import Builder, at
from tafel.testing import make_user

pytestmark = pytest.mark.django_db

Q2 = {"period": "2025Q2"}


def figures(monitor) -> dict:
    """Every shown figure of a monitor, with whether it is hidden: what a reader of the page gets."""
    out = {}
    for item in monitor.items:
        result = item.result
        for row in result.rows:
            out[(item.code, f"{row.key}.label")] = row.label
        for cell_name, cell in [(f"{row.key}.{key}", cell) for row in result.rows for key, cell in row.cells.items()]:
            out[(item.code, cell_name)] = (cell.value if not cell.suppressed else None, cell.suppressed)
        if result.total:
            for key, cell in result.total.cells.items():
                out[(item.code, f"total.{key}")] = (cell.value if not cell.suppressed else None, cell.suppressed)
        if result.headline:
            out[(item.code, "headline")] = (result.headline.value, result.headline.suppressed)
        out[(item.code, "notes")] = tuple(result.notes)
    return out


def live(params: Params, *, suppressed: bool) -> dict:
    """The figures as computed now, without the stored ones."""
    stored.clear()
    monitor = selectors.compute(params, suppressed=suppressed)
    stored.clear()
    return figures(monitor)


def test_closed_quarter_figures_are_stored_once_and_served_equal_to_the_live_ones(
    history, q2, ketenmanager, procesregisseur, django_assert_max_num_queries
):
    expected_suppressed = live(q2, suppressed=True)
    expected_open = live(q2, suppressed=False)

    first = selectors.dashboard(viewer=procesregisseur, params=q2)[0]
    available = [i for i in first.items if i.indicator.available]
    assert StoredFigure.objects.filter(quarter__first_day=q2.period.first_day).count() == len(available)
    # Served from the store: a handful of queries instead of one or more per indicator.
    with django_assert_max_num_queries(8):
        again = selectors.dashboard(viewer=procesregisseur, params=q2)[0]
    suppressed = selectors.dashboard(viewer=ketenmanager, params=q2)[0]

    assert figures(first) == figures(again) == expected_open
    assert figures(suppressed) == expected_suppressed


def test_the_open_quarter_and_unsettled_reentry_are_never_stored(history, procesregisseur):
    # 1 March 2026: Q2 2025 ended, but its leavers' 12 months of re-entry have not passed yet.
    with time_machine.travel(at(2026, 3, 1), tick=False):
        selectors.dashboard(viewer=procesregisseur, params=Params(period=parse_period("2025Q2")))
        selectors.dashboard(viewer=procesregisseur, params=Params(period=parse_period("2026Q1")))

    codes = set(StoredFigure.objects.values_list("indicator", flat=True))
    assert "afsluitingen" in codes
    assert "heraanmelding_12m" not in codes
    assert not StoredFigure.objects.filter(quarter__first_day=parse_period("2026Q1").first_day).exists()


def test_a_late_change_to_a_case_of_the_quarter_makes_its_figures_be_computed_anew(
    history, q2, procesregisseur, django_capture_on_commit_callbacks
):
    before = figures(selectors.dashboard(viewer=procesregisseur, params=q2)[0])
    version = MonitorQuarter.objects.get(first_day=q2.period.first_day).version

    # D (created 1 May 2025, in the ZVH-aanpak) is closed with a date inside Q2: a correction after the fact.
    with django_capture_on_commit_callbacks(execute=True):
        Builder(history).status("D", at(2025, 6, 25), "afgesloten")

    assert MonitorQuarter.objects.get(first_day=q2.period.first_day).version == version + 1
    after = figures(selectors.dashboard(viewer=procesregisseur, params=q2)[0])
    assert after != before
    assert after[("afsluitingen", "total.aantal")] != before[("afsluitingen", "total.aantal")]
    assert after == live(q2, suppressed=False)


def test_a_write_to_a_case_created_after_the_quarter_leaves_its_figures_stored(
    history, q2, procesregisseur, django_capture_on_commit_callbacks
):
    selectors.dashboard(viewer=procesregisseur, params=q2)
    version = MonitorQuarter.objects.get(first_day=q2.period.first_day).version

    # H was created on 1 July 2025, after Q2: it cannot count in Q2.
    with django_capture_on_commit_callbacks(execute=True):
        Builder(history).triage("H", at(2025, 7, 3), "lokaal", lokaal_reason="a")

    assert MonitorQuarter.objects.get(first_day=q2.period.first_day).version == version


def test_a_write_to_no_case_or_to_a_destroyed_case_marks_every_quarter_stale(history, q2, procesregisseur):
    selectors.dashboard(viewer=procesregisseur, params=q2)
    version = MonitorQuarter.objects.get(first_day=q2.period.first_day).version

    assert stored.quarters_changed(everything=True) == 1
    assert stored.quarters_changed(case_ids=[10**9]) == 1  # gone (retention): no date to limit it to

    assert MonitorQuarter.objects.get(first_day=q2.period.first_day).version == version + 2


def test_reads_do_not_mark_anything_stale(history, q2, procesregisseur, client, django_capture_on_commit_callbacks):
    selectors.dashboard(viewer=procesregisseur, params=q2)
    version = MonitorQuarter.objects.get(first_day=q2.period.first_day).version
    client.force_login(procesregisseur)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("cases:detail", args=[history.cases["D"].pk])).status_code == 200

    assert MonitorQuarter.objects.get(first_day=q2.period.first_day).version == version


def test_figures_of_another_release_are_not_served(history, q2, procesregisseur, monkeypatch):
    items = selectors.dashboard(viewer=procesregisseur, params=q2)[0].items
    assert len(stored.Batch([(item.indicator, q2) for item in items]).found) > 20
    monkeypatch.setattr(stored, "definitions", lambda: "another release")

    assert stored.Batch([(item.indicator, q2) for item in items]).found == {}


@pytest.mark.parametrize("who", ["professional", "outsider"])
def test_with_stored_figures_a_role_without_the_monitor_still_gets_403(client, history, procesregisseur, request, who):
    client.force_login(procesregisseur)
    assert client.get(reverse("reports:dashboard"), Q2).status_code == 200
    assert StoredFigure.objects.exists()

    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reports:dashboard"), Q2).status_code == 403


def test_a_municipal_reader_gets_the_suppressed_figures_the_live_page_gives_them(
    client, history, procesregisseur, analyst, ggz
):
    """The store holds unsuppressed figures (stored by the procesregisseur's visit): an analyst of a
    municipality and a ketenmanager of a partner organisation still get exactly the live page's suppressed
    figures, and no way to the cases behind them."""
    manager_of_partner = make_user(ggz, Role.KETENMANAGER, username="ketenmanager-ggz")
    pages = {}
    for reader in (analyst, manager_of_partner):
        client.force_login(reader)
        stored.clear()
        pages[reader.pk] = client.get(reverse("reports:dashboard"), Q2).content.decode()
    client.force_login(procesregisseur)
    open_page = client.get(reverse("reports:dashboard"), Q2).content.decode()
    assert StoredFigure.objects.exists()

    for reader in (analyst, manager_of_partner):
        client.force_login(reader)
        html = client.get(reverse("reports:dashboard"), Q2).content.decode()
        assert _figures_of(html) == _figures_of(pages[reader.pk])
        assert 'data-suppressed="true"' in html
        assert reverse("reports:drilldown", args=["caseload"]) not in html
    assert _figures_of(open_page) != _figures_of(pages[analyst.pk])


def _figures_of(html: str) -> list[str]:
    import re

    return re.findall(r"<td[^>]*data-row=[^>]*>(.*?)</td>", html, re.S)


def test_the_clear_command_forgets_every_stored_figure(history, q2, procesregisseur):
    from io import StringIO

    from django.core.management import call_command

    selectors.dashboard(viewer=procesregisseur, params=q2)
    out = StringIO()
    call_command("monitor_figures", "--clear", stdout=out)

    assert not StoredFigure.objects.exists()
    assert "bewaarde cijfers vergeten" in out.getvalue()


def test_figures_are_stored_per_language(history, q2, procesregisseur):
    """A result holds its labels as text: an English reader never gets the Dutch labels stored before."""
    from django.utils import translation

    dutch = figures(selectors.dashboard(viewer=procesregisseur, params=q2)[0])
    with translation.override("en"):
        english = figures(selectors.dashboard(viewer=procesregisseur, params=q2)[0])
        assert english == live(q2, suppressed=False)

    assert english != dutch


def test_destroying_a_case_after_its_retention_marks_every_stored_quarter_stale(
    history, q2, procesregisseur, settings, django_capture_on_commit_callbacks
):
    """Decision 0012: stored figures follow the live ones when retention destroys a case."""
    import datetime

    from tafel.cases.models import Case, CaseStatus
    from tafel.privacy.services.retention import retention_run

    selectors.dashboard(viewer=procesregisseur, params=q2)
    version = MonitorQuarter.objects.get(first_day=q2.period.first_day).version
    settings.TAFEL_RETENTION_MONTHS = 12
    closed_on = at(2025, 6, 20)
    Case.objects.filter(pk=history.cases["B"].pk).update(status=CaseStatus.AFGESLOTEN, closed_at=closed_on)

    with time_machine.travel(closed_on + datetime.timedelta(days=800), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            destroyed = retention_run().record.cases_destroyed

    assert destroyed >= 1
    assert MonitorQuarter.objects.get(first_day=q2.period.first_day).version > version
    assert figures(selectors.dashboard(viewer=procesregisseur, params=q2)[0]) == live(q2, suppressed=False)
