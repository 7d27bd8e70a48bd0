"""The replication registry: outputs land in outputs/, carry their provenance, and reruns give identical files."""
import hashlib
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers import outputs  # noqa: E402
from helpers.style import use_house_style  # noqa: E402


def gap_table(frame):
    """Stand-in helper: the urban-rural gap by year."""
    return frame.assign(gap=frame["urban"] - frame["rural"])


def draw_bars(frame):
    """Stand-in helper: a bilingual bar chart."""
    use_house_style()
    fig, ax = plt.subplots()
    ax.bar(frame["group"], frame["score"])
    ax.set_title("数字素养 Digital literacy")
    return fig


SCORES = pd.DataFrame({"group": ["全体 All", "城市 Urban", "农村 Rural"], "score": [43.6, 56.3, 35.1]})
PROVENANCE = dict(page="constraints/tech_pull", element="Paper Figure 1", resources=["digital_literacy_2021"])


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_save_table_writes_csv_and_a_record_naming_page_helper_and_data(tmp_path):
    frame = gap_table(pd.DataFrame({"year": [2020, 2021], "urban": [0.1 + 0.2, 0.5], "rural": [0.1, 0.2]}))
    path = outputs.save_table(frame, "c1_gaps", made_by=gap_table, output_dir=tmp_path, **PROVENANCE)
    assert path == tmp_path / "tables" / "c1_gaps.csv"
    # 0.1 + 0.2 - 0.1 is 0.20000000000000004 in binary floating point; the file keeps 10 significant digits.
    assert path.read_text().splitlines() == ["year,urban,rural,gap", "2020,0.3,0.1,0.2", "2021,0.5,0.2,0.3"]
    [record] = outputs.read_records(tmp_path)
    assert record == {
        "name": "c1_gaps", "kind": "table", "files": ["tables/c1_gaps.csv"], "element": "Paper Figure 1",
        "page": "constraints/tech_pull", "notebook": "book/constraints/tech_pull.md",
        "made_by": [f"{gap_table.__module__}.gap_table"], "resources": ["digital_literacy_2021"],
    }


def test_a_table_saved_twice_is_byte_identical(tmp_path):
    frame = pd.DataFrame({"x": [1 / 3, 2 / 3], "y": ["农村", "城市"]})
    first = sha(outputs.save_table(frame, "t", made_by=gap_table, output_dir=tmp_path / "a", **PROVENANCE))
    second = sha(outputs.save_table(frame, "t", made_by=gap_table, output_dir=tmp_path / "b", **PROVENANCE))
    assert first == second


def test_a_figure_saved_twice_gives_identical_png_and_svg_without_timestamps(tmp_path):
    runs = []
    for run in ("a", "b"):
        fig = draw_bars(SCORES)
        paths = outputs.save_figure(fig, "c1_literacy", made_by=draw_bars, output_dir=tmp_path / run, **PROVENANCE)
        plt.close(fig)
        runs.append({kind: sha(path) for kind, path in paths.items()})
    assert runs[0] == runs[1], "figure files differ between two identical runs"
    svg = (tmp_path / "a" / "figures" / "c1_literacy.svg").read_text()
    assert "<dc:date>" not in svg, "the SVG carries a timestamp"
    record = json.loads((tmp_path / "a" / "records" / "figure-c1_literacy.json").read_text())
    assert record["files"] == ["figures/c1_literacy.png", "figures/c1_literacy.svg"]


def test_two_pages_cannot_claim_one_output_name(tmp_path):
    frame = pd.DataFrame({"x": [1]})
    outputs.save_table(frame, "shared", made_by=gap_table, output_dir=tmp_path, **PROVENANCE)
    with pytest.raises(ValueError, match="already used by page 'constraints/tech_pull'"):
        outputs.save_table(frame, "shared", made_by=gap_table, output_dir=tmp_path,
                           page="paths/hardware", resources=["x"])


@pytest.mark.parametrize(
    "changes, error, message",
    [
        ({"made_by": "gap_table"}, TypeError, "pass the helper function"),
        ({"resources": "digital_literacy_2021"}, TypeError, "list of data resource names"),
        ({"page": "../tech pull"}, ValueError, "toc path under book/"),
        ({"name": "Figure 1"}, ValueError, "lower-case letters"),
    ],
)
def test_bad_provenance_is_refused_with_a_clear_message_and_writes_nothing(tmp_path, changes, error, message):
    arguments = {"name": "ok", "made_by": gap_table, **PROVENANCE, **changes}
    with pytest.raises(error, match=message):
        outputs.save_table(pd.DataFrame({"x": [1]}), output_dir=tmp_path, **arguments)
    assert not (tmp_path / "records").exists() or not any((tmp_path / "records").iterdir())


def test_with_writing_switched_off_nothing_is_written_but_arguments_are_still_checked(tmp_path, monkeypatch):
    monkeypatch.setenv(outputs.WRITE_SWITCH, "0")
    fig = draw_bars(SCORES)
    paths = outputs.save_figure(fig, "c1_literacy", made_by=draw_bars, output_dir=tmp_path, **PROVENANCE)
    outputs.save_table(SCORES, "c1_scores", made_by=gap_table, output_dir=tmp_path, **PROVENANCE)
    assert not tmp_path.joinpath("figures").exists() and not tmp_path.joinpath("tables").exists()
    assert paths["png"] == tmp_path / "figures" / "c1_literacy.png"
    assert not plt.fignum_exists(fig.number), "the figure must be closed, as when it is saved"
    with pytest.raises(TypeError, match="pass the helper function"):
        outputs.save_table(SCORES, "c1_scores", made_by="gap_table", output_dir=tmp_path, **PROVENANCE)
