"""The figures of tech_pull (internet penetration) and factor_barriers (income and
consumption ratios, Engel coefficients, hukou gap) draw their input data: values,
colours, hollow markers, labels, breaks; text no smaller than the house minimum.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from helpers import constraint_figures as cf
from helpers.style import MUTED, SMALLEST_FONT_PT, smallest_font_pt
from helpers.urban_rural import BasisChange

SURVEY_CHANGE = BasisChange("income_survey_2013", marked_at=2013, new_basis_from=2012)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def drawn(fig):
    """Draw the figure, failing on a CJK glyph the font lacks."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing")
        fig.canvas.draw()
    return fig


def lines_labelled(ax, label: str) -> list:
    return [line for line in ax.get_lines() if line.get_label() == label]


def hollow_lines(ax) -> list:
    return [
        line
        for line in ax.get_lines()
        if line.get_linestyle() == "None"
        and line.get_markerfacecolor() == "white"
        and len(line.get_xdata())
    ]


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def lines_crossing(ax, boundary: float) -> list:
    """Drawn lines with points on both sides of boundary."""
    crossing = []
    for line in ax.get_lines():
        x = np.asarray(line.get_xdata(), dtype=float)
        if (
            line.get_linestyle() != "None"
            and (x < boundary).any()
            and (x > boundary).any()
        ):
            crossing.append(line)
    return crossing


# --- tech_pull: internet penetration ------------------------------------------------

OBSERVATIONS = pd.DataFrame(
    {
        "group": ["total", "total", "urban", "urban", "rural", "rural"],
        "time": [2020.0, 2023.0, 2020.0, 2023.0, 2020.0, 2023.0],
        "value": [70.4, 77.5, 79.8, 83.3, 55.9, 66.5],
        "flag": [None, None, None, None, None, "suspect"],
    }
)
MIIT = pd.DataFrame({"time": [2021.1], "value": [58.8]})
GAPS = pd.DataFrame(
    {
        "time": [2020.0, 2023.0],
        "urban": [79.8, 83.3],
        "rural": [55.9, 66.5],
        "gap_points": [23.9, 16.8],
    }
)


def penetration():
    fig = cf.penetration_figure(OBSERVATIONS, MIIT, GAPS, source="CNNIC")
    return drawn(fig), fig.axes[0]


def test_penetration_dots_are_the_unflagged_values_in_each_group_colour():
    fig, ax = penetration()
    for group, colour in cf.PENETRATION_COLOURS.items():
        (dots,) = lines_labelled(ax, cf.PENETRATION_LABELS[group])
        rows = OBSERVATIONS[
            (OBSERVATIONS["group"] == group) & OBSERVATIONS["flag"].isna()
        ]
        assert list(dots.get_ydata()) == list(rows["value"])
        assert to_hex(dots.get_color()) == to_hex(colour)
        assert "\u4e00" <= cf.PENETRATION_LABELS[group][0] <= "\u9fff"  # Chinese first


def test_penetration_flagged_value_is_hollow_and_marked_with_a_question_mark():
    fig, ax = penetration()
    hollow = hollow_lines(ax)
    rural_hollow = [
        line
        for line in hollow
        if to_hex(line.get_markeredgecolor()) == to_hex(cf.PENETRATION_COLOURS["rural"])
        and line.get_marker() == "o"
    ]
    assert [list(line.get_ydata()) for line in rural_hollow] == [[66.5]]
    assert "66.5 ?" in texts(ax)
    assert "55.9" in texts(ax) and "55.9 ?" not in texts(ax)


def test_penetration_miit_figure_is_a_hollow_diamond_apart():
    fig, ax = penetration()
    (miit,) = [line for line in hollow_lines(ax) if line.get_marker() == "D"]
    assert list(miit.get_ydata()) == [58.8]
    assert "MIIT" in miit.get_label()


