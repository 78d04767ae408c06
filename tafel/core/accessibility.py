"""The accessibility statement (toegankelijkheidsverklaring, issue 15 item 6) at /toegankelijkheid/.

Public sector websites and apps must meet WCAG 2.1 level AA (EN 301 549; Besluit digitale toegankelijkheid
overheid) and publish a statement. Tafel's statement is built from the axe-core run of the browser tests
(tests/e2e/test_accessibility_statement.py), which writes `tafel/core/data/axe-results.json` and fails when a
page has a finding the committed file does not list: the statement cannot silently claim more than was measured.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

RESULTS = Path(__file__).resolve().parent / "data" / "axe-results.json"
IMPACT_ORDER = ["critical", "serious", "moderate", "minor"]
IMPACT_NL = {"critical": "kritiek", "serious": "ernstig", "moderate": "matig", "minor": "klein"}


@lru_cache(maxsize=1)
def _load(path: str, mtime: float) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def axe_results(path: Path = RESULTS) -> dict:
    """The committed axe-core results: {axe_version, tested_on, standard, pages: [{name, path, violations}]}."""
    if not path.exists():
        return {"axe_version": "", "tested_on": "", "pages": []}
    return _load(str(path), path.stat().st_mtime)


def summary(results: dict) -> dict:
    findings = []
    for page in results.get("pages", []):
        for v in page.get("violations", []):
            findings.append({**v, "page": page["name"], "impact_nl": IMPACT_NL.get(v.get("impact"), v.get("impact"))})
    findings.sort(key=lambda f: (IMPACT_ORDER.index(f["impact"]) if f["impact"] in IMPACT_ORDER else 9, f["id"]))
    counts = Counter(f["impact"] for f in findings)
    return {
        "findings": findings,
        "counts": [(IMPACT_NL[i], counts.get(i, 0)) for i in IMPACT_ORDER],
        "blocking": counts.get("critical", 0) + counts.get("serious", 0),
    }


@require_GET
def statement(request):
    results = axe_results()
    return render(
        request,
        "core/toegankelijkheid.html",
        {
            "results": results,
            **summary(results),
            "contact": settings.TAFEL_ACCESSIBILITY_CONTACT,
        },
    )
