"""Who counts as a procesregisseur of the house (issue 13: one definition, `cases.selectors.house_procesregisseurs`).

It decides whom the triage form offers and triage accepts, who hears of a case without a procesregisseur, and
whom Veilig Thuis's escalation to the house reaches. An active account with the role, in an active house
organisation: a switched-off account and the procesregisseur of a house organisation that was deactivated are
out, like for the policy (`active_users`)."""

from __future__ import annotations

import pytest

from tafel.cases.selectors import case_regisseurs, house_procesregisseurs
from tafel.cases.services import triage_decide
from tafel.cases.tests.test_services_triage import triage_input
from tafel.core.errors import ValidationFailed
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import make_org, make_user


@pytest.fixture
def others(house, police):
    old_house = make_org("Oud huis", OrganisationType.ZVH)
    old_house_regisseur = make_user(old_house, Role.PROCESREGISSEUR, username="oudhuis")
    old_house.active = False
    old_house.save(update_fields=["active"])
    return {
        "inactive_account": make_user(house, Role.PROCESREGISSEUR, username="uitgeschakeld", is_active=False),
        "inactive_organisation": old_house_regisseur,
        "other_role": make_user(house, Role.INFORMATIEMEDEWERKER, username="infomedewerker"),
        "outside_the_house": make_user(police, Role.PROCESREGISSEUR, username="politieregie"),
    }


def test_only_active_procesregisseurs_of_an_active_house_organisation(procesregisseur, house, others):
    colleague = make_user(house, Role.PROCESREGISSEUR, Role.INFORMATIEMEDEWERKER, username="collega")

    found = list(house_procesregisseurs())

    # Once each, though the colleague has two roles.
    assert sorted(u.pk for u in found) == sorted([procesregisseur.pk, colleague.pk])


def test_a_case_without_procesregisseur_tells_the_same_people(case, procesregisseur, others):
    case.procesregisseur = None

    assert case_regisseurs(case) == list(house_procesregisseurs()) == [procesregisseur]


@pytest.mark.parametrize("who", ["inactive_account", "inactive_organisation", "other_role", "outside_the_house"])
def test_triage_names_only_a_house_procesregisseur(case, procesregisseur, others, who):
    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com", procesregisseur_id=others[who].pk))

    assert "procesregisseur" in exc.value.field_errors
