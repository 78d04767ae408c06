from django.conf import settings
from django.utils.functional import SimpleLazyObject

from tafel.access import policy


def _nav(user) -> dict:
    """What the menu offers this user; the pages themselves still check access through the policy."""
    return {
        "sees_cases": policy.sees_case_content(user),
        "may_submit": policy.may_submit_aanmelding(user),
        "may_read_audit": policy.may_read_audit(user),
        "may_use_admin": policy.may_use_admin(user),
        "is_fg": policy.may_act_as_fg(user),
        "may_edit_reglement": policy.may_edit_reglement(user),
        "may_view_reports": policy.may_view_reports(user),
        "may_view_improvements": policy.may_view_improvement_actions(user),
    }


def tafel(request):
    user = getattr(request, "user", None)
    return {
        "house_name": settings.TAFEL_HOUSE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "nav": SimpleLazyObject(lambda: _nav(user)),
    }
