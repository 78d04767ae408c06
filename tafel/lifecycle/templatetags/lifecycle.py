"""The notification bell in the header (one count query per page for a signed-in user)."""

from django import template

from tafel.lifecycle.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    return unread_count(getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def sees_follow_up_dashboard(context) -> bool:
    """The follow-up overview is for everyone who works with cases (issue 11), scoped to what they may see."""
    from tafel.access.policy import sees_case_content

    request = context.get("request")
    return sees_case_content(getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def case_checklist(context, case):
    """The per-case checklist on the case page (issue 12, item 6b): the page fetched the case through the
    policy already and audited the read; this adds the facts and the ticks (two queries)."""
    from tafel.lifecycle.checklist import case_checklist as build

    request = context.get("request")
    return build(viewer=request.user, case=case)
