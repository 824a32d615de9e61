"""The arithmetic of a panel's decision, as pure functions of numbers: no
database, no translation. Points are on the 1-5 scale; None is "not observed".

- The independent mean of a competency is the mean of the assessors' observed
  points; "not observed" is left out, never counted as a low point. The spread
  is the highest observed point minus the lowest; a spread of 2 or more is a
  disagreement the panel must talk through.
- A stage's weighted total is sum(weight x point) / sum(weight) over the
  competencies the panel observed. A competency agreed as "not observed" drops
  out and the other weights are renormalised, so a candidate is neither
  rewarded nor punished on the total for what nobody could see; the knock-out
  rule below catches it where it matters.
- A knock-out: a competency with a minimum whose consensus is below it, or not
  observed, knocks the candidate out of the stage whatever the total.
- The overall score across stages is the mean of the stage totals.
- Ranks are by total, highest first; equal totals share a rank (1, 1, 3).

Every figure is rounded half up to two decimals, as it is stored and shown; a
pass is decided on the rounded total, the figure the panel sees.
"""

from collections.abc import Hashable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

DISAGREEMENT_SPREAD = 2
CENT = Decimal("0.01")

Point = int | None


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _observed(points: Iterable[Point]) -> list[int]:
    return [point for point in points if point is not None]


def independent_mean(points: Iterable[Point]) -> Decimal | None:
    """The mean of the observed points; None when nobody observed it."""
    observed = _observed(points)
    if not observed:
        return None
    return rounded(Decimal(sum(observed)) / len(observed))


def spread(points: Iterable[Point]) -> int | None:
    """Highest observed point minus the lowest; None when nobody observed it."""
    observed = _observed(points)
    if not observed:
        return None
    return max(observed) - min(observed)


def is_disagreement(value: int | None) -> bool:
    return value is not None and value >= DISAGREEMENT_SPREAD


def weighted_total(
    points: Mapping[Hashable, Point], weights: Mapping[Hashable, int]
) -> Decimal | None:
    """Sum of weight x point over sum of weights, observed competencies only
    (weights renormalised); None when no competency was observed."""
    observed = {key: point for key, point in points.items() if point is not None}
    total_weight = sum(weights[key] for key in observed)
    if not observed or total_weight == 0:
        return None
    weighted = sum(weights[key] * point for key, point in observed.items())
    return rounded(Decimal(weighted) / total_weight)


def knock_outs(
    points: Mapping[Hashable, Point], minimums: Mapping[Hashable, int | None]
) -> list[Hashable]:
    """The competencies, in the order of `minimums`, whose consensus is below
    their minimum or not observed."""
    return [
        key
        for key, minimum in minimums.items()
        if minimum is not None and (points.get(key) is None or points[key] < minimum)
    ]


def stage_passed(
    total: Decimal | None, knocked_out_on: list, pass_mark: Decimal
) -> bool:
    return total is not None and total >= pass_mark and not knocked_out_on


def overall_score(stage_totals: Iterable[Decimal | None]) -> Decimal | None:
    """The mean of the stage totals (a stage where nothing was observed has no
    total and is left out)."""
    totals = [total for total in stage_totals if total is not None]
    if not totals:
        return None
    return rounded(sum(totals, Decimal(0)) / len(totals))


def ranks(totals: Mapping[Hashable, Decimal | None]) -> dict[Hashable, int | None]:
    """Competition ranks by total, highest first: equal totals share a rank and
    the next rank skips (1, 1, 3). A candidate without a total has no rank."""
    ordered = sorted(
        (total for total in totals.values() if total is not None), reverse=True
    )
    first_position = {}
    for position, total in enumerate(ordered, 1):
        first_position.setdefault(total, position)
    return {
        key: None if total is None else first_position[total]
        for key, total in totals.items()
    }
