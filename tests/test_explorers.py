"""Explorer callbacks: plain functions tested without a browser or kernel, on a labelled
synthetic panel.

SYNTHETIC DATA ONLY: the panels below are made up for the tests and never shown on a
page.
"""

import re

import numpy as np
import pandas as pd
import pytest

from helpers.explorers import index_builder, province, scenario
from helpers.panel import twoway_fe

# Six made-up provinces, two regions, four years. Indicator 'a' orders them P1 > ... >
# P6, indicator 'b' orders them the other way round, 'c' (negative) is noise-free and
# mild.
UNITS = ["P1", "P2", "P3", "P4", "P5", "P6"]
REGIONS = {
    "P1": "East",
    "P2": "East",
    "P3": "East",
    "P4": "West",
    "P5": "West",
    "P6": "West",
}
SIGNS = {"a": "+", "b": "+", "c": "-"}


@pytest.fixture
def synthetic_panel():
    rows = []
    for year in (2016, 2017, 2018, 2019):
        for position, unit in enumerate(UNITS):
            trend = year - 2016
            rows.append(
                {
                    "province_en": unit,
                    "region": REGIONS[unit],
                    "year": year,
                    "a": 10.0 - position + trend,
                    "b": 1.0 + position + 0.5 * trend,
                    "c": 3.0 + 0.1 * position - 0.2 * trend,
                }
            )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- index
# builder


def top_unit(view, year=2019):
    return index_builder.ranking(view, year)["province_en"].iloc[0]


def test_rankings_follow_the_weights(synthetic_panel):
    only_a = index_builder.build_view(
        synthetic_panel, SIGNS, ["a", "b"], "custom", {"a": 1, "b": 0}
    )
    only_b = index_builder.build_view(
        synthetic_panel, SIGNS, ["a", "b"], "custom", {"a": 0, "b": 1}
    )
    assert top_unit(only_a) == "P1"
    assert top_unit(only_b) == "P6"
    assert list(index_builder.ranking(only_b, 2019)["province_en"]) == UNITS[::-1]


def test_custom_weights_are_normalised_to_sum_to_one():
    weights = index_builder.custom_weights({"a": 2.0, "b": 6.0}, ["a", "b"])
    assert weights.to_dict() == {"a": 0.25, "b": 0.75}


def test_rescaling_custom_weights_changes_nothing(synthetic_panel):
    small = index_builder.build_view(
        synthetic_panel, SIGNS, ["a", "c"], "custom", {"a": 1, "c": 3}
    )
    large = index_builder.build_view(
        synthetic_panel, SIGNS, ["a", "c"], "custom", {"a": 10, "c": 30}
    )
    pd.testing.assert_frame_equal(small.scores, large.scores)


def test_equal_weights_score_is_the_mean_of_normalised_indicators(synthetic_panel):
    view = index_builder.build_view(synthetic_panel, SIGNS, ["a", "b"], "equal")
    # By hand for P1 in 2016: a = 10 with a spanning 5..13, so z_a = 5/8; b = 1 with b
    # spanning 1..7.5, so z_b = 0; the equal-weight score is (5/8 + 0) / 2.
    p1 = view.scores.query("province_en == 'P1' and year == 2016")["score"].item()
    assert p1 == pytest.approx(5 / 16)
    assert view.weights.to_dict() == {"a": 0.5, "b": 0.5}


def test_entropy_weights_sum_to_one_and_ranks_are_within_year(synthetic_panel):
    view = index_builder.build_view(synthetic_panel, SIGNS)
    assert view.weights.sum() == pytest.approx(1.0)
    assert sorted(view.scores.query("year == 2017")["rank"]) == [1, 2, 3, 4, 5, 6]
    assert set(view.scores.columns) >= {
        "province_en",
        "year",
        "region",
        "score",
        "rank",
    }


