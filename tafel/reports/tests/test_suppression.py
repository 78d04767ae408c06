"""Small-cell suppression: primary (below the threshold), complement (total minus the others) and derived
(shares and medians of hidden counts)."""

from __future__ import annotations

import pytest

from tafel.reports.indicators.base import COUNT, DAYS, Cell, Column, Result, Row, count, derived, partitioned, share
from tafel.reports.suppression import display, suppress


def table(*values: int) -> Result:
    cells = [count(v) for v in values]
    total = count(sum(values))
    rows = [Row(f"r{i}", f"Rij {i}", {"n": c, "pct": share(c, total)}) for i, c in enumerate(cells)]
    result = Result(
        columns=[Column("n", "Aantal"), Column("pct", "Aandeel", "share")],
        rows=rows,
        total=Row("totaal", "Totaal", {"n": total, "pct": share(total, total)}),
        headline=total,
    )
    return partitioned(result, "n")


def shown(result: Result, column: str = "n", limit: int = 5) -> list[str]:
    return [display(row.cells[column], limit) for row in result.rows] + [display(result.total.cells[column], limit)]


def test_counts_below_the_threshold_are_hidden_and_zero_is_shown():
    result = suppress(table(0, 5, 7, 20, 3), limit=5)

    # 3 is small; alone it could be recovered as 35 − 0 − 5 − 7 − 20, so the smallest other non-zero cell (5)
    # is hidden too.
    assert shown(result) == ["0", "×", "7", "20", "<5", "35"]


def test_two_small_cells_protect_each_other():
    result = suppress(table(2, 4, 30), limit=5)

    # 2 and 4 are both hidden; 36 − 30 = 6 says only that they add up to 6.
    assert shown(result) == ["<5", "<5", "30", "36"]


def test_a_small_total_hides_everything_below_it():
    result = suppress(table(1, 0, 2), limit=5)

    assert shown(result) == ["<5", "0", "<5", "<5"]


def test_shares_of_hidden_counts_are_hidden_too():
    result = suppress(table(3, 10, 20), limit=5)

    assert shown(result, "pct") == ["×", "×", "60,6%", "100,0%"]


def test_a_median_over_few_cases_is_hidden():
    n = count(3)
    result = suppress(Result(columns=[], rows=[], headline=derived(12.0, DAYS, n), stats=[("n", n)]), limit=5)

    assert display(result.headline, 5) == "×"
    assert display(result.stats[0][1], 5) == "<5"


def test_a_sum_resting_on_a_hidden_cell_is_hidden():
    small, big = count(2), count(40)
    other = count(50)
    total = count(92)
    result = Result(
        columns=[Column("n", "Aantal")],
        rows=[Row("a", "a", {"n": small}), Row("b", "b", {"n": big}), Row("c", "c", {"n": other})],
        total=Row("t", "t", {"n": total}),
        headline=Cell(42, COUNT, basis=(small, big)),
    )
    result = suppress(partitioned(result, "n"), limit=5)

    # The headline 42 = 2 + 40 would give away the 2 (and with the total, the 40).
    assert display(result.headline, 5) == "×"


def test_suppression_works_on_a_copy():
    original = table(3, 10, 20)
    suppress(original, limit=5)

    assert not any(c.suppressed for c in original.all_cells())


@pytest.mark.parametrize("limit", [1, 10])
def test_the_threshold_is_configurable(limit):
    result = suppress(table(3, 10, 20), limit=limit)

    if limit == 1:
        assert shown(result, limit=limit) == ["3", "10", "20", "33"]
    else:
        # 3 is below 10; 10 itself is not, but protects the 3.
        assert shown(result, limit=limit) == ["<10", "×", "20", "33"]


def test_the_setting_is_used_by_default(settings):
    settings.TAFEL_SMALL_CELL_THRESHOLD = 3
    result = suppress(table(2, 3, 20))

    assert [display(r.cells["n"]) for r in result.rows] == ["<3", "×", "20"]
