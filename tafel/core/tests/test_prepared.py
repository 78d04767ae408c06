"""`tafel.core.prepared.prepared_list`: the ORM's rows, SQL compiled once, and only declared values get in."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tafel.cases.models import CaseOrganisation, CasePerson
from tafel.core import prepared
from tafel.core.prepared import PrepareError, prepared_list

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh():
    prepared._PREPARED.clear()
    yield
    prepared._PREPARED.clear()


def _persons(*, case_id):
    return (
        CasePerson.objects.filter(case_id=case_id)
        .select_related("person", "person__municipality")
        .annotate(label=Value("x"))
        .order_by("id")
    )


def _fields(objects, *names):
    return [tuple(getattr(o, n) for n in names) for o in objects]


def test_rows_are_what_the_orm_gives_for_each_call_s_own_value(case, procesregisseur, professional, municipality):
    from tafel.testing import make_case

    other = make_case(professional, municipality)
    for c in (case, other, case):
        expected = list(_persons(case_id=c.pk))
        with CaptureQueriesContext(connection) as ctx:
            got = prepared_list("t.persons", _persons, case_id=c.pk)
        assert len(ctx) == 1 and str(c.pk) in str(ctx.captured_queries[0]["sql"])
        assert _fields(got, "pk", "case_id", "role", "added_at", "label") == _fields(
            expected, "pk", "case_id", "role", "added_at", "label"
        )
        # select_related came along: no query for the person or its municipality.
        with CaptureQueriesContext(connection) as ctx:
            names = [(p.person.full_name, str(p.person.municipality)) for p in got]
        assert len(ctx) == 0
        assert names == [(p.person.full_name, str(p.person.municipality)) for p in expected]
    assert isinstance(got[0].added_at, datetime.datetime) and timezone.is_aware(got[0].added_at)
    assert len(prepared._PREPARED) == 1


def test_a_parameter_that_is_no_declared_value_is_refused(case):
    def with_clock(*, case_id):
        return CaseOrganisation.objects.filter(case_id=case_id, added_at__lte=timezone.now())

    with pytest.raises(PrepareError):
        prepared_list("t.clock", with_clock, case_id=case.pk)

    def with_other_value(*, case_id):
        return CaseOrganisation.objects.filter(case_id=case_id, organisation_id=case_id + 1)

    with pytest.raises(PrepareError):
        prepared_list("t.derived", with_other_value, case_id=case.pk)


def test_a_declared_value_must_be_a_parameter_and_the_sql_must_not_depend_on_it(case):
    with pytest.raises(PrepareError):
        prepared_list(
            "t.unused", lambda *, case_id, org_id: CaseOrganisation.objects.filter(case_id=case_id), case_id=1, org_id=2
        )

    def shaped(*, case_id):
        qs = CaseOrganisation.objects.filter(case_id=case_id)
        return qs.filter(organisation_id=1) if case_id > 0 else qs

    with pytest.raises(PrepareError):
        prepared_list("t.shaped", shaped, case_id=case.pk)

    def parity(*, case_id):
        qs = CaseOrganisation.objects.filter(case_id=case_id)
        return qs.filter(organisation_id=1) if case_id % 2 else qs

    with pytest.raises(PrepareError):
        prepared_list("t.parity", parity, case_id=case.pk)


def test_only_whole_numbers_and_plain_model_rows(case):
    with pytest.raises(TypeError):
        prepared_list("t.str", _persons, case_id=str(case.pk))
    with pytest.raises(TypeError):
        prepared_list("t.bool", _persons, case_id=True)
    with pytest.raises(PrepareError):
        prepared_list("t.prefetch", lambda *, case_id: _persons(case_id=case_id).prefetch_related("person"), case_id=1)
    with pytest.raises(PrepareError):
        prepared_list("t.values", lambda *, case_id: CasePerson.objects.filter(case_id=case_id).values("id"), case_id=1)


# --- what a request sets besides its values: language, time zone, the date (h14attack2) ----------------------
#
# The two builds run in one request, so anything the builder reads from the request's environment came out the
# same in both and would be frozen into the plan for every later request: the active language, the active time
# zone, today's date. Preparing must refuse such a builder, not keep the first request's.


def test_a_builder_that_reads_the_active_language_is_refused(case):
    from django.utils import translation
    from django.utils.translation import gettext_lazy as _

    def labelled(*, case_id):
        return CaseOrganisation.objects.filter(case_id=case_id).annotate(label=Value(str(_("nog geen plan"))))

    with translation.override("nl"), pytest.raises(PrepareError):
        prepared_list("t.language", labelled, case_id=case.pk)


def test_a_builder_that_reads_the_active_time_zone_is_refused(case):
    from django.db.models.functions import TruncDate

    def by_day(*, case_id):
        return CaseOrganisation.objects.filter(case_id=case_id).annotate(day=TruncDate("added_at"))

    with timezone.override("Europe/Amsterdam"), pytest.raises(PrepareError):
        prepared_list("t.zone", by_day, case_id=case.pk)


def test_a_builder_that_reads_today_is_refused(case):
    def since_today(*, case_id):
        return CaseOrganisation.objects.filter(case_id=case_id, added_at__date__lte=timezone.localdate())

    with pytest.raises(PrepareError):
        prepared_list("t.today", since_today, case_id=case.pk)


def test_a_builder_that_reads_the_system_clock_s_date_is_refused(case):
    # Not the active time zone's date: the system's, the same under any override. SQLite gets it as text.
    def since_system_today(*, case_id):
        midnight = datetime.datetime.combine(datetime.date.today(), datetime.time(), tzinfo=datetime.UTC)  # noqa: DTZ011
        return CaseOrganisation.objects.filter(case_id=case_id, added_at__lt=midnight)

    with pytest.raises(PrepareError):
        prepared_list("t.system_today", since_system_today, case_id=case.pk)