def test_trajectories_are_year_by_province(synthetic_panel):
    paths = index_builder.trajectories(index_builder.build_view(synthetic_panel, SIGNS))
    assert list(paths.index) == [2016, 2017, 2018, 2019]
    assert list(paths.columns) == sorted(UNITS)


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"a": 1.0}, "missing for indicator"),
        ({"a": 1.0, "b": 1.0, "z": 1.0}, "not chosen"),
        ({"a": -1.0, "b": 1.0}, ">= 0"),
        ({"a": 0.0, "b": 0.0}, "all zero"),
        ({"a": float("nan"), "b": 1.0}, "finite"),
    ],
)
def test_bad_custom_weights_give_clear_errors(raw, message):
    with pytest.raises(ValueError, match=message):
        index_builder.custom_weights(raw, ["a", "b"])


def test_bad_index_choices_give_clear_errors(synthetic_panel):
    with pytest.raises(ValueError, match="at least one indicator"):
        index_builder.build_view(synthetic_panel, SIGNS, [])
    with pytest.raises(ValueError, match="not in the indicator set"):
        index_builder.build_view(synthetic_panel, SIGNS, ["a", "gdp"])
    with pytest.raises(ValueError, match="weighting must be one of"):
        index_builder.build_view(synthetic_panel, SIGNS, method="pca")
    with pytest.raises(ValueError, match="needs raw_weights"):
        index_builder.build_view(synthetic_panel, SIGNS, method="custom")
    with pytest.raises(ValueError, match="years available"):
        index_builder.ranking(index_builder.build_view(synthetic_panel, SIGNS), 2030)


def test_incomplete_rows_are_dropped_and_counted(synthetic_panel):
    panel = synthetic_panel.copy()
    panel.loc[0, "a"] = np.nan
    view = index_builder.build_view(panel, SIGNS)
    assert view.n_dropped == 1
    assert len(view.scores) == len(panel) - 1


# ----------------------------------------------------------------------------- province
# explorer


def test_province_view_returns_that_province_and_its_paths(synthetic_panel):
    view = province.province_view(synthetic_panel, "P5", ["a", "b"])
    own = view.query("series == 'province' and indicator == 'a'").sort_values("year")
    assert own["value"].tolist() == [6.0, 7.0, 8.0, 9.0]  # 10 - 4 + trend, by hand
    assert set(own["path"]) == {"P5"}
    west_2016 = view.query("series == 'region' and indicator == 'a' and year == 2016")
    assert west_2016["path"].item() == "West"
    assert west_2016["value"].item() == pytest.approx((7 + 6 + 5) / 3)  # P4, P5, P6
    national_2016 = view.query(
        "series == 'national' and indicator == 'a' and year == 2016"
    )
    assert national_2016["value"].item() == pytest.approx(sum(range(5, 11)) / 6)


def test_reference_paths_skip_missing_values_and_count_provinces(synthetic_panel):
    panel = synthetic_panel.copy()
    panel.loc[(panel["province_en"] == "P1") & (panel["year"] == 2016), "a"] = np.nan
    paths = province.reference_paths(panel, ["a"])
    row = paths.query("path == 'National' and year == 2016")
    assert row["n_provinces"].item() == 5
    assert row["value"].item() == pytest.approx(sum(range(5, 10)) / 5)


def test_province_gaps_use_the_latest_observed_year(synthetic_panel):
    gaps = province.province_gaps(province.province_view(synthetic_panel, "P1", ["a"]))
    assert gaps.to_dict("records") == [
        {
            "indicator": "a",
            "year": 2019,
            "province": 13.0,
            "region_mean": 12.0,
            "national_mean": 10.5,
        }
    ]


def test_unknown_province_or_indicator_is_named(synthetic_panel):
    with pytest.raises(ValueError, match="'Atlantis' not found.*P1"):
        province.province_view(synthetic_panel, "Atlantis", ["a"])
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['gdp'\]"):
        province.province_view(synthetic_panel, "P1", ["gdp"])


# ----------------------------------------------------------------------------- scenario
# levers


@pytest.fixture
def linear_fit():
    """y = 0.5 x + unit effect + year effect + noise (seeded), fitted by two-way FE."""
    rng = np.random.default_rng(7)
    rows = []
    for unit in range(12):
        for year in range(2013, 2021):
            x = rng.normal(unit * 0.3, 1.0)
            rows.append(
                {
                    "unit": unit,
                    "year": year,
                    "x": x,
                    "z": rng.normal(),
                    "y": 0.5 * x
                    + 0.2 * unit
                    + 0.05 * (year - 2013)
                    + rng.normal(0, 0.3),
                }
            )
    return twoway_fe(pd.DataFrame(rows), "y", ["x", "z"], "unit", "year")


