"""Small-cell suppression: no person can be recognised from a figure in the monitor or a report (SPEC §6:
"aggregated reports are pseudonymised"; issue 6: counts below a threshold shown as "<5").

The approach, in three passes over one result table:

1. **Primary**: every count from 1 up to the threshold (setting TAFEL_SMALL_CELL_THRESHOLD, default 5) is
   hidden and shown as "<5". Zero is shown: "nobody" identifies no one.
2. **Complement (secondary)**: where cells add up to a shown total (a `Partition`: themes of new cases,
   triage outcomes, municipalities ...), one hidden cell could be recovered as the total minus the others. So
   whenever exactly one non-zero cell of a partition is hidden, the smallest other non-zero cell is hidden too
   (shown as "×"), and this repeats until no partition has a lone hidden cell. A hidden total hides nothing
   more: all its cells are then below the threshold themselves.
3. **Derived**: a share, median, mean or sum is hidden ("×") when any count it was computed from is hidden; a
   percentage of a hidden count would give the count back.

Tables that do not add up to a total (organisations per case count a case once per organisation) only get
the primary pass. Each table is suppressed on its own; the tables of one report break the same population
down by different dimensions (theme, route, municipality) and never cross two of them in one table, which
keeps the number of ways to combine them small. Exports and the API for non-drill-down users always use the
suppressed figures.
"""

from __future__ import annotations

import copy

from django.conf import settings

from tafel.reports.indicators.base import COUNT, DAYS, MEAN, NUMBER, SHARE, Cell, Result

SMALL = "small"
COMPLEMENT = "complement"
DERIVED = "derived"
HIDDEN_MARK = "×"


def threshold() -> int:
    return settings.TAFEL_SMALL_CELL_THRESHOLD


def suppress(result: Result, limit: int | None = None) -> Result:
    """A suppressed copy of `result`; the original is left as it was."""
    limit = threshold() if limit is None else limit
    hidden = copy.deepcopy(result)  # keeps the shared cell references (basis, partitions) intact
    cells = _with_basis(hidden.all_cells() + [c for p in hidden.partitions for c in (*p.cells, p.total)])

    for cell in cells:
        if cell.kind == COUNT and cell.value and 0 < cell.value < limit:
            _hide(cell, SMALL)

    changed = True
    while changed:
        changed = False
        for part in hidden.partitions:
            if part.total.suppressed:
                continue
            lone = [c for c in part.cells if c.suppressed and c.value]
            if len(lone) != 1:
                continue
            candidates = [c for c in part.cells if not c.suppressed and c.value]
            if candidates:
                _hide(min(candidates, key=lambda c: c.value), COMPLEMENT)
                changed = True

    # Derived figures may rest on other derived figures (a sum, then a share of it): repeat until stable.
    changed = True
    while changed:
        changed = False
        for cell in cells:
            if not cell.suppressed and any(b.suppressed for b in cell.basis):
                _hide(cell, DERIVED)
                changed = True
    return hidden


def _with_basis(cells: list[Cell]) -> list[Cell]:
    """Every cell once, including the counts a figure rests on that the table does not show itself."""
    seen: dict[int, Cell] = {}
    stack = list(cells)
    while stack:
        cell = stack.pop()
        if id(cell) not in seen:
            seen[id(cell)] = cell
            stack.extend(cell.basis)
    return list(seen.values())


def _hide(cell: Cell, because: str) -> None:
    cell.suppressed = True
    cell.suppressed_because = because


# --- display ----------------------------------------------------------------------------------------------


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _decimal(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def display(cell: Cell | None, limit: int | None = None) -> str:
    """The figure as the page, the PDF, the XLSX and the CSV show it: Dutch number format, "<5" for a
    small count, "×" for a figure hidden to protect one, "–" for no value (no cases to compute it from)."""
    if cell is None:
        return ""
    if cell.suppressed:
        if cell.suppressed_because == SMALL:
            return f"<{threshold() if limit is None else limit}"
        return HIDDEN_MARK
    if cell.value is None:
        return "–"
    if cell.kind == COUNT:
        return _thousands(int(cell.value))
    if cell.kind == SHARE:
        return f"{_decimal(cell.value)}%"
    if cell.kind in (DAYS, MEAN):
        return _decimal(cell.value)
    if cell.kind == NUMBER:
        value = cell.value
        return _thousands(int(value)) if float(value).is_integer() else _decimal(float(value))
    return str(cell.value)


def export_value(cell: Cell | None, limit: int | None = None):
    """A number where the figure is shown, else the same text the page shows (XLSX keeps numbers numeric)."""
    if cell is None:
        return None
    if cell.suppressed or cell.value is None:
        return display(cell, limit)
    if cell.kind == COUNT:
        return int(cell.value)
    return float(cell.value)


LEGEND = (
    "<{t}: minder dan {t} (kleine aantallen worden niet getoond, zodat niemand herkenbaar is). "
    "×: niet getoond, omdat het getal een verborgen klein aantal zou prijsgeven of erop berust. "
    "–: geen waarde (geen casussen om het uit te berekenen)."
)


def legend(limit: int | None = None) -> str:
    return LEGEND.format(t=threshold() if limit is None else limit)
