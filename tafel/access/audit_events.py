"""The audit event types of access and administration: the audit log page, second factors, settings.

The numbers are stored in every audit row and in its hash chain: never change or reuse one. A new type gets a
free number (core's registry refuses a number or name another app registered, see tafel/core/registry.py and
docs/decisions/0008-dependency-layers.md); no migration is needed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tafel.core.choices import IntegerChoices
from tafel.core.models import AuditPurpose


class AccessEvent(IntegerChoices):
    # 9xx: access and administration (90x; the denial and the login are core's, the tokens the API's)
    AUDIT_VIEW = 902, _("auditlog bekeken")
    OTP_ENROL = 905, _("tweede factor ingesteld")
    CONFIG_CHANGE = 906, _("instelling gewijzigd (beheer)")


# NEN 7513 EventActionCode of the types that are not an update (U): R read, C create, D delete, E execute.
ACTIONS = {
    AccessEvent.AUDIT_VIEW: "R",
}

# Purpose of use (NEN 7513 / BIO 8.15), when not casusregie.
PURPOSE = AuditPurpose.BEVEILIGING
PURPOSES = {
    AccessEvent.AUDIT_VIEW: AuditPurpose.TOEZICHT,
}