def test_penetration_gap_arrows_carry_the_gap_and_stay_inside_at_the_edge():
    fig, ax = penetration()
    labels = {t.get_text(): t for t in ax.texts if t.get_text().startswith("差")}
    assert set(labels) == {"差 23.9 pp", "差 16.8 pp"}
    assert labels["差 23.9 pp"].get_ha() == "left"
    assert labels["差 16.8 pp"].get_ha() == "right"  # the last date: label to the left
    arrows = [t for t in ax.texts if t.get_text() == "" and t.arrow_patch is not None]
    assert len(arrows) == len(GAPS)


def test_penetration_text_is_at_least_the_house_minimum():
    fig, _ = penetration()
    assert smallest_font_pt(fig) >= SMALLEST_FONT_PT


def test_penetration_names_a_missing_column():
    with pytest.raises(KeyError, match="flag"):
        cf.penetration_figure(OBSERVATIONS.drop(columns="flag"), MIIT, GAPS, "s")
    with pytest.raises(KeyError, match="gap_points"):
        cf.penetration_figure(OBSERVATIONS, MIIT, GAPS.drop(columns="gap_points"), "s")


# --- factor_barriers: income and consumption ratios ---------------------------------

CURRENT = pd.Series([2.88, 2.81, 2.75, 2.50], index=[2012, 2013, 2014, 2020])
CONSUMPTION = pd.Series([2.47, 2.38, 2.28, 1.97], index=[2012, 2013, 2014, 2020])
OLD_SURVEY = pd.Series([3.03], index=[2013])
MIXED = pd.Series([2.95], index=[2014])


def income(new_basis=(2012,)):
    fig = cf.income_consumption_figure(
        CURRENT,
        CONSUMPTION,
        published_only=pd.Index([2012]),
        old_survey=OLD_SURVEY,
        mixed=MIXED,
        survey_change=SURVEY_CHANGE,
        new_basis=list(new_basis),
        source="NBS",
    )
    return drawn(fig), fig.axes[0]


def test_income_lines_never_cross_the_first_year_of_the_new_basis():
    fig, ax = income(new_basis=[2013])
    assert lines_crossing(ax, 2012.5) == []


def test_income_line_crosses_without_the_break():
    # Control: the check above can fail.
    fig, ax = income(new_basis=[])
    assert lines_crossing(ax, 2012.5)


def test_income_published_only_years_are_hollow_on_the_ratio():
    fig, ax = income()
    (published,) = [
        line for line in hollow_lines(ax) if line.get_label().startswith("空心")
    ]
    assert list(published.get_xdata()) == [2012]
    assert list(published.get_ydata()) == [2.88]


def test_income_other_bases_are_grey_unjoined_markers():
    fig, ax = income()
    for series, marker in ((OLD_SURVEY, "s"), (MIXED, "D")):
        (line,) = [
            line
            for line in ax.get_lines()
            if line.get_marker() == marker and to_hex(line.get_color()) == to_hex(MUTED)
        ]
        assert line.get_linestyle() == "None"
        assert list(line.get_ydata()) == list(series)


def test_income_marks_the_survey_change_and_its_back_calculation():
    fig, ax = income()
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert [list(line.get_xdata()) for line in dashed] == [[2012.5, 2012.5]]
    assert cf.survey_break_note(SURVEY_CHANGE) in texts(ax)
    assert smallest_font_pt(fig) >= SMALLEST_FONT_PT


@pytest.mark.parametrize(
    ("new_basis_from", "expected"),
    [(2013, None), (2012, "2012 按新口径回算"), (2010, "2010-2012 按新口径回算")],
)
def test_survey_break_note_names_the_back_calculated_years(new_basis_from, expected):
    note = cf.survey_break_note(BasisChange("b", 2013, new_basis_from))
    assert note.startswith("2013 住户调查一体化改革")
    if expected is None:
        assert "回算" not in note
    else:
        assert expected in note


# --- factor_barriers: Engel coefficients -------------------------------------------

