"""factor_flow's figures (helpers.evidence_figures): the lines and points drawn are the
input frame's means and values, partial years are drawn apart, the class bands are the
ones D crosses, every text is at least the house minimum and Chinese renders as glyphs.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from helpers import evidence_figures as ef
from helpers.indices import COORDINATION_CLASSES
from helpers.style import (
    NATIONAL_COLOUR,
    REGION_COLOURS,
    SMALLEST_FONT_PT,
    smallest_font_pt,
    use_house_style,
)

LABELS = {"East": "东部 East", "West": "西部 West"}


def scores(partial: bool = True) -> pd.DataFrame:
    """Provinces 1, 2, 4 in the East, 3 in the West, 2013-2015; province 2 has no 2015
    value when partial (so 2015 averages over fewer provinces).
    """
    rows = []
    for code, region, base in [
        (1, "East", 0.5),
        (2, "East", 0.7),
        (3, "West", 0.2),
        (4, "East", 1.2),
    ]:
        for step, year in enumerate([2013, 2014, 2015]):
            value = base + 0.1 * step
            if partial and code == 2 and year == 2015:
                value = np.nan
            rows.append((code, region, year, value))
    return pd.DataFrame(rows, columns=["province_code", "region", "year", "score"])


@pytest.fixture(autouse=True)
def house_style():
    use_house_style()
    yield
    plt.close("all")


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    return ax


def lines_by_label(ax) -> dict:
    return {line.get_label(): line for line in ax.get_lines()}


def draw_without_missing_glyphs(fig) -> None:
    """Draw the figure; a missing glyph (a Chinese character drawn as a box) fails."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        fig.canvas.draw()


def test_region_lines_are_the_region_means_by_year(ax):
    """East 2013: (0.5 + 0.7 + 1.2) / 3 = 0.8 (the median would be 0.7); 2014: 0.9
    (full years, solid)."""
    ef.draw_region_paths(ax, scores(), "score", LABELS)
    east = lines_by_label(ax)["东部 East"]
    assert list(east.get_xdata()) == [2013, 2014]
    assert np.allclose(east.get_ydata(), [0.8, 0.9])
    assert east.get_color() == REGION_COLOURS["East"]
    assert east.get_linestyle() == "-"


def test_national_line_is_the_mean_over_all_provinces(ax):
    """2013: (0.5 + 0.7 + 0.2 + 1.2) / 4; drawn dashed in the national colour."""
    ef.draw_region_paths(ax, scores(), "score", LABELS)
    national = lines_by_label(ax)["全国平均 mean of provinces"]
    assert np.allclose(national.get_ydata(), [0.65, 0.75])
    assert national.get_color() == NATIONAL_COLOUR
    assert national.get_linestyle() == "--"


def test_partial_years_are_dotted_with_open_markers(ax):
    """2015 lacks province 2: East 2014-2015 is a dotted, hollow tail (0.9 -> 1.05, the
    mean of provinces 1 and 4), and the legend says which years."""
    ef.draw_region_paths(ax, scores(), "score", LABELS)
    tails = [
        line
        for line in ax.get_lines()
        if line.get_linestyle() == ":" and len(line.get_xdata())
    ]
    east_tail = next(t for t in tails if t.get_color() == REGION_COLOURS["East"])
    assert list(east_tail.get_xdata()) == [2014, 2015]
    assert np.allclose(east_tail.get_ydata(), [0.9, 1.05])
    assert to_hex(east_tail.get_markerfacecolor()) == "#ffffff"
    assert "部分省份缺数据 fewer provinces (2015)" in lines_by_label(ax)


def test_without_partial_years_nothing_is_dotted(ax):
    ef.draw_region_paths(ax, scores(partial=False), "score", LABELS)
    assert all(line.get_linestyle() != ":" for line in ax.get_lines())
    assert not any("fewer provinces" in label for label in lines_by_label(ax))


def test_a_missing_column_is_named(ax):
    with pytest.raises(
        KeyError, match="region paths: the frame has no column 'region'"
    ):
        ef.draw_region_paths(ax, scores().drop(columns="region"), "score", LABELS)


