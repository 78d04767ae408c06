"""Shared fixtures: the three standard actors of STYLE.md and the house around them."""

import pytest

# Django models are imported inside the fixtures, so pure-Python tests can run with `-p no:django`.


@pytest.fixture
def house(db):
    from tafel.organisations.models import OrganisationType
    from tafel.testing import make_org

    return make_org("Zorg- en Veiligheidshuis Test", OrganisationType.ZVH)


@pytest.fixture
def municipality(db):
    from tafel.testing import make_municipality

    return make_municipality("Hilversum", max_caseload=50)


@pytest.fixture
def police(db):
    from tafel.organisations.models import OrganisationType
    from tafel.testing import make_org

    return make_org("Politie Test", OrganisationType.POLITIE)


@pytest.fixture
def ggz(db):
    from tafel.organisations.models import OrganisationType
    from tafel.testing import make_org

    return make_org("GGZ Test", OrganisationType.GGZ)


@pytest.fixture
def procesregisseur(house):
    from tafel.organisations.models import Role
    from tafel.testing import make_user

    return make_user(house, Role.PROCESREGISSEUR, username="regisseur")


@pytest.fixture
def professional(police):
    """A professional of an organisation in the case (the police submits the case in `case`)."""
    from tafel.organisations.models import Role
    from tafel.testing import make_user

    return make_user(police, Role.PROFESSIONAL, Role.AANMELDER, username="agent")


@pytest.fixture
def outsider(ggz):
    from tafel.organisations.models import Role
    from tafel.testing import make_user

    """A professional of a partner organisation that is not in the case."""
    return make_user(ggz, Role.PROFESSIONAL, Role.AANMELDER, username="buiten")


@pytest.fixture
def analyst(db):
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_org, make_user

    org = make_org("Gemeente Beleid", OrganisationType.GEMEENTE)
    return make_user(org, Role.ANALIST, username="analist")


@pytest.fixture
def beheerder(house):
    from tafel.organisations.models import Role
    from tafel.testing import make_user

    return make_user(house, Role.BEHEERDER, username="beheerder", is_staff=True)


@pytest.fixture
def case(professional, municipality, procesregisseur):
    from tafel.testing import make_case

    return make_case(professional, municipality)
