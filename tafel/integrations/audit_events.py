"""The audit event types of the koppelingen (94x-96x).

The numbers are stored in every audit row and in its hash chain: never change or reuse one. A new type gets a
free number (core's registry refuses a number or name another app registered, see tafel/core/registry.py and
docs/decisions/0008-dependency-layers.md); no migration is needed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tafel.core.choices import IntegerChoices
from tafel.core.models import AuditPurpose


class IntegrationEvent(IntegerChoices):
    # 94x-96x: koppelingen (issue 15): OpenID Connect login, CORV, BRP, webhooks
    OIDC_LOGIN_REFUSED = 940, _("inloggen via identity provider geweigerd")
    OIDC_USER_PROVISION = 941, _("account aangemaakt of bijgewerkt via identity provider")
    CORV_IMPORT = 950, _("CORV-zorgmelding ingelezen")
    CORV_REFUSED = 951, _("CORV-bericht geweigerd")
    BRP_LOOKUP = 955, _("persoon opgevraagd in de BRP")
    WEBHOOK_SUBSCRIPTION_CHANGE = 960, _("webhook-abonnement gewijzigd")
    WEBHOOK_PAUSED = 961, _("webhook-abonnement gepauzeerd na mislukte afleveringen")


# NEN 7513 EventActionCode of the types that are not an update (U): R read, C create, D delete, E execute.
ACTIONS = {}

# Purpose of use (NEN 7513 / BIO 8.15), when not casusregie.
PURPOSE = AuditPurpose.BEVEILIGING
PURPOSES = {
    IntegrationEvent.BRP_LOOKUP: AuditPurpose.CASUSREGIE,
    IntegrationEvent.CORV_IMPORT: AuditPurpose.CASUSREGIE,
    IntegrationEvent.WEBHOOK_SUBSCRIPTION_CHANGE: AuditPurpose.BEHEER,
}
