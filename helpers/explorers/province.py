"""Province explorer: one province's indicators against the national and regional paths.

The reference paths are plain means of the provinces observed in each year (not
population-weighted and not the official national series), so a reader compares like
with like: the same indicator, computed the same way, averaged over provinces.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.data import region_names
from helpers.style import (
    NATIONAL_COLOUR,
    REGION_COLOURS,
    add_source,
    bilingual,
    use_house_style,
)

NATIONAL = "National"


def check_columns(panel: pd.DataFrame, columns: Sequence[str]) -> None:
    """Raise ValueError naming any requested column the panel lacks."""
    absent = [c for c in columns if c not in panel.columns]
    if absent:
        raise ValueError(
            f"panel lacks column(s) {absent}; columns present: {list(panel.columns)}"
        )


def reference_paths(
    panel: pd.DataFrame,
    indicators: Sequence[str],
    time: str = "year",
    region: str = "region",
) -> pd.DataFrame:
    """Long frame (path, time, indicator, value, n_provinces): unweighted mean over
    provinces, nationally and by region.
    """
    indicators = list(indicators)
    check_columns(panel, [time, region, *indicators])
    long = panel.melt(
        id_vars=[time, region], value_vars=indicators, var_name="indicator"
    ).dropna(subset=["value"])
    national = (
        long.groupby([time, "indicator"])["value"].agg(["mean", "size"]).reset_index()
    )
    national.insert(0, "path", NATIONAL)
    regional = (
        long.groupby([region, time, "indicator"])["value"]
        .agg(["mean", "size"])
        .reset_index()
    )
    regional = regional.rename(columns={region: "path"})
    paths = pd.concat([national, regional], ignore_index=True)
    return paths.rename(columns={"mean": "value", "size": "n_provinces"})


def province_view(
    panel: pd.DataFrame,
    province: str,
    indicators: Sequence[str],
    entity: str = "province_en",
    time: str = "year",
    region: str = "region",
) -> pd.DataFrame:
    """Long frame (series, path, time, indicator, value) with the province, its region's
    path and the national path.
    """
    indicators = list(indicators)
    check_columns(panel, [entity, time, region, *indicators])
    if province not in set(panel[entity]):
        known = sorted(panel[entity].dropna().unique())
        raise ValueError(
            f"province {province!r} not found in column {entity!r}; choose one of "
            f"{known}"
        )
    rows = panel[panel[entity] == province]
    own_region = rows[region].dropna().unique()
    if len(own_region) != 1:
        raise ValueError(
            f"province {province!r} has region values {list(own_region)}; expected "
            "exactly one"
        )
    own = rows.melt(id_vars=[time], value_vars=indicators, var_name="indicator").dropna(
        subset=["value"]
    )
    own.insert(0, "path", province)
    own.insert(0, "series", "province")
    paths = reference_paths(panel, indicators, time, region)
    regional = paths[paths["path"] == own_region[0]].drop(columns="n_provinces")
    regional.insert(0, "series", "region")
    national = paths[paths["path"] == NATIONAL].drop(columns="n_provinces")
    national.insert(0, "series", "national")
    columns = ["series", "path", time, "indicator", "value"]
    return pd.concat(
        [own[columns], regional[columns], national[columns]], ignore_index=True
    )


def province_gaps(view: pd.DataFrame, time: str = "year") -> pd.DataFrame:
    """Latest year per indicator where the province is observed: its value, the regional
    and national means.
    """
    own = view[view["series"] == "province"]
    rows = []
    for indicator, group in own.groupby("indicator", sort=False):
        latest = group[time].max()
        at = view[(view["indicator"] == indicator) & (view[time] == latest)].set_index(
            "series"
        )["value"]
        rows.append(
            {
                "indicator": indicator,
                time: int(latest),
                "province": at.get("province", np.nan),
                "region_mean": at.get("region", np.nan),
                "national_mean": at.get("national", np.nan),
            }
        )
    return pd.DataFrame(rows)


def province_figure(
    view: pd.DataFrame,
    labels: Mapping[str, tuple[str, str]],
    time: str = "year",
    source: str = "",
):
    """Small multiples, one per indicator: province (solid), its region (dashed),
    national mean (dotted).
    """
    use_house_style()  # so the figure is the same from one call, in a page or a widget
    indicators = list(dict.fromkeys(view["indicator"]))
    if not indicators:
        raise ValueError(
            "the province view is empty: no indicator has any observed value"
        )
    province = view.loc[view["series"] == "province", "path"].iloc[0]
    region_rows = view[view["series"] == "region"]
    region = region_rows["path"].iloc[0] if len(region_rows) else ""
    n_cols = 1  # one panel under another: each keeps the column's width on a phone
    n_rows = int(np.ceil(len(indicators) / n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(5.6, 3.1 * n_rows), squeeze=False)
    styles = {
        "province": dict(
            color=REGION_COLOURS.get(region, "#0072B2"),
            linewidth=2.2,
            marker="o",
            markersize=3,
        ),
        "region": dict(
            color=REGION_COLOURS.get(region, "#0072B2"), linewidth=1.4, linestyle="--"
        ),
        "national": dict(color=NATIONAL_COLOUR, linewidth=1.4, linestyle=":"),
    }
    names = {
        "province": province,
        "region": bilingual(
            f"{region_names().get(region, region)}均值", f"{region} mean", " "
        ),
        "national": bilingual("全国省份均值", "mean of provinces", " "),
    }
    for ax, indicator in zip(axes.flat, indicators):
        for series in ("national", "region", "province"):
            part = view[
                (view["series"] == series) & (view["indicator"] == indicator)
            ].sort_values(time)
            if len(part):
                ax.plot(
                    part[time], part["value"], label=names[series], **styles[series]
                )
        zh, en = labels.get(indicator, (indicator, indicator))
        ax.set_title(bilingual(zh, en, " "), fontsize=10)
        ax.xaxis.get_major_locator().set_params(integer=True)
    for ax in list(axes.flat)[len(indicators) :]:
        ax.set_visible(False)
    axes.flat[0].legend(loc="best")
    fig.suptitle(
        f"{province}: "
        + bilingual("对照全国与地区均值", "against national and regional means", " "),
        fontsize=11,
    )
    fig.tight_layout()
    if source:
        add_source(fig, source)
    return fig
