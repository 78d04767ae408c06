from django import template

from tafel.privacy.selectors import case_reglement

register = template.Library()


@register.simple_tag
def reglement_for(case):
    """The reglement that governs `case` (SPEC §6), for showing it where users share."""
    return case_reglement(case)
