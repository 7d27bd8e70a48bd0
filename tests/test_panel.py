"""Tests for helpers.panel: two-way FE equals dummy-variable OLS, clustered SEs, lags,
subsamples, scenarios.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from helpers import panel


def make_panel(n_entities=25, n_years=8, seed=0, drop_share=0.15):
    """Synthetic unbalanced panel with entity and year effects correlated with x
    (labelled synthetic).
    """
    rng = np.random.default_rng(seed)
    entity = np.repeat(np.arange(n_entities), n_years)
    year = np.tile(np.arange(2013, 2013 + n_years), n_entities)
    mu = rng.normal(size=n_entities)[entity]
    lam = np.linspace(0, 1, n_years)[year - 2013]
    x1 = mu + lam + rng.normal(size=entity.size)
    x2 = rng.normal(size=entity.size) + 0.5 * mu
    # Entity-specific trends in the error make errors correlated within entity, so
    # clustering matters.
    trend = rng.normal(size=n_entities)[entity] * (year - year.mean()) / n_years
    y = 0.8 * x1 - 0.3 * x2 + 2 * mu + 3 * lam + trend + rng.normal(size=entity.size)
    frame = pd.DataFrame(
        {"code": entity + 11, "year": year, "y": y, "x1": x1, "x2": x2}
    )
    keep = rng.random(len(frame)) > drop_share
    return frame.loc[keep].reset_index(drop=True)


def dummy_fit(frame, formula):
    return smf.ols(formula, data=frame).fit(
        cov_type="cluster", cov_kwds={"groups": frame["code"].to_numpy()}, use_t=True
    )


def test_fe_equals_dummy_variable_ols_unbalanced():
    frame = make_panel()
    fit = panel.twoway_fe(frame, "y", ["x1", "x2"], entity="code", time="year")
    lsdv = dummy_fit(frame, "y ~ x1 + x2 + C(code) + C(year)")
    np.testing.assert_allclose(
        fit.params.to_numpy(), lsdv.params[["x1", "x2"]].to_numpy(), rtol=1e-10
    )


def test_clustered_se_equals_statsmodels_dummy_cluster_se():
    frame = make_panel(seed=3)
    fit = panel.twoway_fe(frame, "y", ["x1", "x2"], entity="code", time="year")
    lsdv = dummy_fit(frame, "y ~ x1 + x2 + C(code) + C(year)")
    np.testing.assert_allclose(
        fit.bse.to_numpy(), lsdv.bse[["x1", "x2"]].to_numpy(), rtol=1e-9
    )
    table = panel.coef_table(fit).set_index("term")
    np.testing.assert_allclose(
        table["p"].to_numpy(), lsdv.pvalues[["x1", "x2"]].to_numpy(), rtol=1e-8
    )
    ci = lsdv.conf_int().loc[["x1", "x2"]].to_numpy()
    np.testing.assert_allclose(table[["ci_low", "ci_high"]].to_numpy(), ci, rtol=1e-9)
    assert fit.df_inference == frame["code"].nunique() - 1


def test_nested_correction_is_smaller_by_the_known_factor():
    """Not counting the G - 1 entity effects nested in clusters scales the variance by
    (n-k-G-T+1)/(n-k-T).
    """
    frame = make_panel(seed=4)
    lsdv = panel.twoway_fe(frame, "y", ["x1", "x2"], "code", "year")
    nested = panel.twoway_fe(
        frame, "y", ["x1", "x2"], "code", "year", df_correction="nested"
    )
    n, k, g, t = lsdv.nobs, 2, lsdv.n_entities, lsdv.n_periods
    ratio = (n - k - g - t + 1) / (n - k - t)
    np.testing.assert_allclose((nested.bse / lsdv.bse) ** 2, ratio, rtol=1e-12)


def test_balanced_within_transform_matches_textbook_formula():
    """Balanced panel: x_it - xbar_i - xbar_t + xbar (one pass is exact)."""
    frame = make_panel(drop_share=0.0)
    e, _ = panel.group_codes(frame["code"])
    t, _ = panel.group_codes(frame["year"])
    got = panel.within_twoway(frame["x1"].to_numpy(), e, t)
    x = frame["x1"]
    textbook = (
        x
        - x.groupby(frame["code"]).transform("mean")
        - x.groupby(frame["year"]).transform("mean")
        + x.mean()
    )
    np.testing.assert_allclose(got, textbook.to_numpy(), atol=1e-10)


def test_within_transform_is_orthogonal_to_both_effects_unbalanced():
    frame = make_panel(seed=7, drop_share=0.3)
    e, _ = panel.group_codes(frame["code"])
    t, _ = panel.group_codes(frame["year"])
    w = pd.Series(panel.within_twoway(frame["x1"].to_numpy(), e, t))
    assert np.abs(w.groupby(e).sum()).max() < 1e-9
    assert np.abs(w.groupby(t).sum()).max() < 1e-9


def test_known_coefficient_recovered_without_noise():
    frame = make_panel(seed=1)
    frame["y"] = 1.5 * frame["x1"] + frame["code"] * 0.1 + (frame["year"] - 2013) ** 2
    fit = panel.twoway_fe(frame, "y", ["x1"], "code", "year")
    assert fit.params["x1"] == pytest.approx(1.5, abs=1e-10)


def test_missing_rows_and_singletons_are_dropped_and_reported():
    frame = make_panel(seed=2)
    frame.loc[0, "x2"] = np.nan
    lonely = pd.DataFrame(
        {"code": [99], "year": [2015], "y": [1.0], "x1": [0.0], "x2": [0.0]}
    )
    frame = pd.concat([frame, lonely], ignore_index=True)
    fit = panel.twoway_fe(frame, "y", ["x1", "x2"], "code", "year")
    assert fit.nobs == len(frame) - 2
    assert fit.dropped.loc[0, "reason"] == "missing: x2"
    assert fit.dropped.iloc[-1]["reason"].startswith("singleton entity")
    assert 99 not in set(frame.loc[fit.sample_index, "code"])


def test_regressor_absorbed_by_fixed_effects_raises_naming_it():
    frame = make_panel()
    frame["coastal"] = (frame["code"] % 2).astype(float)
    with pytest.raises(ValueError, match="'coastal' has no variation left"):
        panel.twoway_fe(frame, "y", ["x1", "coastal"], "code", "year")
    with pytest.raises(ValueError, match="not found"):
        panel.twoway_fe(frame, "y", ["nope"], "code", "year")


def test_add_lag_matches_calendar_year_not_row_order():
    frame = pd.DataFrame(
        {
            "code": [11, 11, 11, 12, 12],
            "year": [2013, 2014, 2016, 2014, 2013],
            "x": [1.0, 2.0, 4.0, 20.0, 10.0],
        }
    )
    lagged = panel.add_lag(frame, "x", "code", "year")
    # 2016 has no 2015 row, so its lag is missing, not 2.0; entity 12's rows are out of
    # order.
    assert lagged["x_lag1"].tolist()[:3] == [
        pytest.approx(np.nan, nan_ok=True),
        1.0,
        pytest.approx(np.nan, nan_ok=True),
    ]
    assert lagged["x_lag1"].tolist()[3] == 10.0 and np.isnan(
        lagged["x_lag1"].tolist()[4]
    )
    with pytest.raises(ValueError, match="duplicate"):
        panel.add_lag(pd.concat([frame, frame.iloc[[0]]]), "x", "code", "year")


def test_drop_municipalities_two_and_six_digit_codes():
    four = [110000, 120000, 310000, 500000]
    frame = pd.DataFrame({"code": [11, 12, 13, 31, 50, 51, 65]})
    kept = panel.drop_municipalities(frame, four, "code")
    assert kept["code"].tolist() == [13, 51, 65]
    six = pd.DataFrame(
        {"province_code": [110000, 120000, 130000, 310000, 500000, 510000]}
    )
    kept = panel.drop_municipalities(six, [11, 12, 31, 50])
    assert kept["province_code"].tolist() == [130000, 510000]
    with pytest.raises(ValueError, match="'code' not found"):
        panel.drop_municipalities(six, four, "code")


def test_panel_reads_no_files():
    """Computations take their data as arguments (the municipalities too)."""
    source = (Path(__file__).resolve().parents[1] / "helpers" / "panel.py").read_text()
    assert "import" not in source.split("def drop_municipalities")[1].split("def ")[0]
    assert "from helpers.data" not in source and "read_csv" not in source


def test_year_effects_only_equals_dummy_ols_with_year_dummies():
    frame = make_panel(seed=8)
    fit = panel.twoway_fe(
        frame, "y", ["x1", "x2"], "code", "year", entity_effects=False
    )
    pooled = dummy_fit(frame, "y ~ x1 + x2 + C(year)")
    np.testing.assert_allclose(
        fit.params.to_numpy(), pooled.params[["x1", "x2"]].to_numpy(), rtol=1e-10
    )
    np.testing.assert_allclose(
        fit.bse.to_numpy(), pooled.bse[["x1", "x2"]].to_numpy(), rtol=1e-9
    )
    assert panel.coef_table(fit)["effects"].eq("year only").all()


def test_interaction_by_group_reproduces_split_slopes():
    frame = make_panel(n_entities=30, seed=5)
    frame["region"] = np.where(frame["code"] < 26, "A", "B")
    with_terms, names = panel.interact_by_group(frame, "x1", "region")
    assert names == ["x1_x_A", "x1_x_B"]
    fit = panel.twoway_fe(with_terms, "y", names, "code", "year")
    assert set(fit.params.index) == set(names)
    row = with_terms.iloc[0]
    assert row["x1_x_A"] == row["x1"] and row["x1_x_B"] == 0.0


def test_implied_change_known_answer_and_interval():
    frame = make_panel(seed=6)
    fit = panel.twoway_fe(frame, "y", ["x1", "x2"], "code", "year")
    out = panel.implied_change(fit, {"x1": [0.0, 0.5, 1.0], "x2": 2.0}, level=0.9)
    b, v = fit.params.to_numpy(), fit.cov.to_numpy()
    d = np.array([1.0, 2.0])
    assert out.loc[2, "estimate"] == pytest.approx(d @ b)
    se = np.sqrt(d @ v @ d)
    assert out.loc[2, "se"] == pytest.approx(se)
    half = stats.t.ppf(0.95, fit.df_inference) * se
    assert out.loc[2, "ci_high"] - out.loc[2, "estimate"] == pytest.approx(half)
    # A unit change in one regressor reproduces that coefficient's CI from coef_table.
    one = panel.implied_change(fit, {"x1": 1.0})
    table = panel.coef_table(fit).set_index("term")
    assert one.loc[0, "ci_low"] == pytest.approx(table.loc["x1", "ci_low"])
    with_base = panel.implied_change(fit, {"x1": 1.0}, baseline=10.0)
    assert with_base.loc[0, "estimate"] == pytest.approx(10.0 + fit.params["x1"])
    with pytest.raises(ValueError, match="not in the model"):
        panel.implied_change(fit, {"x9": 1.0})
