"""The facts that the Part I prose and the M* verdicts in book/claims.yml state in words, checked on the real data.

The pages glue every number, but sentences such as "within provinces the sign reverses" and the verdicts in
the ledger are words. If the data or the helpers change so that one of these facts no longer holds, this test
fails and the prose and the ledger must be revisited.
"""

import pytest

from helpers import nqpf_models as nm
from helpers import urban_rural as ur
from helpers.claims import load_claims
from helpers.data import national_series

ALPHA = 0.05
A, AB = "(a) channel on NQPF", "(a') channel on NQPF, year effects only"
B = "(b) URI on NQPF + channel"


@pytest.fixture(scope="module")
def data():
    return nm.build_analysis_data(nm.load_inputs())


@pytest.fixture(scope="module")
def frame(data):
    return data.frame


@pytest.fixture(scope="module")
def robust(frame):
    return nm.robustness_table(frame).set_index(["specification", "outcome"])


def row(table, step, term=None):
    rows = table[table["step"] == step]
    return rows.iloc[0] if term is None else rows[rows["term"] == term].iloc[0]


def test_indices_cover_what_the_pages_say(data):
    assert data.nqpf_accounting.iloc[0]["province_years"] > 250
    assert data.uri_accounting.iloc[0]["province_years"] == 248
    assert data.nqpf.weights.idxmax() == "tech_market"


def test_m1_1_within_negative_between_positive(frame, robust):
    within = robust[~robust.index.get_level_values(0).str.startswith("Year effects only")]
    uri_rows = within.xs("uri", level="outcome")
    ratio_rows = within.xs("income_ratio", level="outcome")
    assert (uri_rows["coef"] < 0).all() and (uri_rows["p"] < ALPHA).all()
    assert (ratio_rows["coef"] > 0).all() and (ratio_rows["p"] < ALPHA).all()
    between = robust.loc[("Year effects only (compares provinces)", "uri")]
    assert between["coef"] > 0 and between["p"] < ALPHA
    assert robust.loc[("Year effects only (compares provinces)", "income_ratio"), "p"] > ALPHA
    base = robust.loc[("Baseline (entropy NQPF)", "uri")]
    catch = robust.loc[("Catch-up trend (2013 URI x year)", "uri")]
    assert abs(catch["coef"]) < abs(base["coef"])
    theil = nm.theil_fit(frame)
    assert theil.params["nqpf"] > 0


def test_m1_1_catch_up_pattern(frame):
    changes = nm.within_between_changes(frame, "nqpf", "uri")
    assert changes["x_mean"].corr(changes["y_mean"]) > 0
    assert changes["x_change"].corr(changes["y_change"]) < 0
    pattern = nm.catch_up_pattern(frame, "nqpf", "uri")
    assert pattern["corr_start_change"] < 0 and pattern["corr_start_x_change"] > 0
    assert nm.regional_means(frame, "uri", (2013, 2013)).idxmin() == "West"
    start = frame[frame["year"] == 2013].set_index("province_en")["uri"]
    fastest = changes.nlargest(3, "x_change")["province_en"]
    assert (start[fastest] > start.median()).all()  # "already highly integrated"


def test_literature_descriptives(data, robust):
    table = nm.literature_comparison(data, robust.reset_index()).set_index("literature finding")
    for finding in ("NQPF rises every year", "Regional order of NQPF: East > Central > West",
                    "Beijing and Shanghai lead NQPF", "URI falls from East to West"):
        assert table.loc[finding, "agreement"] == "agree"
    assert table.loc["NQPF raises URI (positive, significant, two-way FE)", "agreement"] == "disagree"
    assert table.loc["NQPF narrows the urban-rural income gap", "agreement"] == "disagree"


def test_m1_2_digital_channel(frame):
    digital = nm.channel_table(frame, "digital_finance", "nqpf_no_digital")
    assert row(digital, A)["coef"] > 0 and row(digital, A)["p"] < ALPHA
    assert row(digital, AB)["coef"] > 0
    assert row(digital, B, "digital_finance")["coef"] < 0
    assert nm.describe_channel(digital)["nqpf_change_direction"] == "towards zero"
    internet = nm.channel_summary(frame, "internet_penetration", "nqpf_no_digital")
    assert row(internet, A)["coef"] < 0 and row(internet, A)["p"] < ALPHA
    assert row(internet, AB)["coef"] > 0 and row(internet, AB)["p"] < ALPHA


