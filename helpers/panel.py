"""Two-way fixed-effects panel regressions with entity-clustered standard errors.

y_it = x_it' beta + mu_i + lambda_t + e_it, estimated by the within transformation and
statsmodels OLS with a cluster-robust (CRV1) covariance. The within transformation is
exact for unbalanced panels: demean by entity, then residualise on the entity-demeaned
year dummies (Frisch-Waugh-Lovell), so no iteration is needed when the number of years
is small. The small-sample factor counts the absorbed effects, so the standard errors
equal those of the dummy-variable (LSDV) regression in statsmodels;
``df_correction="nested"`` instead leaves out the entity effects nested in the clusters
(as Stata's ``xtreg, fe`` and ``reghdfe`` do). Inference uses t with G - 1 degrees of
freedom (G = clusters).

Nothing is imputed: rows with a missing outcome, regressor, entity or year are dropped
and listed, with the reason, in ``PanelFit.dropped``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

# statsmodels and scipy.stats load when a model is first fitted (about 1.7 CPU-s in a
# fresh kernel): pages that only prepare samples do not pay for them. The regression
# module, not statsmodels.api, which would also load the formula, time-series and
# graphics modules.


# --------------------------------------------------------------------------------------
# Sample preparation
# --------------------------------------------------------------------------------------


def estimation_sample(
    frame: pd.DataFrame, columns: Sequence[str], entity: str, time: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows with every model variable observed, and a report of dropped rows (missing
    values, singleton entities).
    """
    needed = list(dict.fromkeys([entity, time, *columns]))
    absent = [c for c in needed if c not in frame.columns]
    if absent:
        raise ValueError(
            f"model variables not found: {absent}; columns present: "
            f"{list(frame.columns)}"
        )
    missing = frame[needed].isna()
    incomplete = missing.any(axis=1)
    names = np.array(needed, dtype=object)
    reasons = pd.Series(
        [
            "missing: " + ", ".join(names[flags])
            for flags in missing[incomplete].to_numpy()
        ],
        index=frame.index[incomplete],
        dtype=object,
    )
    kept = frame.loc[~incomplete]
    # An entity seen once is fitted perfectly by its own effect and adds nothing to
    # beta, but it would inflate the number of clusters; drop it and say so.
    counts = kept.groupby(entity)[entity].transform("size")
    singleton = counts == 1
    singleton_reasons = pd.Series(
        "singleton entity: absorbed completely by its fixed effect",
        index=kept.index[singleton.to_numpy()],
        dtype=object,
    )
    kept = kept.loc[~singleton.to_numpy()]
    dropped = pd.concat([reasons, singleton_reasons]).rename("reason").to_frame()
    if len(kept) == 0:
        raise ValueError(f"no rows left after dropping missing values in {needed}")
    return kept, dropped


def add_lag(
    frame: pd.DataFrame, column: str, entity: str, time: str, periods: int = 1
) -> pd.DataFrame:
    """Add column '<column>_lag<k>' = value of the same entity in year t - k (NaN if
    that year is absent).
    """
    if column not in frame.columns:
        raise ValueError(f"cannot lag {column!r}: not a column of the panel")
    if frame.duplicated([entity, time]).any():
        first = (
            frame.loc[frame.duplicated([entity, time]), [entity, time]]
            .iloc[0]
            .to_dict()
        )
        raise ValueError(
            f"panel has duplicate {entity}-{time} rows, e.g. {first}; a lag is "
            "ambiguous"
        )
    # Match on calendar year, not on row order, so gaps in the panel give NaN instead of
    # a wrong lag.
    source = frame[[entity, time, column]].copy()
    source[time] = source[time] + periods
    name = f"{column}_lag{periods}"
    lagged = frame[[entity, time]].merge(
        source.rename(columns={column: name}), on=[entity, time], how="left"
    )
    out = frame.copy()
    out[name] = lagged[name].to_numpy()
    return out


