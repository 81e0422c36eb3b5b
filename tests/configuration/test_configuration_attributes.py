"""The one check of typed attribute values (configuration.attributes.clean_attributes), with plain values."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.configuration.attributes import AttributeErrors, AttributeSpec, clean_attributes

SPECS = [
    AttributeSpec("os", "text", required=True),
    AttributeSpec("cpus", "integer"),
    AttributeSpec("ram_gb", "decimal"),
    AttributeSpec("installed", "date"),
    AttributeSpec("virtual", "boolean"),
    AttributeSpec("tier", "choice", choices=("gold", "silver")),
]


def test_typed_values_are_stored_in_their_json_form():
    cleaned = clean_attributes(
        SPECS,
        {
            "os": "  Kylin V10 ",
            "cpus": "16",
            "ram_gb": "63.50",
            "installed": dt.date(2024, 3, 1),
            "virtual": "是",
            "tier": "gold",
        },
    )
    assert cleaned == {
        "os": "Kylin V10",
        "cpus": 16,
        "ram_gb": "63.50",
        "installed": "2024-03-01",
        "virtual": True,
        "tier": "gold",
    }


def test_empty_optional_values_are_dropped_and_text_dates_parse():
    assert clean_attributes(SPECS, {"os": "x", "cpus": "", "installed": "2025-12-31", "virtual": "no"}) == {
        "os": "x",
        "installed": "2025-12-31",
        "virtual": False,
    }


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("cpus", "1.5"),
        ("cpus", "many"),
        ("cpus", True),
        ("ram_gb", "lots"),
        ("ram_gb", "NaN"),
        ("installed", "31/12/2025"),
        ("installed", dt.datetime(2025, 1, 1)),
        ("virtual", "maybe"),
        ("tier", "bronze"),
    ],
)
def test_wrong_values_are_refused_by_attribute(code, value):
    with pytest.raises(AttributeErrors) as caught:
        clean_attributes(SPECS, {"os": "x", code: value})
    assert set(caught.value.errors) == {code}


def test_missing_required_and_unknown_codes_are_all_reported():
    with pytest.raises(AttributeErrors) as caught:
        clean_attributes(SPECS, {"colour": "red", "cpus": "x"})
    assert set(caught.value.errors) == {"os", "colour", "cpus"}
