"""The access matrix for cases and aanmeldingen at the domain level (SPEC §1, §6; STYLE.md Access)."""

from __future__ import annotations

import pytest

from tafel.access import policy
from tafel.cases import access as case_access
from tafel.cases.models import Aanmelding, Case
from tafel.cases.services import PersonInput, aanmelding_create
from tafel.core.audit_events import CoreEvent
from tafel.core.errors import AccessDenied, NotFound
from tafel.core.models import AuditEvent
from tafel.organisations.models import OrganisationType, Role, User
from tafel.testing import aanmelding_input, make_org, make_user, screen


@pytest.fixture
def informatiemedewerker(house):
    return make_user(house, Role.INFORMATIEMEDEWERKER, username="info")


@pytest.fixture
def ketenmanager(house):
    return make_user(house, Role.KETENMANAGER, username="manager")


@pytest.fixture
def inactive_professional(police):
    return make_user(police, Role.PROFESSIONAL, username="oud-agent", is_active=False)


@pytest.fixture
def orphan(db):
    """A user with a content role but no organisation (e.g. half-created by an import)."""
    user = User.objects.create_user(username="wees", password="x-Tafel-2026-x")
    user.roles.create(role=Role.PROFESSIONAL)
    return user


def _sees(user, case) -> bool:
    return case_access.cases_visible_to(user).filter(pk=case.pk).exists()


# --- who sees the case ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["procesregisseur", "informatiemedewerker"])
def test_house_process_roles_see_every_case(request, case, outsider, municipality, who):
    user = request.getfixturevalue(who)
    other = aanmelding_create(actor=outsider, data=aanmelding_input(municipality)).case

    assert set(case_access.cases_visible_to(user)) == {case, other}
    assert case_access.can_view_case(user, case)
    assert case_access.case_get_for_user(user=user, case_id=case.pk) == case


def test_professional_of_participating_organisation_sees_the_case(case, professional):
    assert _sees(professional, case)
    assert case_access.can_view_case(professional, case)
    assert case_access.case_get_for_user(user=professional, case_id=case.pk) == case


def test_professional_sees_only_cases_of_own_organisation(case, professional, outsider, municipality):
    other = aanmelding_create(actor=outsider, data=aanmelding_input(municipality)).case

    assert list(case_access.cases_visible_to(professional)) == [case]
    assert list(case_access.cases_visible_to(outsider)) == [other]


def test_outsider_does_not_see_the_case_and_the_attempt_is_audited(case, outsider):
    assert not _sees(outsider, case)
    assert not case_access.can_view_case(outsider, case)

    with pytest.raises(NotFound) as exc:
        case_access.case_get_for_user(user=outsider, case_id=case.pk)

    assert exc.value.status == 404
    event = AuditEvent.objects.get(event_type=CoreEvent.ACCESS_DENIED, case_id=case.pk)
    assert event.actor == outsider
    assert event.organisation_id == outsider.organisation_id


def test_not_found_and_not_visible_are_indistinguishable(case, outsider):
    with pytest.raises(NotFound) as hidden:
        case_access.case_get_for_user(user=outsider, case_id=case.pk)
    with pytest.raises(NotFound) as missing:
        case_access.case_get_for_user(user=outsider, case_id=case.pk + 1000)

    assert hidden.value.message == missing.value.message
    # A case that does not exist leaves no denial with a case id pointing at nothing.
    assert not AuditEvent.objects.filter(case_id=case.pk + 1000).exists()


@pytest.mark.parametrize("bad_id", ["abc", None, "", "1; DROP TABLE"])
def test_malformed_case_id_is_not_found(case, professional, bad_id):
    with pytest.raises(NotFound):
        case_access.case_get_for_user(user=professional, case_id=bad_id)


@pytest.mark.parametrize("who", ["analyst", "ketenmanager", "beheerder"])
def test_roles_without_case_content_see_no_case(request, case, who):
    user = request.getfixturevalue(who)

    assert not case_access.cases_visible_to(user).exists()
    assert not case_access.can_view_case(user, case)
    with pytest.raises(NotFound):
        case_access.case_get_for_user(user=user, case_id=case.pk)
    assert AuditEvent.objects.filter(event_type=CoreEvent.ACCESS_DENIED, actor=user).exists()


