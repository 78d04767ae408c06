import pytest

from .factories import closed_family_case


@pytest.fixture
def family(professional, municipality, procesregisseur):
    """A closed family case: vader (Pieter Jan Janssen, with BSN), moeder (Maria Bakker), kind 1 (Lotte, the
    elder) and kind 2 (Sem)."""
    return closed_family_case(professional, municipality, procesregisseur)


@pytest.fixture
def evaluation(family, procesregisseur):
    from tafel.evaluations import services

    return services.evaluation_create(actor=procesregisseur, case=family)


@pytest.fixture
def ketenmanager(house):
    from tafel.organisations.models import Role
    from tafel.testing import make_user

    return make_user(house, Role.KETENMANAGER, username="ketenmanager")
