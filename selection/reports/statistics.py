"""The figures of the selection reports, as pure functions on plain data (no
database, no Django): the selectors gather the rows, these compute.

- Inter-rater reliability: Krippendorff's alpha, through the maintained
  `krippendorff` library rather than a formula of our own.
- Leniency: each assessor's mean signed difference from the panel.
- Adverse impact: selection rate of each group against the highest, with the
  four-fifths rule.
- Pass rates by stage and score distributions.
"""

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from statistics import fmean

import krippendorff
import numpy as np

SCALE = tuple(range(1, 6))

# Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology
# (2nd ed.), p. 241: "rely only on variables with reliabilities above
# alpha = .800. Consider variables with reliabilities between alpha = .667 and
# alpha = .800 only for drawing tentative conclusions."
ALPHA_GOOD = 0.8
ALPHA_TENTATIVE = 0.667

# The four-fifths rule: US EEOC Uniform Guidelines on Employee Selection
# Procedures (1978), 29 CFR 1607.4(D). A ratio of exactly 4/5 is not adverse.
FOUR_FIFTHS = Fraction(4, 5)
MIN_GROUP = 5


def as_percent(share: Fraction | None) -> float | None:
    """A share as a percentage rounded to one decimal, for display."""
    return None if share is None else round(float(share) * 100, 1)


# -- Inter-rater reliability ------------------------------------------------


def _reliability_data(
    ratings: Mapping[Hashable, Mapping[Hashable, float | None]],
) -> np.ndarray:
    """Rows are raters, columns units; np.nan where a rater gave no value."""
    raters = list(ratings)
    units = list(
        dict.fromkeys(unit for by_unit in ratings.values() for unit in by_unit)
    )
    column = {unit: position for position, unit in enumerate(units)}
    data = np.full((len(raters), len(units)), np.nan)
    for row, rater in enumerate(raters):
        for unit, value in ratings[rater].items():
            if value is not None:
                data[row, column[unit]] = value
    return data


def krippendorff_alpha(
    ratings: Mapping[Hashable, Mapping[Hashable, float | None]],
    level: str = "ordinal",
) -> float | None:
    """Krippendorff's alpha of `ratings` ({rater: {unit: value or None}}).

        alpha = 1 - D_o / D_e

    D_o, the observed disagreement, averages the distance between every pair
    of values given to the same unit by different raters (each unit's pairs
    weighted by 1 / (m_u - 1), m_u being the number of values the unit got);
    D_e, the disagreement expected by chance, averages the distance between
    every pair of all those values regardless of unit. Units with fewer than
    two values are not pairable and drop out, which is how alpha copes with
    panels where not everyone rated everyone. Source: Krippendorff, K. (2011),
    "Computing Krippendorff's Alpha-Reliability", Annenberg School for
    Communication, University of Pennsylvania; computed by the `krippendorff`
    library (Castro, S., https://github.com/pln-fing-udelar/fast-krippendorff).

    The default is the ordinal metric: the 1-5 points are ordered anchors, not
    equal steps, so a disagreement counts by how many values lie between the
    two (delta^2 = (sum of n_g from c to k - (n_c + n_k) / 2)^2), not by the
    arithmetic difference that the interval metric squares. "Not observed"
    (None) is missing data, never a value.

    Returns None when alpha is undefined: no unit rated twice, or a single
    value everywhere (no disagreement is possible, the library raises or
    gives 0 / 0).
    """
    if len(ratings) < 2:
        return None
    data = _reliability_data(ratings)
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = float(
                krippendorff.alpha(reliability_data=data, level_of_measurement=level)
            )
    except ValueError:
        return None
    return None if math.isnan(value) else value


@dataclass(frozen=True)
class Reliability:
    """Alpha with what it was computed over: the units rated at least twice,
    the raters who gave them values, and how many values they were."""

    alpha: float | None
    units: int
    raters: int
    values: int

    @property
    def reading(self) -> str | None:
        """Krippendorff's own thresholds: "good" (alpha >= .800), "tentative"
        (.667 <= alpha < .800), "unreliable" (below); None: not enough data."""
        if self.alpha is None:
            return None
        if self.alpha >= ALPHA_GOOD:
            return "good"
        if self.alpha >= ALPHA_TENTATIVE:
            return "tentative"
        return "unreliable"


