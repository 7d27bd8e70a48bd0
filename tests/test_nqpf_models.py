"""Tests for helpers.nqpf_models on a SYNTHETIC raw panel (no real data): structure,
samples, known slopes, formatters.

The Part I models that moved onto the pages (robustness, regional slopes, channel steps,
coupling, the literature comparison) are checked on the executed pages in
tests/test_part1_pages.py.
"""

import numpy as np
import pandas as pd
import pytest

from helpers import nqpf_models as nm
from helpers import panel

# code, English, region (a small synthetic set, 3 per region, two municipalities)
PROVINCES = [
    (110000, "Beijing", "East"),
    (310000, "Shanghai", "East"),
    (320000, "Jiangsu", "East"),
    (340000, "Anhui", "Central"),
    (420000, "Hubei", "Central"),
    (430000, "Hunan", "Central"),
    (510000, "Sichuan", "West"),
    (520000, "Guizhou", "West"),
    (620000, "Gansu", "West"),
    (210000, "Liaoning", "Northeast"),
    (220000, "Jilin", "Northeast"),
    (230000, "Heilongjiang", "Northeast"),
]


@pytest.fixture(scope="module")
def raw():
    """Every input column, positive, with province levels and trends; 2012-2022
    (synthetic).
    """
    rng = np.random.default_rng(7)
    rows = []
    for code, name, region in PROVINCES:
        level = rng.normal()
        for year in range(2012, 2023):
            row = {
                "province_code": code,
                "province_zh": name,
                "province_en": name,
                "region": region,
                "year": year,
            }
            for column in nm.input_columns():
                row[column] = float(
                    np.exp(
                        3 + 0.3 * level + 0.05 * (year - 2012) + rng.normal(scale=0.2)
                    )
                )
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame["urban_disposable_income_yuan"] = frame[
        "rural_disposable_income_yuan"
    ] * rng.uniform(1.8, 3.2, len(frame))
    frame["urbanisation_rate_pct"] = rng.uniform(30, 90, len(frame))
    # as in the real data
    frame.loc[frame["year"] > 2020, ["urban_disposable_income_yuan"]] = np.nan
    return frame


@pytest.fixture(scope="module")
def data(raw):
    return nm.build_analysis_data(raw)


def test_frame_has_every_index_outcome_control_and_channel(data):
    expected = {
        "nqpf",
        "nqpf_topsis",
        "nqpf_equal",
        "nqpf_extended",
        "nqpf_no_digital",
        "nqpf_no_green",
        "uri",
        "income_ratio",
        "theil",
        *nm.CONTROLS,
        *nm.CHANNELS,
    }
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
    rows = raw.loc[raw["province_code"] == 340000].set_index("year")[
        "rural_disposable_income_yuan"
    ]
    got = data.frame.set_index(["province_code", "year"]).loc[
        (340000, 2015), "rural_income_growth"
    ]
    assert got == pytest.approx(100 * (rows[2015] / rows[2014] - 1))


def test_known_slope_is_recovered():
    """A frame where URI = 0.5 * NQPF + province + year effects exactly: the baseline
    slope is 0.5.
    """
    rng = np.random.default_rng(3)
    rows = [(c, y, rng.uniform()) for c in range(10) for y in range(2013, 2021)]
    frame = pd.DataFrame(rows, columns=["province_code", "year", "nqpf"])
    frame["ln_gdp"] = rng.normal(size=len(frame))
    frame["gov_spending"] = rng.normal(size=len(frame))
    frame["uri"] = (
        0.5 * frame["nqpf"]
        + 0.1 * frame["province_code"]
        + 0.01 * (frame["year"] - 2013) ** 2
    )
    frame["income_ratio"] = -frame["uri"]
    fits = nm.baseline_fits(frame)
    assert fits["uri"].params["nqpf"] == pytest.approx(0.5, abs=1e-9)
    assert fits["income_ratio"].params["nqpf"] == pytest.approx(-0.5, abs=1e-9)


