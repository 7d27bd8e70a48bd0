"""The explorers in the reader's browser: Vega-Lite charts with bound controls, written
with Altair, for the static site (no kernel, no network).

Where the settings are few, the tested callbacks compute every one of them here and the
chart only picks the row the controls name: each step of a scenario slider
(scenario.direct_scenario / index_scenario through the page's ``run``), every province
(province.reference_paths and the panel's own values). Where they are many (any set of
indicators, three weightings, seven custom weights) the browser computes the index with
Vega transforms that repeat helpers.indices.build_index step by step: complete rows,
pooled min-max z, entropy e_j = -sum_i p_ij ln p_ij / ln n with p = (z + shift) / sum,
w_j = (1 - e_j) / sum_k (1 - e_k), score = sum_j w_j z_j, rank within year.

book/_ext/explorers.py serves Vega, Vega-Lite and vega-embed (from vl-convert) on the
pages that hold an explorer; elsewhere, e.g. in JupyterLab, the output shows only its
placeholder and note, and the ipywidgets explorer (helpers.explorers.widgets) runs the
full Python version.
"""

from __future__ import annotations

import html
import json
import textwrap
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from helpers.data import region_names
from helpers.explorers import scenario
from helpers.explorers.province import NATIONAL, reference_paths
from helpers.indices import DEFAULT_SHIFT, parse_signs
from helpers.style import NATIONAL_COLOUR, PALETTE, REGION_COLOURS, bilingual

# Every reader-facing word of the browser explorers, (Chinese, English), in one place
# so a translated edition changes them here.
LABELS = {
    "change": ("变动", "change"),
    "province": ("省份", "Province"),
    "indicators": ("指标", "Indicators"),
    "weighting": ("权重", "Weights"),
    "weightings": {
        "entropy": ("熵值法", "entropy"),
        "equal": ("等权", "equal"),
        "custom": ("自定义", "custom"),
    },
    "custom_weight": ("自定义权重", "custom weight"),
    "year": ("年份", "Year"),
    "highlight": ("突出显示", "Highlight"),
    "none": ("无", "none"),
    "score": ("指数得分", "index score"),
    "ranking": ("排名", "ranking"),
    "trajectories": ("历年轨迹", "trajectories"),
    "weights_used": ("所用权重", "weights used"),
    "mean_of_provinces": ("省份均值", "mean of provinces"),
    "region_mean": ("均值", "mean"),
    "latest": ("最新年份", "latest year"),
    "solid": ("实线", "solid"),
    "own_region": ("所在地区均值", "mean of its NBS region"),
    "dashed": ("虚线", "dashed"),
    "dotted": ("点线", "dotted"),
    "choose_one": ("请至少选择一个指标", "Tick at least one indicator"),
    "all_zero": ("自定义权重全为零", "Custom weights are all zero"),
    "no_rows": ("该年份无完整数据", "No complete rows in this year"),
    "placeholder": (
        "此交互图在本书网站上运行（需启用 JavaScript）；"
        "否则请看上图的默认状态，或在 JupyterLab 中运行下方单元格。",
        "This explorer runs in the browser on the book's website, with JavaScript on. "
        "Without it, the figure above shows its default state; in JupyterLab, the cell "
        "below runs the full Python version.",
    ),
}
# The Vega-Lite that Altair writes for, as vl-convert names its bundles (v6.4.1 -> 6.4).
VEGA_LITE_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
SCORE_FORMAT = ".3f"  # the digits the index builder shows for scores and weights
GAP_FORMAT = ".3f"  # the digits the province explorer shows (as the page's gaps table)


def label(key: str) -> str:
    """'English 中文' for a control or a heading, from LABELS."""
    zh, en = LABELS[key]
    return f"{en} {zh}"


