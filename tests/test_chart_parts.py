"""Chart pieces: no line is drawn across a series break; bounds are drawn as bounds."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from helpers import chart_parts as parts


def lines_crossing(ax, boundary: float) -> list:
    """Lines of the axes with points on both sides of boundary (x < boundary and x >
    boundary).
    """
    crossing = []
    for line in ax.get_lines():
        x = np.asarray(line.get_xdata(), dtype=float)
        if x.size >= 2 and (x < boundary).any() and (x > boundary).any():
            crossing.append(line)
    return crossing


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


SERIES = pd.Series(
    [3.1, 3.0, 2.9, 2.73, 2.72, 2.71], index=[2011, 2012, 2013, 2015, 2016, 2017]
)


def test_no_line_crosses_the_break(ax):
    parts.plot_broken_series(ax, SERIES, [2013], colour="#0072B2", label="ratio")
    assert lines_crossing(ax, 2012.5) == []


def test_without_the_break_a_line_does_cross(ax):
    # Control: proves the check above can fail.
    parts.plot_broken_series(ax, SERIES, [], colour="#0072B2", label="ratio")
    assert lines_crossing(ax, 2012.5)


def test_missing_years_inside_a_segment_are_dotted(ax):
    parts.plot_broken_series(ax, SERIES, [2013], colour="#0072B2", label="ratio")
    over_gap = lines_crossing(ax, 2014)
    assert over_gap and all(line.get_linestyle() == ":" for line in over_gap)


def test_label_appears_once(ax):
    parts.plot_broken_series(ax, SERIES, [2013], colour="#0072B2", label="ratio")
    assert [line.get_label() for line in ax.get_lines()].count("ratio") == 1


def test_bounds_are_triangles_and_unconnected(ax):
    parts.plot_bounds(
        ax,
        [2015, 2019, 2021],
        [70, 98, 100],
        ["<", ">", "="],
        ["<70", ">98", "100"],
        colour="#0072B2",
        label="villages",
    )
    markers = [line.get_marker() for line in ax.get_lines()]
    assert markers == ["v", "^", "o"]
    assert all(len(line.get_xdata()) == 1 for line in ax.get_lines()), (
        "milestones must not be joined"
    )


def test_unknown_qualifier_is_an_error(ax):
    with pytest.raises(ValueError, match="qualifier"):
        parts.plot_bounds(ax, [2015], [70], ["~"], ["~70"], colour="#0072B2", label="x")


def test_observation_time():
    assert parts.observation_time(2020, "year") == 2020
    assert parts.observation_time(2020, "jun") == pytest.approx(2019.5)
    with pytest.raises(ValueError, match="period"):
        parts.observation_time(2020, "q3")


def test_date_position_on_a_year_end_axis():
    # 31 December sits on the year's tick; 1 July 2024 (day 183 of 366) a little past
    # the middle of 2024.
    assert parts.date_position("2024-12-31") == pytest.approx(2024.0)
    assert parts.date_position("2024-07-01") == pytest.approx(2023 + 183 / 366)
    assert parts.date_position("2019-01-01") == pytest.approx(2018 + 1 / 365)


def test_label_offsets_separate_crowded_points():
    placements = parts.label_offsets([2021.0, 2021.0, 2015.0], [100.0, 99.0, 70.0])
    assert placements[2][1] == "left"
    assert {placements[0][2], placements[1][2]} == {"top", "bottom"}


def test_concentration_chart_draws_every_indicator_and_benchmark():
    import warnings

    from helpers import concentration as conc
    from helpers.data import provincial_panel, resources_for, source_line

    columns = {"rd_exp_100m_yuan": "R&D经费 R&D spending"}
    panel = provincial_panel(["rd_exp_100m_yuan", "gdp_100m_yuan"])
    tables = {
        c: conc.concentration_by_year(panel, c)
        for c in ["rd_exp_100m_yuan", "gdp_100m_yuan"]
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = parts.concentration_chart(
            panel,
            columns,
            tables,
            {"GDP": tables["gdp_100m_yuan"]},
            "标题 title",
            source_line(resources_for(list(tables))),
        )
        fig.canvas.draw()
    try:
        assert [w for w in caught if "missing from font" in str(w.message)] == []
        left, right = fig.axes
        labels = [line.get_label() for line in right.get_lines()]
        assert columns["rd_exp_100m_yuan"] in labels and "GDP" in labels
        first, last = conc.complete_span(tables["rd_exp_100m_yuan"])
        assert f"R&D经费 R&D spending {first}" in [
            line.get_label() for line in left.get_lines()
        ]
        ginis = right.get_lines()[0].get_ydata()
        assert all(0 < g < 1 for g in ginis)
        assert any(text.get_text().startswith("Source") for text in fig.texts)
    finally:
        plt.close(fig)
