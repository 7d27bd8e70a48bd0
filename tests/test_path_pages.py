"""Part III pages executed as a reader runs them: what their prose and verdicts state
holds on the data.

Each page is executed with nbclient (explorer cells tagged skip-execution are skipped,
as in the build); a cell appended to the page prints, as JSON, the page's lever table
and the values its prose quotes. The lever variables are checked against hand-worked
values of one province-year (Guizhou, 2019, numbers from the data layer written out
below).
"""

import json

import jupytext
import nbformat
import numpy as np
import pytest

from tests.conftest import ROOT
from tools.run_pages import execute_notebook

pytestmark = pytest.mark.slow
PAGES_DIR = ROOT / "book" / "paths"
ALPHA = 0.05
GUIZHOU_2019 = (
    "frame.query(\"province_en == 'Guizhou' and year == "
    '2019")[{columns}].iloc[0].to_dict()'
)


def execute_page(name: str, extra: str) -> dict:
    """Run the page top to bottom in a fresh kernel; return its lever table and the
    `extra` dict it evaluates.
    """
    nb = jupytext.read(PAGES_DIR / f"{name}.md")
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import json as _json\n"
            "print(_json.dumps({'lever_table': lever_table.to_dict('records'), "
            f"'extra': {extra}}}, default=float))"
        )
    )
    execute_notebook(nb, PAGES_DIR, timeout=600)
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.output_type == "error"
    ]
    assert not errors, f"{name}: error outputs {[o.ename for o in errors]}"
    figures = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    ]
    named = [
        c
        for c in nb.cells
        if c.cell_type == "code"
        and c.metadata.get("mystnb", {}).get("figure", {}).get("name")
    ]
    assert len(figures) == len(named), (
        f"{name}: {len(figures)} figures drawn, {len(named)} figure cells named"
    )
    result = json.loads(nb.cells[-1].outputs[0]["text"])
    table = result["lever_table"]
    result["slopes"] = {
        (r["term"], r["outcome"], r["comparison"].split()[0]): r for r in table
    }
    return result


@pytest.fixture(scope="module")
def tech():
    return execute_page(
        "tech_innovation",
        "{'scenario': rd_scenario[['estimate', 'ci_low', 'ci_high']].to_dict(), "
        f"'guizhou': {GUIZHOU_2019.format(columns=['sci_tech_share', 'tech_inflow'])}, "
        "'moved_3': int((moves >= 3).sum())}",
    )


@pytest.fixture(scope="module")
def industry():
    return execute_page(
        "industrial_innovation",
        "{'scenario': patents_scenario[['estimate', 'ci_low', 'ci_high']].to_dict(), "
        "'guizhou': "
        + GUIZHOU_2019.format(columns=["education_share", "basic_research_share"])
        + "}",
    )


@pytest.fixture(scope="module")
def factors():
    return execute_page(
        "factor_allocation",
        "{'scenario': net_scenario[['estimate', 'ci_low', 'ci_high']].to_dict(), "
        "'hukou': hukou['gap_points'].tolist(), 'same_basis': "
        "same_basis['gap_points'].tolist()}",
    )


@pytest.fixture(scope="module")
def hardware():
    columns = [
        "ln_railway",
        "railway_per_10k",
        "highway_per_10k",
        "rural_electricity_pc",
        "education_share",
    ]
    return execute_page(
        "hardware",
        "{'scenario': rail_scenario[['estimate', 'ci_low', 'ci_high']].to_dict(), "
        f"'guizhou': {GUIZHOU_2019.format(columns=columns)}, "
        "'equal': nfos_years['equal'].sum(), "
        "'with_both': nfos_years['with_both'].sum(), 'never': never_exceeding, "
        "'kept': nfos_kept, 'elec_rose': elec_rose, 'elec_n': len(elec_wide)}",
    )


def positive_significant(row):
    return row["coef"] > 0 and row["p"] < ALPHA


def negative_significant(row):
    return row["coef"] < 0 and row["p"] < ALPHA


# ----------------------------------------------------------------------------- lever
# variables, worked by hand


def test_tech_levers_convert_units_as_worked_by_hand(tech):
    guizhou = tech["extra"]["guizhou"]
    # S&T spending 114.13 of 5,948.74 (100 million yuan) = 1.919% of the budget.
    assert guizhou["sci_tech_share"] == pytest.approx(1.9186, abs=1e-4)
    # Technology bought 3,989,215 x 10,000 yuan = 39.89 billion yuan; GDP 17,251.8 x 100
    # million = 1,725.18 billion.
    assert guizhou["tech_inflow"] == pytest.approx(2.3124, abs=1e-4)


def test_industry_levers_convert_units_as_worked_by_hand(industry):
    guizhou = industry["extra"]["guizhou"]
    # 1,067.62 / 5,948.74
    assert guizhou["education_share"] == pytest.approx(17.947, abs=1e-3)
    # 139,705 / 1,446,849 (10,000 yuan)
    assert guizhou["basic_research_share"] == pytest.approx(9.6558, abs=1e-4)