@dataclass(frozen=True)
class BrowserExplorer:
    """A Vega-Lite spec and its note; displays as the HTML the site's script renders."""

    name: str
    spec: dict
    note: str

    def _repr_html_(self) -> str:
        # "</" inside a JSON script would end the script element early.
        payload = json.dumps(self.spec, ensure_ascii=False).replace("</", "<\\/")
        zh, en = LABELS["placeholder"]
        return (
            f'<div class="nqpf-explorer" id="explorer-{self.name}" '
            f'role="group" aria-label="{html.escape(self.name)} explorer">'
            f'<p class="nqpf-explorer-placeholder">{en} {zh}</p></div>\n'
            f'<script type="application/json" class="nqpf-explorer-spec" '
            f'data-for="explorer-{self.name}">{payload}</script>\n'
            f'<p class="nqpf-explorer-note">{html.escape(self.note)}</p>'
        )


def nbs_region_labels() -> dict[str, str]:
    """'West 西部' for each NBS region, from the data layer (provinces.csv)."""
    return {r: f"{r} {zh}" for r, zh in region_names().items()}


def vega_lite_spec(chart) -> dict:
    """The chart as a Vega-Lite dictionary, not checked against the schema: the page
    build would spend about half a CPU-second per explorer on it, and the tests check
    every spec (tests/test_explorers.py).
    """
    return chart.configure_view(strokeWidth=0).to_dict(validate=False)


def with_axis_room(spec: dict, pixels: int) -> dict:
    """Tell the site's script how much of the width each panel's axes need (it sets
    the panels' widths to fit the reader's screen).
    """
    return {**spec, "usermeta": {"axisRoom": pixels}}


def slider_amounts(max_amount: float, step: float) -> np.ndarray:
    """Every value the amount slider can take: 0, step, ..., max_amount."""
    if step <= 0 or max_amount <= 0:
        raise ValueError(f"step and max_amount must be > 0; found {step}, {max_amount}")
    count = int(round(max_amount / step))
    if not np.isclose(count * step, max_amount):
        raise ValueError(f"max_amount {max_amount} is not a multiple of step {step}")
    return np.round(np.arange(count + 1) * step, 10)


def scenario_rows(
    run: Callable[[np.ndarray], pd.DataFrame],
    lever_label: tuple[str, str],
    unit: str,
    outcome_label: tuple[str, str],
    max_amount: float,
    step: float,
) -> pd.DataFrame:
    """The scenario at every slider step (run's table) with the sentence the Python
    explorer prints for it.
    """
    table = run(slider_amounts(max_amount, step)).reset_index(drop=True)
    table["sentence"] = [
        scenario.scenario_sentence(row, lever_label[1], unit, outcome_label[1])
        for _, row in table.iterrows()
    ]
    return table


def scenario_spec(
    rows: pd.DataFrame,
    lever_label: tuple[str, str],
    unit: str,
    outcome_label: tuple[str, str],
    default: float,
    step: float,
) -> dict:
    """Curve with its CI band, the chosen amount marked, and the sentence for it; one
    slider picks the amount.
    """
    data = rows[["amount", "estimate", "ci_low", "ci_high"]].copy()
    # Wrapped for a phone-width chart; the text mark breaks lines at "\n".
    data["sentence"] = [textwrap.fill(s, 46) for s in rows["sentence"]]
    amount = alt.param(
        name="amount",
        value=float(default),
        bind=alt.binding_range(
            min=0,
            max=float(rows["amount"].max()),
            step=step,
            name=(
                f"{lever_label[1]}: {LABELS['change'][1]} ({unit}) "
                f"{lever_label[0]}{LABELS['change'][0]} "
            ),
        ),
    )
    chosen = f"abs(datum.amount - amount) < {step / 2}"
    x = alt.X(
        "amount:Q",
        title=bilingual(
            f"{lever_label[0]}变动", f"change in {lever_label[1]} ({unit})", " "
        ),
    )
    base = alt.Chart(data)
    y_title = bilingual(
        f"{outcome_label[0]}的隐含变动", f"implied change in {outcome_label[1]}", " "
    )
    curve = alt.layer(
        base.mark_area(opacity=0.2, color=PALETTE[0]).encode(
            x=x, y=alt.Y("ci_low:Q", title=y_title), y2="ci_high:Q"
        ),
        base.mark_line(color=PALETTE[0], strokeWidth=2).encode(x=x, y="estimate:Q"),
        alt.Chart().mark_rule(color="#6b6b6b").encode(y=alt.datum(0)),
        base.mark_rule(color=PALETTE[3], strokeWidth=2)
        .encode(x=x, y="ci_low:Q", y2="ci_high:Q")
        .transform_filter(chosen),
        base.mark_point(filled=True, size=70, color=PALETTE[3])
        .encode(x=x, y="estimate:Q")
        .transform_filter(chosen),
    ).properties(
        width=560,
        height=260,
        title=alt.Title(
            bilingual(scenario.CAVEAT_ZH, scenario.CAVEAT_EN, " "),
            color=PALETTE[3],
            fontSize=12,
        ),
    )
    sentence = (
        base.mark_text(align="left", baseline="top", lineBreak="\n", fontSize=12)
        .encode(text="sentence:N", x=alt.value(0), y=alt.value(0))
        .transform_filter(chosen)
        .properties(width=560, height=80)
    )
    chart = alt.vconcat(curve, sentence).add_params(amount)
    return with_axis_room(vega_lite_spec(chart), 90)


