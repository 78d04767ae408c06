from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data and the `demo` / `demo_logins` commands. In demo mode it hands the login page
    its demo accounts through the core registry (core imports no app)."""

    name = "tafel.demo"
    label = "demo"

    def ready(self):
        from tafel.core.registry import register_login_context

        register_login_context(_demo_accounts)


def _demo_accounts() -> dict:
    from django.conf import settings

    if not settings.DEMO_MODE:
        return {}
    from tafel.demo.accounts import DEMO_ACCOUNTS

    return {"demo_accounts": DEMO_ACCOUNTS}
