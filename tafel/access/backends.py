"""The signed-in user in one query (issue 14: the case page in at most 12 queries).

Every page asks, after loading the user, for the user's organisation (access rules), roles (access rules), the
confirmed second-factor devices (TwoFactorMiddleware) and the number of unread notifications (the bell in the
header): four more queries on every request. `user_queryset` loads them with the user; the policy, the second
factor and the bell read what it loaded. Roles and devices are read fresh on every request, as before: a revoked
role or a removed authenticator takes effect on the next request.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import F

from tafel.core.jsonrows import compiled, json_rows, loads
from tafel.core.prepared import prepared_list

# Apps above add columns about the user that every page reads (the lifecycle app: the unread-notification count
# for the bell). `columns(outer) -> dict` of name → expression over users whose id is `outer`; `apply(user, row)`
# puts the loaded values where their readers look. Registered at start-up (docs/decisions/0008-dependency-layers.md).
_columns: list = []


def register_user_columns(columns, apply) -> None:
    if (columns, apply) not in _columns:
        _columns.append((columns, apply))


def with_user_context(queryset, *, user_field: str = ""):
    """`queryset` (of users, or of rows with a user foreign key `user_field`, e.g. "user") annotated with the
    user's roles, confirmed TOTP devices and unread notifications."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tafel.organisations.models import UserRole

    outer = f"{user_field}_id" if user_field else "pk"
    model = queryset.model

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
        **{name: expression for columns, _apply in _columns for name, expression in columns(model, outer).items()},
    )


def apply_user_context(user, row=None) -> None:
    """Put what `with_user_context` loaded (on `row`, or on the user itself) where its readers look."""
    row = row if row is not None else user
    user._role_codes = frozenset(loads(row._roles_json))
    user._confirmed_totp_ids = frozenset(int(i) for i in loads(row._totp_json))
    for _columns_of, apply in _columns:
        apply(user, row)


def user_queryset():
    from tafel.organisations.models import User

    return with_user_context(User._default_manager.select_related("organisation"))


def _user_by_id(user_id: int):
    return user_queryset().filter(pk=user_id).order_by()[:1]


class UserContextMixin:
    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        # Every signed-in request loads its user: the query's SQL is compiled once per process (tafel.core.prepared),
        # which costs the ORM more than running it does (issue 14 item 3, the fixed cost of a page).
        found = prepared_list("access.user_with_context", _user_by_id, user_id=user_id)
        user = found[0] if found else None
        if user is None or not self.user_can_authenticate(user):
            return None
        apply_user_context(user)
        return user


class UserBackend(UserContextMixin, ModelBackend):
    """Django's ModelBackend (username and password), loading the user with its context in one query."""
