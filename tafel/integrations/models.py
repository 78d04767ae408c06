"""Koppelingen (issue 15): identity providers for OpenID Connect login and the identities they vouch for."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tafel.core.choices import TextChoices
from tafel.core.crypto import decrypt, encrypt
from tafel.organisations.models import Organisation, Role, User


class AssuranceLevel(TextChoices):
    """The `acr` values Tafel understands, in the NL GOV assurance profile's order. eHerkenning's levels
    (urn:etoegang) and the eIDAS levels both appear; equal strength shares a rank (ACR_RANK)."""

    EH_LOA2 = "urn:etoegang:core:assurance-class:loa2", _("eHerkenning niveau 2 (één factor)")
    EIDAS_LOW = "http://eidas.europa.eu/LoA/low", _("eIDAS laag (één factor)")
    EH_LOA2PLUS = "urn:etoegang:core:assurance-class:loa2plus", _("eHerkenning niveau 2+ (twee factoren)")
    EH_LOA3 = "urn:etoegang:core:assurance-class:loa3", _("eHerkenning niveau 3 (twee factoren)")
    EIDAS_SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial", _("eIDAS substantieel (twee factoren)")
    EH_LOA4 = "urn:etoegang:core:assurance-class:loa4", _("eHerkenning niveau 4")
    EIDAS_HIGH = "http://eidas.europa.eu/LoA/high", _("eIDAS hoog")


ACR_RANK = {
    AssuranceLevel.EH_LOA2: 1,
    AssuranceLevel.EIDAS_LOW: 1,
    AssuranceLevel.EH_LOA2PLUS: 2,
    AssuranceLevel.EH_LOA3: 3,
    AssuranceLevel.EIDAS_SUBSTANTIAL: 3,
    AssuranceLevel.EH_LOA4: 4,
    AssuranceLevel.EIDAS_HIGH: 4,
}
# From this rank on the provider has checked two factors (eHerkenning 2+ and up, eIDAS substantial and up):
# such a login counts as Tafel's second factor, as the TOTP code does for a local account.
SECOND_FACTOR_RANK = 2


def acr_rank(value: str) -> int:
    """The rank of an `acr` value; 0 for a value Tafel does not know (never enough)."""
    return ACR_RANK.get(value, 0)


def _is_loopback(host: str) -> bool:
    return host in {"localhost", "127.0.0.1", "::1"}


class IdentityProvider(models.Model):
    """A partner organisation's OpenID Connect provider, configured by the beheerder. People who log in
    through it belong to its organisation and get the Tafel roles that `role_map` gives their role claims."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="identity_provider",
        help_text=_("Eén identity provider per partnerorganisatie."),
    )
    name = models.CharField(_("naam op de inlogknop"), max_length=100)
    slug = models.SlugField(_("korte naam (in de adresregel)"), max_length=50, unique=True)
    issuer = models.URLField(
        _("issuer"), help_text=_("De issuer-URL; Tafel leest /.well-known/openid-configuration daaronder.")
    )
    client_id = models.CharField(_("client-id"), max_length=200)
    client_secret_encrypted = models.TextField(_("client-secret (versleuteld)"), blank=True, editable=False)
    scopes = models.CharField(_("scopes"), max_length=200, default="openid profile email")
    min_acr = models.CharField(
        _("minimaal betrouwbaarheidsniveau (acr)"),
        max_length=80,
        choices=AssuranceLevel.choices,
        default=AssuranceLevel.EIDAS_SUBSTANTIAL,
    )
    role_claim = models.CharField(_("claim met de rollen"), max_length=80, default="roles")
    role_map = models.JSONField(
        _("rollen vertalen"),
        default=dict,
        blank=True,
        help_text=_(
            'Waarde in de claim → Tafel-rol, bijvoorbeeld {"zvh-medewerker": ["professional", "aanmelder"]}. '
            "Leeg: alleen claimwaarden die precies een Tafel-rolcode zijn tellen."
        ),
    )
    organisation_claim = models.CharField(
        _("claim met de organisatie"),
        max_length=80,
        blank=True,
        help_text=_("Optioneel: een claim die de organisatie noemt (bijvoorbeeld het OIN)."),
    )
    organisation_claim_value = models.CharField(_("verwachte waarde van die claim"), max_length=200, blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("identity provider (OpenID Connect)")
        verbose_name_plural = _("identity providers (OpenID Connect)")

    def __str__(self) -> str:
        return self.name

    @property
    def client_secret(self) -> str:
        return decrypt(self.client_secret_encrypted)

    def set_client_secret(self, value: str) -> None:
        self.client_secret_encrypted = encrypt(value)

    def clean(self):
        errors = {}
        parts = urlsplit(self.issuer or "")
        if parts.scheme != "https" and not (parts.scheme == "http" and _is_loopback(parts.hostname or "")):
            errors["issuer"] = _("De issuer moet https gebruiken (http alleen op deze machine, om te testen).")
        valid_roles = set(Role.values)
        if not isinstance(self.role_map, dict):
            errors["role_map"] = _("Geef een object: claimwaarde → lijst van Tafel-rollen.")
        else:
            for claim_value, roles in self.role_map.items():
                roles = [roles] if isinstance(roles, str) else roles
                if not isinstance(roles, list) or not all(isinstance(r, str) and r in valid_roles for r in roles):
                    errors["role_map"] = _("Onbekende Tafel-rol bij %(value)s. Kies uit: %(roles)s.") % {
                        "value": claim_value,
                        "roles": ", ".join(sorted(valid_roles)),
                    }
                    break
        if bool(self.organisation_claim) != bool(self.organisation_claim_value):
            errors["organisation_claim_value"] = _("Vul de claim en de verwachte waarde allebei in, of geen van beide.")
        if errors:
            raise ValidationError(errors)

    def roles_for(self, claim) -> set[str]:
        """The Tafel roles that a role claim (a string or a list of strings) gives."""
        values = [claim] if isinstance(claim, str) else list(claim or [])
        roles: set[str] = set()
        for value in values:
            if not isinstance(value, str):
                continue
            if self.role_map:
                mapped = self.role_map.get(value, [])
                roles.update([mapped] if isinstance(mapped, str) else mapped)
            elif value in Role.values:
                roles.add(value)
        return roles & set(Role.values)


class ExternalIdentity(models.Model):
    """The person a provider knows by `subject` (the `sub` claim) is this Tafel user. Matching is by provider
    and subject only, never by e-mail address: a provider cannot take over a local account."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.PROTECT, related_name="identities")
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)
    last_acr = models.CharField(max_length=80, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="unique_provider_subject")]
        verbose_name = _("externe identiteit")
        verbose_name_plural = _("externe identiteiten")

    def __str__(self) -> str:
        return f"{self.provider.slug}:{self.subject}"


class PartnerSystem(models.Model):
    """A partner organisation's system that exchanges messages with Tafel: identified by its OIN
    (Organisatie-identificatienummer, Logius), the number Digikoppeling and CORV name a sender by. `user` is the
    account the system acts as when nobody signs in for it (a CORV drop directory)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="partner_systems"
    )
    name = models.CharField(_("naam"), max_length=100)
    oin = models.CharField(
        _("OIN"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^\d{20}$", _("Een OIN bestaat uit 20 cijfers."))],
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("handelt als gebruiker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Het (systeem)account waaronder berichten uit een afleverdirectory worden ingediend."),
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnersysteem")
        verbose_name_plural = _("partnersystemen")

    def __str__(self) -> str:
        return f"{self.name} ({self.oin})"

    def clean(self):
        if self.user_id and self.organisation_id and self.user.organisation_id != self.organisation_id:
            raise ValidationError({"user": _("Het account moet bij de organisatie van het systeem horen.")})


class CorvStatus(TextChoices):
    ACCEPTED = "accepted", _("ingelezen")
    REFUSED = "refused", _("geweigerd")


class CorvMessage(models.Model):
    """One Zorgformulier Politie received through CORV (issue 15 item 4). The BerichtId of an accepted message is
    unique per sender: the same message again is acknowledged without a second melding. A refused message keeps
    its content (encrypted) for inspection; an accepted one only its digest, its content lives in the melding."""

    received_at = models.DateTimeField(_("ontvangen"), db_index=True)
    sender_oin = models.CharField(_("OIN afzender"), max_length=20, blank=True)
    message_id = models.CharField(_("BerichtId"), max_length=100, blank=True)
    digest = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    channel = models.CharField(_("kanaal"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=CorvStatus.choices)
    reason_code = models.CharField(_("reden (code)"), max_length=40, blank=True)
    reason = models.TextField(_("reden"), blank=True)
    content_encrypted = models.TextField(blank=True, editable=False)
    partner_system = models.ForeignKey(PartnerSystem, on_delete=models.PROTECT, null=True, blank=True)
    aanmelding = models.ForeignKey(
        "cases.Aanmelding", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender_oin", "message_id"],
                condition=models.Q(status="accepted"),
                name="corv_accepted_once",
            )
        ]
        verbose_name = _("CORV-bericht")
        verbose_name_plural = _("CORV-berichten")

    def __str__(self) -> str:
        return f"CORV {self.pk} {self.message_id or '-'} ({self.get_status_display()})"

    @property
    def reference(self) -> str:
        return f"TAFEL-CORV-{self.pk}"


def _url_is_allowed(url: str) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(parts.hostname or ""))


class WebhookSubscription(models.Model):
    """A partner system's subscription to the event feed, pushed as NL GOV CloudEvents (issue 15 item 2). The
    system receives the events of the cases its account may see, and nothing else (need-to-know); each POST is
    signed with the subscription's secret (Standard Webhooks: HMAC-SHA256)."""

    partner_system = models.ForeignKey(
        PartnerSystem, verbose_name=_("partnersysteem"), on_delete=models.PROTECT, related_name="webhooks"
    )
    url = models.URLField(_("adres (https)"), max_length=500)
    secret_encrypted = models.TextField(editable=False)
    event_types = models.JSONField(
        _("soorten gebeurtenissen"),
        default=list,
        blank=True,
        help_text=_('CloudEvents-types, bijvoorbeeld ["nl.tafel.case-transition"]; leeg = alle.'),
    )
    active = models.BooleanField(_("actief"), default=True)
    paused_at = models.DateTimeField(_("gepauzeerd sinds"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("mislukte afleveringen op rij"), default=0)
    # The audit log's id up to which events have been turned into deliveries.
    cursor = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        ordering = ["partner_system__name", "pk"]
        verbose_name = _("webhook-abonnement")
        verbose_name_plural = _("webhook-abonnementen")

    def __str__(self) -> str:
        return f"{self.partner_system.name} → {self.url}"

    @property
    def secret(self) -> str:
        return decrypt(self.secret_encrypted)

    def set_secret(self, value: str) -> None:
        self.secret_encrypted = encrypt(value)

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def clean(self):
        errors = {}
        if not _url_is_allowed(self.url):
            errors["url"] = _("Het adres moet https gebruiken (http alleen op deze machine, om te testen).")
        if not isinstance(self.event_types, list) or not all(isinstance(t, str) for t in self.event_types):
            errors["event_types"] = _("Geef een lijst van types, of laat de lijst leeg.")
        if self.partner_system_id and self.partner_system.user_id is None:
            errors["partner_system"] = _(
                "Dit partnersysteem heeft geen account: Tafel weet dan niet welke casussen het mag volgen."
            )
        if errors:
            raise ValidationError(errors)


class DeliveryStatus(TextChoices):
    PENDING = "pending", _("wacht")
    DELIVERED = "delivered", _("afgeleverd")
    FAILED = "failed", _("opgegeven")


class WebhookDelivery(models.Model):
    """One event for one subscription: the delivery log the beheerder reads. Retried with growing waits on the
    task queue until delivered or given up."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.BigIntegerField(_("gebeurtenis"))
    event_type = models.CharField(_("type"), max_length=100)
    case_id = models.BigIntegerField(_("casus"), null=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("laatste poging"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("laatste HTTP-status"), null=True, blank=True)
    last_error = models.CharField(_("laatste fout"), max_length=100, blank=True)
    delivered_at = models.DateTimeField(_("afgeleverd"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event_id"], name="webhook_event_once"),
        ]
        indexes = [models.Index(fields=["subscription", "status"], name="webhook_sub_status")]
        verbose_name = _("webhook-aflevering")
        verbose_name_plural = _("webhook-afleveringen")

    def __str__(self) -> str:
        return f"{self.event_type} #{self.event_id} → {self.subscription_id} ({self.get_status_display()})"
