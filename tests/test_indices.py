"""Known-answer and broken-input tests for helpers.indices (entropy, TOPSIS, coupling,
Theil).
"""

import math

import numpy as np
import pandas as pd
import pytest

from helpers import indices

LN2, LN3 = math.log(2), math.log(3)


@pytest.fixture
def three_by_three():
    """The hand-worked 3 x 3 panel (3 province-years, 3 indicators) used below.

    x1 (+) = 1, 2, 3     -> z1 = 0, 1/2, 1
    x2 (+) = 10, 10, 40  -> z2 = 0, 0, 1
    x3 (-) = 9, 1, 1     -> z3 = (9 - x)/8 = 0, 1, 1
    """
    return pd.DataFrame(
        {"x1": [1.0, 2.0, 3.0], "x2": [10.0, 10.0, 40.0], "x3": [9.0, 1.0, 1.0]}
    )


SIGNS = {"x1": "+", "x2": "+", "x3": "-"}


def test_normalisation_by_hand(three_by_three):
    z = indices.minmax_normalise(three_by_three, SIGNS)
    expected = np.array([[0, 0, 0], [0.5, 0, 1], [1, 1, 1]])
    np.testing.assert_allclose(z.to_numpy(), expected)


def test_entropy_weights_hand_worked_without_shift(three_by_three):
    """Shift A = 0 with the limit 0 ln 0 = 0, so every number is exact. k = 1/ln(3).

    x1: p = (0, 1/3, 2/3); e1 = [ (1/3)ln3 + (2/3)ln(3/2) ] / ln3 = 1 - 2ln2/(3ln3) =
    0.579380
        d1 = 2ln2/(3ln3) = 0.420620
    x2: p = (0, 0, 1);     e2 = 0, d2 = 1
    x3: p = (0, 1/2, 1/2); e3 = ln2/ln3 = 0.630930, d3 = 1 - ln2/ln3 = 0.369070
    sum d = 2 - ln2/(3ln3) = 1.789690; multiplying through by 3ln3:
    w1 = 2ln2/(6ln3 - ln2)         = 0.235024
    w2 = 3ln3/(6ln3 - ln2)         = 0.558756
    w3 = 3(ln3 - ln2)/(6ln3 - ln2) = 0.206220      (sum = 1)
    Scores S = z w: row 1 = 0, row 2 = w1/2 + w3 = 0.323732, row 3 = 1.
    """
    weights = indices.entropy_weights(three_by_three, SIGNS, shift=0.0)
    denominator = 6 * LN3 - LN2
    expected = [
        2 * LN2 / denominator,
        3 * LN3 / denominator,
        3 * (LN3 - LN2) / denominator,
    ]
    np.testing.assert_allclose(weights.to_numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(
        weights.to_numpy(), [0.235024, 0.558756, 0.206220], atol=1e-6
    )
    assert weights.sum() == pytest.approx(1.0)

    result = indices.build_index(three_by_three, SIGNS, method="entropy", shift=0.0)
    np.testing.assert_allclose(result.score.to_numpy(), [0.0, 0.323732, 1.0], atol=1e-6)


def test_entropy_with_default_shift_close_to_exact(three_by_three):
    """A = 1e-4 moves weights by well under 1e-2 from the exact A = 0 answer, and still
    sums to 1.
    """
    shifted = indices.entropy_weights(three_by_three, SIGNS)
    exact = indices.entropy_weights(three_by_three, SIGNS, shift=0.0)
    assert shifted.sum() == pytest.approx(1.0)
    assert np.abs(shifted - exact).max() < 1e-2
    assert not np.allclose(shifted, exact)  # the shift is really applied


def test_entropy_two_rows_with_shift_by_hand():
    """Two rows, z = (0, 1), A = 0.01: p = (A, 1+A)/(1+2A) = (0.0098039, 0.9901961), e =
    -(p1 ln p1 + p2 ln p2)/ln 2 = -(0.0098039*(-4.624973) +
    0.9901961*(-0.0098523))/0.693147
      = (0.045343 + 0.009756)/0.693147 = 0.079491.
    """
    e = indices.entropy_of_columns(np.array([[0.0], [1.0]]), shift=0.01)
    assert e[0] == pytest.approx(0.079491, abs=1e-6)


def test_larger_shift_pushes_weights_towards_equality(three_by_three):
    small = indices.entropy_weights(three_by_three, SIGNS, shift=1e-4)
    large = indices.entropy_weights(three_by_three, SIGNS, shift=1e-1)
    assert large.max() - large.min() < small.max() - small.min()


def test_weights_unchanged_when_indicator_rescaled(three_by_three):
    rescaled = three_by_three.assign(
        x1=three_by_three["x1"] * 1000 + 7, x3=three_by_three["x3"] / 3.5
    )
    pd.testing.assert_series_equal(
        indices.entropy_weights(three_by_three, SIGNS),
        indices.entropy_weights(rescaled, SIGNS),
    )


def test_constant_indicator_gets_zero_weight(three_by_three):
    frame = three_by_three.assign(flat=5.0)
    weights = indices.entropy_weights(frame, {**SIGNS, "flat": "+"})
    assert weights["flat"] == 0.0
    assert weights.sum() == pytest.approx(1.0)
    # The other weights are those of the panel without the constant column.
    pd.testing.assert_series_equal(
        weights.drop("flat"), indices.entropy_weights(three_by_three, SIGNS)
    )


def test_negative_sign_reverses_ranking(three_by_three):
    positive = indices.build_index(three_by_three[["x1"]], {"x1": "+"}).score
    negative = indices.build_index(three_by_three[["x1"]], {"x1": "-"}).score
    assert positive.idxmax() == negative.idxmin()


def test_pooled_normalisation_keeps_time_trend():
    """Pooled (not per-year) min-max: a province improving every year scores higher
    every year.
    """
    frame = pd.DataFrame(
        {
            "year": [2013, 2013, 2014, 2014],
            "x": [1.0, 2.0, 3.0, 4.0],
            "y": [2.0, 1.0, 4.0, 3.0],
        }
    )
    score = indices.build_index(frame, {"x": "+", "y": "+"}).score
    assert score[frame.year == 2014].min() > score[frame.year == 2013].max()


@pytest.mark.parametrize("bad", [np.nan, "empty"])
def test_clear_error_for_all_missing_or_empty_indicator(three_by_three, bad):
    if bad == "empty":
        frame, match = three_by_three.iloc[0:0], "no rows"
    else:
        frame, match = three_by_three.assign(x2=bad), "'x2' is all missing"
    with pytest.raises(ValueError, match=match):
        indices.build_index(frame, SIGNS)


def test_clear_errors_for_absent_text_and_infinite_indicators(three_by_three):
    with pytest.raises(ValueError, match="'x9' not found"):
        indices.entropy_weights(three_by_three, {"x9": "+"})
    with pytest.raises(ValueError, match="'x1': expected numbers"):
        indices.entropy_weights(three_by_three.assign(x1=["a", "b", "c"]), SIGNS)
    with pytest.raises(ValueError, match="'x3': infinite value at row 1"):
        indices.entropy_weights(three_by_three.assign(x3=[1.0, np.inf, 2.0]), SIGNS)
    with pytest.raises(ValueError, match="indicator 'x1': sign"):
        indices.parse_signs({"x1": "up"})


def test_missing_rows_are_dropped_and_reported_never_imputed(three_by_three):
    frame = pd.concat(
        [three_by_three, pd.DataFrame({"x1": [np.nan], "x2": [5.0], "x3": [np.nan]})],
        ignore_index=True,
    )
    result = indices.build_index(frame, SIGNS)
    assert result.n_used == 3
    assert list(result.dropped.index) == [3]
    assert result.dropped.loc[3, "reason"] == "missing: x1, x3"
    # The complete rows get exactly the scores they would get alone: the broken row did
    # not leak in.
    alone = indices.build_index(three_by_three, SIGNS)
    pd.testing.assert_series_equal(result.score, alone.score)
    coverage = indices.coverage_table(frame, list(SIGNS))
    assert (
        coverage.loc["x1", "rows_missing"] == 1
        and coverage.loc["x2", "rows_missing"] == 0
    )
    assert (coverage["rows_used_by_index"] == 3).all()


def test_entropy_refuses_missing_values_without_dropping(three_by_three):
    with pytest.raises(ValueError, match="nothing is imputed"):
        indices.entropy_weights(three_by_three.assign(x1=[1.0, np.nan, 3.0]), SIGNS)


def test_topsis_known_answer_equal_weights():
    """z = (0,0), (1,1), (1,0); w = (1/2, 1/2): v = (0,0), (.5,.5), (.5,0); best =
    (.5,.5), worst = (0,0). Row 3: D+ = .5, D- = .5 -> C = 0.5. Rows 1, 2: C = 0, 1.
    """
    z = pd.DataFrame({"a": [0.0, 1.0, 1.0], "b": [0.0, 1.0, 0.0]})
    closeness = indices.topsis_closeness(z, indices.equal_weights(["a", "b"]))
    np.testing.assert_allclose(closeness.to_numpy(), [0.0, 1.0, 0.5])


def test_entropy_topsis_hand_worked(three_by_three):
    """Weights from the exact example; row 2 has v = (w1/2, 0, w3), best = (w1, w2, w3),
    worst = 0: D+ = sqrt((w1/2)^2 + w2^2) = 0.570979, D- = sqrt((w1/2)^2 + w3^2) =
    0.237352, C = 0.293632.
    """
    result = indices.build_index(three_by_three, SIGNS, method="topsis", shift=0.0)
    np.testing.assert_allclose(result.score.to_numpy(), [0.0, 0.293632, 1.0], atol=1e-6)


def test_equal_and_custom_weights(three_by_three):
    equal = indices.build_index(three_by_three, SIGNS, method="equal")
    assert equal.score[1] == pytest.approx((0.5 + 0 + 1) / 3)
    custom = indices.build_index(
        three_by_three,
        SIGNS,
        method="custom",
        weights=pd.Series({"x1": 2, "x2": 0, "x3": 2}),
    )
    assert custom.score[1] == pytest.approx(0.75)
    with pytest.raises(ValueError, match="sum to 1"):
        indices.composite_score(
            equal.normalised, pd.Series({"x1": 0.5, "x2": 0.6, "x3": 0.0})
        )


def test_coupling_coordination_known_answer():
    """U1 = 0.4, U2 = 0.9: C = 2 sqrt(0.36)/1.3 = 12/13 = 0.923077; T = 0.65; D =
    sqrt(0.6) = 0.774597.
    """
    out = indices.coupling_coordination([0.4, 0.5, 0.0], [0.9, 0.5, 0.0])
    assert out.loc[0, "C"] == pytest.approx(12 / 13)
    assert out.loc[0, "T"] == pytest.approx(0.65)
    assert out.loc[0, "D"] == pytest.approx(math.sqrt(0.6))
    # Equal subsystems couple perfectly: C = 1 and D = sqrt(U).
    assert out.loc[1, "C"] == pytest.approx(1.0) and out.loc[1, "D"] == pytest.approx(
        math.sqrt(0.5)
    )
    # Both zero: 0/0 is left undefined, not set to a number.
    assert np.isnan(out.loc[2, "C"])


def test_coupling_rejects_values_outside_unit_interval():
    with pytest.raises(ValueError, match="U2 must lie in"):
        indices.coupling_coordination([0.2], [1.3])


@pytest.mark.parametrize(
    "d, grade, zh",
    [
        (0.0, 0, "极度失调"),
        (0.0999, 0, "极度失调"),
        (0.1, 1, "严重失调"),
        (0.3, 3, "轻度失调"),
        (0.4999, 4, "濒临失调"),
        (0.5, 5, "勉强协调"),
        (0.7746, 7, "中级协调"),
        (0.9, 9, "优质协调"),
        (1.0, 9, "优质协调"),
    ],
)
def test_coordination_class_boundaries(d, grade, zh):
    row = indices.coordination_class([d]).iloc[0]
    assert row["grade"] == grade and row["class_zh"] == zh


def test_theil_known_answers():
    """Equal per-capita incomes -> 0. Incomes 2 and 1, equal populations: shares 2/3,
    1/3 vs 1/2, 1/2: T = (2/3) ln(4/3) + (1/3) ln(2/3) = 0.191788 - 0.135155 = 0.056633.
    Incomes 3 and 1, populations 1 and 3: income shares 1/2, 1/2; population shares 1/4,
    3/4: T = (1/2) ln 2 + (1/2) ln(2/3) = (1/2) ln(4/3) = 0.143841.
    """
    theil = indices.theil_urban_rural(
        [5.0, 2.0, 3.0], [5.0, 1.0, 1.0], [7.0, 1.0, 1.0], [3.0, 1.0, 3.0]
    )
    np.testing.assert_allclose(theil.to_numpy(), [0.0, 0.056633, 0.143841], atol=1e-6)


def test_theil_grows_with_gap_and_keeps_missing_missing():
    theil = indices.theil_urban_rural(
        [2.0, 3.0, np.nan], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]
    )
    assert theil[1] > theil[0]
    assert np.isnan(theil[2])
    with pytest.raises(ValueError, match="rural_pop must be positive"):
        indices.theil_urban_rural([2.0], [1.0], [1.0], [0.0])
    with pytest.raises(ValueError, match="different index"):
        indices.theil_urban_rural(pd.Series([2.0], index=[5]), [1.0], [1.0], [1.0])
