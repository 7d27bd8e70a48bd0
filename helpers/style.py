"""The house style of every chart: CJK font, colour-blind-safe palette, bilingual
labels, source line.

This module is the one place where the Chinese font is registered with matplotlib.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib import font_manager

from helpers.paths import FIGURE_DIR

# Noto Sans CJK SC (SIL Open Font License 1.1) ships inside the PyPI package mplfonts,
# so a fresh machine without root or system CJK fonts still draws Chinese glyphs.
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
CJK_FONT_NAME = "Noto Sans CJK SC"

# Okabe & Ito (2008) palette: distinguishable under the common colour-vision
# deficiencies.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
]
REGION_COLOURS = {
    "East": "#0072B2",
    "Central": "#E69F00",
    "West": "#009E73",
    "Northeast": "#CC79A7",
}
URBAN_COLOUR, RURAL_COLOUR, NATIONAL_COLOUR = "#0072B2", "#D55E00", "#000000"
MUTED = "#6b6b6b"


def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans CJK SC font file (found without importing
    mplfonts).
    """
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "The CJK font package 'mplfonts' is not installed: run `make env`."
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise RuntimeError(f"CJK font file missing: {path}")
    return path


def register_cjk_font() -> str:
    """Add the CJK font to matplotlib's font manager (idempotent) and return its family
    name.
    """
    path = str(cjk_font_path())
    if path not in {f.fname for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(path)
    return CJK_FONT_NAME


def use_house_style() -> None:
    """Set the rcParams every figure of the book shares."""
    family = register_cjk_font()
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            # Noto CJK covers Latin and Chinese; DejaVu is the fallback for rare
            # symbols.
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "axes.prop_cycle": plt.cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.color": "#dddddd",
            "grid.linewidth": 0.6,
            "axes.titlesize": 12,
            "axes.labelsize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.fontsize": 9,
            "legend.frameon": False,
            "figure.figsize": (7.0, 4.2),
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            # Stable ids inside SVG files, so two builds give the same file.
            "svg.hashsalt": "nqpf-book",
            "svg.fonttype": "path",
        }
    )


def bilingual(zh: str, en: str, sep: str = "\n") -> str:
    """A label with the Chinese term first and the English beneath (or beside, with
    sep=' ').
    """
    return f"{zh}{sep}{en}"


# Average advance of a Latin character of the house font, in ems (a Chinese character
# takes a whole em).
LATIN_EM = 0.5


def display_width(text: str) -> int:
    """Width of text in half-em columns: a Chinese (wide or full-width) character counts
    2, others 1.
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def line_pieces(paragraph: str) -> list[str]:
    """Where a line may break: at spaces, and between Chinese characters (each wide
    character is a piece).
    """
    pieces, word = [], ""
    for ch in paragraph:
        if ch == " " or unicodedata.east_asian_width(ch) in "WF":
            pieces += [word] if word else []
            pieces.append(ch)
            word = ""
        else:
            word += ch
    return pieces + ([word] if word else [])


def wrap_for_figure(text: str, fig, fontsize: float = 8, share: float = 0.98) -> str:
    """Text broken into lines that fit `share` of the figure's width at `fontsize`.

    Lines break at spaces and between Chinese characters. Why not matplotlib's
    wrap=True: it breaks at spaces only (a long Chinese title overflows), and it
    measures every growing prefix of every line with the font at each draw: with the CJK
    font the source lines alone cost about 0.3 CPU-s per figure.
    """
    columns = max(20, int(share * fig.get_figwidth() * 72 / (fontsize * LATIN_EM)))
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in line_pieces(paragraph):
            if line and piece != " " and display_width(line + piece) > columns:
                lines.append(line.rstrip(" "))
                line = ""
            if piece != " " or line:
                line += piece
        lines.append(line.rstrip(" "))
    return "\n".join(lines)


def add_source(fig, text: str) -> None:
    """Write the source line under the chart, left-aligned, as the paper does under
    Figure 1.
    """
    fig.text(
        0.01,
        -0.02,
        wrap_for_figure(text, fig),
        ha="left",
        va="top",
        fontsize=8,
        color=MUTED,
    )


def save_figure(fig, name: str, output_dir: Path | None = None) -> dict[str, Path]:
    """Save fig as name.png and name.svg without timestamps, so reruns give identical
    files.
    """
    out = Path(output_dir) if output_dir is not None else FIGURE_DIR
    out.mkdir(parents=True, exist_ok=True)
    paths = {"png": out / f"{name}.png", "svg": out / f"{name}.svg"}
    fig.savefig(paths["png"], metadata={"Software": None})
    fig.savefig(paths["svg"], metadata={"Date": None, "Creator": None})
    # Close it: otherwise Jupyter's inline backend shows the figure again at the end of
    # the cell, beside the captioned copy the page displays through glue. A closed
    # figure can still be displayed explicitly.
    plt.close(fig)
    return paths
