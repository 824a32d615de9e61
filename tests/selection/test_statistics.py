"""The report statistics against values worked out by hand: Krippendorff's
alpha (ordinal, interval and nominal) on a small panel with missing scores and
on Krippendorff's own textbook example, leniency against the consensus and
against the other assessors, the four-fifths rule at its boundary, pass rates
and score distributions.

Bad inputs tried: a unit only one assessor rated (not pairable, drops out);
"not observed" given as None (missing, not a value); a single rater; a single
value everywhere; no unit rated twice; empty ratings; an assessor whose only
scores are "not observed"; a unit with no consensus and no other assessor;
a group of 4 applicants; the highest rate in a group too small to trust; a
group with no applicants; nobody selected; more selected than applicants; a
point outside the 1-5 scale.
"""

from fractions import Fraction

import pytest

from selection.reports.statistics import (
    Impact,
    Reliability,
    adverse_impact,
    distribution,
    krippendorff_alpha,
    leniency,
    pass_rates,
    reliability,
)

# A panel of three assessors, four candidates; None is "not observed" or no
# score at all (the same thing for alpha: a missing value).
#
#            u1    u2    u3    u4
#   A         3     2     -     1
#   B         4     2     5     -
#   C         -     3     4     -
#
# u4 has a single value: not pairable, it drops out. The pairable values are
# u1 {3, 4} (m=2), u2 {2, 2, 3} (m=3), u3 {5, 4} (m=2): n = 7.
#
# Coincidence matrix o_ck = sum over units of (ordered c-k pairs) / (m_u - 1):
#   u1: (3,4) and (4,3), each / 1                  -> o34 = o43 = 1
#   u2: (2,2) x2, (2,3) x2, (3,2) x2, each / 2     -> o22 = 1, o23 = o32 = 1
#   u3: (5,4) and (4,5), each / 1                  -> o45 = o54 = 1
#
#          1   2   3   4   5  | n_c
#     1    .   .   .   .   .  |  0
#     2    .   1   1   .   .  |  2
#     3    .   1   .   1   .  |  2
#     4    .   .   1   .   1  |  2
#     5    .   .   .   1   .  |  1        n = 7
#
# alpha = 1 - D_o / D_e with
#   D_o = (1/n) sum_c sum_k o_ck d2(c,k)
#   D_e = 1/(n(n-1)) sum_c sum_k n_c n_k d2(c,k)
#
# Interval, d2 = (c-k)^2:
#   D_o = (1/7) (2*1*1 [2-3] + 2*1*1 [3-4] + 2*1*1 [4-5]) = 6/7
#   unordered pairs n_c n_k d2: 2-3: 4*1=4, 2-4: 4*4=16, 2-5: 2*9=18,
#   3-4: 4*1=4, 3-5: 2*4=8, 4-5: 2*1=2; sum 52, both orders 104
#   D_e = 104 / 42
#   alpha = 1 - (6/7) / (104/42) = 1 - 36/104 = 17/26 = 0.654
#
# Ordinal, d2 = (sum of n_g for g from c to k - (n_c + n_k)/2)^2:
#   2-3: (2+2 - 2)^2 = 4        2-4: (2+2+2 - 2)^2 = 16
#   2-5: (2+2+2+1 - 1.5)^2 = 30.25
#   3-4: (2+2 - 2)^2 = 4        3-5: (2+2+1 - 1.5)^2 = 12.25
#   4-5: (2+1 - 1.5)^2 = 2.25
#   D_o = (1/7) * 2 * (1*4 [2-3] + 1*4 [3-4] + 1*2.25 [4-5]) = 20.5/7
#   n_c n_k d2: 2-3: 4*4=16, 2-4: 4*16=64, 2-5: 2*30.25=60.5, 3-4: 4*4=16,
#   3-5: 2*12.25=24.5, 4-5: 2*2.25=4.5; sum 185.5, both orders 371
#   D_e = 371 / 42
#   alpha = 1 - (20.5/7) / (371/42) = 1 - 123/371 = 248/371 = 0.668
#
# Nominal, d2 = 1 when c != k:
#   D_o = (1/7) (o23+o32+o34+o43+o45+o54) = 6/7
#   D_e = (n^2 - sum n_c^2) / (n(n-1)) = (49 - (4+4+4+1)) / 42 = 36/42
#   alpha = 1 - (6/7) / (36/42) = 0: every disagreement counts in full, and
#   there are as many as chance would give. The ordinal and interval metrics
#   credit near misses (a 3 against a 4), which is why they are higher.
PANEL = {
    "A": {"u1": 3, "u2": 2, "u3": None, "u4": 1},
    "B": {"u1": 4, "u2": 2, "u3": 5},
    "C": {"u2": 3, "u3": 4},
}

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability, p. 8:
# four observers, twelve units, missing values. The paper gives nominal
# 0.743, interval 0.849 and ratio 0.797; the `krippendorff` library's own
# documentation gives ordinal 0.815 for the same data.
TEXTBOOK_ROWS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
TEXTBOOK = {
    observer: dict(enumerate(row))
    for observer, row in zip("ABCD", TEXTBOOK_ROWS, strict=True)
}


