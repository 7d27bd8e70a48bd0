"""Figure 1 is drawn from data/: right values, right order, a real image, Chinese glyphs present."""
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

from helpers import figure1 as f1
from helpers.data import load, resource_info
from helpers.style import save_figure

PAPER_ORDER = ["overall", "urban_residents", "rural_residents", "farmers"]


@pytest.fixture(scope="module")
def drawn():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, plotted = f1.figure1()
        fig.canvas.draw()
    yield fig, plotted, [str(w.message) for w in caught]
    plt.close(fig)


def bar_heights(fig) -> list[float]:
    return [patch.get_height() for patch in fig.axes[0].patches]


def test_plotted_values_equal_the_data_file(drawn):
    fig, plotted, _ = drawn
    data = load("digital_literacy_2021").set_index("group_id")["score"]
    expected = [data[g] for g in PAPER_ORDER]
    assert bar_heights(fig) == pytest.approx(expected)
    assert list(plotted["score"]) == pytest.approx(expected)


def test_bars_are_in_the_papers_order(drawn):
    fig, plotted, _ = drawn
    assert list(plotted["group_id"]) == PAPER_ORDER
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert [t.split("\n")[0] for t in ticks] == ["全体人群", "城市居民", "农村居民", "农民"]
    assert all("\n" in t for t in ticks), "each bar label is bilingual (Chinese above English)"


def test_each_bar_is_labelled_with_its_score_and_axis_runs_0_to_100(drawn):
    fig, plotted, _ = drawn
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert labels == [f"{s:.1f}" for s in plotted["score"]]
    assert ax.get_ylim() == (0, 100)


def test_source_line_names_the_report_under_the_chart(drawn):
    fig, _, _ = drawn
    texts = [t.get_text() for t in fig.texts]
    assert resource_info("digital_literacy_2021")["source_line"] in texts
    assert any("中国社会科学院信息化研究中心" in t and "乡村数字素养调查分析报告" in t for t in texts)
    source = next(t for t in fig.texts if "中国社会科学院" in t.get_text())
    assert source.get_position()[1] < 0, "the source line sits under the axes"


def test_no_missing_glyph_warning(drawn):
    _, _, messages = drawn
    assert [m for m in messages if "missing from font" in m] == []


def test_saved_image_exists_and_is_not_blank(drawn, tmp_path):
    fig, _, _ = drawn
    paths = save_figure(fig, "figure1", tmp_path)
    assert paths["png"].stat().st_size > 20_000
    assert paths["svg"].stat().st_size > 20_000
    pixels = imread(paths["png"])
    assert pixels.shape[0] > 400 and pixels.shape[1] > 600
    assert float(np.var(pixels[..., :3])) > 0.01, "image is (nearly) one colour"


def test_blank_image_check_can_fail(tmp_path):
    # The control for the test above: an empty figure has (almost) no pixel variance.
    fig = plt.figure()
    path = save_figure(fig, "empty", tmp_path)["png"]
    plt.close(fig)
    assert float(np.var(imread(path)[..., :3])) < 0.01


def test_literacy_gaps_recomputed_from_the_scores(drawn):
    _, plotted, _ = drawn
    gaps = f1.literacy_gaps(plotted).set_index("group")
    data = load("digital_literacy_2021").set_index("group_id")["score"]
    urban, rural, overall, farmers = (data[g] for g in ["urban_residents", "rural_residents", "overall", "farmers"])
    assert gaps.loc["rural_residents", "percent_lower"] == pytest.approx(100 * (urban - rural) / urban)
    assert gaps.loc["farmers", "percent_lower"] == pytest.approx(100 * (overall - farmers) / overall)
    # 1 - 18.6 / 43.6 = 0.5734: the report's "57% lower" holds.
    assert round(gaps.loc["farmers", "percent_lower"]) == 57


def test_missing_group_is_an_error_naming_it():
    frame = load("digital_literacy_2021")
    with pytest.raises(ValueError, match="farmers"):
        f1.figure1_scores(frame[frame["group_id"] != "farmers"])


def test_duplicated_group_is_an_error():
    frame = load("digital_literacy_2021")
    with pytest.raises(ValueError, match="repeated \\['overall'\\]"):
        f1.figure1_scores(pd.concat([frame, frame.iloc[[0]]]))


def test_score_out_of_range_is_an_error_naming_the_group():
    frame = load("digital_literacy_2021")
    frame.loc[frame["group_id"] == "urban_residents", "score"] = 156.3
    with pytest.raises(ValueError, match="urban_residents.*156.3"):
        f1.figure1_scores(frame)