def test_implied_change_from_the_baseline(data):
    result = nm.baseline_fits(data.frame)["uri"]
    change = panel.implied_change(result, {"nqpf": 0.1})
    assert change.loc[0, "estimate"] == pytest.approx(0.1 * result.params["nqpf"])
    assert (
        change.loc[0, "ci_low"] < change.loc[0, "estimate"] < change.loc[0, "ci_high"]
    )


def test_p_text():
    assert nm.p_text(0.0004) == "p < 0.001"
    assert nm.p_text(0.0342) == "p = 0.034"
    with pytest.raises(ValueError, match="must lie in"):
        nm.p_text(1.5)


def test_start_change_and_catch_up_by_hand():
    """Three provinces: y starts at 1, 2, 3 and changes by 2, 1, 0 (perfect catch-up,
    corr -1); x changes by 0, 1, 2, so corr(start of y, change of x) = +1.
    """
    frame = pd.DataFrame(
        {
            "province_code": [1, 1, 2, 2, 3, 3],
            "region": ["A", "A", "A", "A", "B", "B"],
            "year": [2013, 2020] * 3,
            "y": [1.0, 3.0, 2.0, 3.0, 3.0, 3.0],
            "x": [0.0, 0.0, 0.0, 1.0, 0.0, 2.0],
        }
    )
    changes = nm.start_and_change(frame, "y")
    assert changes["change"].tolist() == [2.0, 1.0, 0.0]
    pattern = nm.catch_up_pattern(frame, "x", "y")
    assert pattern["corr_start_change"] == pytest.approx(-1.0)
    assert pattern["corr_start_x_change"] == pytest.approx(1.0)
    assert pattern["n_provinces"] == 3
    with pytest.raises(ValueError, match="not observed in both"):
        nm.start_and_change(frame[frame["year"] == 2013], "y")


def test_term_row_standardises_on_the_sample(data):
    """std_coef = beta * sd(x) / sd(y) on the rows the model used; years spans that
    sample.
    """
    sample = data.frame[data.frame["year"].between(2013, 2020)]
    result = panel.twoway_fe(
        sample, "uri", ["nqpf", *nm.CONTROLS], "province_code", "year"
    )
    row = nm.term_row(result, "nqpf", sample, step="(a)")
    used = sample.loc[result.sample_index]
    assert row["std_coef"] == pytest.approx(
        result.params["nqpf"] * used["nqpf"].std() / used["uri"].std()
    )
    assert (
        row["step"] == "(a)" and row["term"] == "nqpf" and row["years"] == "2013-2020"
    )


def test_significant_figures_by_hand():
    assert nm.significant(129.2787) == "129"
    assert nm.significant(-0.000898) == "-0.000898"
    assert nm.significant(27.4879) == "27.5"
    assert nm.significant(1.062333) == "1.06"
    assert nm.significant(0) == "0"
    assert nm.significant(float("nan")) == "–"


def coef_rows() -> pd.DataFrame:
    """Two coef_table rows worked by hand: a listed and an unlisted term."""
    return pd.DataFrame(
        {
            "outcome": ["uri", "uri"],
            "term": ["nqpf", "unlisted_term"],
            "coef": [-0.486121, 1.5],
            "se": [0.096731, float("nan")],
            "p": [0.000024, 0.0342],
            "ci_low": [-0.683958, 1.0],
            "ci_high": [-0.288284, 2.0],
            "std_coef": [-0.41666, float("nan")],
            "n_obs": [236.0, 236.0],
            "n_clusters": [30, 30],
            "years": ["2013-2020", "2013-2020"],
        }
    )


