"""The audit event types about persons (3xx).

The numbers are stored in every audit row and in its hash chain: never change or reuse one. A new type gets a
free number (core's registry refuses a number or name another app registered, see tafel/core/registry.py and
docs/decisions/0008-dependency-layers.md); no migration is needed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tafel.core.choices import IntegerChoices


class PersonEvent(IntegerChoices):
    # 3xx: persons
    PERSON_VIEW = 300, _("persoon bekeken")
    PERSON_CREATE = 301, _("persoon aangemaakt")
    PERSON_MATCH = 302, _("persoon gezocht (screening)")
    PERSON_KNOWN_SIGNAL = 303, _("dat-informatie getoond")


# NEN 7513 EventActionCode of the types that are not an update (U): R read, C create, D delete, E execute.
ACTIONS = {
    PersonEvent.PERSON_VIEW: "R",
    PersonEvent.PERSON_CREATE: "C",
    PersonEvent.PERSON_MATCH: "R",
    PersonEvent.PERSON_KNOWN_SIGNAL: "R",
}
