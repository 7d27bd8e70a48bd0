"""The ipywidgets wiring of the explorers: controls in, a call to a tested callback, a
figure out.

Each builder returns an Explorer: the widget to display, its controls by name, and the
state of the last refresh (the frame the callback returned, or the error message shown
to the reader). Tests drive the controls without a browser or kernel and read the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from helpers.explorers import index_builder, province, scenario


@dataclass
class Explorer:
    """A displayable explorer: its widget, its controls, and what the last refresh
    produced.
    """

    widget: widgets.Widget
    controls: dict[str, widgets.Widget]
    output: widgets.Output
    refresh: Callable[[], None] = lambda: None
    state: dict = field(default_factory=dict)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def show_in(
    output: widgets.Output, state: dict, make: Callable[[], tuple[object, object]]
) -> None:
    """Run the callback; show its figure (and table) in output, or its error as one
    line; record the state.
    """
    state.clear()
    with output:
        output.clear_output(wait=True)
        try:
            frame, fig = make()
        except ValueError as error:
            # Bad choices (e.g. no indicator ticked) are the reader's to fix: say what
            # is wrong, no traceback.
            state["error"] = str(error)
            print(f"Cannot draw this choice: {error}")
            return
        state["frame"] = frame
        display(fig)
        plt.close(fig)


def watch(controls: Mapping[str, widgets.Widget], refresh: Callable[[], None]) -> None:
    """Call refresh whenever any control's value changes."""
    for control in controls.values():
        control.observe(lambda _change: refresh(), names="value")


def index_builder_explorer(
    panel: pd.DataFrame,
    signs: Mapping[str, object],
    labels: Mapping[str, str],
    entity: str = "province_en",
    highlight: Sequence[str] = (),
    source: str = "",
) -> Explorer:
    """Controls: indicators, weighting (entropy/equal/custom), custom weights, year,
    highlighted provinces.
    """
    years = sorted(panel["year"].dropna().astype(int).unique())
    units = sorted(panel[entity].dropna().unique())
    start = index_builder.default_year(
        index_builder.build_view(panel, signs, entity=entity)
    )
    controls = {
        "indicators": widgets.SelectMultiple(
            options=[(labels.get(k, k), k) for k in signs],
            value=tuple(signs),
            rows=min(len(signs), 10),
            description="Indicators",
        ),
        "method": widgets.ToggleButtons(
            options=list(index_builder.WEIGHTINGS),
            value="entropy",
            description="Weights",
        ),
        "year": widgets.SelectionSlider(options=years, value=start, description="Year"),
        "highlight": widgets.SelectMultiple(
            options=units, value=tuple(highlight), rows=6, description="Highlight"
        ),
    }
    sliders = {
        k: widgets.FloatSlider(
            value=1.0, min=0.0, max=5.0, step=0.1, description=labels.get(k, k)[:18]
        )
        for k in signs
    }
    output = widgets.Output()
    explorer = Explorer(
        widgets.VBox(),
        {**controls, **{f"weight:{k}": s for k, s in sliders.items()}},
        output,
    )

    def make():
        chosen = list(controls["indicators"].value)
        raw = {k: sliders[k].value for k in chosen}
        view = index_builder.build_view(
            panel, signs, chosen, controls["method"].value, raw, entity=entity
        )
        fig = index_builder.index_builder_figure(
            view, controls["year"].value, controls["highlight"].value, source=source
        )
        return index_builder.ranking(view, controls["year"].value), fig

    explorer.refresh = lambda: show_in(output, explorer.state, make)
    watch(explorer.controls, explorer.refresh)
    weight_box = widgets.VBox(
        [
            widgets.HTML(
                "<b>Custom weights</b> (used when Weights = custom; rescaled to sum to "
                "1)"
            ),
            *sliders.values(),
        ]
    )
    explorer.widget.children = [
        widgets.HBox([controls["indicators"], controls["highlight"]]),
        controls["method"],
        weight_box,
        controls["year"],
        output,
    ]
    explorer.refresh()
    return explorer


def province_explorer(
    panel: pd.DataFrame,
    indicators: Sequence[str],
    labels: Mapping[str, tuple[str, str]],
    default: str,
    entity: str = "province_en",
    source: str = "",
) -> Explorer:
    """Control: the province; output: its indicators against its region's and the
    national mean paths.
    """
    units = sorted(panel[entity].dropna().unique())
    controls = {
        "province": widgets.Dropdown(
            options=units, value=default, description="Province"
        )
    }
    output = widgets.Output()
    explorer = Explorer(widgets.VBox(), controls, output)

    def make():
        view = province.province_view(
            panel, controls["province"].value, indicators, entity=entity
        )
        return view, province.province_figure(view, labels, source=source)

    explorer.refresh = lambda: show_in(output, explorer.state, make)
    watch(controls, explorer.refresh)
    explorer.widget.children = [controls["province"], output]
    explorer.refresh()
    return explorer


def scenario_explorer(
    run: Callable[[np.ndarray], pd.DataFrame],
    lever_label: tuple[str, str],
    unit: str,
    outcome_label: tuple[str, str],
    max_amount: float,
    default: float,
    step: float,
    source: str = "",
) -> Explorer:
    """Control: the lever amount; output: the implied-change curve with its CI and a
    one-line reading.
    """
    controls = {
        "amount": widgets.FloatSlider(
            value=default,
            min=0.0,
            max=max_amount,
            step=step,
            description="Change",
            readout_format=".2f",
        )
    }
    output = widgets.Output()
    explorer = Explorer(widgets.VBox(), controls, output)
    grid = np.linspace(0.0, max_amount, 41)

    def make():
        chosen = controls["amount"].value
        curve = run(grid)
        row = run(np.array([chosen])).iloc[0]
        print(scenario.scenario_sentence(row, lever_label[1], unit, outcome_label[1]))
        fig = scenario.scenario_figure(
            curve, chosen, lever_label, unit, outcome_label, source=source
        )
        return run(np.array([chosen])), fig

    explorer.refresh = lambda: show_in(output, explorer.state, make)
    watch(controls, explorer.refresh)
    explorer.widget.children = [controls["amount"], output]
    explorer.refresh()
    return explorer