def test_m1_3_rural_income_growth(frame):
    growth = nm.channel_summary(frame, "rural_income_growth")
    assert row(growth, A)["p"] > ALPHA
    assert row(growth, AB)["coef"] < 0 and row(growth, AB)["p"] < ALPHA


def test_m2_structure(frame):
    nonfarm = nm.channel_summary(frame, "nonfarm_share")
    assert row(nonfarm, AB)["coef"] > 0 and row(nonfarm, AB)["p"] < ALPHA
    assert row(nonfarm, A)["coef"] > 0 and row(nonfarm, A)["p"] > ALPHA
    tertiary = nm.channel_table(frame, "tertiary_share")
    assert row(tertiary, A)["coef"] > 0 and row(tertiary, A)["p"] < ALPHA
    assert row(tertiary, AB)["coef"] > 0 and row(tertiary, AB)["p"] < ALPHA
    assert row(tertiary, B, "tertiary_share")["p"] > ALPHA
    assert abs(nm.describe_channel(tertiary)["nqpf_change_pct"]) < 10
    machinery = nm.channel_summary(frame, "ln_farm_machinery", between=False)
    assert not (row(machinery, A)["coef"] > 0 and row(machinery, A)["p"] < ALPHA)


def test_m3_infrastructure(frame):
    highway = nm.channel_table(frame, "ln_highway", between=False)
    assert row(highway, A)["coef"] < 0 and row(highway, A)["p"] < ALPHA
    assert row(highway, B, "ln_highway")["p"] > ALPHA
    gaps = ur.penetration_gaps(ur.penetration_observations(national_series(period=None, wide=False)))
    assert gaps["gap_points"].iloc[-1] < gaps["gap_points"].iloc[0]
    regressors = ["nqpf_no_digital", "digital_finance"]
    within = nm.association_table(frame, "uri", regressors).set_index("term").loc["digital_finance"]
    across = nm.association_table(frame, "uri", regressors, entity_effects=False).set_index("term").loc["digital_finance"]
    assert within["coef"] < 0 and within["p"] < ALPHA
    assert across["coef"] > 0 and across["p"] < ALPHA


def test_m4_green(frame):
    energy = nm.channel_table(frame, "energy_intensity", "nqpf_no_green")
    assert row(energy, AB)["coef"] < 0 and row(energy, AB)["p"] < ALPHA
    assert row(energy, A)["coef"] > 0 and row(energy, A)["p"] > ALPHA
    assert row(energy, B, "energy_intensity")["p"] > ALPHA
    co2 = nm.channel_summary(frame, "co2_intensity", "nqpf_no_green")
    assert row(co2, A)["coef"] > 0 and row(co2, A)["p"] < ALPHA
    assert row(co2, AB)["coef"] < 0
    pattern = nm.catch_up_pattern(frame, "nqpf_no_green", "energy_intensity")
    assert pattern["corr_start_change"] < 0 and pattern["corr_start_x_change"] < 0
    for channel in ("fertiliser_intensity", "pesticide_intensity"):
        table = nm.channel_summary(frame, channel)
        assert (table["p"] > ALPHA).all()
    within = nm.association_table(frame, "energy_intensity", ["tech_market", "invention_patents"]).set_index("term")
    across = nm.association_table(frame, "energy_intensity", ["tech_market", "invention_patents"],
                                  entity_effects=False).set_index("term")
    assert within.loc["tech_market", "p"] > ALPHA
    assert within.loc["invention_patents", "coef"] > 0 and within.loc["invention_patents", "p"] < ALPHA
    assert (across["p"] > ALPHA).all()


# The M* verdicts are not copied here: book/claims.yml is their one place, and the claims tests check each verdict
# against the rubric (issue 12). This test only checks that every mechanism entry has its evidence.
def test_mechanism_entries_have_evidence():
    ledger = {entry["id"]: entry for entry in load_claims() if entry["id"].startswith("M")}
    assert ledger
    for claim_id, entry in ledger.items():
        assert entry["evidence"] != "pending", claim_id
