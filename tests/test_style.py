"""Chinese labels draw as glyphs (no missing-glyph warning) with the project's own
font.
"""

import warnings

import matplotlib
import matplotlib.pyplot as plt
import pytest

from helpers import style

CHINESE = "新质生产力驱动城乡融合发展 数字素养"


def draw_and_collect_glyph_warnings(text: str) -> list[str]:
    fig, ax = plt.subplots()
    ax.set_title(text)
    ax.set_xlabel(style.bilingual("城乡收入比", "urban/rural income ratio"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    plt.close(fig)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_house_style_draws_chinese_without_missing_glyphs():
    style.use_house_style()
    assert draw_and_collect_glyph_warnings(CHINESE) == []


def test_without_the_cjk_font_matplotlib_reports_missing_glyphs():
    # The control: proves the check above can fail, since DejaVu Sans has no CJK glyphs.
    with matplotlib.rc_context(
        {"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}
    ):
        assert draw_and_collect_glyph_warnings(CHINESE), (
            "expected missing-glyph warnings with DejaVu only"
        )


def test_cjk_font_is_a_real_font_file_with_chinese_glyphs():
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(style.cjk_font_path()))
    for char in "新质生产力城乡融合":
        assert font.get_char_index(ord(char)) != 0, (
            f"{char} has no glyph in {style.CJK_FONT_FILE}"
        )


def test_save_figure_writes_png_and_svg_without_timestamps(tmp_path):
    style.use_house_style()
    fig, ax = plt.subplots()
    ax.bar(["城市", "农村"], [56.3, 35.1])
    first = style.save_figure(fig, "check", tmp_path / "a")
    second = style.save_figure(fig, "check", tmp_path / "b")
    plt.close(fig)
    for kind in ("png", "svg"):
        assert first[kind].stat().st_size > 1000
        assert first[kind].read_bytes() == second[kind].read_bytes(), (
            f"{kind} differs between saves"
        )


def test_palette_colours_are_distinct_and_regions_all_coloured():
    assert len(set(style.PALETTE)) == len(style.PALETTE)
    assert set(style.REGION_COLOURS) == {"East", "Central", "West", "Northeast"}


@pytest.mark.parametrize("sep", ["\n", " "])
def test_bilingual_puts_chinese_first(sep):
    assert style.bilingual("城乡", "urban-rural", sep) == f"城乡{sep}urban-rural"


def test_save_figure_closes_the_figure_so_it_is_not_shown_twice(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    style.save_figure(fig, "closed", tmp_path)
    assert not plt.fignum_exists(fig.number)


def test_display_width_counts_chinese_characters_twice():
    assert style.display_width("数据 ab") == 7  # 2 + 2 + 1 (space) + 1 + 1
    assert style.display_width("（）") == 4  # full-width brackets are wide too
    assert style.display_width("") == 0


def test_wrap_for_figure_worked_by_hand():
    # 72 pt at 8 pt and 0.5 em a column: int(0.98 * 72 / 4) = 17 -> at least 20
    fig = plt.figure(figsize=(1.0, 1.0))
    # 19, 9
    assert (
        style.wrap_for_figure("aaaa bbbb cccc dddd eeee ffff", fig)
        == "aaaa bbbb cccc dddd\neeee ffff"
    )
    # Chinese breaks between characters: 8 + 1 + 10 = 19 columns, then the 20th would be
    # the next character.
    assert (
        style.wrap_for_figure("数据来源 国家统计局 年鉴", fig)
        == "数据来源 国家统计局\n年鉴"
    )
    # 20 columns, then 4
    assert (
        style.wrap_for_figure("一二三四五六七八九十甲乙", fig)
        == "一二三四五六七八九十\n甲乙"
    )
    # existing line breaks are kept
    assert style.wrap_for_figure("one\ntwo", fig) == "one\ntwo"
    plt.close(fig)


@pytest.mark.parametrize("width", [4.0, 7.0, 8.4])
def test_wrapped_source_line_fits_inside_the_figure(width):
    """Drawn with the house font, no wrapped line of a long bilingual source is wider
    than the figure.
    """
    style.use_house_style()
    source = (
        "数据来源：中国社会科学院信息化研究中心"
        "《乡村振兴战略背景下中国乡村数字素养调查分析报告》(2021) "
        "/ Source: CASS Informatization Research Centre, rural digital literacy survey "
        "report (2021); National Bureau of Statistics, China Statistical Yearbook "
        "2014-2024, tables 2-1, 6-20 and 6-22; indices and models: this book."
    )
    fig = plt.figure(figsize=(width, 3.0))
    renderer = fig.canvas.get_renderer()
    for line in style.wrap_for_figure(source, fig).split("\n"):
        text = fig.text(0.01, 0.5, line, fontsize=8)
        assert text.get_window_extent(renderer).x1 <= fig.bbox.x1, line
        text.remove()
    plt.close(fig)


def test_smallest_font_counts_tick_labels_and_skips_empty_or_hidden_text():
    style.use_house_style()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_title("标题 title")  # 12 pt
    ax.tick_params(axis="y", labelsize=9.5)  # the smallest text, in tick labels
    ax.text(0.5, 0.5, "", fontsize=4)  # empty: not drawn
    ax.text(0.5, 0.5, "hidden", fontsize=5, visible=False)
    assert style.smallest_font_pt(fig) == 9.5
    ax.annotate("note 注", (0.2, 0.2), fontsize=7)
    assert style.smallest_font_pt(fig) == 7
    plt.close(fig)


def test_sharp_png_is_twice_the_dpi_shown_at_half_size_and_records_its_font():
    import base64
    from io import BytesIO

    from PIL import Image

    style.use_house_style()
    fig, ax = plt.subplots(figsize=(style.FIGURE_WIDTH_IN, 3))
    ax.bar(["城市", "农村"], [56.3, 35.1])
    ax.annotate("源 source", (0, 40), fontsize=8)
    data, shown = style.sharp_png(fig)
    plt.close(fig)
    image = Image.open(BytesIO(base64.b64decode(data)))
    assert round(image.info["dpi"][0]) == 2 * plt.rcParams["figure.dpi"] == 200
    assert shown == {"width": image.width // 2, "height": image.height // 2}
    assert image.info[style.SMALLEST_FONT_KEY] == "8"
    assert image.mode == "P"  # a 256-colour palette: a quarter of the bytes


def test_house_style_text_is_at_least_the_smallest_font():
    style.use_house_style()
    for key in ("font.size", "axes.labelsize", "xtick.labelsize", "legend.fontsize"):
        assert plt.rcParams[key] >= style.SMALLEST_FONT_PT, key
    assert plt.rcParams["figure.figsize"][0] <= style.FIGURE_WIDTH_IN


def test_source_line_uses_the_smallest_font_and_fits_the_figure():
    style.use_house_style()
    fig, ax = plt.subplots(figsize=(style.FIGURE_WIDTH_IN, 3))
    ax.plot([0, 1], [0, 1])
    style.add_source(fig, "来源 Source: " + "国家统计局 NBS yearbook; " * 12)
    assert style.smallest_font_pt(fig) == style.SMALLEST_FONT_PT
    fig.canvas.draw()
    text = fig.texts[-1]
    box = text.get_window_extent()
    assert box.x1 <= fig.bbox.x1 * 1.01, "the source line runs past the figure"
    plt.close(fig)


def test_column_names_break_after_their_underscores():
    assert style.line_pieces("per_capita_income x") == [
        "per_",
        "capita_",
        "income",
        " ",
        "x",
    ]
    fig = plt.figure(figsize=(2.0, 1))  # 2 in at 10 pt: 28 half-em columns
    wrapped = style.wrap_for_figure("per_capita_consumption_expenditure_national", fig)
    plt.close(fig)
    assert wrapped.replace("\n", "") == "per_capita_consumption_expenditure_national"
    assert all(len(line) <= 28 for line in wrapped.split("\n")), wrapped
    assert "\n" in wrapped
