"""Expected answers of assignment a1, computed from the data when the instructor builds
the assignment.

`python -m tools.classroom build` calls `expected()` and writes each value into the
hidden tests as a literal (`EXPECTED["key"]` in the source), so nothing a student's
notebook redefines can change them.
"""

from helpers import indices, measures, nqpf, nqpf_models, panel
from helpers.data import provincial_panel


def expected() -> dict:
    """Every value the hidden tests of a1 compare with, by key."""
    indicators, _ = nqpf.nqpf_indicator_frame(provincial_panel(nqpf.raw_columns()))
    signs = measures.signs(nqpf.NQPF_INDICATORS)
    names = list(signs)
    complete = indicators.dropna(subset=names)
    result = nqpf.nqpf_index(indicators)
    scored = indicators.assign(score=result.score.reindex(indicators.index))
    latest = scored[scored["year"] == 2022]

    dropped = result.weights.idxmax()
    reduced = indices.build_index(
        indicators, {k: v for k, v in signs.items() if k != dropped}
    )
    both = indicators.assign(
        full=result.score.reindex(indicators.index),
        reduced=reduced.score.reindex(indicators.index),
    )
    both = both[both["year"] == 2022].dropna(subset=["full", "reduced"])
    ranks = both[["full", "reduced"]].rank(ascending=False)

    frame = nqpf_models.build_analysis_data(nqpf_models.load_inputs()).frame
    channel = nqpf_models.fit(frame, "digital_finance", ["nqpf_no_digital"])
    row = panel.coef_table(channel).set_index("term").loc["nqpf_no_digital"]
    return {
        "n_complete": len(complete),
        "never_complete": sorted(
            set(indicators["province_en"]) - set(complete["province_en"])
        ),
        "weights": {name: float(w) for name, w in result.weights.items()},
        "top5_2022": latest.nlargest(5, "score")["province_en"].tolist(),
        "dropped_indicator": str(dropped),
        "rank_correlation": float(
            ranks["full"].corr(ranks["reduced"], method="spearman")
        ),
        "biggest_move": int((ranks["full"] - ranks["reduced"]).abs().max()),
        "channel_coef": float(row["coef"]),
        "channel_p": float(row["p"]),
    }
