"""The vocabulary of the item rules (tafel.cases.access): consent purposes and restriction scopes. The privacy
app stores consents and restrictions with these values (tafel.privacy.models imports them from here)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tafel.core.choices import TextChoices


class ConsentPurpose(TextChoices):
    CASUSOVERLEG = "casusoverleg", _("Bespreking van de casus in het overleg")
    MEDISCH = "medisch", _("Delen van medische / GGZ-informatie met de partners in de casus")
    JEUGD = "jeugd", _("Delen van informatie over kinderen met de partners in de casus")


class RestrictionScope(TextChoices):
    JUSTICE = "justice", _("Alleen strafrechtpartners (politie, OM, reclassering)")
    OWN = "own", _("Alleen de eigen organisatie")
    CASE = "case", _("Alle organisaties in de casus")
