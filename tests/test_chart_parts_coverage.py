"""The data appendix's coverage chart (helpers.chart_parts.coverage_heatmap): the cells
drawn are the matrix's shares, white for none and the house blue for all, groups of rows
are ruled off and named, and every text is at least the house minimum.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from helpers.chart_parts import coverage_heatmap
from helpers.style import PALETTE, SMALLEST_FONT_PT, smallest_font_pt

MATRIX = pd.DataFrame(
    [[0.0, 0.5, 1.0], [1.0, 1.0, 0.0], [0.25, 0.0, 0.75]],
    index=["gdp_100m_yuan", "rd_intensity_pct", "co2_mt"],
    columns=[2020, 2021, 2022],
)
GROUPS = pd.Series(
    {"gdp_100m_yuan": "nbs", "rd_intensity_pct": "nbs", "co2_mt": "ceads"}
)


@pytest.fixture
def fig():
    fig = coverage_heatmap(
        MATRIX,
        GROUPS,
        "数据来源 Source: test",
        title=("覆盖率", "coverage"),
        scale=("占比", "share"),
    )
    yield fig
    plt.close("all")


def test_cells_are_the_matrix_shares(fig):
    image = fig.axes[0].get_images()[0]
    assert np.array_equal(image.get_array(), MATRIX.to_numpy())
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [
        "2020",
        "2021",
        "2022",
    ]


def test_white_for_none_house_blue_for_all(fig):
    image = fig.axes[0].get_images()[0]
    assert to_hex(image.cmap(image.norm(0.0))) == "#ffffff"
    assert to_hex(image.cmap(image.norm(1.0))) == to_hex(PALETTE[0])


def test_groups_are_ruled_off_and_named(fig):
    """Two groups: one rule between rows 1 and 2 (at y = 1.5), names right of the axes
    in the middle of their rows."""
    ax = fig.axes[0]
    rules = [line for line in ax.get_lines() if line.get_ydata()[0] == 1.5]
    assert len(rules) == 1 and len(ax.get_lines()) == 1
    names = {t.get_text(): t.get_position()[1] for t in ax.texts}
    assert names == {"nbs": 0.5, "ceads": 2.0}


def test_bilingual_title_scale_and_text_size(fig):
    ax, bar = fig.axes
    assert ax.get_title() == "覆盖率\ncoverage"
    assert bar.get_xlabel() == "占比 / share"
    assert smallest_font_pt(fig) >= SMALLEST_FONT_PT


def test_a_row_without_a_group_is_named():
    with pytest.raises(KeyError, match=r"no group for the rows \['co2_mt'\]"):
        coverage_heatmap(MATRIX, GROUPS.drop("co2_mt"), "s", ("a", "b"), ("c", "d"))
