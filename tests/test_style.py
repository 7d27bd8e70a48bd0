"""Chinese labels draw as glyphs (no missing-glyph warning) with the project's own font."""
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
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        assert draw_and_collect_glyph_warnings(CHINESE), "expected missing-glyph warnings with DejaVu only"


def test_cjk_font_is_a_real_font_file_with_chinese_glyphs():
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(style.cjk_font_path()))
    for char in "新质生产力城乡融合":
        assert font.get_char_index(ord(char)) != 0, f"{char} has no glyph in {style.CJK_FONT_FILE}"


def test_save_figure_writes_png_and_svg_without_timestamps(tmp_path):
    style.use_house_style()
    fig, ax = plt.subplots()
    ax.bar(["城市", "农村"], [56.3, 35.1])
    first = style.save_figure(fig, "check", tmp_path / "a")
    second = style.save_figure(fig, "check", tmp_path / "b")
    plt.close(fig)
    for kind in ("png", "svg"):
        assert first[kind].stat().st_size > 1000
        assert first[kind].read_bytes() == second[kind].read_bytes(), f"{kind} differs between saves"


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