ENGEL = pd.DataFrame(
    {
        "urban": [32.0, 30.1, np.nan, 28.6],
        "rural": [35.9, 34.1, np.nan, 32.7],
        "national": [33.0, 31.2, 30.6, 29.8],
        "rural_old_survey": [np.nan, 37.7, np.nan, np.nan],
    },
    index=[2012, 2013, 2014, 2015],
)


def engel():
    fig = cf.engel_figure(ENGEL, SURVEY_CHANGE, [2012], source="NBS")
    return drawn(fig), fig.axes[0]


def test_engel_lines_are_the_current_basis_values_in_group_colours():
    fig, ax = engel()
    for group, colour in cf.ENGEL_COLOURS.items():
        points = {}
        for line in ax.get_lines():
            if (
                to_hex(line.get_color()) == to_hex(colour)
                and line.get_linestyle() == "-"
            ):
                points.update(zip(line.get_xdata(), line.get_ydata()))
        assert points == ENGEL[group].dropna().to_dict()
        assert lines_labelled(ax, cf.ENGEL_LABELS[group])


def test_engel_old_survey_value_is_hollow_and_unjoined():
    fig, ax = engel()
    old = [
        line
        for line in hollow_lines(ax)
        if to_hex(line.get_markeredgecolor()) == to_hex(cf.ENGEL_COLOURS["rural"])
    ]
    assert [(list(line.get_xdata()), list(line.get_ydata())) for line in old] == [
        ([2013], [37.7])
    ]
    assert smallest_font_pt(fig) >= SMALLEST_FONT_PT


def test_engel_names_a_missing_column():
    with pytest.raises(KeyError, match="national"):
        cf.engel_figure(ENGEL.drop(columns="national"), SURVEY_CHANGE, [2012], "s")


# --- factor_barriers: resident-based and hukou-based urbanisation -------------------

HUKOU = pd.DataFrame(
    {
        "year": [2016, 2019, 2020],
        "resident_rate": [57.35, 60.60, 63.89],
        "hukou_rate": [41.2, 44.38, 45.4],
        "gap_points": [16.15, 16.22, 18.49],
        "resident_basis": ["pre_census_2020", "pre_census_2020", "census_2020"],
    }
)


def hukou():
    fig = cf.hukou_figure(HUKOU, source="NBS")
    return drawn(fig), fig.axes[0]


def test_hukou_bars_are_the_two_rates_side_by_side():
    fig, ax = hukou()
    heights = [patch.get_height() for patch in ax.patches]
    assert heights == [*HUKOU["resident_rate"], *HUKOU["hukou_rate"]]
    centres = [patch.get_x() + patch.get_width() / 2 for patch in ax.patches]
    assert centres == pytest.approx([-0.18, 0.82, 1.82, 0.18, 1.18, 2.18])


def test_hukou_values_and_gaps_are_written():
    fig, ax = hukou()
    written = texts(ax)
    for value in [*HUKOU["resident_rate"], *HUKOU["hukou_rate"]]:
        assert f"{value:.1f}" in written
    for gap in HUKOU["gap_points"]:
        assert f"差 {gap:.1f} pp" in written


def test_hukou_basis_under_each_year_and_a_line_where_it_changes():
    fig, ax = hukou()
    ticks = [label.get_text() for label in ax.get_xticklabels()]
    assert ticks[0] == "2016\n" + cf.RESIDENT_BASIS_LABELS["pre_census_2020"]
    assert ticks[2] == "2020\n" + cf.RESIDENT_BASIS_LABELS["census_2020"]
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert [list(line.get_xdata()) for line in dashed] == [[1.5, 1.5]]
    assert smallest_font_pt(fig) >= SMALLEST_FONT_PT


def test_hukou_names_a_missing_column():
    with pytest.raises(KeyError, match="resident_basis"):
        cf.hukou_figure(HUKOU.drop(columns="resident_basis"), "s")
