"""Tests for helpers.nqpf_models on a SYNTHETIC raw panel (no real data): structure, samples, known slopes."""

import numpy as np
import pandas as pd
import pytest

from helpers import nqpf_models as nm
from helpers import panel

PROVINCES = [  # code, English, region (a small synthetic set, 3 per region, two municipalities)
    (110000, "Beijing", "East"), (310000, "Shanghai", "East"), (320000, "Jiangsu", "East"),
    (340000, "Anhui", "Central"), (420000, "Hubei", "Central"), (430000, "Hunan", "Central"),
    (510000, "Sichuan", "West"), (520000, "Guizhou", "West"), (620000, "Gansu", "West"),
    (210000, "Liaoning", "Northeast"), (220000, "Jilin", "Northeast"), (230000, "Heilongjiang", "Northeast"),
]


@pytest.fixture(scope="module")
def raw():
    """Every input column, positive, with province levels and trends; 2012-2022 (synthetic)."""
    rng = np.random.default_rng(7)
    rows = []
    for code, name, region in PROVINCES:
        level = rng.normal()
        for year in range(2012, 2023):
            row = {"province_code": code, "province_zh": name, "province_en": name, "region": region, "year": year}
            for column in nm.input_columns():
                row[column] = float(np.exp(3 + 0.3 * level + 0.05 * (year - 2012) + rng.normal(scale=0.2)))
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame["urban_disposable_income_yuan"] = frame["rural_disposable_income_yuan"] * rng.uniform(1.8, 3.2, len(frame))
    frame["urbanisation_rate_pct"] = rng.uniform(30, 90, len(frame))
    frame.loc[frame["year"] > 2020, ["urban_disposable_income_yuan"]] = np.nan  # as in the real data
    return frame


@pytest.fixture(scope="module")
def data(raw):
    return nm.build_analysis_data(raw)


def test_frame_has_every_index_outcome_control_and_channel(data):
    expected = {"nqpf", "nqpf_topsis", "nqpf_equal", "nqpf_extended", "nqpf_no_digital", "nqpf_no_green",
                "uri", "income_ratio", "theil", *nm.CONTROLS, *nm.CHANNELS}
    assert expected <= set(data.frame.columns)
    assert data.frame.duplicated(["province_code", "year"]).sum() == 0
    assert data.frame["year"].between(2013, 2022).all()
    # URI exists only where urban income does (to 2020), never filled beyond it.
    assert data.frame.loc[data.frame["year"] > 2020, "uri"].isna().all()
    assert data.frame.loc[data.frame["year"] <= 2020, "uri"].notna().all()


def test_accounting_adds_up(data):
    for table, rows in ((data.nqpf_accounting, 12 * 10), (data.uri_accounting, 12 * 8)):
        assert table["province_years"].sum() == rows


def test_weights_sum_to_one_for_every_variant(data):
    for result in data.variants.values():
        assert result.weights.sum() == pytest.approx(1.0)


def test_rural_income_growth_by_hand(raw, data):
    rows = raw.loc[raw["province_code"] == 340000].set_index("year")["rural_disposable_income_yuan"]
    got = data.frame.set_index(["province_code", "year"]).loc[(340000, 2015), "rural_income_growth"]
    assert got == pytest.approx(100 * (rows[2015] / rows[2014] - 1))


def test_catch_up_trend_by_hand(data):
    out = nm.add_catch_up_trend(data.frame)
    row = out.loc[(out["province_code"] == 420000) & (out["year"] == 2016)].iloc[0]
    start = data.frame.loc[(data.frame["province_code"] == 420000) & (data.frame["year"] == 2013), "uri"].iloc[0]
    assert row["catch_up"] == pytest.approx(3 * start)


def test_robustness_table_covers_every_spec_and_outcome(data):
    table = nm.robustness_table(data.frame)
    assert len(table) == 2 * len(nm.robustness_specs(data.frame))
    lag = table[table["specification"] == "NQPF lagged one year"]
    assert (lag["years"] == "2014-2020").all()
    no_muni = table[table["specification"] == "Without the four municipalities"]
    assert (no_muni["n_entities"] == 10).all()  # Beijing and Shanghai dropped
    between = table[table["specification"].str.startswith("Year effects only")]
    assert (between["effects"] == "year only").all()