def test_direct_scenario_ci_contains_estimate_and_scales_linearly(linear_fit):
    table = scenario.direct_scenario(linear_fit, "x", [1.0, 2.0, 3.0])
    assert (table["ci_low"] < table["estimate"]).all() and (
        table["estimate"] < table["ci_high"]
    ).all()
    one = table.iloc[0]
    for k, row in zip((1, 2, 3), table.itertuples()):
        assert row.estimate == pytest.approx(k * one["estimate"])
        assert row.ci_low == pytest.approx(k * one["ci_low"])
        assert row.ci_high == pytest.approx(k * one["ci_high"])
    assert one["estimate"] == pytest.approx(linear_fit.params["x"])
    assert 0.4 < one["estimate"] < 0.6  # the slope the data were made with


def test_zero_lever_gives_zero_change_with_zero_width(linear_fit):
    row = scenario.direct_scenario(linear_fit, "x", 0.0).iloc[0]
    assert row["estimate"] == 0 and row["ci_low"] == 0 and row["ci_high"] == 0


def test_index_scenario_known_answer(linear_fit):
    # Treat x as an index; lever 'r' has weight 0.25 and span 4, so dx_index = 0.25 * 2
    # / 4 = 0.125.
    weights = pd.Series({"r": 0.25, "s": 0.75})
    spans = pd.Series({"r": 4.0, "s": 1.0})
    table = scenario.index_scenario(
        linear_fit, "x", "r", 2.0, weights, {"r": "+", "s": "+"}, spans
    )
    assert table["index_change"].item() == pytest.approx(0.125)
    assert table["estimate"].item() == pytest.approx(0.125 * linear_fit.params["x"])
    negative = scenario.index_scenario(
        linear_fit, "x", "r", 2.0, weights, {"r": "-", "s": "+"}, spans
    )
    assert negative["estimate"].item() == pytest.approx(-table["estimate"].item())


def test_column_labels_name_the_columns_scenario_tables_have(linear_fit):
    """The pages show scenario tables through COLUMN_LABELS: every labelled column
    exists in one of them.
    """
    weights, spans = pd.Series({"r": 1.0}), pd.Series({"r": 1.0})
    direct = scenario.direct_scenario(linear_fit, "x", 1.0)
    index = scenario.index_scenario(
        linear_fit, "x", "r", 1.0, weights, {"r": "+"}, spans
    )
    assert set(scenario.COLUMN_LABELS) <= set(direct.columns) | set(index.columns)
    assert list(index.filter(items=list(scenario.COLUMN_LABELS)).columns) == list(
        scenario.COLUMN_LABELS
    )
    assert (
        "index_change" not in direct.filter(items=list(scenario.COLUMN_LABELS)).columns
    )


def test_scenario_table_shows_the_labelled_columns_with_their_decimals(linear_fit):
    result = scenario.direct_scenario(linear_fit, "x", [1.0, 2.0])
    html = scenario.scenario_table(result).to_html()
    headers = re.findall(r"<th[^>]*>(.*?)</th>", html)
    assert headers == [
        label for name, label in scenario.COLUMN_LABELS.items() if name in result
    ]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    assert cells[0] == "1.0" and cells[1] == f"{result['estimate'].iloc[0]:.4f}"


def test_normalisation_spans_are_max_minus_min(synthetic_panel):
    spans = scenario.normalisation_spans(synthetic_panel, ["a", "b"])
    assert spans.to_dict() == {"a": 8.0, "b": 6.5}


@pytest.mark.parametrize("amount", ["a lot", [], [1.0, float("inf")], None])
def test_bad_lever_amounts_give_clear_errors(linear_fit, amount):
    with pytest.raises(ValueError, match="lever amount"):
        scenario.direct_scenario(linear_fit, "x", amount)


