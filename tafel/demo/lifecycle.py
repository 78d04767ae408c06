"""Closure records for the demo: every demo case that left the ZVH-aanpak (its status history goes from
"ZVH-aanpak loopt" to volgen op afstand, afgesloten, lokaal or RIEC) gets the Closure the closing services would
have written — kind, criteria, whether the joint goal was reached, the afsluitingsplan, the warm handover — so
the monitor's closure indicators have data. Rows are written directly, like the rest of the demo (no audit
events); the same seed gives the same closures."""

from __future__ import annotations

import datetime
import random

from tafel.cases.models import CaseStatus, CaseStatusChange
from tafel.lifecycle.models import Closure, ClosureKind, GoalReached

KIND_BY_STATUS = {
    CaseStatus.VOLGEN: ClosureKind.AFSLUITING,
    CaseStatus.AFGESLOTEN: ClosureKind.AFSLUITING,
    CaseStatus.LOKAAL: ClosureKind.AFSCHALING,
    CaseStatus.RIEC: ClosureKind.RIEC,
}
PLANS = [
    "Bij een nieuwe melding belt Veilig Thuis dezelfde dag de procesregisseur; de casus komt binnen een week "
    "terug op tafel.",
    "De wijkagent en het wijkteam houden maandelijks contact; bij een terugval schalen zij direct op naar het huis.",
    "Het gezin weet bij wie het terecht kan; de casusregisseur blijft drie maanden aanspreekpunt.",
]
HANDOVER = ["Sociaal wijkteam", "Lokaal zorgnetwerk", "Jeugd- en gezinsteam"]


def _criteria(rng: random.Random) -> dict[str, bool]:
    values = {
        "care_started": rng.random() < 0.75,
        "justice_started": rng.random() < 0.3,
        "family_refuses": rng.random() < 0.08,
    }
    if not any(values.values()):
        values["care_started"] = True
    values["partners_informed"] = True
    values["family_informed"] = rng.random() < 0.9
    return values


def _goal(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.62:
        return GoalReached.BEREIKT
    return GoalReached.DEELS if draw < 0.87 else GoalReached.NIET


def add_demo_closures(rng: random.Random) -> int:
    changes = (
        CaseStatusChange.objects.filter(from_status=CaseStatus.ACTIEF, to_status__in=list(KIND_BY_STATUS))
        .select_related("case", "case__municipality")
        .order_by("at", "pk")
    )
    rows = []
    for change in changes.iterator(chunk_size=2000):
        kind = KIND_BY_STATUS[change.to_status]
        fields: dict = {}
        if kind == ClosureKind.AFSLUITING:
            fields = {
                "criteria": _criteria(rng),
                "afsluitingsplan": rng.choice(PLANS),
                "goal_reached": _goal(rng),
            }
            if change.to_status == CaseStatus.VOLGEN:
                fields["follow_up_until"] = change.at.date() + datetime.timedelta(days=182)
        elif kind == ClosureKind.AFSCHALING:
            present = rng.random() < 0.7
            fields = {
                "goal_reached": _goal(rng),
                "handover_to": f"{rng.choice(HANDOVER)} {change.case.municipality.name}",
                "handover_on": change.at.date(),
                "family_present": present,
                "family_absent_reason": "" if present else "Het gezin wilde het gesprek thuis, zonder het huis.",
            }
        rows.append(
            Closure(
                case_id=change.case_id,
                kind=kind,
                actor_id=change.actor_id,
                at=change.at,
                reason=change.reason or "Doelen van het plan van aanpak bereikt.",
                **fields,
            )
        )
    Closure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
