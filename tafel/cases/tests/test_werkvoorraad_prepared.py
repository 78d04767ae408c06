"""Issue 14 item 3: the werkvoorraad's sections are read with SQL compiled once per process (`PreparedSection`,
`tafel.core.prepared.prepared_page/ids/count`). They give what the ORM gives, page by page, for every viewer,
whoever read them first in the process; only a viewer whom the access rules give every row gets prepared SQL."""

from __future__ import annotations

import pytest
from django.db.models import Q

from tafel.cases import selectors
from tafel.cases.access import aanmeldingen_visible_to, cases_visible_to
from tafel.cases.models import Aanmelding, AanmeldingStatus, Case, CaseStatus
from tafel.core import prepared
from tafel.organisations.models import Role
from tafel.testing import make_case, make_user

pytestmark = pytest.mark.django_db

SLICES = [slice(0, 4), slice(4, 8), slice(8, 12), slice(3, 5), slice(0, 100), slice(40, 44), slice(2, 2)]


@pytest.fixture(autouse=True)
def _fresh_plans():
    saved = dict(prepared._PREPARED)
    prepared._PREPARED.clear()
    yield
    prepared._PREPARED.clear()
    prepared._PREPARED.update(saved)


@pytest.fixture
def world(professional, procesregisseur, outsider, municipality, house):
    second = make_user(house, Role.PROCESREGISSEUR, username="regisseur2")
    informatie = make_user(house, Role.INFORMATIEMEDEWERKER, username="info")
    intake = make_user(house, Role.PROCESREGISSEUR, Role.AANMELDER, username="intake")
    for i in range(7):
        submitted = make_case(intake if i % 2 else professional, municipality)
        if i % 3 == 0:
            Aanmelding.objects.filter(case=submitted).update(status=AanmeldingStatus.INFO_GEVRAAGD)
    for i in range(9):
        make_case(professional, municipality, desired_response_days=3 + i if i % 3 else None, urgency="hoog")
        make_case(outsider, municipality, urgency="acuut" if i % 2 else "normaal")
        waiting = make_case(professional if i % 2 else outsider, municipality)
        Case.objects.filter(pk=waiting.pk).update(status=CaseStatus.VERRIJKEN)
        for regisseur, status in ((procesregisseur, CaseStatus.ACTIEF), (second, CaseStatus.AFGESLOTEN)):
            mine = make_case(professional if i % 2 else outsider, municipality)
            Case.objects.filter(pk=mine.pk).update(
                status=status if i % 4 else CaseStatus.ACTIEF,
                procesregisseur=regisseur,
                casusregisseur=professional if i % 3 == 0 else None,
            )
    return [procesregisseur, second, informatie, intake, professional, outsider]


def _orm_my_cases(viewer):
    return (
        cases_visible_to(viewer)
        .filter(Q(procesregisseur=viewer) | Q(casusregisseur=viewer), status__in=selectors.MY_CASES_STATUSES)
        .order_by("-status_changed_at", "-id")
    )


def _rows(cases) -> list:
    return [(c.pk, c.reference, c.municipality.name, getattr(c.procesregisseur, "pk", None)) for c in cases]


def test_werkvoorraad_sections_give_what_the_orm_gives_for_every_viewer_in_any_order(world):
    for viewers in (world, list(reversed(world))):
        prepared._PREPARED.clear()
        for viewer in viewers:
            wv = selectors.werkvoorraad(viewer=viewer)
            mine = _orm_my_cases(viewer)
            assert len(wv.my_cases) == mine.count()
            for s in SLICES:
                assert _rows(wv.my_cases[s]) == _rows(mine.select_related("municipality", "procesregisseur")[s])
            submitted = selectors.aanmelding_list_for_submitter(viewer=viewer)
            asked = submitted.filter(status=AanmeldingStatus.INFO_GEVRAAGD)
            for section, orm in ((wv.my_aanmeldingen, submitted), (wv.info_requested, asked)):
                assert len(section) == orm.count()
                for s in SLICES:
                    assert [(a.pk, a.case.reference, a.created_by_id) for a in section[s]] == [
                        (a.pk, a.case.reference, a.created_by_id) for a in orm[s]
                    ]
            if viewer.username == "intake":
                assert len(wv.my_aanmeldingen) == 3 and len(wv.info_requested) == 1
                assert isinstance(wv.my_aanmeldingen, selectors.PreparedSection)
            if selectors.sees_all_cases(viewer):
                waiting = (
                    cases_visible_to(viewer).filter(status=CaseStatus.VERRIJKEN).order_by("status_changed_at", "id")
                )
                queue = wv.to_triage
                ordered = selectors._triage_order(cases_visible_to(viewer).filter(status=CaseStatus.AANGEMELD))
                assert len(wv.waiting_for_info) == waiting.count() == 9
                assert len(queue) == ordered.count() == 25
                for s in SLICES:
                    assert _rows(wv.waiting_for_info[s]) == _rows(waiting[s])
                    page = queue[s]
                    assert [(c.pk, c.response_deadline) for c in page] == [
                        (c.pk, c.response_deadline) for c in ordered[s]
                    ]
                    assert _rows(page) == _rows(ordered[s])
            else:
                assert wv.waiting_for_info == [] and wv.to_triage == []


