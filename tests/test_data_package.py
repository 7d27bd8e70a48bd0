"""The descriptor describes every file under data/, with a matching SHA-256 and full
metadata.
"""

import hashlib
import json

import pytest

from helpers.paths import DATA_DIR

DESCRIPTOR = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = DESCRIPTOR["resources"]
TABULAR = [r for r in RESOURCES if "schema" in r]


def test_every_file_is_described_and_every_resource_exists():
    on_disk = {
        p.relative_to(DATA_DIR).as_posix() for p in DATA_DIR.rglob("*") if p.is_file()
    }
    described = {r["path"] for r in RESOURCES}
    assert on_disk - {"datapackage.json"} == described


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r["name"])
def test_checksum_and_size_match(resource):
    content = (DATA_DIR / resource["path"]).read_bytes()
    assert resource["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()
    assert resource["bytes"] == len(content)


def test_resource_names_are_unique_and_valid():
    names = [r["name"] for r in RESOURCES]
    assert len(names) == len(set(names))
    assert all(
        n == n.lower() and all(c.isalnum() or c in "._-" for c in n) for n in names
    )


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r["name"])
def test_resource_has_provenance_and_licence(resource):
    assert resource["title"].strip() and resource["description"].strip()
    assert resource["sources"], "at least one source"
    for source in resource["sources"]:
        assert source["title"].strip() and source["publisher"].strip()
    assert resource["licenses"]
    for licence in resource["licenses"]:
        assert licence["name"] and licence["title"]
        if licence["name"] == "not-stated":
            assert (
                "redistribut" in licence["redistribution"]
            )  # says what "not stated" means for us


@pytest.mark.parametrize(
    "resource",
    [r for r in RESOURCES if r["kind"] not in ("metadata",)],
    ids=lambda r: r["name"],
)
def test_data_sources_have_urls(resource):
    assert any(s.get("path", "").startswith("http") for s in resource["sources"])


@pytest.mark.parametrize("resource", TABULAR, ids=lambda r: r["name"])
def test_schema_is_complete(resource):
    schema = resource["schema"]
    assert schema["missingValues"] == [""]
    names = [f["name"] for f in schema["fields"]]
    assert set(schema["primaryKey"]) <= set(names)
    for field in schema["fields"]:
        assert field["type"] in ("integer", "number", "string", "boolean")
        assert field["title"].strip()
        if field["type"] == "number":
            assert field.get("unit"), f"{field['name']} needs a unit"
    if "province_code" in names and resource["name"] != "provinces":
        assert {
            "fields": "province_code",
            "reference": {"resource": "provinces", "fields": "province_code"},
        } in schema["foreignKeys"]


@pytest.mark.parametrize(
    "resource",
    [r for r in TABULAR if r["kind"] == "provincial_panel"],
    ids=lambda r: r["name"],
)
def test_panels_are_keyed_by_province_and_year_with_bounded_years(resource):
    schema = resource["schema"]
    assert schema["primaryKey"] == ["province_code", "year"]
    year = next(f for f in schema["fields"] if f["name"] == "year")
    assert (
        1990 <= year["constraints"]["minimum"] <= year["constraints"]["maximum"] <= 2025
    )
    for field in schema["fields"][2:]:
        assert (
            field["constraints"]["minimum"] == 0
        )  # no negative quantities in any panel
        if field["unit"].startswith("percent"):
            assert field["constraints"]["maximum"] == 100


def test_unlicensed_model_output_is_cited_not_redistributed():
    cited = " ".join(item["path"] for item in DESCRIPTOR["not_redistributed"])
    assert "RubyDai/New-Quality-Productive-Forces" in cited
    all_names = " ".join(r["path"].lower() for r in RESOURCES)
    assert "nqpf" not in all_names and "gtfp" not in all_names
    for resource in TABULAR:
        assert not {"nqpf", "gtfp"} & {
            f["name"].lower() for f in resource["schema"]["fields"]
        }


def test_raw_files_are_small():
    total = sum(p.stat().st_size for p in (DATA_DIR / "raw").rglob("*") if p.is_file())
    assert total < 1_000_000  # big originals are cited (not_redistributed), not copied