def test_unknown_levers_are_named(linear_fit):
    with pytest.raises(ValueError, match="'rd_intensity' is not a regressor"):
        scenario.direct_scenario(linear_fit, "rd_intensity", 1.0)
    with pytest.raises(ValueError, match="not an indicator of the index"):
        scenario.index_scenario(
            linear_fit,
            "x",
            "q",
            1.0,
            pd.Series({"r": 1.0}),
            {"r": "+"},
            pd.Series({"r": 1.0}),
        )
    with pytest.raises(ValueError, match="positive normalisation span"):
        scenario.index_scenario(
            linear_fit,
            "x",
            "r",
            1.0,
            pd.Series({"r": 1.0}),
            {"r": "+"},
            pd.Series({"r": 0.0}),
        )


def test_support_check_flags_moves_beyond_the_observed_range():
    inside = scenario.support_check([1.0, 2.0, 5.0], current=2.0, amount=1.0)
    outside = scenario.support_check([1.0, 2.0, 5.0], current=4.5, amount=1.0)
    assert inside["inside"] and not outside["inside"]
    assert outside["new"] == 5.5


def test_scenario_sentence_carries_the_caveat(linear_fit):
    row = scenario.direct_scenario(linear_fit, "x", 1.0).iloc[0]
    text = scenario.scenario_sentence(row, "R&D intensity", "percentage points", "URI")
    assert "not a forecast" in text and "95% CI" in text


# ----------------------------------------------------------------------------- figures