def test_my_cases_are_each_viewers_own_whoever_read_first(world):
    procesregisseur, second, *_ = world
    first = [c.pk for c in selectors.werkvoorraad(viewer=procesregisseur).my_cases[0:100]]
    other = [c.pk for c in selectors.werkvoorraad(viewer=second).my_cases[0:100]]
    assert first and other and not set(first) & set(other)
    assert set(other) == set(_orm_my_cases(second).values_list("pk", flat=True))


def test_only_a_viewer_whom_the_rules_give_every_row_gets_prepared_sql(world, police, house):
    """A query built on an access rule is prepared only when the rule gives the viewer every row (no condition, so
    nothing of the viewer in the SQL kept for the process); a partner's and a viewer without content's are the
    ORM's, compiled per request, and leave no plan behind."""
    procesregisseur, second, informatie, intake, professional, outsider = world
    aanmelder = make_user(police, Role.AANMELDER, username="alleen-aanmelder")
    for viewer in (professional, outsider, aanmelder):
        prepared._PREPARED.clear()
        wv = selectors.werkvoorraad(viewer=viewer)
        assert not selectors._gives_all(cases_visible_to(viewer))
        len(wv.my_cases), wv.my_cases[0:4], len(wv.my_aanmeldingen), list(wv.my_aanmeldingen[0:4])
        assert not prepared._PREPARED, (viewer.username, list(prepared._PREPARED))
    for viewer in (procesregisseur, informatie, intake):
        prepared._PREPARED.clear()
        wv = selectors.werkvoorraad(viewer=viewer)
        assert selectors._gives_all(cases_visible_to(viewer)) and selectors._gives_all(aanmeldingen_visible_to(viewer))
        len(wv.my_cases), wv.my_cases[0:4], len(wv.to_triage), wv.to_triage[0:4]
        assert prepared._PREPARED
        for plan in prepared._PREPARED.values():
            # Nothing of the viewer in the SQL or its constant parameters: the viewer's id only in a slot.
            for value in (viewer.pk, viewer.organisation_id):
                assert value not in [p for i, p in enumerate(plan.params) if i not in dict(plan.slots)]


@pytest.mark.parametrize(
    "make",
    [
        lambda **v: Case.objects.filter(pk__gt=v["n"]).order_by("id")[:3],
        lambda **v: Case.objects.filter(pk__gt=v["n"]).distinct().order_by("id"),
    ],
)
def test_pages_and_counts_refuse_sliced_or_distinct_queries(world, make):
    for read in (prepared.prepared_count, prepared.prepared_ids):
        with pytest.raises(prepared.PrepareError):
            read(
                ("refused", id(make), read.__name__),
                make,
                **({"offset": 0, "limit": 2} if read is prepared.prepared_ids else {}),
                n=0,
            )


def test_pages_and_counts_match_the_orm(world):
    def make(**v):
        return Case.objects.filter(pk__gt=v["n"]).select_related("municipality").order_by("-created_at", "id")

    for n in (0, 5, 10_000):
        assert prepared.prepared_count("cases_after", make, n=n) == make(n=n).count()
        for offset, limit in ((0, 5), (5, 5), (30, 100)):
            want = list(make(n=n)[offset : offset + limit])
            assert prepared.prepared_page("cases_after", make, offset=offset, limit=limit, n=n) == want
            assert prepared.prepared_ids("cases_after", make, offset=offset, limit=limit, n=n) == [c.pk for c in want]
