"""Authorization matrix entries for the federation (issue 16). See tafel.testing.matrix for the format."""

ENTRIES = {
    # The federated screening partial: like the local one, a prefix is required (400 without it).
    "federation:check": {
        "method": "post",
        "expect": {
            "regisseur": 400,
            "member": 400,
            "partner": 400,
            "nonconvenant": 400,
            "analyst": 403,
            "anonymous": 302,
            "fg": 403,
            "beheerder": 403,
        },
    },
    # The hub's question to this house: not federated in the test world, so 404 for everyone.
    "federation:answer": {
        "method": "post",
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 404,
            "fg": 404,
            "beheerder": 404,
        },
    },
}
