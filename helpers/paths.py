"""Where the project keeps its data and writes its outputs."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
BOOK_DIR = ROOT / "book"
# Generated figures and tables land here (git-ignored); `make replicate` rebuilds them
# all.
OUTPUT_DIR = ROOT / "outputs"
FIGURE_DIR = OUTPUT_DIR / "figures"
