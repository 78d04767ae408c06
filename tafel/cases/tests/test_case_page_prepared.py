"""Issue 14 item 3: the case page's lists run SQL compiled once per process (tafel.core.prepared). One viewer's
request must never shape another's answer: the fetch-and-check runs per request, the lists take the case id of
each request, and what a viewer may see of them is judged per request. Each test compiles with one viewer first
and then reads as another, in one process; and the page is the same with the ORM compiling every query."""

# ruff: noqa: F811 - `world` is a fixture imported from the query-count tests
from __future__ import annotations

import pytest
from django.urls import reverse

from tafel.cases.tests.test_case_page_queries import _verified_client, world  # noqa: F401 - the fixture
from tafel.core import prepared

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh():
    prepared._PREPARED.clear()
    yield
    prepared._PREPARED.clear()


def _page(client, case):
    return client.get(reverse("cases:detail", args=[case.pk]))


def test_an_outsider_gets_404_after_an_insider_s_read_was_compiled(world, settings, procesregisseur, outsider):
    inside = _page(_verified_client(procesregisseur, settings), world["sparse"])
    assert inside.status_code == 200 and prepared._PREPARED
    # The GGZ takes part in the rich case only.
    other = _verified_client(outsider, settings)
    assert _page(other, world["sparse"]).status_code == 404
    assert world["sparse"].reference not in _page(other, world["rich"]).content.decode()
    assert other.get(f"/api/v1/cases/{world['sparse'].pk}").status_code == 404


def test_items_withheld_from_a_viewer_stay_withheld_after_their_supplier_viewed_the_page(
    world,
    settings,
    professional,
    procesregisseur,
    outsider,
):
    police = _page(_verified_client(professional, settings), world["rich"]).content.decode()
    assert "Notitie politie_onderzoek." in police and "Notitie medisch." in police
    for viewer in (procesregisseur, outsider):
        html = _page(_verified_client(viewer, settings), world["rich"]).content.decode()
        assert "Notitie politie_onderzoek." not in html, viewer.username
        assert "Notitie medisch." not in html, viewer.username
    # The GGZ restricted its own note to itself: the police, reading after the GGZ, does not see it.
    assert "Alleen voor de GGZ." in _page(_verified_client(outsider, settings), world["rich"]).content.decode()
    assert "Alleen voor de GGZ." not in _page(_verified_client(professional, settings), world["rich"]).content.decode()


def test_a_restricted_person_is_shown_only_to_those_who_may_whoever_read_first(
    world, settings, procesregisseur, professional
):
    from tafel.persons.models import Person

    restricted = Person.objects.get(processing_restricted=True)
    for order in ((procesregisseur, professional), (professional, procesregisseur)):
        prepared._PREPARED.clear()
        seen = {}
        for viewer in order:
            html = _page(_verified_client(viewer, settings), world["rich"]).content.decode()
            seen[viewer.username] = restricted.full_name in html
        assert seen == {procesregisseur.username: True, professional.username: False}, order


def test_each_request_reads_its_own_case(world, settings, procesregisseur):
    client = _verified_client(procesregisseur, settings)
    rich = _page(client, world["rich"]).content.decode()
    sparse = _page(client, world["sparse"]).content.decode()
    assert "Persoon3 Rijk" not in sparse and "Kind0 Rijk" in rich and "Kind0 Rijk" not in sparse
    assert "argument c" in rich and "argument c" not in sparse


@pytest.mark.parametrize("viewer", ["procesregisseur", "professional", "outsider"])
def test_the_page_is_the_same_as_with_the_orm_compiling_every_query(request, world, settings, monkeypatch, viewer):
    import re

    from tafel.cases import detail, selectors

    client = _verified_client(request.getfixturevalue(viewer), settings)

    def pages():
        out = []
        for kind in ("rich", "sparse"):
            response = _page(client, world[kind])
            out.append(
                (
                    response.status_code,
                    re.sub(r'(csrfmiddlewaretoken" value=|csrf-token" content=)"[^"]*"', "", response.content.decode()),
                )
            )
            api = client.get(f"/api/v1/cases/{world[kind].pk}")
            out.append((api.status_code, api.content.decode()))
        return out

    prepared_pages = pages()

    def plain(key, make_queryset, **values):
        return list(make_queryset(**values))

    monkeypatch.setattr(selectors, "prepared_list", plain)
    monkeypatch.setattr(detail, "prepared_list", plain)
    assert pages() == prepared_pages


def test_the_add_organisation_select_shows_what_the_queryset_shows(world, procesregisseur):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tafel.cases import selectors
    from tafel.cases.forms import AddOrganisationForm

    for case in world.values():
        queryset = selectors.organisations_to_add(case=case)
        shown = selectors.organisations_to_add_list(case=case)
        assert [o.pk for o in shown] == [o.pk for o in queryset]
        expected = str(AddOrganisationForm(organisations=queryset)["organisation"])
        with CaptureQueriesContext(connection) as ctx:
            html = str(AddOrganisationForm(organisations=queryset, shown=shown)["organisation"])
        assert html == expected and len(ctx) == 0
        assert "<option" in html
        # A bound form (the POST) still checks against the queryset.
        bound = AddOrganisationForm(
            {"organisation": str(world["rich"].participations.first().organisation_id)},
            organisations=queryset,
            shown=shown,
        )
        assert not bound.is_valid() and "organisation" in bound.errors


@pytest.mark.parametrize("viewer", ["procesregisseur", "professional", "outsider"])
def test_the_api_case_is_the_same_as_read_with_everything_the_page_reads(request, world, settings, monkeypatch, viewer):
    """The API's case reads `case_detail(page=False)`: no notes, classification history, proposals or checklist
    columns (it outputs none of them). Its JSON is the same as from the page's whole read, in fewer queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tafel.cases import api_casefile, selectors

    client = _verified_client(request.getfixturevalue(viewer), settings)

    def reads():
        out, counts = [], []
        for kind in ("rich", "sparse"):
            client.get(f"/api/v1/cases/{world[kind].pk}")
            with CaptureQueriesContext(connection) as ctx:
                api = client.get(f"/api/v1/cases/{world[kind].pk}")
            out.append((api.status_code, api.content.decode()))
            counts.append(len(ctx))
        return out, counts

    lean, lean_counts = reads()
    whole = selectors.case_detail

    class Whole:
        @staticmethod
        def case_detail(*, viewer, case_id, page=True):
            return whole(viewer=viewer, case_id=case_id)

    monkeypatch.setattr(api_casefile, "selectors", Whole)
    full, full_counts = reads()
    assert lean == full
    assert any(status == 200 for status, _ in lean)
    assert all(a <= b for a, b in zip(lean_counts, full_counts, strict=True)), (lean_counts, full_counts)