def test_known_slope_is_recovered():
    """A frame where URI = 0.5 * NQPF + province + year effects exactly: the baseline slope is 0.5."""
    rng = np.random.default_rng(3)
    rows = [(c, y, rng.uniform()) for c in range(10) for y in range(2013, 2021)]
    frame = pd.DataFrame(rows, columns=["province_code", "year", "nqpf"])
    frame["ln_gdp"] = rng.normal(size=len(frame))
    frame["gov_spending"] = rng.normal(size=len(frame))
    frame["uri"] = 0.5 * frame["nqpf"] + 0.1 * frame["province_code"] + 0.01 * (frame["year"] - 2013) ** 2
    frame["income_ratio"] = -frame["uri"]
    fits = nm.baseline_fits(frame)
    assert fits["uri"].params["nqpf"] == pytest.approx(0.5, abs=1e-9)
    assert fits["income_ratio"].params["nqpf"] == pytest.approx(-0.5, abs=1e-9)


def test_channel_table_uses_one_sample_for_b0_and_b(data):
    table = nm.channel_table(data.frame, "tertiary_share")
    assert list(table["step"]) == ["(a) channel on NQPF", "(a') channel on NQPF, year effects only",
                                   "(b0) URI on NQPF, same sample", "(b) URI on NQPF + channel",
                                   "(b) URI on NQPF + channel"]
    b_rows = table[table["step"] != "(a) channel on NQPF"].iloc[1:]
    assert b_rows["n_obs"].nunique() == 1
    reading = nm.describe_channel(table)
    assert set(reading) >= {"a_sign", "a_significant", "channel_on_uri_significant", "nqpf_change_pct"}
    no_between = nm.channel_table(data.frame, "ln_highway", between=False)
    assert not no_between["step"].str.startswith("(a')").any()
    with pytest.raises(ValueError, match="not in the analysis frame"):
        nm.channel_table(data.frame, "robots")


def test_region_table_has_one_slope_per_region(data):
    table = nm.region_table(data.frame)
    assert sorted(table["region"].unique()) == ["Central", "East", "Northeast", "West"]
    assert (table["provinces"] == 3).all()


def test_descriptives(data):
    ranking = nm.province_ranking(data.frame, "nqpf", 2019)
    assert ranking["rank"].tolist() == list(range(1, 13))
    assert ranking["nqpf"].is_monotonic_decreasing
    assert nm.latest_full_year(data.frame, "nqpf") == 2022
    coupled = nm.coupling_frame(data.frame)
    assert coupled["D"].between(0, 1).all() and coupled["class_zh"].notna().all()
    changes = nm.within_between_changes(data.frame, "nqpf", "uri")
    assert len(changes) == 12 and (changes["n_years"] == 8).all()


def test_literature_comparison_rows_have_a_verdict_and_a_reason(data):
    table = nm.literature_comparison(data, nm.robustness_table(data.frame))
    assert table["agreement"].isin(["agree", "disagree", "partly", "not significant", "not comparable"]).all()
    assert table["why"].str.len().gt(20).all()


def test_implied_change_from_the_baseline(data):
    result = nm.baseline_fits(data.frame)["uri"]
    change = panel.implied_change(result, {"nqpf": 0.1})
    assert change.loc[0, "estimate"] == pytest.approx(0.1 * result.params["nqpf"])
    assert change.loc[0, "ci_low"] < change.loc[0, "estimate"] < change.loc[0, "ci_high"]


def test_p_text():
    assert nm.p_text(0.0004) == "p < 0.001"
    assert nm.p_text(0.0342) == "p = 0.034"
    with pytest.raises(ValueError, match="must lie in"):
        nm.p_text(1.5)


def test_start_change_and_catch_up_by_hand():
    """Three provinces: y starts at 1, 2, 3 and changes by 2, 1, 0 (perfect catch-up, corr -1);
    x changes by 0, 1, 2, so corr(start of y, change of x) = +1."""
    frame = pd.DataFrame({
        "province_code": [1, 1, 2, 2, 3, 3], "region": ["A", "A", "A", "A", "B", "B"],
        "year": [2013, 2020] * 3, "y": [1.0, 3.0, 2.0, 3.0, 3.0, 3.0], "x": [0.0, 0.0, 0.0, 1.0, 0.0, 2.0],
    })
    changes = nm.start_and_change(frame, "y")
    assert changes["change"].tolist() == [2.0, 1.0, 0.0]
    pattern = nm.catch_up_pattern(frame, "x", "y")
    assert pattern["corr_start_change"] == pytest.approx(-1.0)
    assert pattern["corr_start_x_change"] == pytest.approx(1.0)
    assert pattern["n_provinces"] == 3
    assert nm.regional_change(frame, "y").to_dict() == {"A": 1.5, "B": 0.0}
    with pytest.raises(ValueError, match="not observed in both"):
        nm.start_and_change(frame[frame["year"] == 2013], "y")
