"""Beheer of the koppelingen (issue 15): the beheerder configures each partner organisation's identity provider.
The client secret is write-only: typed in a password field, stored encrypted, never shown again."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from tafel.access.policy import may_use_admin

from .models import (
    CorvMessage,
    ExternalIdentity,
    IdentityProvider,
    PartnerSystem,
    WebhookDelivery,
    WebhookSubscription,
)


class _BeheerOnly:
    def has_module_permission(self, request):
        return may_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return may_use_admin(request.user)

    has_add_permission = has_change_permission = has_view_permission


class IdentityProviderForm(forms.ModelForm):
    issuer = forms.URLField(label=_("issuer"), assume_scheme="https", max_length=200)
    client_secret = forms.CharField(
        label=_("client-secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Laat leeg om het opgeslagen secret te houden."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "organisation",
            "name",
            "slug",
            "issuer",
            "client_id",
            "client_secret",
            "scopes",
            "min_acr",
            "role_claim",
            "role_map",
            "organisation_claim",
            "organisation_claim_value",
            "active",
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.client_secret_encrypted and not cleaned.get("client_secret"):
            self.add_error("client_secret", _("Vul het client-secret in dat de identity provider gaf."))
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("client_secret"):
            self.instance.set_client_secret(self.cleaned_data["client_secret"])
        return super().save(commit=commit)


@admin.register(IdentityProvider)
class IdentityProviderAdmin(_BeheerOnly, admin.ModelAdmin):
    form = IdentityProviderForm
    list_display = ["name", "organisation", "issuer", "min_acr", "active"]
    list_select_related = ["organisation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(_BeheerOnly, admin.ModelAdmin):
    """Who logged in through which provider (read only: the link is made by the login itself)."""

    list_display = ["user", "provider", "last_login_at", "last_acr"]
    list_select_related = ["user", "provider"]
    readonly_fields = ["provider", "subject", "user", "created_at", "last_login_at", "last_acr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PartnerSystem)
class PartnerSystemAdmin(_BeheerOnly, admin.ModelAdmin):
    list_display = ["name", "organisation", "oin", "user", "active"]
    list_select_related = ["organisation", "user"]
    search_fields = ["name", "oin"]


@admin.register(CorvMessage)
class CorvMessageAdmin(_BeheerOnly, admin.ModelAdmin):
    """Received CORV messages: what came in, from whom, taken or refused and why. The content of a refused
    message is not shown here (it may hold personal data); the operator reads it with `corv_import --show`."""

    list_display = ["pk", "received_at", "sender_oin", "message_id", "status", "reason_code", "channel"]
    list_filter = ["status", "channel", "reason_code"]
    search_fields = ["message_id", "sender_oin"]
    fields = [
        "received_at",
        "sender_oin",
        "partner_system",
        "message_id",
        "status",
        "reason_code",
        "reason",
        "channel",
        "size",
        "digest",
        "aanmelding",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("adres (https)"), assume_scheme="https", max_length=500)
    secret = forms.CharField(
        label=_("geheim (voor de HMAC-handtekening)"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leeg bij een nieuw abonnement: Tafel maakt een geheim en toont het één keer."),
    )

    class Meta:
        model = WebhookSubscription
        fields = ["partner_system", "url", "secret", "event_types", "active"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(_BeheerOnly, admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ["partner_system", "url", "active", "paused_at", "consecutive_failures"]
    list_filter = ["active"]
    list_select_related = ["partner_system"]
    readonly_fields = ["paused_at", "consecutive_failures", "created_at"]
    actions = ["resume"]

    def save_model(self, request, obj, form, change):
        from .webhooks import new_secret, webhook_subscription_save

        secret = form.cleaned_data.get("secret") or ""
        if not change and not secret:
            secret = new_secret()
            messages.warning(
                request,
                _(
                    "Het geheim van dit abonnement is %(secret)s — geef het aan het partnersysteem; het wordt niet "
                    "meer getoond."
                )
                % {"secret": secret},
            )
        webhook_subscription_save(actor=request.user, subscription=obj, secret=secret)

    @admin.action(description=_("Hervatten (gepauzeerde abonnementen)"))
    def resume(self, request, queryset):
        from .webhooks import webhook_resume

        queued = sum(webhook_resume(actor=request.user, subscription=sub) for sub in queryset)
        messages.success(request, _("Hervat; %(n)s wachtende afleveringen worden verstuurd.") % {"n": queued})


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(_BeheerOnly, admin.ModelAdmin):
    """The delivery log: which event went to which system, how often it was tried and what came back."""

    list_display = [
        "pk",
        "subscription",
        "event_type",
        "event_id",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "subscription"]
    list_select_related = ["subscription__partner_system"]
    fields = list_display[1:] + ["case_id", "last_attempt_at", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