def province_spec(
    panel: pd.DataFrame,
    indicators: Sequence[str],
    labels: Mapping[str, tuple[str, str]],
    default: str,
    region_labels: Mapping[str, str],
    entity: str = "province_en",
    time: str = "year",
    region: str = "region",
) -> dict:
    """Small multiples of one province (chosen in a list) against its region's and the
    national mean paths, and their latest-year values.
    """
    indicators = list(indicators)
    paths = reference_paths(panel, indicators, time, region)
    national = paths["path"] == NATIONAL
    reference = paths.assign(series=np.where(national, "national", "region"))
    own = (
        panel.melt(id_vars=[entity, time], value_vars=indicators, var_name="indicator")
        .dropna(subset=["value"])
        .rename(columns={entity: "path"})
        .assign(series="province")
    )
    columns = ["series", "path", time, "indicator", "value"]
    data = pd.concat([own[columns], reference[columns]], ignore_index=True)
    data = data.rename(columns={time: "t", "indicator": "i", "value": "v", "path": "k"})
    units = sorted(panel[entity].dropna().unique())
    if default not in units:
        raise ValueError(f"default province {default!r} is not one of {units}")
    regions = panel.dropna(subset=[entity]).groupby(entity)[region].first().to_dict()
    region_of = f"{json.dumps(regions, ensure_ascii=False)}[province]"
    region_labels = {r: region_labels.get(r, r) for r in sorted(set(regions.values()))}
    region_name = f"{json.dumps(region_labels, ensure_ascii=False)}[{region_of}]"
    colour = f"{json.dumps(REGION_COLOURS)}[{region_of}]"
    mean_name = bilingual(*LABELS["mean_of_provinces"][::-1], " ")
    choice = alt.param(
        name="province",
        value=default,
        bind=alt.binding_select(options=units, name=f"{label('province')} "),
    )
    shown = (
        f"datum.series == 'province' ? datum.k == province : "
        f"datum.series == 'region' ? datum.k == {region_of} : true"
    )
    base = (
        alt.Chart(data)
        .transform_filter(shown)
        .transform_calculate(
            colour=f"datum.series == 'national' ? '{NATIONAL_COLOUR}' : {colour}"
        )
    )
    dash_scale = alt.Scale(
        domain=["province", "region", "national"], range=[[1, 0], [6, 3], [2, 2]]
    )
    # Line styles are named in a heading, not a legend: Vega draws a strokeDash
    # legend's symbols without a stroke when the lines' colours come from the data.
    dash = alt.StrokeDash("series:N", scale=dash_scale, legend=None)
    panels = []
    for number, indicator in enumerate(indicators):
        zh, en = labels.get(indicator, (indicator, indicator))
        panels.append(
            base.transform_filter(f"datum.i == '{indicator}'")
            .mark_line(point=alt.OverlayMarkDef(size=12))
            .encode(
                x=alt.X("t:O", title=None),
                y=alt.Y("v:Q", title=None, scale=alt.Scale(zero=False)),
                color=alt.Color("colour:N", scale=None),
                strokeDash=dash,
                detail="series:N",
            )
            .properties(title=bilingual(zh, en, " "), width=260, height=170)
        )
    indicator_names = {k: bilingual(*labels.get(k, (k, k)), " ") for k in indicators}
    latest = (
        base.transform_calculate(
            province_year="datum.series == 'province' ? datum.t : -1"
        )
        .transform_joinaggregate(last="max(province_year)", groupby=["i"])
        .transform_filter("datum.t == datum.last")
        .transform_pivot("series", value="v", groupby=["i", "t"])
        .transform_calculate(
            label=f"{json.dumps(indicator_names, ensure_ascii=False)}[datum.i]",
            order=f"indexof({json.dumps(indicators)}, datum.i)",
            # Three short lines, so a phone shows them whole.
            text=(
                "datum.label + '\\n' + datum.t + ': ' + province + ' ' + "
                f"format(datum.province, '{GAP_FORMAT}') + ' ·\\n' + "
                f"{region_name} + ' {LABELS['region_mean'][1]} ' + "
                f"format(datum.region, '{GAP_FORMAT}') + "
                f"' · {LABELS['mean_of_provinces'][1]} ' + "
                f"format(datum.national, '{GAP_FORMAT}')"
            ),
        )
        .mark_text(align="left", baseline="top", fontSize=12, lineBreak="\n")
        .encode(
            text="text:N",
            x=alt.value(0),
            y=alt.Y("order:O", axis=None),
        )
        .properties(
            width=260,
            height=alt.Step(56),
            title=bilingual(*LABELS["latest"][::-1], " "),
        )
    )
    key = alt.Title(
        [
            f"{LABELS['solid'][1]} {LABELS['solid'][0]}: {label('province')}",
            f"{LABELS['dashed'][1]} {LABELS['dashed'][0]}: {label('own_region')}",
            f"{LABELS['dotted'][1]} {LABELS['dotted'][0]}: {mean_name}",
        ],
        anchor="start",
        fontSize=12,
        fontWeight="normal",
    )
    panels = alt.concat(*panels, columns=2, title=key)
    chart = alt.vconcat(panels, latest).add_params(choice)
    return with_axis_room(vega_lite_spec(chart), 80)