def reliability(
    ratings: Mapping[Hashable, Mapping[Hashable, float | None]],
    level: str = "ordinal",
) -> Reliability:
    """krippendorff_alpha() and the size of the data behind it."""
    by_unit: dict[Hashable, set] = defaultdict(set)
    for rater, by_rater in ratings.items():
        for unit, value in by_rater.items():
            if value is not None:
                by_unit[unit].add(rater)
    pairable = {unit: raters for unit, raters in by_unit.items() if len(raters) >= 2}
    return Reliability(
        alpha=krippendorff_alpha(ratings, level),
        units=len(pairable),
        raters=len(set().union(*pairable.values())) if pairable else 0,
        values=sum(len(raters) for raters in pairable.values()),
    )


# -- Leniency -----------------------------------------------------------------


@dataclass(frozen=True)
class Leniency:
    """How far an assessor's scores sit from the panel's, on average."""

    assessor: Hashable
    mean_difference: float | None
    pairs: int
    against_consensus: int

    @property
    def against_others(self) -> int:
        return self.pairs - self.against_consensus


def leniency(
    scores: Iterable[tuple[Hashable, Hashable, int | None]],
    consensus: Mapping[Hashable, int | None] | None = None,
) -> dict[Hashable, Leniency]:
    """Each assessor's leniency from `scores` ((assessor, unit, point or None)
    with a unit being one candidate x competency at one stage) and the
    panel's `consensus` ({unit: point or None}).

        leniency(a) = (1 / P_a) * sum over a's pairs of (x_a,u - r_u)

    where r_u is the consensus point of unit u. When the unit has no
    consensus point (none recorded yet, or the panel agreed "not observed"),
    r_u falls back to the mean of the other assessors' points on the same unit,
    so a stage where the panel has not yet agreed still shows who scores high;
    with no other point either, there is no pair. An assessor's own "not
    observed" is no pair. Positive: more lenient than the panel; negative:
    more severe. Assessors without any pair are listed with None.
    """
    consensus = consensus or {}
    by_unit: dict[Hashable, dict[Hashable, int | None]] = defaultdict(dict)
    assessors: dict[Hashable, None] = {}
    for assessor, unit, point in scores:
        by_unit[unit][assessor] = point
        assessors.setdefault(assessor)
    differences: dict[Hashable, list[float]] = defaultdict(list)
    against_consensus: dict[Hashable, int] = defaultdict(int)
    for unit, points in by_unit.items():
        agreed = consensus.get(unit)
        for assessor, point in points.items():
            if point is None:
                continue
            if agreed is not None:
                reference = agreed
                against_consensus[assessor] += 1
            else:
                others = [
                    other
                    for who, other in points.items()
                    if who != assessor and other is not None
                ]
                if not others:
                    continue
                reference = fmean(others)
            differences[assessor].append(point - reference)
    return {
        assessor: Leniency(
            assessor=assessor,
            mean_difference=(
                fmean(differences[assessor]) if differences[assessor] else None
            ),
            pairs=len(differences[assessor]),
            against_consensus=against_consensus[assessor],
        )
        for assessor in assessors
    }


# -- Adverse impact -----------------------------------------------------------


@dataclass(frozen=True)
class Impact:
    """One group's selection rate and its ratio to the highest group's."""

    ADVERSE = "adverse"
    NOT_ADVERSE = "not_adverse"
    TOO_FEW = "too_few"
    NONE_SELECTED = "none_selected"

    group: Hashable
    selected: int
    applicants: int
    rate: Fraction
    ratio: Fraction | None
    finding: str

    @property
    def adverse(self) -> bool:
        return self.finding == self.ADVERSE

    @property
    def rate_percent(self) -> float:
        return as_percent(self.rate)

    @property
    def ratio_value(self) -> float | None:
        """The impact ratio to two decimals, for display (the finding is
        decided on the exact fraction)."""
        return None if self.ratio is None else round(float(self.ratio), 2)


