"""Values enter through pint: units converted to SI, wrong dimensions named."""
import pytest

import cost_models
from cost_models import InputError, parse_quantity

OPTICAL = cost_models.get("optical_tube")


@pytest.mark.parametrize("text, unit, expected", [
    ("1030 nm", "m", 1.03e-6), ("1.03 um", "m", 1.03e-6), (2.5e-20, "m**2/W", 2.5e-20),
    ("2.5e-20 m^2/W", "m**2/W", 2.5e-20), ("192 GB", "B", 192e9), ("1 ps", "s", 1e-12),
    ("7", "", 7.0), ("1 kW", "W", 1000.0),
])
def test_parse_converts_to_si(text, unit, expected):
    assert parse_quantity("field", text, unit) == pytest.approx(expected)


@pytest.mark.parametrize("text, message", [
    ("5 kg", "dimension .*mass.* expected a value in m"),
    ("fast", "cannot read 'fast'"),
    ("", "empty value"),
    ("nan", "not a finite number"),
    ("1550", "outside its plausible range"),  # a bare number is metres
])
def test_wavelength_errors_name_the_field(text, message):
    with pytest.raises(InputError, match=message) as info:
        OPTICAL.assumption("wavelength").parse(text)
    assert "wavelength" in str(info.value)


def test_categorical_assumption_lists_choices():
    with pytest.raises(InputError, match="matched, footnote"):
        OPTICAL.assumption("self_focusing_beam").parse("round")


def test_design_value_must_be_whole_for_int_variables():
    with pytest.raises(InputError, match="whole number"):
        OPTICAL.variable("precision").parse("8.5")
