"""The audit event types of the API kit: tokens.

The numbers are stored in every audit row and in its hash chain: never change or reuse one. A new type gets a
free number (core's registry refuses a number or name another app registered, see tafel/core/registry.py and
docs/decisions/0008-dependency-layers.md); no migration is needed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tafel.core.choices import IntegerChoices
from tafel.core.models import AuditPurpose


class ApiEvent(IntegerChoices):
    # 90x: access and administration
    TOKEN_CREATE = 903, _("API-token aangemaakt")
    TOKEN_REVOKE = 904, _("API-token ingetrokken")


# NEN 7513 EventActionCode of the types that are not an update (U): R read, C create, D delete, E execute.
ACTIONS = {
    ApiEvent.TOKEN_CREATE: "C",
    ApiEvent.TOKEN_REVOKE: "D",
}

# Purpose of use (NEN 7513 / BIO 8.15), when not casusregie.
PURPOSE = AuditPurpose.BEVEILIGING
