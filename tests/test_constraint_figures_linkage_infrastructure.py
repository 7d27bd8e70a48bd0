"""The figure panels of industry_linkage (C2) and new_infrastructure (C4): each draws
the values of the frame it is given, in the house colours, with bilingual labels, and
says which column is missing when a frame lacks one.
"""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from helpers import constraint_figures as cf  # noqa: E402
from helpers.style import (  # noqa: E402
    MUTED,
    PALETTE,
    RURAL_COLOUR,
    SMALLEST_FONT_PT,
    URBAN_COLOUR,
    smallest_font_pt,
    use_house_style,
)


@pytest.fixture
def ax():
    use_house_style()
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def drawn_cleanly(fig) -> None:
    """Chinese labels draw as glyphs and no text is below the house minimum."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    assert [
        str(w.message) for w in caught if "missing from font" in str(w.message)
    ] == []
    assert smallest_font_pt(fig) >= SMALLEST_FONT_PT


def legend_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def lines_crossing(ax, boundary: float) -> list:
    return [
        line
        for line in ax.get_lines()
        if len(line.get_xdata()) > 1
        and (np.asarray(line.get_xdata(), float) < boundary).any()
        and (np.asarray(line.get_xdata(), float) > boundary).any()
    ]


def vertical_lines(ax) -> list[float]:
    """x of the vertical lines (e.g. a series break) of the axes."""
    return [
        line.get_xdata()[0]
        for line in ax.get_lines()
        if len(line.get_xdata()) == 2 and line.get_xdata()[0] == line.get_xdata()[1]
    ]


# --------------------------------------------------------------------------------------
# industry_linkage: machinery on two bases, growth bars, online retail

OLD = pd.Series([7.5, 7.8, 8.0, 8.5, 20.0, 9.0], index=range(2010, 2016))
NEW = pd.Series([9.5, 9.8, 10.1, 10.3, 10.6, 10.8, 11.0, 11.2], index=range(2016, 2024))
BASES = {"旧口径 old basis": OLD, "现行口径 current basis": NEW}


def test_machinery_bases_are_drawn_apart_with_the_doubtful_year_hollow(ax):
    cf.plot_machinery_bases(ax, BASES, hollow_years={2014})
    assert lines_crossing(ax, 2015.5) == []
    drawn = [line for line in ax.get_lines() if line.get_label() in BASES]
    assert [to_hex(line.get_color()) for line in drawn] == [MUTED, RURAL_COLOUR.lower()]
    assert list(drawn[0].get_ydata()) == list(OLD) and list(drawn[1].get_ydata()) == (
        list(NEW)
    )
    hollow = [
        line
        for line in ax.get_lines()
        if line.get_markerfacecolor() == "white" and len(line.get_xdata())
    ]
    assert [list(line.get_xdata()) for line in hollow] == [[2014]]
    # The re-basing is marked between 2015 and 2016 and names its year.
    assert 2015.5 in vertical_lines(ax)
    assert any(t.get_text().startswith("2016 ") for t in ax.texts)
    assert "空心: 含存疑值 hollow: doubtful value" in legend_labels(ax)
    assert ax.get_ylim()[1] > OLD.max()
    # Whole years at any width (at 3.5 in matplotlib's default would tick 2012.5).
    ax.figure.set_size_inches(3.5, 3)
    assert all(float(tick).is_integer() for tick in ax.get_xticks())
    drawn_cleanly(ax.figure)


GROWTH = pd.DataFrame(
    {
        "label": ["农机 machinery", "人均农机 per person", "R&D经费 R&D"],
        "first_year": [2016, 2016, 2016],
        "last_year": [2023, 2023, 2022],
        "growth_pct_per_year": [1.5, 4.25, 9.0],
    }
)


def test_growth_bars_are_the_rates_first_row_on_top_in_two_colours(ax):
    cf.plot_growth_bars(ax, GROWTH, highlight=2)
    bars = ax.patches
    # First row at the top: bars are drawn at positions 2, 1, 0.
    assert [bar.get_width() for bar in bars] == [1.5, 4.25, 9.0]
    assert [bar.get_y() + bar.get_height() / 2 for bar in bars] == [2, 1, 0]
    assert [to_hex(bar.get_facecolor()) for bar in bars] == [
        RURAL_COLOUR.lower(),
        RURAL_COLOUR.lower(),
        URBAN_COLOUR.lower(),
    ]
    assert [t.get_text() for t in ax.texts] == ["1.5%", "4.2%", "9.0%"]
    ticks = {t.get_text() for t in ax.get_yticklabels()}
    assert "农机\nmachinery\n2016-2023" in ticks and "R&D经费\nR&D\n2016-2022" in ticks
    drawn_cleanly(ax.figure)


def test_growth_bars_name_the_missing_column(ax):
    with pytest.raises(
        KeyError, match=r"growth table: column\(s\) \['growth_pct_per_year'\]"
    ):
        cf.plot_growth_bars(ax, GROWTH.drop(columns="growth_pct_per_year"))


RETAIL = pd.DataFrame(
    {
        "year": [2014, 2015, 2018, 2019],
        "trillion_yuan": [0.18, 0.35, 1.37, 1.71],
        "weak_source": [False, False, False, True],
    }
)


def test_online_retail_bars_hatch_the_weak_year_and_mark_missing_years(ax):
    cf.plot_online_retail(ax, RETAIL)
    bars = [p for p in ax.patches if p.get_height() > 0]
    assert [bar.get_height() for bar in bars] == list(RETAIL["trillion_yuan"])
    assert [bar.get_hatch() or "" for bar in bars] == ["", "", "", "//"]
    values = [t.get_text() for t in ax.texts if t.get_text()[0].isdigit()]
    assert values == ["0.18", "0.35", "1.37", "1.71 ?"]
    # 2016 and 2017 have no data: each gets a bilingual 'no data' note at its year.
    missing = [t for t in ax.texts if t.get_text() == "无数据\nn.a."]
    assert sorted(t.xy[0] for t in missing) == [2016, 2017]
    assert legend_labels(ax) == [
        "农村网络零售额 rural online retail sales",
        "斜线: 来源较弱 (?) hatched: weak source (?)",
    ]
    drawn_cleanly(ax.figure)


def test_online_retail_names_the_missing_column(ax):
    with pytest.raises(
        KeyError, match=r"online retail table: column\(s\) \['weak_source'\]"
    ):
        cf.plot_online_retail(ax, RETAIL.drop(columns="weak_source"))


# --------------------------------------------------------------------------------------
# new_infrastructure: coverage milestones, rural netizens, representation

MILESTONES = pd.DataFrame(
    {
        "indicator": [
            "admin_villages_with_broadband_share",
            "admin_villages_with_broadband_share",
            "admin_villages_5g_share",
            "admin_villages_5g_share",
        ],
        "year": [2015, 2021, 2024, 2025],
        "period": ["year", "year", "year", "jun"],
        "reference_date": [None, None, "2024-07-24", None],
        "time": [2015.0, 2021.0, 2023.56, 2024.5],
        "value": [70.0, 100.0, 90.0, 90.0],
        "qualifier": ["<", "=", ">", ">"],
        "value_as_published": ["<70", "100", ">90", ">90"],
        "producer": ["MIIT", "MIIT", "MARA", "CNNIC"],
    }
)


def test_milestone_text_gives_the_month_only_for_dated_and_june_values():
    rows = list(MILESTONES.itertuples())
    assert [cf.milestone_text(row) for row in rows] == [
        "<70% (MIIT)",
        "100% (MIIT)",
        ">90% (MARA, 2024-07)",
        ">90% (CNNIC, 2025-06)",
    ]


def test_coverage_milestones_are_bound_markers_never_joined(ax):
    cf.plot_coverage_milestones(ax, MILESTONES)
    assert lines_crossing(ax, 2020) == [] and lines_crossing(ax, 2024) == []
    points = [line for line in ax.get_lines() if len(line.get_xdata()) == 1]
    assert [line.get_marker() for line in points] == ["v", "o", "^", "^"]
    # One colour per indicator, in the house palette order.
    assert [to_hex(line.get_color()) for line in points] == [
        PALETTE[0].lower(),
        PALETTE[0].lower(),
        PALETTE[1].lower(),
        PALETTE[1].lower(),
    ]
    texts = {t.get_text(): t.xy[0] for t in ax.texts}
    assert texts[">90% (MARA, 2024-07)"] == 2023.56
    assert legend_labels(ax)[:2] == [
        "通宽带行政村 villages with broadband",
        "通5G行政村 villages with 5G",
    ]
    drawn_cleanly(ax.figure)


def test_coverage_milestones_name_the_missing_column(ax):
    with pytest.raises(
        KeyError, match=r"coverage milestones: column\(s\) \['qualifier'\]"
    ):
        cf.plot_coverage_milestones(ax, MILESTONES.drop(columns="qualifier"))


NETIZENS = pd.DataFrame(
    {
        "year": [2019, 2020, 2021, 2022],
        "time": [2018.5, 2020.0, 2021.0, 2022.0],
        "value": [2.25, 3.09, 2.84, 3.08],
    }
)


def test_netizens_are_two_groups_split_at_the_rebasing_with_their_values(ax):
    cf.plot_rural_netizens(ax, NETIZENS, break_year=2021)
    assert lines_crossing(ax, 2020.5) == []
    old, new = (line for line in ax.get_lines() if line.get_linestyle() == ":")
    assert list(old.get_ydata()) == [2.25, 3.09] and list(new.get_ydata()) == [
        2.84,
        3.08,
    ]
    assert to_hex(old.get_color()) == MUTED and to_hex(new.get_color()) == (
        RURAL_COLOUR.lower()
    )
    assert [t.get_text() for t in ax.texts][:4] == ["2.25", "3.09", "2.84", "3.08"]
    # The break line sits half-way between December 2020 and December 2021.
    assert 2020.5 in vertical_lines(ax)
    drawn_cleanly(ax.figure)


def test_netizens_name_the_missing_column(ax):
    with pytest.raises(KeyError, match=r"rural netizens: column\(s\) \['time'\]"):
        cf.plot_rural_netizens(ax, NETIZENS.drop(columns="time"), break_year=2021)


REPRESENTATION = pd.DataFrame(
    {
        "year": [2020, 2021],
        "rural_population_share": [36.1, 35.3],
        "rural_netizens_share_of_total": [31.3, 27.6],
    }
)


def test_representation_bars_pair_residents_and_netizens_by_year(ax):
    cf.plot_representation(ax, REPRESENTATION)
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == [36.1, 35.3, 31.3, 27.6]
    colours = [to_hex(bar.get_facecolor()) for bar in ax.patches]
    assert colours == [MUTED, MUTED, RURAL_COLOUR.lower(), RURAL_COLOUR.lower()]
    assert [t.get_text() for t in ax.texts] == ["36.1", "31.3", "35.3", "27.6"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020", "2021"]
    assert legend_labels(ax) == [
        "农村人口占比 rural share of residents",
        "农村网民占比 rural share of netizens",
    ]
    drawn_cleanly(ax.figure)


def test_representation_names_the_missing_column(ax):
    with pytest.raises(
        KeyError,
        match=r"netizen representation: column\(s\) \['rural_netizens_share_of_tot",
    ):
        cf.plot_representation(
            ax, REPRESENTATION.drop(columns="rural_netizens_share_of_total")
        )