def test_coef_display_is_readable():
    labels = {"outcome": "Outcome", "term": "Term"}
    shown = nm.coef_display(coef_rows(), labels, digits=3)
    assert list(shown.columns) == [
        "Outcome",
        "Term",
        "Coefficient",
        "Std. error",
        "95% interval",
        "p",
        "Standardised",
        "Province-years",
        "Provinces",
        "Years",
    ]
    assert (
        shown.loc[0, "Outcome"] == nm.TERM_LABELS["uri"]
        and shown.loc[0, "Term"] == nm.TERM_LABELS["nqpf"]
    )
    # codes without a label stay as they are
    assert shown.loc[1, "Term"] == "unlisted_term"
    assert (
        shown.loc[0, "Coefficient"] == "-0.486"
        and shown.loc[0, "95% interval"] == "-0.684 to -0.288"
    )
    assert shown.loc[0, "p"] == "< 0.001" and shown.loc[1, "p"] == "0.034"
    assert shown["Standardised"].tolist() == ["-0.42", "–"]
    assert shown.loc[1, "Std. error"] == "–"
    assert shown["Province-years"].tolist() == [236, 236]  # counts, not 236.0
    with pytest.raises(ValueError, match="must lie in"):
        nm.coef_display(coef_rows().assign(p=-0.1), {"term": "Term"})


def test_coef_display_three_significant_digits_by_default():
    shown = nm.coef_display(coef_rows(), {"term": "Term"})
    assert shown.loc[0, "Std. error"] == "0.0967"
    assert shown.loc[1, "95% interval"] == "1.00 to 2.00"


def test_show_makes_coef_display_a_bilingual_readable_table():
    shown = nm.coef_display(coef_rows(), {"outcome": "Outcome", "term": "Term"})
    styler = nm.show(shown)
    assert list(styler.data.columns) == [nm.BILINGUAL_HEADERS[c] for c in shown.columns]
    html = styler.to_html()
    assert 'class="nqpf-table"' in html
    assert "&lt; 0.001" in html and "< 0.001" not in html  # cell text is escaped
    assert ">236<" in html and ">2013-2020<" in html
    # the coefficient (column 2) stays on screen when a phone scrolls the table;
    # estimates (columns 2-6) and counts (7, 8) align as numbers, labels do not
    rules = column_rules(html)
    assert [c for c, props in rules.items() if "position: sticky" in props] == [2]
    right = {c for c, props in rules.items() if "text-align: right" in props}
    assert right == {2, 3, 4, 5, 6, 7, 8}


def column_rules(html: str) -> dict[int, str]:
    """The CSS properties a Styler's HTML sets on each column, by column number."""
    rules: dict[int, str] = {}
    for block in html[: html.index("</style>")].split("}")[:-1]:
        selector, props = block.split("{")
        if ".col" in selector:
            column = int(selector.split(".col")[1])
            rules[column] = rules.get(column, "") + props
    return rules


def test_show_makes_any_display_frame_readable():
    frame = pd.DataFrame({"Region <b>": ["East"], "year": [2013.0], "D": [None]})
    html = nm.show(frame).to_html()
    assert 'class="nqpf-table"' in html and "Region &lt;b&gt;" in html
    assert ">2013<" in html and ">–<" in html  # an integer year, '–' if missing
    assert ">2020<" in nm.show(pd.DataFrame({"Year": [2020]})).to_html()  # not 2,020
    assert "sticky" not in html  # no coefficient column, no key


def test_indicator_display_weights_in_percent(data):
    from helpers import nqpf

    catalogue = pd.DataFrame({"column": nm.input_columns(), "resource": "synthetic"})
    shown = nm.indicator_display(nm.indicator_tables(data, catalogue)["nqpf"])
    assert len(shown) == len(nqpf.NQPF_EXTENDED)
    main = shown["Weight"][shown["Weight"] != "–"].str.rstrip("%").astype(float)
    # rounded shares of 100%
    assert main.sum() == pytest.approx(100, abs=0.1 * len(main))
    # the high-tech indicator is only in the extended index
    assert shown["Weight"].iloc[-1] == "–"
