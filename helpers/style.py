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

# Figures are designed for the text column of a phone (STYLE.md, "Figures for phones"):
# shown at 100 CSS px per inch, a figure at most FIGURE_WIDTH_IN wide fits a 1366-px
# laptop's column unscaled (text of SMALLEST_FONT_PT pt is 13.9 px there) and is
# scaled to the phone's column (342 px on a 390-px phone) so that the same text is
# still 8 px or more. Wider figures or smaller text break that: stack panels instead.
FIGURE_WIDTH_IN = 5.6
SMALLEST_FONT_PT = 10
# PNG text chunk in which each page figure records its smallest font (tests read it).
SMALLEST_FONT_KEY = "nqpf-smallest-font-pt"


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
            "font.size": SMALLEST_FONT_PT,
            "axes.titlesize": 11,
            "figure.titlesize": 11,
            "axes.labelsize": SMALLEST_FONT_PT,
            "xtick.labelsize": SMALLEST_FONT_PT,
            "ytick.labelsize": SMALLEST_FONT_PT,
            "legend.fontsize": SMALLEST_FONT_PT,
            "legend.frameon": False,
            "figure.figsize": (FIGURE_WIDTH_IN, 3.8),
            # 100 dpi on screen: an inch of figure is 100 CSS px; pages get 200-dpi
            # PNGs shown at half size (show_sharp_figures_in_notebooks).
            "figure.dpi": 100,
            "savefig.dpi": 200,
            "savefig.bbox": "tight",
            # Stable ids inside SVG files, so two builds give the same file.
            "svg.hashsalt": "nqpf-book",
            "svg.fonttype": "path",
        }
    )
    show_sharp_figures_in_notebooks()


def smallest_font_pt(fig) -> float:
    """The smallest font size (points) of the figure's visible, non-empty text."""
    from matplotlib.text import Text

    for ax in fig.axes:  # tick labels get their text when asked for (or drawn)
        for axis in (ax.xaxis, ax.yaxis):
            axis.get_majorticklabels()
            axis.get_minorticklabels()
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    ]
    return min(sizes) if sizes else float("inf")


def sharp_png(fig):
    """A figure as a pixel-doubled PNG (twice the dpi, shown at half size: sharp on 2x
    screens, as IPython's retina format) that records its smallest font in a PNG text
    chunk. Its colours are reduced to a 256-colour palette: a chart has few colours and
    their anti-aliased edges, and the file is about a quarter of the size.
    """
    import base64
    from io import BytesIO

    from IPython.core.pylabtools import print_figure
    from PIL import Image, PngImagePlugin

    # Drawn to an uncompressed PNG: it is decoded at once, so compressing it would be
    # wasted work (a sixth of the figure's CPU).
    drawn = print_figure(fig, fmt="retina", pil_kwargs={"compress_level": 0})
    if drawn is None:  # an empty figure: nothing to show, as IPython does
        return None
    image = Image.open(BytesIO(drawn))
    record = PngImagePlugin.PngInfo()
    record.add_text(SMALLEST_FONT_KEY, f"{smallest_font_pt(fig):g}")
    palette = image.convert("RGB").quantize(
        256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = BytesIO()
    palette.save(out, format="PNG", pnginfo=record, dpi=image.info.get("dpi"))
    encoded = base64.b64encode(out.getvalue()).decode("ascii")
    return encoded, {"width": image.width // 2, "height": image.height // 2}


def show_sharp_figures_in_notebooks() -> None:
    """In a Jupyter kernel, display figures as sharp_png (the same mechanism as
    `%config InlineBackend.figure_formats = ['retina']`); elsewhere, do nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    # The inline backend sets its own PNG formatter when it is first imported (at the
    # first figure of a kernel): import it now, so that it does not replace ours later.
    import matplotlib_inline.backend_inline  # noqa: F401
    from matplotlib.figure import Figure

    shell.display_formatter.formatters["image/png"].for_type(Figure, sharp_png)


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
    """Where a line may break: at spaces, between Chinese characters (each wide
    character is a piece) and after the underscores of identifiers (column names).
    """
    pieces, word = [], ""
    for ch in paragraph:
        if ch == " " or unicodedata.east_asian_width(ch) in "WF":
            pieces += [word] if word else []
            pieces.append(ch)
            word = ""
        elif ch == "_":
            pieces.append(word + ch)
            word = ""
        else:
            word += ch
    return pieces + ([word] if word else [])


def wrap_for_figure(
    text: str, fig, fontsize: float = SMALLEST_FONT_PT, share: float = 0.98
) -> str:
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
        wrap_for_figure(text, fig, fontsize=SMALLEST_FONT_PT),
        ha="left",
        va="top",
        fontsize=SMALLEST_FONT_PT,
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
