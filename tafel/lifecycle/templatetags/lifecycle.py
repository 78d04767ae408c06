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