def test_house_beheerder_with_other_org_participating_still_sees_nothing(case, house, beheerder, procesregisseur):
    from tafel.cases.services import case_add_organisation

    case_add_organisation(actor=procesregisseur, case=case, organisation=house, reason="Huis zelf")

    assert not case_access.can_view_case(beheerder, case)


def test_inactive_user_sees_no_case(case, inactive_professional):
    assert not case_access.cases_visible_to(inactive_professional).exists()
    assert not case_access.can_view_case(inactive_professional, case)
    with pytest.raises(NotFound):
        case_access.case_get_for_user(user=inactive_professional, case_id=case.pk)


def test_user_without_organisation_sees_no_case(case, orphan):
    assert not case_access.cases_visible_to(orphan).exists()
    assert not case_access.can_view_case(orphan, case)
    with pytest.raises(NotFound):
        case_access.case_get_for_user(user=orphan, case_id=case.pk)


def test_user_of_deactivated_organisation_sees_no_case(case, professional, police):
    police.active = False
    police.save(update_fields=["active"])
    professional = User.objects.get(pk=professional.pk)

    assert not case_access.cases_visible_to(professional).exists()
    assert not policy.may_submit_aanmelding(professional)
    with pytest.raises(NotFound):
        case_access.case_get_for_user(user=professional, case_id=case.pk)


def test_anonymous_user_sees_no_case(case):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not case_access.cases_visible_to(anonymous).exists()
    with pytest.raises(NotFound):
        case_access.case_get_for_user(user=anonymous, case_id=case.pk)


def test_informatiemedewerker_outside_the_house_sees_only_own_cases(case, police, outsider, municipality):
    other = aanmelding_create(actor=outsider, data=aanmelding_input(municipality)).case
    police_info = make_user(police, Role.INFORMATIEMEDEWERKER, username="politie-info")

    assert list(case_access.cases_visible_to(police_info)) == [case]
    assert not case_access.can_view_case(police_info, other)


def test_participation_is_shown_once_per_case(case, procesregisseur, police, ggz, professional):
    from tafel.cases.services import case_add_organisation

    case_add_organisation(actor=procesregisseur, case=case, organisation=ggz, reason="Behandelaar")

    assert case_access.cases_visible_to(professional).count() == 1


# --- actions ------------------------------------------------------------------------------------------


def test_visible_professional_asking_to_triage_gets_access_denied_not_not_found(case, professional):
    with pytest.raises(AccessDenied) as exc:
        case_access.case_get_for_user(user=professional, case_id=case.pk, action="triage")

    assert exc.value.status == 403
    event = AuditEvent.objects.get(event_type=CoreEvent.ACCESS_DENIED, case_id=case.pk)
    assert event.actor == professional
    assert event.reason == "case.triage"
    assert event.outcome == "denied"


def test_procesregisseur_may_triage_and_manage(case, procesregisseur):
    assert case_access.case_get_for_user(user=procesregisseur, case_id=case.pk, action="triage") == case
    assert case_access.case_get_for_user(user=procesregisseur, case_id=case.pk, action="manage") == case


def test_informatiemedewerker_may_manage_but_not_triage(case, informatiemedewerker):
    assert case_access.case_get_for_user(user=informatiemedewerker, case_id=case.pk, action="manage") == case
    with pytest.raises(AccessDenied):
        case_access.case_get_for_user(user=informatiemedewerker, case_id=case.pk, action="triage")


def test_outsider_asking_to_triage_gets_not_found(case, outsider):
    with pytest.raises(NotFound):
        case_access.case_get_for_user(user=outsider, case_id=case.pk, action="triage")


def test_unknown_action_is_a_programming_error(case, procesregisseur):
    with pytest.raises(ValueError, match="onbekende"):
        case_access.case_get_for_user(user=procesregisseur, case_id=case.pk, action="verwijderen")


