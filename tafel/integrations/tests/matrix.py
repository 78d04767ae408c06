"""Authorization matrix entries for the koppelingen (issue 15). See tafel.privacy.matrix for the format."""

_EVERYONE = ("regisseur", "member", "partner", "nonconvenant", "analyst", "anonymous", "fg", "beheerder")

ENTRIES = {
    # Public login steps: an unknown provider is 404 for everyone; a callback without a started login goes back
    # to the login page.
    "integrations:oidc_start": {"kwargs": lambda w: {"slug": "onbekend"}, "expect": dict.fromkeys(_EVERYONE, 404)},
    "integrations:oidc_callback": {"expect": dict.fromkeys(_EVERYONE, 302)},
}
