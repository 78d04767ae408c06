"""Authorization matrix entries for the koppelingen (issue 15). See tafel.testing.matrix for the format."""

_EVERYONE = ("regisseur", "member", "partner", "nonconvenant", "analyst", "anonymous", "fg", "beheerder")

ENTRIES = {
    # Public login steps: an unknown provider is 404 for everyone; a callback without a started login goes back
    # to the login page.
    "integrations:oidc_start": {"kwargs": lambda w: {"slug": "onbekend"}, "expect": dict.fromkeys(_EVERYONE, 404)},
    "integrations:oidc_callback": {"expect": dict.fromkeys(_EVERYONE, 302)},
    # CORV: any caller with the scope gets an answer about the message itself (here: not XML, 400); the sender
    # OIN then decides (tests/test_corv.py).
    "api:corv_zorgformulier_receive": {
        "method": "post",
        "expect": {**dict.fromkeys(_EVERYONE, 400), "anonymous": 401},
    },
    # The BRP lookup is off unless TAFEL_BRP_URL is set (tests/test_brp.py switches it on): the partial does not
    # exist then; the API refuses the (here empty) input first.
    "integrations:brp_lookup": {
        "method": "post",
        "expect": {**dict.fromkeys(_EVERYONE, 404), "anonymous": 302},
    },
    "api:brp_person_lookup": {
        "method": "post",
        "expect": {**dict.fromkeys(_EVERYONE, 400), "anonymous": 401},
    },
    # The CloudEvents feed: like api:case_events, each caller sees the events of its own organisation's cases.
    "api:cloudevents_feed": {"expect": {**dict.fromkeys(_EVERYONE, 200), "anonymous": 401}},
    # The accessibility statement is public (issue 15 item 6; it lives in tafel.core.accessibility).
    "toegankelijkheid": {"expect": dict.fromkeys(_EVERYONE, 200)},
}