def test_index_paths_figure_one_panel_per_index_legend_and_text_size():
    frame = scores().assign(other=lambda f: 1 - f["score"])
    panels = {"score": ("指数甲", "index A"), "other": ("指数乙", "index B")}
    fig = ef.index_paths_figure(frame, panels, LABELS, "数据来源 Source: test")
    axes = fig.axes
    assert [ax.get_title() for ax in axes] == ["指数甲\nindex A", "指数乙\nindex B"]
    assert np.allclose(lines_by_label(axes[1])["西部 West"].get_ydata(), [0.8, 0.7])
    legend_texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"东部 East", "西部 West", "全国平均 mean of provinces"} <= set(legend_texts)
    draw_without_missing_glyphs(fig)
    assert smallest_font_pt(fig) >= SMALLEST_FONT_PT


def changes() -> pd.DataFrame:
    """Four provinces on uri = 2 nqpf + 1 (means) and uri = 3 - nqpf (changes)."""
    x = np.array([0.1, 0.2, 0.3, 0.4])
    return pd.DataFrame(
        {
            "province_en": ["A", "B", "C", "D"],
            "region": ["East", "West", "East", "West"],
            "nqpf_mean": x,
            "uri_mean": 2 * x + 1,
            "nqpf_change": x,
            "uri_change": 3 - x,
        }
    )


def test_region_scatter_points_fit_and_names(ax):
    """The points are the frame's values, coloured by region; the fit's slope is 2 by
    construction; the two largest x (D, C) are named."""
    slope = ef.draw_region_scatter(
        ax, changes(), "nqpf_mean", "uri_mean", LABELS, n_named=2
    )
    assert slope == pytest.approx(2)
    east = next(c for c in ax.collections if c.get_label() == "东部 East")
    assert np.allclose(east.get_offsets(), [[0.1, 1.2], [0.3, 1.6]])
    assert to_hex(east.get_facecolor()[0]) == REGION_COLOURS["East"].lower()
    assert sorted(t.get_text() for t in ax.texts) == ["C", "D"]
    assert "直线拟合 straight-line fit (slope 2.00)" in lines_by_label(ax)


def test_region_scatter_names_a_missing_column(ax):
    with pytest.raises(
        KeyError, match="region scatter: the frame has no column 'province_en'"
    ):
        ef.draw_region_scatter(
            ax, changes().drop(columns="province_en"), "nqpf_mean", "uri_mean", LABELS
        )


def test_within_between_figure_means_on_top_changes_beneath():
    fig = ef.within_between_figure(changes(), LABELS, "数据来源 Source: test")
    top, bottom = fig.axes
    assert "province means" in top.get_title()
    assert "change within" in bottom.get_title()
    assert "slope 2.00" in " ".join(lines_by_label(top))
    assert "slope -1.00" in " ".join(lines_by_label(bottom))
    assert bottom.get_xlabel() == "新质生产力变化 NQPF, change"
    draw_without_missing_glyphs(fig)
    assert smallest_font_pt(fig) >= SMALLEST_FONT_PT


def test_coupling_figure_bands_are_the_classes_d_crosses():
    """D from 0.42 to 0.68: bands 0.4-0.5, 0.5-0.6, 0.6-0.7, classes 4, 5 and 6."""
    coupling = scores(partial=False).rename(columns={"score": "D"})
    coupling["D"] = np.linspace(0.42, 0.68, len(coupling))
    fig = ef.coupling_figure(coupling, LABELS, "数据来源 Source: test")
    ax = fig.axes[0]
    assert ax.get_ylim() == pytest.approx((0.4, 0.7))
    band_names = [t.get_text() for t in ax.texts]
    assert band_names == [f"{zh}\n{en}" for zh, en in COORDINATION_CLASSES[4:7]]
    assert len(lines_by_label(ax)["东部 East"].get_xdata()) == 3
    draw_without_missing_glyphs(fig)
    assert smallest_font_pt(fig) >= SMALLEST_FONT_PT


def test_coupling_figure_names_a_missing_column():
    with pytest.raises(KeyError, match="coupling figure: the frame has no column 'D'"):
        ef.coupling_figure(scores(), LABELS, "source")