def test_alpha_of_a_panel_with_missing_scores_matches_the_hand_computation():
    assert krippendorff_alpha(PANEL, level="ordinal") == pytest.approx(248 / 371)
    assert round(krippendorff_alpha(PANEL, level="ordinal"), 3) == 0.668
    assert round(krippendorff_alpha(PANEL, level="interval"), 3) == 0.654
    assert krippendorff_alpha(PANEL, level="nominal") == pytest.approx(0)


def test_ordinal_is_the_default_level():
    assert krippendorff_alpha(PANEL) == krippendorff_alpha(PANEL, level="ordinal")


def test_alpha_of_krippendorffs_textbook_example():
    assert round(krippendorff_alpha(TEXTBOOK, level="nominal"), 3) == 0.743
    assert round(krippendorff_alpha(TEXTBOOK, level="interval"), 3) == 0.849
    assert round(krippendorff_alpha(TEXTBOOK, level="ratio"), 3) == 0.797
    assert round(krippendorff_alpha(TEXTBOOK, level="ordinal"), 3) == 0.815


def test_a_unit_rated_once_changes_nothing():
    with_extra = {**PANEL, "A": {**PANEL["A"], "u9": 5}}
    assert krippendorff_alpha(with_extra) == pytest.approx(248 / 371)


def test_not_observed_is_missing_data_not_the_lowest_point():
    # If u3's "not observed" from A were read as 1 (or 0), u3 would become a
    # three-way disagreement and alpha would change.
    assert krippendorff_alpha(PANEL) == krippendorff_alpha(
        {
            rater: {u: v for u, v in row.items() if v is not None}
            for rater, row in PANEL.items()
        }
    )


@pytest.mark.parametrize(
    "ratings",
    [
        {},
        {"A": {"u1": 3, "u2": 4}},
        {"A": {"u1": 3, "u2": 3}, "B": {"u1": 3, "u2": 3}},
        {"A": {"u1": 3, "u2": 4}, "B": {"u1": 3}},
        {"A": {"u1": 3}, "B": {"u2": 4}},
        {"A": {"u1": None, "u2": None}, "B": {"u1": 2, "u2": None}},
    ],
    ids=[
        "empty",
        "one rater",
        "one value everywhere",
        "the only paired values agree",
        "no unit rated twice",
        "not observed everywhere but once",
    ],
)
def test_alpha_is_undefined_without_enough_data(ratings):
    assert krippendorff_alpha(ratings) is None


def test_reliability_counts_what_alpha_rests_on():
    # u1, u2, u3 are pairable (u4 is not); A, B and C all rated one of them;
    # 2 + 3 + 2 = 7 pairable values, as in the coincidence matrix above.
    figures = reliability(PANEL)
    assert (figures.units, figures.raters, figures.values) == (3, 3, 7)
    assert figures.reading == "tentative"  # 0.668: just above .667
    assert reliability({"A": {"u1": 3}}).alpha is None
    assert reliability({"A": {"u1": 3}}).reading is None


@pytest.mark.parametrize(
    ("alpha", "reading"),
    [
        (1.0, "good"),
        (0.8, "good"),
        (0.7999, "tentative"),
        (0.667, "tentative"),
        (0.6669, "unreliable"),
        (-0.2, "unreliable"),
    ],
)
def test_krippendorffs_thresholds(alpha, reading):
    assert Reliability(alpha=alpha, units=5, raters=2, values=10).reading == reading


def test_leniency_against_the_consensus_and_the_other_assessors():
    # Units are candidate x competency; consensus where the panel agreed one.
    #   k1: A=4, B=2, consensus 3        -> A +1,   B -1
    #   k2: A=5, B=3, consensus 3        -> A +2,   B  0
    #   k3: A=3, B=not observed, none    -> no other point for A: no pair;
    #                                       B's "not observed" is no pair
    #   k4: A=4, B=2, C=3, no consensus  -> A 4 - mean(2,3) = +1.5
    #                                       B 2 - mean(4,3) = -1.5
    #                                       C 3 - mean(4,2) =  0
    #   k5: A=2, D=not observed, consensus "not observed" (None): falls back
    #       to the others' points, and D gave none -> no pair for A or D
    # A: (1 + 2 + 1.5) / 3 = 1.5 over 3 pairs, 2 of them with the consensus
    # B: (-1 + 0 - 1.5) / 3 = -0.833 over 3 pairs, 2 with the consensus
    # C: 0 over 1 pair, none with the consensus; D: nothing to compare.
    scores = [
        ("A", "k1", 4),
        ("B", "k1", 2),
        ("A", "k2", 5),
        ("B", "k2", 3),
        ("A", "k3", 3),
        ("B", "k3", None),
        ("A", "k4", 4),
        ("B", "k4", 2),
        ("C", "k4", 3),
        ("A", "k5", 2),
        ("D", "k5", None),
    ]
    result = leniency(scores, {"k1": 3, "k2": 3, "k5": None})
    assert list(result) == ["A", "B", "C", "D"]
    assert result["A"].mean_difference == pytest.approx(1.5)
    assert (result["A"].pairs, result["A"].against_consensus) == (3, 2)
    assert result["B"].mean_difference == pytest.approx(-2.5 / 3)
    assert round(result["B"].mean_difference, 2) == -0.83
    assert (result["B"].pairs, result["B"].against_consensus) == (3, 2)
    assert result["C"].mean_difference == 0
    assert (result["C"].pairs, result["C"].against_others) == (1, 1)
    assert result["D"].mean_difference is None
    assert result["D"].pairs == 0