def drop_municipalities(
    frame: pd.DataFrame, municipalities: Sequence[int], code: str = "province_code"
) -> pd.DataFrame:
    """Drop the rows of the municipalities (GB/T 2260 codes, as
    helpers.data.municipality_codes() reads them); codes may be 2- or 6-digit.
    """
    if code not in frame.columns:
        raise ValueError(
            f"province code column {code!r} not found; columns present: "
            f"{list(frame.columns)}"
        )
    codes = pd.to_numeric(frame[code], errors="raise").astype(int)
    two_digit = codes.where(codes < 100, codes // 10000)
    dropped = [c if c < 100 else c // 10000 for c in municipalities]
    return frame.loc[~two_digit.isin(dropped)]


def interact_by_group(
    frame: pd.DataFrame, column: str, group: str
) -> tuple[pd.DataFrame, list[str]]:
    """Add one column per group: '<column>_x_<g>' = column * 1[group == g]; returns the
    frame and new names.
    """
    if group not in frame.columns or column not in frame.columns:
        raise ValueError(
            f"need columns {column!r} and {group!r}; present: {list(frame.columns)}"
        )
    out = frame.copy()
    names = []
    for level in sorted(frame[group].dropna().unique()):
        name = f"{column}_x_{level}"
        # 0 outside the group, NaN where the value or the group is unknown (never
        # filled).
        out[name] = (
            frame[column].where(frame[group] == level, 0.0).where(frame[group].notna())
        )
        names.append(name)
    return out, names


# --------------------------------------------------------------------------------------
# Within transformation
# --------------------------------------------------------------------------------------


def group_codes(values) -> tuple[np.ndarray, int]:
    """Integer codes 0..G-1 for the distinct values of a key, and G."""
    codes, uniques = pd.factorize(pd.Series(values), sort=True)
    if (codes < 0).any():
        raise ValueError(
            "group key contains missing values; drop them first (estimation_sample)"
        )
    return codes, len(uniques)


def demean_by_group(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """x_i - mean of x over the rows of i's group, for every column (vectorised with
    bincount).
    """
    values = np.asarray(values, dtype=float)
    matrix = values.reshape(len(values), -1)
    counts = np.bincount(codes, minlength=n_groups).astype(float)
    means = (
        np.column_stack(
            [
                np.bincount(codes, weights=matrix[:, j], minlength=n_groups)
                for j in range(matrix.shape[1])
            ]
        )
        / counts[:, None]
    )
    return (matrix - means[codes]).reshape(values.shape)


def within_twoway(
    values: np.ndarray, entity_codes: np.ndarray, time_codes: np.ndarray
) -> np.ndarray:
    """Two-way within transform: residual of entity-demeaned x on entity-demeaned year
    dummies (exact, unbalanced OK).
    """
    n_entities = int(entity_codes.max()) + 1
    n_periods = int(time_codes.max()) + 1
    matrix = np.asarray(values, dtype=float).reshape(len(values), -1)
    x_dm = demean_by_group(matrix, entity_codes, n_entities)
    if n_periods == 1:
        return x_dm.reshape(np.shape(values))
    # Year dummies (dropping the first) demeaned within entity span the year effects
    # that remain after the entity effects are removed (Frisch-Waugh-Lovell).
    dummies = np.zeros((len(time_codes), n_periods - 1))
    rows = time_codes > 0
    dummies[np.flatnonzero(rows), time_codes[rows] - 1] = 1.0
    d_dm = demean_by_group(dummies, entity_codes, n_entities)
    coef, *_ = np.linalg.lstsq(d_dm, x_dm, rcond=None)
    return (x_dm - d_dm @ coef).reshape(np.shape(values))


def absorbed_rank(entity_codes: np.ndarray, time_codes: np.ndarray) -> int:
    """Number of parameters absorbed by entity + year effects (with intercept): G + T -
    1 if connected.
    """
    n_entities = int(entity_codes.max()) + 1
    n_periods = int(time_codes.max()) + 1
    # Within-entity-demeaned year dummies lose rank only if the panel splits into
    # disconnected blocks; their rank gives the exact count for any design.
    dummies = np.zeros((len(time_codes), n_periods))
    dummies[np.arange(len(time_codes)), time_codes] = 1.0
    d_dm = demean_by_group(dummies, entity_codes, n_entities)
    return n_entities + int(np.linalg.matrix_rank(d_dm))


# --------------------------------------------------------------------------------------
# Estimation
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelFit:
    """A fitted two-way FE model: coefficients, clustered covariance and the sample
    accounting.
    """

    params: pd.Series
    cov: pd.DataFrame
    df_inference: int
    nobs: int
    n_entities: int
    n_periods: int
    n_clusters: int
    r2_within: float
    outcome: str
    regressors: tuple[str, ...]
    dropped: pd.DataFrame
    df_correction: str
    entity_effects: bool
    sample_index: pd.Index = field(repr=False)
    residuals: np.ndarray = field(repr=False)

    @property
    def bse(self) -> pd.Series:
        """Clustered standard errors."""
        return pd.Series(
            np.sqrt(np.diag(self.cov.to_numpy())), index=self.params.index, name="se"
        )


def twoway_fe(
    frame: pd.DataFrame,
    outcome: str,
    regressors: Sequence[str],
    entity: str,
    time: str,
    cluster: str | None = None,
    df_correction: str = "lsdv",
    entity_effects: bool = True,
) -> PanelFit:
    """OLS of within-transformed y on within-transformed X; CRV1 covariance clustered by
    `cluster` (default entity).

    With ``entity_effects=False`` only year effects are removed (a pooled regression
    with year dummies), which compares provinces with each other instead of each
    province with itself.
    """
    if df_correction not in ("lsdv", "nested"):
        raise ValueError(
            f"df_correction must be 'lsdv' or 'nested', found {df_correction!r}"
        )
    regressors = list(regressors)
    if not regressors:
        raise ValueError("no regressors given")
    cluster = cluster or entity
    columns = [outcome, *regressors] + (
        [cluster] if cluster not in (entity, time) else []
    )
    sample, dropped = estimation_sample(frame, columns, entity, time)
    entity_codes, n_entities = group_codes(sample[entity])
    time_codes, n_periods = group_codes(sample[time])
    cluster_codes, n_clusters = group_codes(sample[cluster])
    if n_clusters < 2:
        raise ValueError(f"need at least 2 clusters in {cluster!r}, found {n_clusters}")

    data = sample[[outcome, *regressors]].to_numpy(dtype=float)
    if entity_effects:
        transformed = within_twoway(data, entity_codes, time_codes)
    else:
        transformed = demean_by_group(data, time_codes, n_periods)
    y_w, x_w = transformed[:, 0], transformed[:, 1:]
    _check_identified(x_w, data[:, 1:], regressors)

    from statsmodels.regression.linear_model import OLS

    fit = OLS(y_w, x_w).fit(
        cov_type="cluster", cov_kwds={"groups": cluster_codes, "use_correction": True}
    )
    nobs, k_x = x_w.shape
    absorbed = absorbed_rank(entity_codes, time_codes) if entity_effects else n_periods
    if df_correction == "nested" and cluster == entity and entity_effects:
        absorbed -= n_entities - 1  # entity effects nested in clusters are not counted
    # statsmodels scaled by (n-1)/(n-k_x); replace k_x by k_x + absorbed effects.
    dof_scale = (nobs - k_x) / (nobs - k_x - absorbed)
    if nobs - k_x - absorbed <= 0:
        raise ValueError(
            f"no residual degrees of freedom: {nobs} rows, {k_x + absorbed} parameters"
        )
    cov = fit.cov_params() * dof_scale
    total_ss = float(y_w @ y_w)
    return PanelFit(
        params=pd.Series(fit.params, index=regressors, name="coef"),
        cov=pd.DataFrame(cov, index=regressors, columns=regressors),
        df_inference=n_clusters - 1,
        nobs=nobs,
        n_entities=n_entities,
        n_periods=n_periods,
        n_clusters=n_clusters,
        r2_within=1.0 - float(fit.resid @ fit.resid) / total_ss
        if total_ss > 0
        else float("nan"),
        outcome=outcome,
        regressors=tuple(regressors),
        dropped=dropped,
        df_correction=df_correction,
        entity_effects=entity_effects,
        sample_index=sample.index,
        residuals=np.asarray(fit.resid),
    )


def _check_identified(
    x_within: np.ndarray, x_raw: np.ndarray, names: Sequence[str]
) -> None:
    """Raise ValueError naming any regressor wiped out by the fixed effects or collinear
    with the others.
    """
    scale = np.maximum(np.abs(x_raw).max(axis=0), 1.0)
    for j, name in enumerate(names):
        if np.abs(x_within[:, j]).max() <= 1e-10 * scale[j]:
            raise ValueError(
                f"regressor {name!r} has no variation left after removing province and "
                "year effects (it is constant within entities or common to all "
                "entities in a year)"
            )
    if np.linalg.matrix_rank(x_within) < x_within.shape[1]:
        raise ValueError(
            f"regressors {list(names)} are collinear after the within transformation"
        )


# --------------------------------------------------------------------------------------
# Reporting and scenarios
# --------------------------------------------------------------------------------------


def coef_table(fit: PanelFit, level: float = 0.95) -> pd.DataFrame:
    """Tidy table: coef, se, t, p (t with G-1 df), CI bounds, n_obs, n_entities,
    n_clusters per regressor.
    """
    se = fit.bse
    t_stat = fit.params / se
    from scipy.stats import t as student_t

    p_value = 2 * student_t.sf(np.abs(t_stat), fit.df_inference)
    margin = student_t.ppf(0.5 + level / 2, fit.df_inference) * se
    return pd.DataFrame(
        {
            "term": fit.params.index,
            "coef": fit.params.to_numpy(),
            "se": se.to_numpy(),
            "t": t_stat.to_numpy(),
            "p": p_value,
            "ci_low": (fit.params - margin).to_numpy(),
            "ci_high": (fit.params + margin).to_numpy(),
            "n_obs": fit.nobs,
            "n_entities": fit.n_entities,
            "n_clusters": fit.n_clusters,
            "outcome": fit.outcome,
            "effects": "entity + year" if fit.entity_effects else "year only",
        }
    )


def implied_change(
    fit: PanelFit, changes: Mapping[str, object], level: float = 0.95, baseline=None
) -> pd.DataFrame:
    """Delta y = sum_j beta_j * Delta x_j with CI from se = sqrt(dx' V dx) (clustered V,
    t with G-1 df).

    A change may be a scalar or an array (one scenario per element, e.g. slider values);
    ``baseline`` (scalar or array) is added to the estimate and bounds to give a level.
    """
    unknown = [name for name in changes if name not in fit.params.index]
    if unknown:
        raise ValueError(
            f"regressors {unknown} are not in the model; it has "
            f"{list(fit.params.index)}"
        )
    arrays = {
        name: np.atleast_1d(np.asarray(value, dtype=float))
        for name, value in changes.items()
    }
    n_scenarios = max(len(a) for a in arrays.values())
    delta = np.zeros((n_scenarios, len(fit.params)))
    for name, values in arrays.items():
        if len(values) not in (1, n_scenarios):
            raise ValueError(
                f"change for {name!r} has {len(values)} values; expected 1 or "
                f"{n_scenarios}"
            )
        delta[:, fit.params.index.get_loc(name)] = values
    estimate = delta @ fit.params.to_numpy()
    se = np.sqrt(np.einsum("sj,jk,sk->s", delta, fit.cov.to_numpy(), delta))
    from scipy.stats import t as student_t

    margin = student_t.ppf(0.5 + level / 2, fit.df_inference) * se
    offset = 0.0 if baseline is None else np.asarray(baseline, dtype=float)
    table = pd.DataFrame(
        {name: np.broadcast_to(values, n_scenarios) for name, values in arrays.items()}
    )
    table = table.add_prefix("change_")
    table["estimate"] = estimate + offset
    table["se"] = se
    table["ci_low"] = estimate - margin + offset
    table["ci_high"] = estimate + margin + offset
    table["level"] = level
    return table
