"""helpers.outputs is a transitional no-op: pages mark cells instead, and the build writes nothing to outputs/."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers import outputs  # noqa: E402
from helpers.paths import OUTPUT_DIR  # noqa: E402

PROVENANCE = {"page": "constraints/tech_pull", "resources": ["digital_literacy_2021"]}


def test_save_calls_write_nothing_and_close_the_figure(tmp_path, monkeypatch):
    before = sorted(OUTPUT_DIR.rglob("*")) if OUTPUT_DIR.exists() else []
    fig, ax = plt.subplots()
    ax.bar(["城市", "农村"], [56.3, 35.1])
    assert outputs.save_figure(fig, "c1_literacy", made_by=len, **PROVENANCE) is None
    assert not plt.fignum_exists(fig.number), "the figure must be closed, not shown twice"
    assert outputs.save_table(pd.DataFrame({"x": [1]}), "c1_scores", made_by=len, **PROVENANCE) is None
    assert (sorted(OUTPUT_DIR.rglob("*")) if OUTPUT_DIR.exists() else []) == before


@pytest.mark.parametrize("name, made_by, error", [("C1 Scores", len, ValueError), ("ok", "len", TypeError)])
def test_bad_arguments_still_fail(name, made_by, error):
    with pytest.raises(error):
        outputs.save_table(pd.DataFrame({"x": [1]}), name, made_by=made_by, **PROVENANCE)
