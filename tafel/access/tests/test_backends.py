"""The signed-in user in one query, with its context (tafel.access.backends)."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from tafel.access.backends import UserBackend
from tafel.organisations.models import Role
from tafel.testing import make_user


def test_a_session_loads_its_user_with_roles_devices_and_organisation_in_one_query(
    professional, django_assert_num_queries
):
    device = TOTPDevice.objects.create(user=professional, name="telefoon", confirmed=True)
    TOTPDevice.objects.create(user=professional, name="oud", confirmed=False)

    for _ in range(2):  # the first call compiles the query (tafel.core.prepared), the second reuses it
        with django_assert_num_queries(1):
            user = UserBackend().get_user(str(professional.pk))
            assert user.organisation.name == professional.organisation.name
    assert user == professional
    assert user.role_codes == {Role.PROFESSIONAL, Role.AANMELDER}
    assert user._confirmed_totp_ids == {device.pk}


def test_a_role_taken_away_counts_on_the_next_request(professional):
    professional.roles.filter(role=Role.AANMELDER).delete()
    assert UserBackend().get_user(professional.pk).role_codes == {Role.PROFESSIONAL}


def test_an_inactive_unknown_or_malformed_user_id_loads_nobody(police):
    gone = make_user(police, Role.PROFESSIONAL, is_active=False)
    backend = UserBackend()
    assert backend.get_user(gone.pk) is None
    assert backend.get_user(999_999_999) is None
    assert backend.get_user("niet-een-getal") is None
