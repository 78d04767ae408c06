"""The audit event types of the federation (7xx).

The numbers are stored in every audit row and in its hash chain: never change or reuse one. A new type gets a
free number (core's registry refuses a number or name another app registered, see tafel/core/registry.py and
docs/decisions/0008-dependency-layers.md); no migration is needed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tafel.core.choices import IntegerChoices


class FederationEvent(IntegerChoices):
    # 7xx: federation (issue 16): dat-informatie between houses through the hub
    FEDERATION_CHECK = 700, _("federatie: andere huizen bevraagd")
    FEDERATION_RESULT = 701, _("federatie: antwoord van andere huizen ontvangen")
    FEDERATION_ASKED = 702, _("federatie: bevraagd door ander huis")
    FEDERATION_ANSWERED = 703, _("federatie: dat-informatie gegeven aan ander huis")
    FEDERATION_PUBLISH = 704, _("federatie: tokens gepubliceerd of ingetrokken")


# NEN 7513 EventActionCode of the types that are not an update (U): R read, C create, D delete, E execute.
ACTIONS = {}
