"""The indicator registry (SPEC §7). Importing this package registers every indicator, in the order the
monitor shows them; `get(code)` and `all_indicators()` are the way in."""

from __future__ import annotations

from tafel.reports.indicators import doorlooptijd, instroom, kwaliteit, netwerk, uitkomst  # noqa: F401  (register)
from tafel.reports.indicators.base import GROUPS, REGISTRY, Indicator, Params, Result

ORDER = [
    "aanmeldingen",
    "casussen_route",
    "casussen_thema",
    "casussen_gemeente",
    "triage_uitkomst",
    "caseload",
    "doorlooptijd_triage",
    "doorlooptijd_eerste_overleg",
    "doorlooptijd_afsluiting",
    "triage_kwaliteit",
    "casusregie",
    "acties_kwaliteit",
    "overleg_kwaliteit",
    "acties_op_tijd",
    "afsluitingen",
    "heraanmelding_12m",
    "meldingen_tijdens",
    "fasen",
    "schaalscores",
    "doelen_bereikt",
    "politiemeldingen",
    "afsluitredenen",
    "netwerk_per_casus",
    "netwerk_per_organisatie",
]


def all_indicators() -> list[Indicator]:
    ordered = [REGISTRY[code] for code in ORDER if code in REGISTRY]
    return ordered + [i for code, i in REGISTRY.items() if code not in ORDER]


def get(code: str) -> Indicator | None:
    return REGISTRY.get(code)


__all__ = ["GROUPS", "Indicator", "Params", "Result", "all_indicators", "get"]
