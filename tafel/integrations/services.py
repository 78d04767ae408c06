"""Writes of the koppelingen (issue 15). OIDC login here; CORV, BRP and webhooks in their own modules."""

from __future__ import annotations

import hashlib

from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone

from tafel.core.audit import audit
from tafel.core.audit_events import CoreEvent
from tafel.core.models import AuditOutcome
from tafel.integrations.audit_events import IntegrationEvent
from tafel.integrations.models import SECOND_FACTOR_RANK, ExternalIdentity, IdentityProvider, acr_rank
from tafel.organisations.models import User, UserRole


class OIDCRefused(SuspiciousOperation):
    """A login the provider vouched for but Tafel refuses; `code` says why (tafel.integrations.oidc shows the
    person a Dutch sentence for it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _username(provider: IdentityProvider, subject: str) -> str:
    # Usernames are shown in the audit log; a provider's subject may be long or opaque, so it is shortened
    # to a stable hash when it does not fit.
    name = f"{provider.slug}:{subject}"
    if len(name) <= 150 and subject.isprintable() and " " not in subject:
        return name
    return f"{provider.slug}:{hashlib.sha256(subject.encode()).hexdigest()[:40]}"


def _text(claims: dict, key: str, limit: int) -> str:
    value = claims.get(key)
    return value[:limit] if isinstance(value, str) else ""


def oidc_login_user(*, provider: IdentityProvider, claims: dict) -> tuple[User, bool]:
    """The Tafel user the provider vouches for, created or brought up to date from the claims; and whether the
    login counts as the second factor. Raises OIDCRefused (acr too low, wrong organisation, no Tafel role).

    - `acr` (from the signed ID token) must reach the provider's minimum (NL GOV assurance profile);
    - the organisation is the provider's; an `organisation_claim`, when configured, must name it;
    - the roles are exactly those the role claim maps to, set again at every login (the partner's identity
      management is the source; a role withdrawn there is gone here at the next login).
    """
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise OIDCRefused("token_invalid")
    acr = claims.get("acr") if isinstance(claims.get("acr"), str) else ""
    if acr_rank(acr) == 0 or acr_rank(acr) < acr_rank(provider.min_acr):
        raise OIDCRefused("acr_too_low")
    if provider.organisation_claim and str(claims.get(provider.organisation_claim, "")) != (
        provider.organisation_claim_value
    ):
        raise OIDCRefused("wrong_organisation")
    roles = provider.roles_for(claims.get(provider.role_claim))
    if not roles:
        raise OIDCRefused("no_roles")

    with transaction.atomic():
        identity = (
            ExternalIdentity.objects.select_for_update()
            .select_related("user")
            .filter(provider=provider, subject=subject)
            .first()
        )
        created = identity is None
        if created:
            user = User(username=_username(provider, subject), organisation=provider.organisation)
            # Only the provider vouches for this account: no Tafel password to guess or phish.
            user.set_unusable_password()
        else:
            user = identity.user
            if not user.is_active:
                raise OIDCRefused("inactive")
        user.first_name = _text(claims, "given_name", 150)
        user.last_name = _text(claims, "family_name", 150)
        user.email = _text(claims, "email", 254)
        user.organisation = provider.organisation
        if created:
            user.save()
            identity = ExternalIdentity.objects.create(provider=provider, subject=subject, user=user)
        else:
            user.save(update_fields=["first_name", "last_name", "email", "organisation"])
        before = set(user.roles.values_list("role", flat=True))
        if before != roles:
            UserRole.objects.filter(user=user).exclude(role__in=roles).delete()
            UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(roles - before)])
            user._role_codes = None
        identity.last_login_at = timezone.now()
        identity.last_acr = acr[:80]
        identity.save(update_fields=["last_login_at", "last_acr"])
        if created or before != roles:
            audit(
                actor=user,
                event=IntegrationEvent.OIDC_USER_PROVISION,
                reason="oidc.created" if created else "oidc.roles_changed",
                details={"provider": provider.pk, "roles": sorted(roles), "roles_before": sorted(before)},
            )
    return user, acr_rank(acr) >= SECOND_FACTOR_RANK


def oidc_login_audit(*, user: User, provider: IdentityProvider, second_factor: bool) -> None:
    audit(
        actor=user,
        event=CoreEvent.LOGIN,
        reason="login.oidc",
        details={"provider": provider.pk, "second_factor": second_factor},
    )


def oidc_refusal_audit(*, provider: IdentityProvider | None, code: str) -> None:
    audit(
        actor=None,
        event=IntegrationEvent.OIDC_LOGIN_REFUSED,
        reason=f"oidc.{code}",
        details={"provider": provider.pk if provider else None},
        outcome=AuditOutcome.DENIED,
    )


def corv_refused_content(*, message_pk: int):
    """A refused CORV message's content, for the operator who inspects it (`corv_import --show`). Reading it is
    audited: it may hold personal data."""
    from tafel.core.crypto import decrypt
    from tafel.integrations.models import CorvMessage, CorvStatus

    message = CorvMessage.objects.filter(pk=message_pk, status=CorvStatus.REFUSED).first()
    if message is None:
        raise LookupError(f"Geen geweigerd CORV-bericht met id {message_pk}.")
    audit(actor=None, event=IntegrationEvent.CORV_REFUSED, reason="corv.inspect", details={"corv_message": message.pk})
    return message, decrypt(message.content_encrypted)
