"""The facts that the Part I prose states in words, checked on the real data.

The pages quote every number through {eval} roles, but sentences such as "within
provinces the sign reverses" are words, and so are the verdicts in book/claims.yml that
rest on them. These tests run the same models as the pages, from the building blocks
(helpers.nqpf_models.build_analysis_data and helpers.panel.twoway_fe, with the
specification the pages show), so if the data or the building blocks change so that one
of these facts no longer holds, a test fails and the prose and the ledger must be
revisited. tests/test_part1_pages.py checks that the executed pages give the same
numbers.
"""

import pytest

from helpers import nqpf_models as nm
from helpers import urban_rural as ur
from helpers.claims import load_claims
from helpers.data import municipality_codes
from helpers.panel import add_lag, coef_table, drop_municipalities, twoway_fe

ALPHA = 0.05
CONTROLS = ["ln_gdp", "gov_spending"]
FE = dict(entity="province_code", time="year")


@pytest.fixture(scope="module")
def data():
    return nm.build_analysis_data(nm.load_inputs())


@pytest.fixture(scope="module")
def frame(data):
    return data.frame


@pytest.fixture(scope="module")
def sample(frame):
    return frame[frame["year"].between(2013, 2020)]


def slope(sample, outcome, term, others=CONTROLS, **options):
    """Coefficient row of `term` in the two-way FE (or year-effects-only) regression the
    pages run.
    """
    return (
        coef_table(twoway_fe(sample, outcome, [term, *others], **FE, **options))
        .set_index("term")
        .loc[term]
    )


def test_indices_cover_what_the_pages_say(data):
    assert data.nqpf_accounting.iloc[0]["province_years"] > 250
    assert data.uri_accounting.iloc[0]["province_years"] == 248
    assert data.nqpf.weights.idxmax() == "tech_market"


def test_m1_1_within_negative_between_positive(frame, sample):
    lagged = add_lag(frame, "nqpf", "province_code", "year")
    start = frame.loc[frame["year"] == 2013].set_index("province_code")["uri"]
    trend = frame.assign(
        catch_up=frame["province_code"].map(start) * (frame["year"] - 2013)
    )
    window = lambda f: f[f["year"].between(2013, 2020)]  # noqa: E731
    within = [  # the two-way specifications of the page's robustness table
        (sample, "nqpf", CONTROLS),
        (window(lagged), "nqpf_lag1", CONTROLS),
        (window(drop_municipalities(frame, municipality_codes())), "nqpf", CONTROLS),
        (sample, "nqpf_topsis", CONTROLS),
        (sample, "nqpf_equal", CONTROLS),
        (sample, "nqpf_extended", CONTROLS),
        (sample, "nqpf", []),
        (window(trend), "nqpf", [*CONTROLS, "catch_up"]),
    ]
    for data_, column, others in within:
        uri_row = slope(data_, "uri", column, others)
        ratio_row = slope(data_, "income_ratio", column, others)
        assert uri_row["coef"] < 0 and uri_row["p"] < ALPHA, column
        assert ratio_row["coef"] > 0 and ratio_row["p"] < ALPHA, column
    between = slope(sample, "uri", "nqpf", entity_effects=False)
    assert between["coef"] > 0 and between["p"] < ALPHA
    assert slope(sample, "income_ratio", "nqpf", entity_effects=False)["p"] > ALPHA
    base, catch = (
        slope(sample, "uri", "nqpf"),
        slope(window(trend), "uri", "nqpf", [*CONTROLS, "catch_up"]),
    )
    assert abs(catch["coef"]) < abs(base["coef"])
    assert slope(sample, "theil", "nqpf")["coef"] > 0


def test_m1_1_catch_up_pattern(frame, sample):
    by_province = (
        sample.dropna(subset=["nqpf", "uri"])
        .sort_values("year")
        .groupby("province_en")[["nqpf", "uri"]]
    )
    means, changes = by_province.mean(), by_province.last() - by_province.first()
    assert means["nqpf"].corr(means["uri"]) > 0
    assert changes["nqpf"].corr(changes["uri"]) < 0
    pattern = nm.catch_up_pattern(frame, "nqpf", "uri")
    assert pattern["corr_start_change"] < 0 and pattern["corr_start_x_change"] > 0
    assert (
        frame[frame["year"] == 2013].groupby("region")["uri"].mean().idxmin() == "West"
    )
    start = frame[frame["year"] == 2013].set_index("province_en")["uri"]
    fastest = changes["nqpf"].nlargest(3).index
    assert (start[fastest] > start.median()).all()  # "already highly integrated"


def test_literature_descriptives(frame):
    regions = frame.groupby("region")["nqpf"].mean()
    assert regions["East"] > regions["Central"] > regions["West"]
    assert {"Beijing", "Shanghai"} <= set(
        frame.groupby("province_en")["nqpf"].mean().nlargest(3).index
    )
    uri_regions = frame.groupby("region")["uri"].mean()
    assert uri_regions["East"] > uri_regions["West"]


def test_m1_2_digital_channel(sample):
    x = ["nqpf_no_digital", "digital_finance"]
    a = slope(sample, "digital_finance", "nqpf_no_digital")
    assert a["coef"] > 0 and a["p"] < ALPHA
    assert (
        slope(sample, "digital_finance", "nqpf_no_digital", entity_effects=False)[
            "coef"
        ]
        > 0
    )
    b = twoway_fe(sample, "uri", [*x, *CONTROLS], **FE)
    b0 = twoway_fe(
        sample.loc[b.sample_index], "uri", ["nqpf_no_digital", *CONTROLS], **FE
    )
    assert b.params["digital_finance"] < 0
    assert abs(b.params["nqpf_no_digital"]) < abs(
        b0.params["nqpf_no_digital"]
    )  # "towards zero"
    internet = slope(sample, "internet_penetration", "nqpf_no_digital")
    internet_across = slope(
        sample, "internet_penetration", "nqpf_no_digital", entity_effects=False
    )
    assert internet["coef"] < 0 and internet["p"] < ALPHA
    assert internet_across["coef"] > 0 and internet_across["p"] < ALPHA


