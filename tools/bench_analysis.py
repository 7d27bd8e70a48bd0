"""Benchmark: entropy index and two-way FE on a SYNTHETIC county-level panel (not real
data).

Builds about 32,500 county-years (2,710 counties x 12 years, 0.1% of rows removed at
random to make the panel unbalanced) with 30 indicators, then times
  1. helpers.indices.build_index(..., method="entropy") on the 30 indicators, and
  2. helpers.panel.twoway_fe with 5 regressors, county and year effects, clustered by
     county.
Target: under 2 s for both together on a 2-core machine. Import time is printed
separately.

Run:  .venv/bin/python tools/bench_analysis.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import time

IMPORT_START = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from helpers import indices, panel  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - IMPORT_START

N_COUNTIES, N_YEARS, N_INDICATORS, N_REGRESSORS = 2710, 12, 30, 5


def synthetic_county_panel(seed: int = 2024) -> pd.DataFrame:
    """SYNTHETIC county-year panel: lognormal indicators with county and year
    components; every 3rd negative.
    """
    rng = np.random.default_rng(seed)
    county = np.repeat(np.arange(N_COUNTIES), N_YEARS)
    year = np.tile(np.arange(2011, 2011 + N_YEARS), N_COUNTIES)
    level = rng.normal(size=N_COUNTIES)[county]
    trend = (year - 2011) / N_YEARS
    data = {"county": county, "year": year}
    for j in range(N_INDICATORS):
        data[f"ind{j:02d}"] = np.exp(
            0.5 * level + trend + rng.normal(scale=0.5, size=county.size)
        )
    data["outcome"] = 0.3 * np.log(data["ind01"]) + level + rng.normal(size=county.size)
    frame = pd.DataFrame(data)
    return frame.loc[rng.random(len(frame)) > 0.001].reset_index(drop=True)


def time_call(function, repeat: int) -> tuple[float, object]:
    """Best wall-clock time over `repeat` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    frame = synthetic_county_panel()
    signs = {f"ind{j:02d}": (-1 if j % 3 == 2 else 1) for j in range(N_INDICATORS)}
    regressors = [f"ind{j:02d}" for j in range(1, 1 + N_REGRESSORS)]

    t_index, index = time_call(
        lambda: indices.build_index(frame, signs, method="entropy"), args.repeat
    )
    t_fe, fit = time_call(
        lambda: panel.twoway_fe(
            frame, "outcome", regressors, entity="county", time="year"
        ),
        args.repeat,
    )
    total = t_index + t_fe
    print("SYNTHETIC county panel (labelled synthetic; not real data)")
    print(
        f"  rows: {len(frame):,} county-years, {frame['county'].nunique():,} counties, "
        f"{frame['year'].nunique()} years, {N_INDICATORS} indicators"
    )
    print(
        f"  import numpy/pandas/statsmodels/helpers: {IMPORT_SECONDS:.2f} s (once per "
        "session, not counted)"
    )
    print(
        f"  entropy index (30 indicators, weights + scores): {t_index:.3f} s "
        f"(best of {args.repeat}; {index.n_used:,} rows used)"
    )
    print(
        f"  two-way FE ({N_REGRESSORS} regressors, county + year effects, clustered "
        f"SE): {t_fe:.3f} s (best of {args.repeat}; {fit.n_clusters:,} clusters)"
    )
    print(f"  total: {total:.3f} s  target < 2 s: {'MET' if total < 2 else 'NOT MET'}")


if __name__ == "__main__":
    main()
