"""Tests for helpers.measures (indicator derivation, exclusions, accounting) and the
NQPF/URI indicator sets.
"""

import numpy as np
import pandas as pd
import pytest

from helpers import measures, nqpf, nqpf_models, uri
from helpers.measures import Indicator, ValueExclusion


def raw_panel():
    """Two provinces x three years with hand-picked values (synthetic)."""
    return pd.DataFrame(
        {
            "province_code": [110000] * 3 + [650000] * 3,
            "province_zh": ["北京"] * 3 + ["新疆"] * 3,
            "province_en": ["Beijing"] * 3 + ["Xinjiang"] * 3,
            "region": ["East"] * 3 + ["West"] * 3,
            "year": [2013, 2014, 2015] * 2,
            "energy": [10.0, 12.0, np.nan, 40.0, 0.5, 44.0],
            "gdp": [100.0, 120.0, 150.0, 20.0, 22.0, 25.0],
        }
    )


SPECS = (
    Indicator(
        "energy_intensity",
        "green",
        "Energy / GDP",
        "单位GDP能耗",
        -1,
        "tce per yuan",
        "energy",
        "gdp",
    ),
    Indicator("gdp_level", "size", "GDP", "GDP", +1, "yuan", "gdp", scale=2.0),
)


def test_derive_indicators_by_hand():
    derived = measures.derive_indicators(raw_panel(), SPECS)
    np.testing.assert_allclose(derived["energy_intensity"].to_numpy()[:2], [0.1, 0.1])
    assert derived["energy_intensity"].to_numpy()[3] == pytest.approx(2.0)
    assert np.isnan(derived.loc[2, "energy_intensity"])  # missing stays missing
    np.testing.assert_allclose(derived["gdp_level"], 2 * raw_panel()["gdp"])


def test_derive_indicators_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['energy'\]"):
        measures.derive_indicators(raw_panel().drop(columns="energy"), SPECS)
    broken = raw_panel()
    broken.loc[4, "gdp"] = 0.0
    with pytest.raises(
        ValueError,
        match=(
            "'energy_intensity': denominator 'gdp' is 0.0 .province 650000, year 2014"
        ),
    ):
        measures.derive_indicators(broken, SPECS)
    with pytest.raises(ValueError, match="unique"):
        measures.derive_indicators(raw_panel(), SPECS + SPECS[:1])


def test_exclusions_blank_only_the_named_value_and_report_it():
    rule = ValueExclusion(650000, 2014, "energy", "unit slip")
    cleaned, report = measures.apply_exclusions(raw_panel(), [rule])
    assert np.isnan(cleaned.loc[4, "energy"])
    # the original gap plus the exclusion, nothing else
    assert cleaned["energy"].isna().sum() == 2
    assert (
        report.iloc[0]["value_as_published"] == 0.5
        and report.iloc[0]["reason"] == "unit slip"
    )
    assert raw_panel().loc[4, "energy"] == 0.5  # input not modified


def test_index_accounting_counts_every_row_in_the_window():
    cleaned, report = measures.apply_exclusions(
        raw_panel(), [ValueExclusion(650000, 2014, "energy", "slip")]
    )
    derived = measures.derive_indicators(cleaned, SPECS)
    table = measures.index_accounting(derived, SPECS, (2013, 2015), report)
    assert table["province_years"].sum() == 6
    assert table.iloc[0]["province_years"] == 4
    reasons = dict(zip(table["reason"], table["provinces"]))
    assert reasons["missing: energy_intensity"] == "Beijing"
    assert (
        reasons["missing: energy_intensity (published value excluded by us)"]
        == "Xinjiang"
    )


def test_year_span():
    assert (
        measures._year_span(pd.Series([2013, 2014, 2015, 2018, 2020, 2021]))
        == "2013-2015, 2018, 2020-2021"
    )


def test_nqpf_and_uri_indicator_sets_do_not_overlap():
    """Shared indicators would make the regression of URI on NQPF partly an identity."""
    shared = nqpf_models.overlap(nqpf.NQPF_EXTENDED, uri.URI_INDICATORS)
    assert shared == {"names": set(), "raw_columns": set()}
    # The check itself can fail: an overlapping set is caught.
    leaky = uri.URI_INDICATORS + (nqpf.NQPF_INDICATORS[0],)
    assert nqpf_models.overlap(nqpf.NQPF_INDICATORS, leaky)["raw_columns"] == {
        "rd_intensity_pct"
    }


def test_uri_and_theil_inputs_are_not_nqpf_inputs():
    assert not set(uri.raw_columns()) & set(nqpf.raw_columns())


def test_channels_excluded_from_the_nqpf_version_used_with_them():
    no_green = {s.name for s in nqpf.indicators_without(["green"])}
    no_digital = {s.name for s in nqpf.indicators_without(["digital"])}
    assert not {"energy_intensity", "co2_intensity"} & no_green
    assert "digital_finance" not in no_digital
    with pytest.raises(ValueError, match="unknown NQPF block"):
        nqpf.indicators_without(["greenish"])


def test_indicator_signs_follow_the_literature():
    signs = measures.signs(nqpf.NQPF_EXTENDED + uri.URI_INDICATORS)
    assert (
        signs["energy_intensity"]
        == signs["co2_intensity"]
        == signs["income_ratio"]
        == -1
    )
    assert all(
        signs[n] == 1
        for n in (
            "rd_intensity",
            "invention_patents",
            "digital_finance",
            "urbanisation",
        )
    )


def test_indicator_table_lists_every_indicator_with_its_weight():
    weights = pd.Series({"energy_intensity": 0.25, "gdp_level": 0.75})
    table = measures.indicator_table(
        SPECS,
        weights,
        {"energy": "energy", "gdp": "nbs_macro"},
        {"green": ("绿色", "green")},
    )
    assert table["weight"].tolist() == [0.25, 0.75]
    assert (
        table.loc[0, "sign"] == "−"
        and table.loc[0, "source resource"] == "energy, nbs_macro"
    )
    assert table.loc[1, "computed as"] == "2 × gdp"
