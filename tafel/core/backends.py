"""The signed-in user in one query (issue 14: the case page in at most 12 queries).

Every page asks, after loading the user, for the user's organisation (access rules), roles (access rules), the
confirmed second-factor devices (TwoFactorMiddleware) and the number of unread notifications (the bell in the
header): four more queries on every request. `user_queryset` loads them with the user; the policy, the second
factor and the bell read what it loaded. Roles and devices are read fresh on every request, as before: a revoked
role or a removed authenticator takes effect on the next request.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from tafel.core.jsonrows import compiled, json_rows, loads

TOTP_PERSISTENT_PREFIX = "otp_totp.totpdevice/"


def with_user_context(queryset, *, user_field: str = ""):
    """`queryset` (of users, or of rows with a user foreign key `user_field`, e.g. "user") annotated with the
    user's roles, confirmed TOTP devices and unread notifications."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tafel.lifecycle.models import Notification
    from tafel.organisations.models import UserRole

    outer = f"{user_field}_id" if user_field else "pk"
    model = queryset.model

    def unread():
        count = (
            Notification.objects.filter(user=OuterRef(outer), read_at__isnull=True)
            .order_by()
            .values("user")
            .annotate(n=Count("id"))
            .values("n")
        )
        return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))

    # Compiled once per process (jsonrows.compiled): compiling costs more than running them.
    return queryset.annotate(
        _roles_json=compiled(
            model,
            ("roles", outer),
            lambda: json_rows(UserRole.objects.all(), link="user", value=F("role"), outer=outer),
        ),
        _totp_json=compiled(
            model,
            ("totp", outer),
            lambda: json_rows(TOTPDevice.objects.filter(confirmed=True), link="user", value=F("id"), outer=outer),
        ),
        _unread=compiled(model, ("unread", outer), unread, output_field=IntegerField()),
    )


def apply_user_context(user, row=None) -> None:
    """Put what `with_user_context` loaded (on `row`, or on the user itself) where its readers look."""
    row = row if row is not None else user
    user._role_codes = frozenset(loads(row._roles_json))
    user._confirmed_totp_ids = frozenset(int(i) for i in loads(row._totp_json))
    user._unread_notifications = int(row._unread)


def user_queryset():
    from tafel.organisations.models import User

    return with_user_context(User._default_manager.select_related("organisation"))


class UserContextMixin:
    def get_user(self, user_id):
        user = user_queryset().filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        apply_user_context(user)
        return user


class UserBackend(UserContextMixin, ModelBackend):
    """Django's ModelBackend (username and password), loading the user with its context in one query."""
