"""What an organisation submitted (the aanmelder's overview, "my aanmeldingen" on the werkvoorraad and the API's
list) is read by the organisation alone (`access.aanmeldingen_of_own_organisation`), not through the whole
visibility rule with its join over the cases' participations and its DISTINCT: the same rows for every viewer,
and none of a case the organisation only takes part in as a partner."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tafel.cases import selectors
from tafel.cases.access import aanmeldingen_of_own_organisation, aanmeldingen_visible_to
from tafel.cases.models import Aanmelding, CaseOrganisation, ParticipationKind
from tafel.organisations.models import Role
from tafel.testing import make_case, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(professional, outsider, procesregisseur, analyst, municipality, police):
    colleague = make_user(police, Role.AANMELDER, username="collega")
    police_cases = [make_case(professional, municipality) for _ in range(3)]
    ggz_cases = [make_case(outsider, municipality) for _ in range(2)]
    # The GGZ is a partner in a police case and the police in a GGZ case: each sees the other's aanmelding there,
    # but neither submitted it.
    CaseOrganisation.objects.create(
        case=police_cases[0],
        organisation=outsider.organisation,
        kind=ParticipationKind.PARTNER,
        added_at=timezone.now(),
    )
    CaseOrganisation.objects.create(
        case=ggz_cases[0], organisation=police, kind=ParticipationKind.PARTNER, added_at=timezone.now()
    )
    return {
        "viewers": [professional, colleague, outsider, procesregisseur, analyst],
        "police": police_cases,
        "ggz": ggz_cases,
    }


def _ids(qs) -> list[int]:
    return list(qs.values_list("pk", flat=True))


def test_the_own_list_is_the_rule_s_answer_filtered_to_the_organisation_for_every_viewer(world):
    for viewer in world["viewers"]:
        through_the_rule = aanmeldingen_visible_to(viewer).filter(supplied_by_org_id=viewer.organisation_id)
        own = selectors.aanmelding_list_for_submitter(viewer=viewer)
        assert _ids(own) == _ids(through_the_rule.order_by("-created_at", "-id")), viewer.username
        # Always within what the visibility rule gives this viewer.
        assert set(_ids(own)) <= set(_ids(aanmeldingen_visible_to(viewer)))


def test_a_partner_s_own_list_holds_what_it_submitted_and_nothing_of_the_case_it_joined(world, outsider):
    own = set(_ids(selectors.aanmelding_list_for_submitter(viewer=outsider)))
    assert own == set(_ids(Aanmelding.objects.filter(case__in=world["ggz"])))
    joined = set(_ids(Aanmelding.objects.filter(case=world["police"][0])))
    assert joined <= set(_ids(aanmeldingen_visible_to(outsider)))  # it sees them as a partner,
    assert not joined & own  # but they are not its own


def test_without_case_content_or_organisation_nothing(world, analyst):
    assert not aanmeldingen_of_own_organisation(analyst).exists()
    analyst.organisation = None
    assert not aanmeldingen_of_own_organisation(analyst).exists()


def test_a_partner_s_count_reads_its_own_aanmeldingen_without_the_participations(world, outsider):
    with CaptureQueriesContext(connection) as queries:
        count = selectors.aanmelding_list_for_submitter(viewer=outsider).count()
    assert count == 2
    sql = queries.captured_queries[-1]["sql"].upper()
    assert "DISTINCT" not in sql
    assert CaseOrganisation._meta.db_table.upper() not in sql