def index_records(
    panel: pd.DataFrame,
    indicators: Sequence[str],
    entity: str,
    time: str = "year",
    region: str = "region",
) -> pd.DataFrame:
    """The observed indicator values, one record (u, t, r, i, v) per unit-year and
    indicator (missing values left out).
    """
    long = panel.melt(
        id_vars=[entity, time, region], value_vars=list(indicators), var_name="i"
    ).dropna(subset=["value", entity, time])
    long = long.rename(columns={entity: "u", time: "t", region: "r", "value": "v"})
    long["t"] = long["t"].astype(int)
    return long[["u", "t", "r", "i", "v"]].reset_index(drop=True)


def index_builder_spec(
    panel: pd.DataFrame,
    signs: Mapping[str, object],
    labels: Mapping[str, tuple[str, str]],
    default_year: int,
    highlight: Sequence[str] = (),
    entity: str = "province_en",
    time: str = "year",
    region: str = "region",
    shift: float = DEFAULT_SHIFT,
    region_labels: Mapping[str, str] | None = None,
) -> dict:
    """Ranking of one year, every unit's path and the weights used, recomputed in the
    browser for the indicators ticked and the weighting chosen.
    """
    parsed = parse_signs(signs)
    keys = list(parsed)
    units = sorted(panel[entity].dropna().unique())
    years = sorted(int(y) for y in panel[time].dropna().unique())
    if default_year not in years:
        raise ValueError(f"default year {default_year} is not one of {years}")
    unknown = [name for name in highlight if name not in units]
    if unknown:
        raise ValueError(f"cannot highlight {unknown}: not units of the panel")
    uses = {
        k: alt.param(
            name=f"use_{k}",
            value=True,
            bind=alt.binding_checkbox(name=f"{bilingual(*labels[k][::-1], ' ')} "),
        )
        for k in keys
    }
    raws = {
        k: alt.param(
            name=f"weight_{k}",
            value=1.0,
            bind=alt.binding_range(
                min=0,
                max=5,
                step=0.1,
                name=f"{label('custom_weight')}: {labels[k][1]} {labels[k][0]} ",
            ),
        )
        for k in keys
    }
    methods = list(LABELS["weightings"])
    method = alt.param(
        name="method",
        value="entropy",
        bind=alt.binding_radio(
            options=methods,
            labels=[bilingual(*LABELS["weightings"][m][::-1], " ") for m in methods],
            name=f"{label('weighting')} ",
        ),
    )
    year = alt.param(
        name="year",
        value=int(default_year),
        bind=alt.binding_select(options=years, name=f"{label('year')} "),
    )
    none = bilingual(*LABELS["none"][::-1], " ")
    picks = [
        alt.param(
            name=f"highlight_{slot}",
            value=highlight[slot] if slot < len(highlight) else "",
            bind=alt.binding_select(
                options=["", *units],
                labels=[f"({none})", *units],
                name=f"{label('highlight')} {slot + 1} ",
            ),
        )
        for slot in range(3)
    ]

    def lookup(prefix: str) -> str:
        """A Vega expression: the value of the param prefix_<indicator> for this row."""
        return "{" + ", ".join(f"'{k}': {prefix}_{k}" for k in keys) + "}[datum.i]"

    ticked = " + ".join(f"(use_{k} ? 1 : 0)" for k in keys)
    custom_total = " + ".join(f"(use_{k} ? weight_{k} : 0)" for k in keys)
    sign = json.dumps(parsed)
    # helpers.indices.build_index, step by step, on the long records.
    weighted = (
        alt.Chart(index_records(panel, keys, entity, time, region))
        .transform_filter(lookup("use"))
        .transform_joinaggregate(observed="count()", groupby=["u", "t"])
        .transform_filter(f"datum.observed == {ticked}")  # complete rows only
        .transform_joinaggregate(
            low="min(v)", high="max(v)", n="count()", groupby=["i"]
        )
        .transform_calculate(
            z=(
                "datum.high > datum.low ? "
                f"({sign}[datum.i] > 0 ? datum.v - datum.low : datum.high - datum.v)"
                " / (datum.high - datum.low) : 0"
            )
        )
        .transform_calculate(shifted=f"datum.z + {shift}")
        .transform_joinaggregate(total="sum(shifted)", groupby=["i"])
        .transform_calculate(p="datum.shifted / datum.total")
        .transform_calculate(plogp="datum.p * log(datum.p)")
        .transform_joinaggregate(sum_plogp="sum(plogp)", groupby=["i"])
        .transform_calculate(
            # 1 - e_j; a constant indicator has e_j = 1 exactly.
            d="datum.high > datum.low ? 1 - (-datum.sum_plogp / log(datum.n)) : 0",
            raw=lookup("weight"),
        )
        # Each row carries its indicator's d_j; dividing by n_j sums every j once.
        .transform_calculate(d_share="datum.d / datum.n")
        .transform_joinaggregate(d_total="sum(d_share)")
        .transform_calculate(
            w=(
                "method == 'entropy' ? datum.d / datum.d_total : "
                f"method == 'equal' ? 1 / ({ticked}) : datum.raw / ({custom_total})"
            )
        )
        .transform_calculate(wz="datum.w * datum.z")
    )
    scores = weighted.transform_aggregate(
        score="sum(wz)", groupby=["u", "t", "r"]
    ).transform_window(
        rank="rank()",
        sort=[alt.SortField("score", order="descending")],
        groupby=["t"],
    )
    region_scale = alt.Scale(
        domain=list(REGION_COLOURS), range=list(REGION_COLOURS.values())
    )
    score_title = bilingual(*LABELS["score"][::-1], " ")
    # Scores lie in [0, 1]; the union keeps an axis drawable when nothing is ticked.
    score_scale = alt.Scale(domain=alt.DomainUnionWith(unionWith=[0, 0.1]))
    in_year = scores.transform_filter("datum.t == year")
    ranked = in_year.transform_calculate(
        label=f"format(datum.score, '{SCORE_FORMAT}')"
    ).encode(
        x=alt.X("score:Q", title=score_title, scale=score_scale),
        y=alt.Y("u:N", sort=alt.EncodingSortField("rank", op="min"), title=None),
    )
    bars = alt.layer(
        ranked.mark_bar().encode(
            color=alt.Color(
                "r:N",
                scale=region_scale,
                legend=alt.Legend(
                    title=None,
                    orient="bottom",
                    labelExpr=(
                        f"{json.dumps(region_labels or {}, ensure_ascii=False)}"
                        "[datum.label] || datum.label"
                    ),
                ),
            ),
        ),
        ranked.mark_text(align="left", dx=3, fontSize=10).encode(text="label:N"),
    ).properties(
        width=420,
        height=alt.Step(14),
        title=bilingual(*LABELS["ranking"][::-1], " "),
    )
    picked = " || ".join(f"datum.u == highlight_{slot}" for slot in range(3))
    x_year = alt.X("t:O", title=bilingual("年份", "year", " "))
    highlighted = scores.transform_filter(picked)
    unit = alt.Color("u:N", scale=alt.Scale(range=PALETTE[1:4]), legend=None)
    lines = alt.layer(
        scores.mark_line(color="#cccccc", strokeWidth=0.8).encode(
            x=x_year,
            y=alt.Y("score:Q", title=score_title, scale=score_scale),
            detail="u:N",
        ),
        scores.transform_aggregate(mean="mean(score)", groupby=["t"])
        .mark_line(color=NATIONAL_COLOUR, strokeDash=[2, 2], strokeWidth=1.6)
        .encode(x=x_year, y="mean:Q"),
        highlighted.mark_line(strokeWidth=2).encode(x=x_year, y="score:Q", color=unit),
        # Named at the end of each line, not in a legend: Vega draws an empty legend
        # (nothing highlighted) with infinite bounds.
        highlighted.transform_joinaggregate(last="max(t)", groupby=["u"])
        .transform_filter("datum.t == datum.last")
        .mark_text(align="right", dy=-8, fontSize=11)
        .encode(x=x_year, y="score:Q", text="u:N", color=unit),
    ).properties(
        width=420,
        height=240,
        title=bilingual(*LABELS["trajectories"][::-1], " ")
        + f" (dotted: {LABELS['mean_of_provinces'][1]})",
    )
    names = {k: bilingual(*labels[k][::-1], " ") for k in keys}
    weights = (
        weighted.transform_aggregate(w="max(w)", groupby=["i"])
        .transform_window(
            order="row_number()", sort=[alt.SortField("w", order="descending")]
        )
        .transform_calculate(
            text=(
                f"format(datum.w, '{SCORE_FORMAT}') + '  ' + "
                f"{json.dumps(names, ensure_ascii=False)}[datum.i]"
            )
        )
        .mark_text(align="left", fontSize=12)
        .encode(text="text:N", x=alt.value(0), y=alt.Y("order:O", axis=None))
        .properties(
            width=420,
            height=alt.Step(18),
            title=bilingual(*LABELS["weights_used"][::-1], " "),
        )
    )
    messages = (
        f"({ticked}) == 0 ? '{bilingual(*LABELS['choose_one'][::-1], ' ')}' : "
        f"method == 'custom' && ({custom_total}) == 0 ? "
        f"'{bilingual(*LABELS['all_zero'][::-1], ' ')}' : ''"
    )
    status = (
        alt.Chart(alt.Data(values=[{}]))
        .transform_calculate(message=messages)
        .mark_text(align="left", fontSize=13, color=PALETTE[3])
        .encode(text="message:N", x=alt.value(0), y=alt.value(8))
        .properties(width=420, height=16)
    )
    chart = (
        alt.vconcat(status, weights, bars, lines)
        .add_params(*uses.values(), method, *raws.values(), year, *picks)
        .resolve_scale(color="independent")  # regions on the bars, units on the lines
    )
    return with_axis_room(vega_lite_spec(chart), 180)