def test_leniency_without_any_consensus_uses_the_other_assessors():
    # A=5, B=3: A +2, B -2.
    result = leniency([("A", "k", 5), ("B", "k", 3)])
    assert result["A"].mean_difference == 2
    assert result["B"].mean_difference == -2


def test_four_fifths_rule_with_hand_computed_rates():
    # women 4/10 = 0.40, men 5/10 = 0.50 (the highest), other 3/10 = 0.30,
    # small 1/4 = 0.25 (4 applicants: too few), empty 0/0 (left out).
    # women: 0.40 / 0.50 = 0.80 exactly: not adverse.
    # other: 0.30 / 0.50 = 0.60 < 0.80: adverse.
    rows = adverse_impact(
        {
            "women": (4, 10),
            "men": (5, 10),
            "other": (3, 10),
            "small": (1, 4),
            "empty": (0, 0),
        }
    )
    by_group = {row.group: row for row in rows}
    assert list(by_group) == ["women", "men", "other", "small"]
    assert by_group["women"].rate == Fraction(2, 5)
    assert by_group["women"].ratio == Fraction(4, 5)
    assert by_group["women"].finding == Impact.NOT_ADVERSE
    assert by_group["men"].ratio == 1
    assert by_group["men"].finding == Impact.NOT_ADVERSE
    assert by_group["other"].ratio == Fraction(3, 5)
    assert by_group["other"].adverse
    assert (by_group["other"].rate_percent, by_group["other"].ratio_value) == (
        30.0,
        0.6,
    )
    assert by_group["small"].rate == Fraction(1, 4)
    assert by_group["small"].ratio is None
    assert by_group["small"].finding == Impact.TOO_FEW


def test_just_below_four_fifths_is_adverse():
    # 79/100 against 100/100: 0.79.
    rows = adverse_impact({"a": (79, 100), "b": (100, 100)})
    assert rows[0].finding == Impact.ADVERSE


def test_a_highest_rate_from_a_small_group_makes_every_ratio_too_few_to_say():
    # tiny 2/2 = 1.00 would be the benchmark, but it rests on 2 people:
    # big 5/10 = 0.50 gets no ratio either.
    rows = adverse_impact({"tiny": (2, 2), "big": (5, 10)})
    assert [row.finding for row in rows] == [Impact.TOO_FEW, Impact.TOO_FEW]
    # Tied with a large enough group, the benchmark stands: 5/10 / 10/10.
    rows = adverse_impact({"tiny": (2, 2), "big": (10, 10), "other": (5, 10)})
    assert [row.finding for row in rows] == [
        Impact.TOO_FEW,
        Impact.NOT_ADVERSE,
        Impact.ADVERSE,
    ]


def test_nobody_selected_gives_no_ratio():
    rows = adverse_impact({"a": (0, 6), "b": (0, 7)})
    assert [row.finding for row in rows] == [Impact.NONE_SELECTED] * 2
    assert adverse_impact({}) == []


def test_more_selected_than_applicants_is_refused():
    with pytest.raises(ValueError):
        adverse_impact({"a": (6, 5)})


def test_pass_rates_by_stage():
    # Stage 1: 4 entered, 4 results, 3 passed -> 75%.
    # Stage 2: 3 entered, no result yet -> no rate.
    rows = pass_rates(
        {"s1": {1, 2, 3, 4}, "s2": {1, 2, 3}},
        {"s1": {1: True, 2: True, 3: False, 4: True}},
    )
    assert [(r.stage, r.entered, r.decided, r.passed) for r in rows] == [
        ("s1", 4, 4, 3),
        ("s2", 3, 0, 0),
    ]
    assert rows[0].rate == Fraction(3, 4)
    assert rows[0].percent == 75.0
    assert rows[1].rate is None


def test_distribution_counts_each_point_and_not_observed():
    counts = distribution([3, 4, 4, None, 1, 5, 4])
    assert counts.counts == (1, 0, 1, 3, 1)
    assert counts.not_observed == 1
    assert counts.total == 7
    assert distribution([]).total == 0
    with pytest.raises(ValueError):
        distribution([0])
    with pytest.raises(ValueError):
        distribution([6])