@pytest.mark.parametrize("who", ["procesregisseur", "professional"])
def test_case_get_for_update_locks_and_returns_case(request, case, who):
    from django.db import transaction

    from tafel.cases.services import triage_decide
    from tafel.cases.tests.test_services_triage import triage_input

    # With a procesregisseur set, select_related adds outer joins that must not be locked (PostgreSQL).
    triage_decide(actor=request.getfixturevalue("procesregisseur"), case=case, data=triage_input("zvh_com"))
    user = request.getfixturevalue(who)
    with transaction.atomic():
        locked = case_access.case_get_for_user(user=user, case_id=case.pk, for_update=True)
    assert locked == case
    assert locked.procesregisseur is not None


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("procesregisseur", True),
        ("professional", True),
        ("outsider", True),
        ("analyst", False),
        ("beheerder", False),
        ("inactive_professional", False),
        ("orphan", False),
    ],
)
def test_who_may_submit_an_aanmelding(request, who, expected):
    assert policy.may_submit_aanmelding(request.getfixturevalue(who)) is expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("procesregisseur", True), ("informatiemedewerker", False), ("professional", False), ("beheerder", False)],
)
def test_only_house_procesregisseur_may_triage(request, who, expected):
    assert policy.may_triage(request.getfixturevalue(who)) is expected


def test_only_beheerder_reads_audit(beheerder, procesregisseur, analyst):
    assert policy.may_read_audit(beheerder)
    assert not policy.may_read_audit(procesregisseur)
    assert not policy.may_read_audit(analyst)


# --- aanmeldingen -------------------------------------------------------------------------------------


@pytest.fixture
def joined(case, outsider, municipality):
    """The outsider's organisation sends a melding about a person in `case`: it joins that case."""
    person = case.case_persons.get().person
    screen(outsider, person)
    result = aanmelding_create(
        actor=outsider,
        data=aanmelding_input(municipality, persons=[PersonInput(existing_person_id=person.pk, role="pleger")]),
    )
    assert result.joined_existing
    return result.aanmelding


def test_submitting_org_sees_its_aanmelding_that_joined_a_case_it_is_not_in(case, joined, outsider):
    assert list(case_access.aanmeldingen_visible_to(outsider)) == [joined]
    assert case_access.aanmelding_get_for_user(user=outsider, aanmelding_id=joined.pk) == joined
    # ... but not the case itself, nor the other organisation's aanmelding.
    assert not case_access.can_view_case(outsider, case)
    with pytest.raises(NotFound):
        case_access.case_get_for_user(user=outsider, case_id=case.pk)
    first = case.aanmeldingen.exclude(pk=joined.pk).get()
    with pytest.raises(NotFound):
        case_access.aanmelding_get_for_user(user=outsider, aanmelding_id=first.pk)


def test_participating_org_sees_every_aanmelding_of_its_case(case, joined, professional):
    assert set(case_access.aanmeldingen_visible_to(professional)) == set(case.aanmeldingen.all())
    assert case_access.aanmeldingen_visible_to(professional).count() == 2


def test_house_sees_every_aanmelding(case, joined, procesregisseur):
    assert case_access.aanmeldingen_visible_to(procesregisseur).count() == Aanmelding.objects.count() == 2


@pytest.mark.parametrize("who", ["analyst", "beheerder", "inactive_professional", "orphan"])
def test_no_aanmelding_for_users_without_case_content(request, case, who):
    user = request.getfixturevalue(who)
    assert not case_access.aanmeldingen_visible_to(user).exists()
    with pytest.raises(NotFound):
        case_access.aanmelding_get_for_user(user=user, aanmelding_id=case.aanmeldingen.get().pk)


def test_hidden_aanmelding_attempt_is_audited(case, outsider):
    aanmelding = case.aanmeldingen.get()
    with pytest.raises(NotFound):
        case_access.aanmelding_get_for_user(user=outsider, aanmelding_id=aanmelding.pk)
    assert AuditEvent.objects.filter(event_type=CoreEvent.ACCESS_DENIED, actor=outsider).exists()


def test_procesregisseur_of_a_partner_organisation_does_not_see_all_cases(case):
    riec = make_org("RIEC Test", OrganisationType.RIEC)
    riec_regisseur = make_user(riec, Role.PROCESREGISSEUR, username="riec-regie")

    assert not policy.sees_all_cases(riec_regisseur)
    assert not Case.objects.filter(pk__in=case_access.cases_visible_to(riec_regisseur)).exists()
