"""The data layer: validated, typed frames for every resource in data/datapackage.json.

Pages and helpers read data only through these functions, never by opening files:

    from helpers.data import load, provincial_panel, national_series, resource_info
"""

from helpers.data.descriptor import sha256_of
from helpers.data.facts import (
    latest_full_year,
    municipality_codes,
    region_label,
    region_names,
    resources_for,
    source_line,
    suspect_values,
)
from helpers.data.loaders import (
    load,
    national_series,
    package_descriptor,
    panel_catalogue,
    province_code,
    province_codes,
    provinces,
    provincial_panel,
    resource_info,
    series_breaks,
    value_conflicts,
    value_flags,
)
from helpers.data.provinces import UnknownProvinceError
from helpers.data.validate import DataValidationError, Issue, validate_package

__all__ = [
    "DataValidationError",
    "Issue",
    "UnknownProvinceError",
    "latest_full_year",
    "load",
    "municipality_codes",
    "national_series",
    "package_descriptor",
    "panel_catalogue",
    "province_code",
    "province_codes",
    "provinces",
    "provincial_panel",
    "region_label",
    "region_names",
    "resources_for",
    "resource_info",
    "series_breaks",
    "sha256_of",
    "source_line",
    "suspect_values",
    "value_conflicts",
    "value_flags",
    "validate_package",
]
