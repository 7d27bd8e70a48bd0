"""The Part I pages, executed: no error output, every figure named, every {eval} role
has a value, and the numbers the pages compute in their cells agree with the building
blocks (slow: runs four pages, about a minute each).

The models of Part I are on the pages (issue 15), so what unit tests used to check
through helper functions (robustness specifications, one sample for the channel steps,
one slope per region, the literature comparison) is checked here on the page's own
variables: each page is run by nbclient as Jupytext reads it, then one more cell
evaluates every {eval} expression of the page and the expressions listed below, after
Run All, as JupyterLab does.
"""

import json
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

from helpers import nqpf_models as nm
from helpers.panel import coef_table, twoway_fe
from tools.run_pages import execute_notebook

ROOT = Path(__file__).resolve().parents[1]
PART1 = ROOT / "book" / "mechanisms"
EVAL = re.compile(r"\{eval\}`([^`]+)`")

pytestmark = pytest.mark.slow


def run_page(path: Path, checks: dict[str, str]) -> dict:
    """Execute the page; return its figures, error outputs, {eval} values and the values
    of `checks` (JSON).
    """
    notebook = jupytext.read(path)
    evals = sorted(
        {
            m
            for cell in notebook.cells
            if cell.cell_type == "markdown"
            for m in EVAL.findall(cell.source)
        }
    )
    probe = (
        "import json as _json\ndef _value(expression):\n    try:\n        return "
        "_json.loads(_json.dumps(eval(expression), default=lambda v: v.item() if "
        "hasattr(v, 'item') else str(v)))\n    except Exception as error:\n        "
        f"return f'ERROR {{type(error).__name__}}: {{error}}'\nprint('@@' + "
        f"_json.dumps({{e: _value(e) for e in {evals + list(checks.values())!r}}}))\n"
    )
    notebook.cells.append(nbformat.v4.new_code_cell(probe))
    execute_notebook(notebook, path.parent, timeout=300)
    outputs = [
        (cell, output)
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    ]
    errors = [o for _, o in outputs if o.output_type == "error"]
    figures = [
        c.metadata.get("mystnb", {}).get("figure", {}).get("name")
        for c, o in outputs
        if "image/png" in o.get("data", {})
    ]
    tables = {
        c.metadata["output_name"]
        for c, o in outputs
        if "output_name" in c.metadata and "text/html" in o.get("data", {})
    }
    line = next(
        o.text
        for _, o in outputs
        if o.output_type == "stream" and o.text.startswith("@@")
    )
    values = json.loads(line[2:])
    return {
        "errors": errors,
        "figures": figures,
        "tables": tables,
        "evals": {e: values[e] for e in evals},
        "checks": {k: values[v] for k, v in checks.items()},
    }


def assert_page_is_whole(result, figures, tables):
    assert not result["errors"], [e.ename for e in result["errors"]]
    # every figure drawn by its cell, with its cross-reference name
    assert result["figures"] == figures
    assert result["tables"] == set(tables)
    failed = {
        e: v
        for e, v in result["evals"].items()
        if isinstance(v, str) and v.startswith("ERROR")
    }
    assert not failed
    assert result["evals"], "the prose quotes no computed number"


@pytest.fixture(scope="module")
def frame():
    return nm.build_analysis_data(nm.load_inputs()).frame


def building_block(frame, outcome, term, others=("ln_gdp", "gov_spending"), **options):
    sample = frame[frame["year"].between(2013, 2020)]
    result = twoway_fe(
        sample, outcome, [term, *others], entity="province_code", time="year", **options
    )
    return coef_table(result).set_index("term").loc[term]