def adverse_impact(
    groups: Mapping[Hashable, tuple[int, int]], min_group: int = MIN_GROUP
) -> list[Impact]:
    """Adverse-impact rows from `groups` ({group: (selected, applicants)}).

        rate(g) = selected(g) / applicants(g)
        impact ratio(g) = rate(g) / max over groups of rate

    A ratio below 4/5 is flagged as adverse impact (the four-fifths rule,
    29 CFR 1607.4(D)); exactly 4/5 is not. Computed with exact fractions so
    the boundary is exact. A group with fewer than `min_group` applicants is
    "too few to say": its rate swings by a whole candidate. So is every group
    when the group with the highest rate is itself that small, since the
    benchmark would rest on a handful of people (leaving it out would quietly
    compare everyone with a lower benchmark). When nobody at all was selected
    there is no ratio. Groups with no applicants are left out.
    """
    rows = [
        (group, selected, applicants, Fraction(selected, applicants))
        for group, (selected, applicants) in groups.items()
        if applicants > 0
    ]
    for group, selected, applicants, _rate in rows:
        if not 0 <= selected <= applicants:
            raise ValueError(f"{group}: {selected} selected of {applicants}")
    if not rows:
        return []
    highest = max(rate for *_, rate in rows)
    benchmark_sound = any(
        rate == highest and applicants >= min_group
        for _group, _selected, applicants, rate in rows
    )
    impacts = []
    for group, selected, applicants, rate in rows:
        if applicants < min_group or not benchmark_sound:
            ratio, finding = None, Impact.TOO_FEW
        elif highest == 0:
            ratio, finding = None, Impact.NONE_SELECTED
        else:
            ratio = rate / highest
            finding = Impact.ADVERSE if ratio < FOUR_FIFTHS else Impact.NOT_ADVERSE
        impacts.append(
            Impact(
                group=group,
                selected=selected,
                applicants=applicants,
                rate=rate,
                ratio=ratio,
                finding=finding,
            )
        )
    return impacts


# -- Pass rates and distributions ---------------------------------------------


@dataclass(frozen=True)
class PassRate:
    """How many candidates entered a stage, how many got a result, passed."""

    stage: Hashable
    entered: int
    decided: int
    passed: int

    @property
    def rate(self) -> Fraction | None:
        """Passed of those with a result; None until the panel moves them on."""
        return Fraction(self.passed, self.decided) if self.decided else None

    @property
    def percent(self) -> float | None:
        return as_percent(self.rate)


def pass_rates(
    entered: Mapping[Hashable, Iterable[Hashable]],
    results: Mapping[Hashable, Mapping[Hashable, bool]],
) -> list[PassRate]:
    """Pass rate of each stage of `entered` ({stage: candidates who entered}),
    in its order, from `results` ({stage: {candidate: passed}}).

        rate = passed / candidates with a result
    """
    rows = []
    for stage, candidates in entered.items():
        outcome = results.get(stage, {})
        rows.append(
            PassRate(
                stage=stage,
                entered=len(set(candidates) | set(outcome)),
                decided=len(outcome),
                passed=sum(1 for passed in outcome.values() if passed),
            )
        )
    return rows


@dataclass(frozen=True)
class Distribution:
    """How often each point of the scale was given, and "not observed"."""

    counts: tuple[int, ...]
    not_observed: int

    @property
    def total(self) -> int:
        return sum(self.counts) + self.not_observed

    def by_point(self) -> list[tuple[int, int]]:
        return list(zip(SCALE, self.counts, strict=True))


def distribution(points: Iterable[int | None]) -> Distribution:
    """Count of each point 1-5 and of "not observed" (None) in `points`."""
    counts = dict.fromkeys(SCALE, 0)
    not_observed = 0
    for point in points:
        if point is None:
            not_observed += 1
        elif point in counts:
            counts[point] += 1
        else:
            raise ValueError(f"{point} is not on the 1-5 scale")
    return Distribution(counts=tuple(counts.values()), not_observed=not_observed)