# ------------------------------------------------------------------ the page's calls
# Same arguments as the ipywidgets explorers (helpers.explorers.widgets), so a page's
# browser cell mirrors its Python cell.

FULL_VERSION = (
    "JupyterLab (Binder: the rocket icon at the top of the page) runs the full Python "
    "version: the cell below draws its controls."
)


def scenario_explorer(
    name: str,
    run: Callable[[np.ndarray], pd.DataFrame],
    lever_label: tuple[str, str],
    unit: str,
    outcome_label: tuple[str, str],
    max_amount: float,
    default: float,
    step: float,
) -> BrowserExplorer:
    """The scenario explorer in the browser: every slider step computed here by run."""
    rows = scenario_rows(run, lever_label, unit, outcome_label, max_amount, step)
    note = (
        f"What it computes: for each rise in {lever_label[1]} the slider offers (0 to "
        f"{max_amount:g} {unit}), the implied change in {outcome_label[1]} and its 95% "
        "confidence interval from the model of the figure above, all worked out by the "
        f"page's Python when the book was built; your browser shows the step you set. "
        f"{FULL_VERSION}"
    )
    spec = scenario_spec(rows, lever_label, unit, outcome_label, default, step)
    return BrowserExplorer(name, spec, note)


def province_explorer(
    name: str,
    panel: pd.DataFrame,
    indicators: Sequence[str],
    labels: Mapping[str, tuple[str, str]],
    default: str,
    entity: str = "province_en",
) -> BrowserExplorer:
    """The province explorer in the browser: every province's paths shipped with the
    page.
    """
    note = (
        "What it computes: the chosen province's values against the unweighted mean of "
        "the provinces of its NBS region and of all provinces, year by year, and the "
        "three in the province's latest year (means computed by "
        f"helpers.explorers.province when the book was built). {FULL_VERSION}"
    )
    spec = province_spec(
        panel, indicators, labels, default, nbs_region_labels(), entity
    )
    return BrowserExplorer(name, spec, note)


def index_builder_explorer(
    name: str,
    panel: pd.DataFrame,
    signs: Mapping[str, object],
    labels: Mapping[str, tuple[str, str]],
    entity: str = "province_en",
    highlight: Sequence[str] = (),
) -> BrowserExplorer:
    """The index builder in the browser: the index recomputed there for any choice."""
    from helpers.explorers import index_builder

    start = index_builder.default_year(
        index_builder.build_view(panel, signs, entity=entity)
    )
    note = (
        "What it computes: your browser rebuilds the index from the indicators you "
        "tick, as helpers.indices.build_index does: keeps the province-years with "
        "every ticked indicator, min-max normalises each indicator over them, weighs "
        "them by entropy (w = (1 - e) / sum(1 - e), e from the shares of each "
        "indicator), equally or by your custom weights (rescaled to sum to 1), and "
        f"ranks the provinces within each year. {FULL_VERSION}"
    )
    spec = index_builder_spec(
        panel,
        signs,
        labels,
        start,
        highlight,
        entity,
        region_labels=nbs_region_labels(),
    )
    return BrowserExplorer(name, spec, note)