def test_factor_flow_page(frame):
    result = run_page(
        PART1 / "factor_flow.md",
        {
            "b_uri": "dict(b_uri)",
            "between": "dict(between)",
            "robust_rows": "len(robust)",
            "robust_specs": "robust['specification'].nunique()",
            "lag_years": (
                "sorted(set(robust.loc[robust['specification'] == 'NQPF lagged one "
                "year', 'years']))"
            ),
            "no_muni_provinces": (
                "sorted(set(robust.loc[robust['specification'] == 'Without the four "
                "municipalities', 'n_entities']))"
            ),
            "between_effects": (
                "sorted(set(robust.loc[robust['specification'].str.startswith('Year "
                "effects'), 'effects']))"
            ),
            "digital_samples": "sorted(set(digital['n_obs'].iloc[2:]))",
            "region_provinces": (
                "regions.groupby('outcome')['provinces'].sum().to_dict()"
            ),
            "agreement": (
                "dict(zip(comparison['Finding in the literature'], "
                "comparison['Agreement']))"
            ),
            "coupling_in_unit": "bool(coupling['D'].between(0, 1).all())",
            "accounting_total": "nqpf_rows",
        },
    )
    assert_page_is_whole(
        result,
        [
            "fig-m1-index-paths",
            "fig-m1-within-between",
            "fig-m1-robustness",
            "fig-m1-coupling",
            "fig-m1-digital",
        ],
        [
            "m1_nqpf_indicators",
            "m1_uri_indicators",
            "m1_nqpf_accounting",
            "m1_baseline",
            "m1_robustness",
            "m1_regions",
            "m1_coupling",
            "m1_literature_comparison",
            "m1_digital_channel",
            "m1_rural_income_growth",
        ],
    )
    checks = result["checks"]
    expected = building_block(frame, "uri", "nqpf")
    assert checks["b_uri"]["coef"] == pytest.approx(expected["coef"]) and checks[
        "b_uri"
    ]["se"] == pytest.approx(expected["se"])
    assert checks["between"]["coef"] == pytest.approx(
        building_block(frame, "uri", "nqpf", entity_effects=False)["coef"]
    )
    assert checks["robust_rows"] == 18 and checks["robust_specs"] == 9
    assert checks["lag_years"] == ["2014-2020"]  # the lag costs the first year
    # 30 provinces with URI, four municipalities out
    assert checks["no_muni_provinces"] == [26]
    assert checks["between_effects"] == ["year only"]
    # (b0) and (b) on the same province-years
    assert len(checks["digital_samples"]) == 1
    assert checks["region_provinces"] == {"income_ratio": 30, "uri": 30}
    for finding in (
        "NQPF rises every year",
        "Regional order of NQPF: East > Central > West",
        "Beijing and Shanghai lead NQPF",
        "URI falls from East to West",
    ):
        assert checks["agreement"][finding] == "agree"
    assert (
        checks["agreement"]["NQPF raises URI (positive, significant, two-way FE)"]
        == "disagree"
    )
    assert checks["agreement"]["NQPF narrows the urban-rural income gap"] == "disagree"
    assert checks["coupling_in_unit"]
    # 31 provinces x 10 years; Tibet is in the accounting
    assert checks["accounting_total"] == 30 * 10 + 10


def test_tech_industry_page(frame):
    result = run_page(
        PART1 / "tech_industry.md",
        {
            "tertiary_within": "dict(tertiary_within)",
            "shift": "slope_shift",
            "samples": "sorted(set(tertiary['n_obs'].iloc[2:]))",
        },
    )
    assert_page_is_whole(
        result, ["fig-m2-tertiary"], ["m2_structure_channels", "m2_tertiary_channel"]
    )
    assert result["checks"]["tertiary_within"]["coef"] == pytest.approx(
        building_block(frame, "tertiary_share", "nqpf")["coef"]
    )
    assert abs(result["checks"]["shift"]) < 10 and len(result["checks"]["samples"]) == 1


def test_infrastructure_page(frame):
    result = run_page(
        PART1 / "infrastructure.md",
        {
            "road_a": "dict(road_a)",
            "n_pairs": "len(penetration)",
            "stated": "sorted(map(str, stated))",
        },
    )
    assert_page_is_whole(
        result,
        ["fig-m3-highway"],
        ["m3_village_coverage", "m3_highway_channel", "m3_digital_finance_uri"],
    )
    assert result["checks"]["road_a"]["coef"] == pytest.approx(
        building_block(frame, "ln_highway", "nqpf")["coef"]
    )
    assert result["checks"]["n_pairs"] >= 2


def test_green_transition_page(frame):
    result = run_page(
        PART1 / "green_transition.md",
        {
            "energy_across": "dict(energy_across)",
            "energy_path": "energy_path.round(6).to_dict()",
        },
    )
    assert_page_is_whole(
        result,
        ["fig-m4-energy"],
        ["m4_green_channel", "m4_farm_inputs", "m4_innovation_energy"],
    )
    expected = building_block(
        frame, "energy_intensity", "nqpf_no_green", entity_effects=False
    )
    assert result["checks"]["energy_across"]["coef"] == pytest.approx(expected["coef"])
    path = list(result["checks"]["energy_path"].values())
    assert path[-1] < path[0]  # "fell almost everywhere"