def test_hardware_levers_convert_units_as_worked_by_hand(hardware):
    guizhou = hardware["extra"]["guizhou"]
    assert guizhou["ln_railway"] == pytest.approx(np.log(0.38))  # 0.38 x 10,000 km
    # 3,800 km / 3,848 x 10,000 residents
    assert guizhou["railway_per_10k"] == pytest.approx(0.9875, abs=1e-4)
    # 204,700 km / 3,848
    assert guizhou["highway_per_10k"] == pytest.approx(53.196, abs=1e-3)
    # 104.94e8 kWh / 1,867e4 = 562 kWh
    assert guizhou["rural_electricity_pc"] == pytest.approx(0.56207, abs=1e-5)


# ----------------------------------------------------------------------------- what the
# prose and verdicts state


@pytest.mark.parametrize(
    "term",
    [
        "sci_tech_share",
        "rd_intensity",
        "tech_market",
        "tech_inflow",
        "internet_penetration",
    ],
)
def test_tech_levers_positive_between_provinces(tech, term):
    assert positive_significant(tech["slopes"][(term, "uri", "between")])


@pytest.mark.parametrize(
    "term", ["sci_tech_share", "rd_intensity", "tech_inflow", "internet_penetration"]
)
def test_tech_levers_not_significant_within_provinces(tech, term):
    assert tech["slopes"][(term, "uri", "within")]["p"] >= ALPHA


def test_tech_market_negative_within_and_sci_tech_widens_the_gap(tech):
    assert negative_significant(tech["slopes"][("tech_market", "uri", "within")])
    assert positive_significant(
        tech["slopes"][("sci_tech_share", "income_ratio", "within")]
    )


def test_rd_scenario_is_negative_as_the_page_says(tech):
    assert tech["extra"]["scenario"]["ci_high"] < 0
    assert tech["extra"]["moved_3"] > 0


def test_industry_slopes_as_stated(industry):
    slopes = industry["slopes"]
    assert positive_significant(slopes[("invention_patents", "uri", "between")])
    assert negative_significant(slopes[("invention_patents", "uri", "within")])
    assert negative_significant(slopes[("nonfarm_share", "uri", "within")])
    for term in ("education_share", "basic_research_share"):
        assert slopes[(term, "uri", "within")]["p"] >= ALPHA
    assert negative_significant(slopes[("education_share", "uri", "between")])
    assert positive_significant(slopes[("ln_farm_machinery", "uri", "within")])
    assert negative_significant(slopes[("ln_farm_machinery", "uri", "between")])
    assert industry["extra"]["scenario"]["ci_high"] < 0, (
        "the page says the implied change is negative"
    )


def test_factor_slopes_and_scenario_as_stated(factors):
    slopes = factors["slopes"]
    assert positive_significant(slopes[("digital_finance", "uri", "between")])
    assert negative_significant(slopes[("digital_finance", "uri", "within")])
    internet = slopes[("internet_penetration", "uri", "within")]
    assert internet["coef"] > 0 and internet["p"] >= ALPHA, (
        "P3-4 verdict: positive but not significant within"
    )
    scenario = factors["extra"]["scenario"]
    assert scenario["ci_low"] < 0 < scenario["ci_high"], (
        "the page says the internet interval includes zero"
    )


def test_hukou_gap_did_not_narrow_on_the_page(factors):
    assert factors["extra"]["hukou"][-1] >= factors["extra"]["hukou"][0]
    assert factors["extra"]["same_basis"][-1] >= factors["extra"]["same_basis"][0]


def test_hardware_slopes_and_scenario_as_stated(hardware):
    slopes = hardware["slopes"]
    assert positive_significant(slopes[("ln_railway", "uri", "within")])
    assert slopes[("ln_highway", "uri", "within")]["coef"] > 0
    assert slopes[("ln_highway", "uri", "within")]["p"] >= ALPHA
    assert negative_significant(slopes[("ln_railway", "uri", "between")])
    assert negative_significant(slopes[("ln_highway", "uri", "between")])
    assert positive_significant(slopes[("rural_electricity_pc", "uri", "between")])
    assert slopes[("rural_electricity_pc", "uri", "within")]["p"] >= ALPHA
    assert 0 < hardware["extra"]["scenario"]["ci_low"], (
        "the page says the railway interval stays above zero"
    )
    assert hardware["extra"]["elec_rose"] > 0.5 * hardware["extra"]["elec_n"]


def test_non_fossil_share_is_too_thin_to_model_as_the_hardware_page_says(hardware):
    extra = hardware["extra"]
    assert extra["equal"] > 0.8 * extra["with_both"]
    assert {"Jiangsu", "Zhejiang", "Guangdong"} <= set(extra["never"]), (
        "the page says the coastal East is left out"
    )
    assert extra["kept"]["provinces seen twice or more"] == 1
    assert extra["kept"]["province-years"] < 0.2 * 31 * 8