@pytest.fixture(autouse=False)
def no_missing_glyphs():
    """Fail the test if any Chinese glyph is drawn with a font that lacks it."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]


def figure_text(fig):
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    return " ".join(texts)


def test_figures_draw_with_bilingual_labels_and_source(
    synthetic_panel, no_missing_glyphs
):
    import matplotlib.pyplot as plt

    view = index_builder.build_view(synthetic_panel, SIGNS)
    figures = [
        index_builder.index_builder_figure(
            view, 2019, ["P2"], source="Source: synthetic test panel"
        ),
        province.province_figure(
            province.province_view(synthetic_panel, "P2", ["a", "b"]),
            {"a": ("甲", "A"), "b": ("乙", "B")},
            source="Source: synthetic test panel",
        ),
    ]
    for fig in figures:
        text = figure_text(fig)
        assert "Source: synthetic test panel" in text
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), (
            "no Chinese label on the figure"
        )
        assert "year" in text or "P2" in text
        fig.canvas.draw()
        plt.close(fig)


def test_scenario_figure_states_the_caveat(linear_fit, no_missing_glyphs):
    import matplotlib.pyplot as plt

    curve = scenario.direct_scenario(linear_fit, "x", np.linspace(0, 2, 5))
    fig = scenario.scenario_figure(
        curve, 1.0, ("研发强度", "R&D intensity"), "pp", ("城乡融合", "URI")
    )
    assert scenario.CAVEAT_EN in figure_text(fig)
    fig.canvas.draw()
    plt.close(fig)
    with pytest.raises(ValueError, match="outside the curve"):
        scenario.scenario_figure(
            curve, 5.0, ("研发强度", "R&D intensity"), "pp", ("城乡融合", "URI")
        )


def test_highlighting_an_unknown_province_is_an_error(synthetic_panel):
    view = index_builder.build_view(synthetic_panel, SIGNS)
    with pytest.raises(ValueError, match="cannot highlight"):
        index_builder.index_builder_figure(view, 2019, ["Atlantis"])


# ----------------------------------------------------------------------------- widget
# wiring (no kernel)


def test_index_builder_widget_refreshes_when_weights_change(synthetic_panel):
    from helpers.explorers import widgets as explorer_widgets

    explorer = explorer_widgets.index_builder_explorer(
        synthetic_panel, SIGNS, {"a": "A", "b": "B", "c": "C"}
    )
    assert "frame" in explorer.state and "error" not in explorer.state
    controls = explorer.controls
    controls["indicators"].value = ("a", "b")
    controls["weight:b"].value = 0.0
    controls["method"].value = "custom"
    assert explorer.state["frame"]["province_en"].iloc[0] == "P1"
    controls["weight:b"].value = 5.0
    controls["weight:a"].value = 0.0
    assert explorer.state["frame"]["province_en"].iloc[0] == "P6"


def test_index_builder_widget_reports_a_bad_choice_instead_of_failing(synthetic_panel):
    from helpers.explorers import widgets as explorer_widgets

    explorer = explorer_widgets.index_builder_explorer(synthetic_panel, SIGNS, {})
    explorer.controls["indicators"].value = ()
    assert "at least one indicator" in explorer.state["error"]
    assert "frame" not in explorer.state


def test_province_widget_follows_the_dropdown(synthetic_panel):
    from helpers.explorers import widgets as explorer_widgets

    explorer = explorer_widgets.province_explorer(
        synthetic_panel, ["a"], {"a": ("甲", "A")}, default="P1"
    )
    assert set(explorer.state["frame"].query("series == 'province'")["path"]) == {"P1"}
    explorer.controls["province"].value = "P4"
    assert set(explorer.state["frame"].query("series == 'province'")["path"]) == {"P4"}


def test_scenario_widget_follows_the_slider(linear_fit):
    from helpers.explorers import widgets as explorer_widgets

    explorer = explorer_widgets.scenario_explorer(
        lambda amounts: scenario.direct_scenario(linear_fit, "x", amounts),
        ("研发强度", "R&D intensity"),
        "pp",
        ("城乡融合", "URI"),
        max_amount=2.0,
        default=0.5,
        step=0.1,
    )
    first = explorer.state["frame"]["estimate"].item()
    explorer.controls["amount"].value = 1.0
    assert explorer.state["frame"]["estimate"].item() == pytest.approx(2 * first)


# ----------------------------------------------------------------------------- the
# build skips explorers
# nbclient's tag, honoured by MyST-NB's inline execution and by jupytext --execute
SKIP_TAG = "skip-execution"


def explorer_cells(source) -> list[tuple[int, list[str]]]:
    """(cell index, tags) of every code cell of a MyST page that creates an ipywidgets
    explorer.
    """
    import jupytext

    notebook = jupytext.read(source)
    return [
        (index, cell.metadata.get("tags", []))
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and "helpers.explorers.widgets" in cell.source
    ]


def test_explorer_cells_are_skipped_by_the_build():
    """The site build must never create widgets: every explorer cell carries nbclient's
    skip-execution tag.
    """
    untagged = [
        f"{source.relative_to(ROOT)} cell {index}"
        for source in sorted((ROOT / "book").rglob("*.md"))
        for index, tags in explorer_cells(source)
        if SKIP_TAG not in tags
    ]
    assert untagged == [], f"explorer cells without the {SKIP_TAG!r} tag: {untagged}"


# ----------------------------------------------------------------------------- the
# built site

from tests.conftest import ROOT  # noqa: E402  (kept beside the tests that need it)


def explorer_pages() -> list[str]:
    """Toc paths of the pages that offer an explorer (their source imports the
    widgets).
    """
    pages = []
    for source in sorted((ROOT / "book").rglob("*.md")):
        if "helpers.explorers.widgets" in source.read_text(encoding="utf-8"):
            pages.append(source.relative_to(ROOT).with_suffix("").as_posix())
    return pages


WIDGET_TRACES = (
    "application/vnd.jupyter.widget",
    "Error displaying widget",
    "Loading widget",
    "jupyter-widgets",
    "Traceback",
    "embed-amd.js",
)


@pytest.mark.build
@pytest.mark.parametrize("page", explorer_pages())
def test_explorer_page_shows_a_static_figure_and_no_dead_widget(site, page):
    import re

    html = (site / f"{page}.html").read_text(encoding="utf-8")
    images = re.findall(r"<img[^>]*>", html)
    figures = [
        tag
        for tag in images
        if "_images/" in tag and re.search(r'alt="[^"]{10,}"', tag)
    ]
    assert figures, (
        f"{page}: no static figure with alt text for the explorer's default state"
    )
    assert (
        "make it live" in html.lower() or "make this explorer live" in html.lower()
    ), f"{page}: no line telling the reader how to make the explorer live"
    for trace in WIDGET_TRACES:
        assert trace not in html, f"{page}: static page contains widget trace {trace!r}"


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("page", explorer_pages())
def test_explorer_page_in_headless_chromium(site, page):
    import os
    import shutil

    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = (
        os.environ.get("CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not chromium:
        pytest.skip("no Chromium found (set CHROMIUM to its path)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu"],
        )
        tab = browser.new_page()
        tab.goto((site / f"{page}.html").as_uri(), wait_until="load")
        drawn = tab.eval_on_selector_all(
            "article img[src*='_images/']",
            "els => els.map(e => e.complete && e.naturalWidth > 0)",
        )
        widgets = tab.eval_on_selector_all(
            ".jupyter-widgets, .widget-area, .widget-subarea", "els => els.length"
        )
        text = tab.inner_text("article")
        browser.close()
    assert drawn and all(drawn), f"{page}: a figure did not load in the browser"
    assert widgets == 0, f"{page}: {widgets} widget element(s) drawn on the static page"
    for trace in ("Error displaying widget", "Traceback", "Loading widget"):
        assert trace not in text, f"{page}: {trace!r} shown on the page"


def test_default_year_is_the_latest_with_full_coverage(synthetic_panel):
    panel = synthetic_panel[
        ~((synthetic_panel["year"] == 2019) & (synthetic_panel["province_en"] == "P1"))
    ]
    view = index_builder.build_view(panel, SIGNS)
    assert index_builder.default_year(view) == 2018


# ----------------------------------------------------------------------------- a real
# kernel

KERNEL_CHECK = """
import numpy as np
from helpers import measures, nqpf, nqpf_models
from helpers.explorers import scenario
from helpers.explorers.widgets import (
    index_builder_explorer,
    province_explorer,
    scenario_explorer,
)

