from django import template

from tafel.access.policy import may_lookup_brp

register = template.Library()


@register.simple_tag(takes_context=True)
def brp_allowed(context) -> bool:
    """Whether the aanmeldformulier offers the BRP lookup to this user (tafel.access.policy.may_lookup_brp)."""
    request = context.get("request")
    return bool(request is not None and may_lookup_brp(request.user))