def test_m1_3_rural_income_growth(sample):
    assert slope(sample, "rural_income_growth", "nqpf")["p"] > ALPHA
    across = slope(sample, "rural_income_growth", "nqpf", entity_effects=False)
    assert across["coef"] < 0 and across["p"] < ALPHA


def test_m2_structure(sample):
    nonfarm, nonfarm_across = (
        slope(sample, "nonfarm_share", "nqpf"),
        slope(sample, "nonfarm_share", "nqpf", entity_effects=False),
    )
    assert nonfarm_across["coef"] > 0 and nonfarm_across["p"] < ALPHA
    assert nonfarm["coef"] > 0 and nonfarm["p"] > ALPHA
    for options in ({}, {"entity_effects": False}):
        tertiary = slope(sample, "tertiary_share", "nqpf", **options)
        assert tertiary["coef"] > 0 and tertiary["p"] < ALPHA
    b = twoway_fe(sample, "uri", ["nqpf", "tertiary_share", *CONTROLS], **FE)
    b0 = twoway_fe(sample.loc[b.sample_index], "uri", ["nqpf", *CONTROLS], **FE)
    assert coef_table(b).set_index("term").loc["tertiary_share", "p"] > ALPHA
    assert abs(100 * (b.params["nqpf"] - b0.params["nqpf"]) / b0.params["nqpf"]) < 10
    machinery = slope(sample, "ln_farm_machinery", "nqpf")
    assert not (machinery["coef"] > 0 and machinery["p"] < ALPHA)


def test_m3_infrastructure(sample, national_long):
    highway = slope(sample, "ln_highway", "nqpf")
    assert highway["coef"] < 0 and highway["p"] < ALPHA
    b = twoway_fe(sample, "uri", ["nqpf", "ln_highway", *CONTROLS], **FE)
    assert coef_table(b).set_index("term").loc["ln_highway", "p"] > ALPHA
    gaps = ur.penetration_gaps(ur.penetration_observations(national_long))
    assert gaps["gap_points"].iloc[-1] < gaps["gap_points"].iloc[0]
    assert gaps["urban_over_rural"].iloc[-1] < gaps["urban_over_rural"].iloc[0]
    x = ["digital_finance", "nqpf_no_digital", *CONTROLS]
    within = (
        coef_table(twoway_fe(sample, "uri", x, **FE))
        .set_index("term")
        .loc["digital_finance"]
    )
    across = (
        coef_table(twoway_fe(sample, "uri", x, **FE, entity_effects=False))
        .set_index("term")
        .loc["digital_finance"]
    )
    assert within["coef"] < 0 and within["p"] < ALPHA
    assert across["coef"] > 0 and across["p"] < ALPHA


def test_m4_green(frame, sample):
    energy = slope(sample, "energy_intensity", "nqpf_no_green")
    energy_across = slope(
        sample, "energy_intensity", "nqpf_no_green", entity_effects=False
    )
    assert energy_across["coef"] < 0 and energy_across["p"] < ALPHA
    assert energy["coef"] > 0 and energy["p"] > ALPHA
    b = twoway_fe(sample, "uri", ["nqpf_no_green", "energy_intensity", *CONTROLS], **FE)
    assert coef_table(b).set_index("term").loc["energy_intensity", "p"] > ALPHA
    co2, co2_across = (
        slope(sample, "co2_intensity", "nqpf_no_green"),
        slope(sample, "co2_intensity", "nqpf_no_green", entity_effects=False),
    )
    assert co2["coef"] > 0 and co2["p"] < ALPHA
    assert co2_across["coef"] < 0
    pattern = nm.catch_up_pattern(frame, "nqpf_no_green", "energy_intensity")
    assert pattern["corr_start_change"] < 0 and pattern["corr_start_x_change"] < 0
    for channel in ("fertiliser_intensity", "pesticide_intensity"):
        for options in ({}, {"entity_effects": False}):
            assert slope(sample, channel, "nqpf", **options)["p"] > ALPHA
    x = ["tech_market", "invention_patents", *CONTROLS]
    within = coef_table(twoway_fe(sample, "energy_intensity", x, **FE)).set_index(
        "term"
    )
    across = coef_table(
        twoway_fe(sample, "energy_intensity", x, **FE, entity_effects=False)
    ).set_index("term")
    assert within.loc["tech_market", "p"] > ALPHA
    assert (
        within.loc["invention_patents", "coef"] > 0
        and within.loc["invention_patents", "p"] < ALPHA
    )
    assert (across.loc[["tech_market", "invention_patents"], "p"] > ALPHA).all()


# The M* verdicts are not copied here: book/claims.yml is their one place, and the
# claims tests check each verdict against the rubric (issue 12). This test only checks
# that every mechanism entry has its evidence.
def test_mechanism_entries_have_evidence():
    ledger = {
        entry["id"]: entry for entry in load_claims() if entry["id"].startswith("M")
    }
    assert ledger
    for claim_id, entry in ledger.items():
        assert entry["evidence"] != "pending", claim_id