data = nqpf_models.build_analysis_data(nqpf_models.load_inputs())
frame = data.frame
panel = frame.assign(province=frame["province_zh"] + " " + frame["province_en"])
signs = measures.signs(nqpf.NQPF_INDICATORS)
builder = index_builder_explorer(panel, signs, {}, entity="province")
display(builder)
first = builder.state["frame"]["province"].tolist()
builder.controls["method"].value = "custom"
for name in signs:
    builder.controls[f"weight:{name}"].value = 0.0
builder.controls["weight:digital_finance"].value = 1.0
assert builder.state["frame"]["province"].tolist() != first, (
    "ranking did not change with the weights"
)

explorer = province_explorer(
    panel, ["nqpf", "uri"], {}, "贵州 Guizhou", entity="province"
)
display(explorer)
explorer.controls["province"].value = "北京 Beijing"
assert set(explorer.state["frame"].query("series == 'province'")["path"]) == {
    "北京 Beijing"
}

baseline = nqpf_models.baseline_fits(frame)["uri"]
spans = scenario.normalisation_spans(
    frame[frame["nqpf"].notna()], data.nqpf.weights.index
)
run_rd = lambda amounts: scenario.index_scenario(
    baseline, "nqpf", "rd_intensity", amounts, data.nqpf.weights, signs, spans
)
lever = scenario_explorer(
    run_rd,
    ("研发", "R&D"),
    "pp",
    ("融合", "URI"),
    max_amount=2.0,
    default=1.0,
    step=0.1,
)
display(lever)
before = lever.state["frame"]["estimate"].item()
lever.controls["amount"].value = 2.0
assert np.isclose(lever.state["frame"]["estimate"].item(), 2 * before)
print("callbacks fired")
"""


@pytest.mark.slow
def test_explorers_fire_in_a_kernel_on_the_real_data():
    nbformat = pytest.importorskip("nbformat")
    from tools.run_pages import execute_notebook

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(KERNEL_CHECK)])
    execute_notebook(notebook, ROOT, timeout=300)
    outputs = notebook.cells[0].outputs
    views = [
        o
        for o in outputs
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(views) == 3, "each explorer should display as a widget in a live kernel"
    assert any("callbacks fired" in o.get("text", "") for o in outputs)
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"][
        "state"
    ]
    captured = [
        m
        for m in state.values()
        if m["model_name"] == "OutputModel" and m["state"].get("outputs")
    ]
    assert captured, "the explorers' Output widgets captured no figure"


# ----------------------------------------------------------------------------- the
# browser explorers (helpers.explorers.browser), drawn by Vega without a browser:
# vl-convert runs the same Vega the site serves, with each setting written into the
# spec's params.


def vega_texts(spec: dict, **settings) -> list[str]:
    """Every text the chart draws for these param values (SVG by vl-convert)."""
    import html
    import re

    import vl_convert

    from helpers.explorers.browser import VEGA_LITE_VERSION

    for param in spec["params"]:
        if param["name"] in settings:
            param["value"] = settings[param["name"]]
    svg = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION)
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)
    # A multi-line text is one tspan per line: joined by spaces, as the test reads it.
    lines = [re.sub(r"<[^>]+>", " ", text) for text in texts]
    return [" ".join(html.unescape(text).split()) for text in lines]


LABELS_ABC = {"a": ("甲", "A"), "b": ("乙", "B"), "c": ("丙", "C")}


def browser_index(panel, **settings) -> dict:
    """Weights and scores the browser index builder draws for these settings."""
    import re

    from helpers.explorers import browser

    spec = browser.index_builder_spec(panel, SIGNS, LABELS_ABC, 2019)
    shown = vega_texts(spec, **settings)
    weights = {}
    for text in shown:
        found = re.fullmatch(r"(\d\.\d{3}) (\w) .", text)
        if found:
            weights[found.group(2).lower()] = found.group(1)
    scores = sorted((t for t in shown if re.fullmatch(r"\d\.\d{3}", t)), reverse=True)
    ranked = [t for t in shown if t in UNITS]
    return {"weights": weights, "scores": scores, "ranked": ranked}


def python_index(panel, chosen, method="entropy", raw=None, year=2019) -> dict:
    view = index_builder.build_view(panel, SIGNS, chosen, method, raw)
    table = index_builder.ranking(view, year)
    return {
        "weights": {k: f"{w:.3f}" for k, w in view.weights.items()},
        "scores": sorted((f"{s:.3f}" for s in table["score"]), reverse=True),
        "ranked": table["province_en"].tolist(),
    }


@pytest.mark.parametrize(
    "settings,chosen,method,raw",
    [
        ({}, ["a", "b", "c"], "entropy", None),
        ({"use_b": False}, ["a", "c"], "entropy", None),
        ({"method": "equal"}, ["a", "b", "c"], "equal", None),
        (
            {"method": "custom", "weight_a": 3.0, "weight_c": 0.5},
            ["a", "b", "c"],
            "custom",
            {"a": 3.0, "b": 1.0, "c": 0.5},
        ),
    ],
)
def test_browser_index_equals_build_view(
    synthetic_panel, settings, chosen, method, raw
):
    # Made incomplete so the complete-rows step matters: P2 lacks 'b' in 2017.
    panel = synthetic_panel.copy()
    panel.loc[(panel["province_en"] == "P2") & (panel["year"] == 2017), "b"] = np.nan
    panel.loc[panel["province_en"] == "P3", "c"] += [0.4, -0.3, 0.2, 0.9]
    expected = python_index(panel, chosen, method, raw)
    assert browser_index(panel, **settings) == expected


def test_browser_index_differs_when_the_weights_do(synthetic_panel):
    entropy = browser_index(synthetic_panel)
    only_b = browser_index(synthetic_panel, method="custom", weight_a=0, weight_c=0)
    assert only_b["ranked"] == UNITS[::-1] and entropy != only_b


def test_browser_index_says_when_nothing_is_ticked(synthetic_panel):
    shown = browser_index(synthetic_panel, use_a=False, use_b=False, use_c=False)
    assert shown["scores"] == [] and shown["weights"] == {}
    from helpers.explorers import browser

    spec = browser.index_builder_spec(synthetic_panel, SIGNS, LABELS_ABC, 2019)
    texts = vega_texts(spec, use_a=False, use_b=False, use_c=False)
    assert any(t.startswith("Tick at least one indicator") for t in texts)


def test_browser_province_shows_the_python_gaps(synthetic_panel):
    from helpers.explorers import browser

    spec = browser.province_spec(
        synthetic_panel, ["a", "c"], LABELS_ABC, "P1", {"East": "East 东部"}
    )
    for unit in ("P1", "P5"):
        gaps = province.province_gaps(
            province.province_view(synthetic_panel, unit, ["a", "c"])
        ).set_index("indicator")
        lines = [t for t in vega_texts(spec, province=unit) if f": {unit} " in t]
        region = {"East": "East 东部"}.get(REGIONS[unit], "West")
        expected = [
            f"{LABELS_ABC[k][0]} {LABELS_ABC[k][1]} {int(row['year'])}: {unit} "
            f"{row['province']:.3f} · {region} mean {row['region_mean']:.3f} · mean "
            f"of provinces {row['national_mean']:.3f}"
            for k, row in gaps.iterrows()
        ]
        assert lines == expected


def test_scenario_rows_are_the_callback_at_every_slider_step(linear_fit):
    from helpers.explorers import browser

    def run(amounts):
        return scenario.direct_scenario(linear_fit, "x", amounts)

    rows = browser.scenario_rows(run, ("研发", "R&D"), "pp", ("融合", "URI"), 2.0, 0.5)
    assert rows["amount"].tolist() == [0.0, 0.5, 1.0, 1.5, 2.0]
    for _, row in rows.iterrows():
        direct = run([row["amount"]]).iloc[0]
        assert row["estimate"] == direct["estimate"]
        assert row["sentence"] == scenario.scenario_sentence(direct, "R&D", "pp", "URI")
    spec = browser.scenario_spec(rows, ("研发", "R&D"), "pp", ("融合", "URI"), 1.0, 0.5)
    for amount in (0.5, 2.0):
        shown = [t for t in vega_texts(spec, amount=amount) if t.startswith("Raising")]
        wanted = rows.loc[rows["amount"] == amount, "sentence"].item()
        assert [" ".join(text.split()) for text in shown] == [wanted]


@pytest.mark.parametrize("max_amount,step", [(1.0, 0.3), (0.0, 0.1), (1.0, 0.0)])
def test_slider_amounts_reject_a_grid_that_does_not_fit(max_amount, step):
    from helpers.explorers import browser

    with pytest.raises(ValueError):
        browser.slider_amounts(max_amount, step)


def test_explorer_html_keeps_its_spec_inside_the_script():
    from helpers.explorers import browser

    shown = browser.BrowserExplorer("x", {"title": "</script><b>"}, "note")
    page = shown._repr_html_()
    assert page.count("</script>") == 1 and 'id="explorer-x"' in page
    assert "JavaScript" in page  # what a reader without it, or JupyterLab, sees
    # Nothing runs where the output is shown outside the site (JupyterLab, a
    # downloaded notebook): the only script is data.
    import re

    assert re.findall(r"<script[^>]*>", page) == [
        '<script type="application/json" class="nqpf-explorer-spec" '
        'data-for="explorer-x">'
    ]


def vega_lite_problems(spec: dict) -> list[str]:
    """Where the spec breaks the Vega-Lite schema altair ships (the page build skips the
    check)."""
    import jsonschema
    from altair.vegalite.v6.schema import SCHEMA_URL
    from altair.vegalite.v6.schema.core import load_schema

    schema = load_schema()
    assert spec["$schema"] == SCHEMA_URL
    validator = jsonschema.Draft7Validator(schema)
    return [
        f"{'/'.join(map(str, error.path))}: {error.message[:120]}"
        for error in validator.iter_errors(spec)
    ]


def test_every_browser_spec_is_valid_vega_lite(synthetic_panel, linear_fit):
    from helpers.explorers import browser

    def run(amounts):
        return scenario.direct_scenario(linear_fit, "x", amounts)

    rows = browser.scenario_rows(run, ("研发", "R&D"), "pp", ("融合", "URI"), 2.0, 0.5)
    specs = {
        "scenario": browser.scenario_spec(
            rows, ("研发", "R&D"), "pp", ("融合", "URI"), 1.0, 0.5
        ),
        "province": browser.province_spec(
            synthetic_panel, ["a", "c"], LABELS_ABC, "P1", {"East": "East 东部"}
        ),
        "index builder": browser.index_builder_spec(
            synthetic_panel, SIGNS, LABELS_ABC, 2019
        ),
    }
    for name, spec in specs.items():
        assert vega_lite_problems(spec) == [], name


def test_the_schema_check_finds_a_broken_spec(synthetic_panel):
    from helpers.explorers import browser

    spec = browser.index_builder_spec(synthetic_panel, SIGNS, LABELS_ABC, 2019)
    spec["vconcat"][0]["mark"] = {"type": "no-such-mark"}
    assert vega_lite_problems(spec)
