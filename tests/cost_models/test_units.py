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
    ("1,55 um", "cannot read '1,55 um': write decimals with a point"),  # pint: 155 µm
    ("1,550e-9", "no thousands separator"),
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
        OPTICAL.variable("io_precision").parse("8.5")


@pytest.mark.parametrize("value, unit, shown", [
    (46.4e-6, "J", "46.4 µJ"), (1.03, "m", "1.03 m"), (2e-13, "s", "200 fs"),
    (999.96e-6, "s", "1 ms"), (5e9, "ohm", "5 GΩ"), (1000, "Hz", "1 kHz"),
    (3e-9, "m**3", "3 mm³"), (2e-4, "m**3", "200 cm³"), (0.05, "m**3", "0.05 m³"),
    (1.5e-9, "m**2", "1500 µm²"), (192e9, "B", "192 GB"), (0.5, "B", "0.5 B"),
])
def test_simple_units_take_an_si_prefix(value, unit, shown):
    assert cost_models.format_quantity(value, unit) == shown


@pytest.mark.parametrize("value, unit, shown", [
    (2.5e-20, "m**2/W", "2.5e-20 m²/W"), (1e-8, "ohm*m", "1e-8 Ω·m"), (8, "bit", "8 bit"),
    (2, "bit", "2 bit"), (1e-12, "J/bit", "1e-12 J/bit"), (3.35e12, "B/s", "3.35e12 B/s"),
    (64, "", "64"), (1e5, "", "1e5"), (3, "1/(s*m**2)", "3 1/(s·m²)"), (1e-25, "J", "1e-25 J"),
])
def test_compound_units_bits_and_counts_keep_their_unit(value, unit, shown):
    assert cost_models.format_quantity(value, unit) == shown


def test_displaying_values_needs_no_pint():
    import subprocess
    import sys

    code = ("import sys; from cost_models.units import format_quantity; "
            "format_quantity(1e-6, 'J'); print('pint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("text, unit", [
    ("200 nm", "m"), ("1 uW", "W"), ("10 fs", "s"), ("1550nm", "m"), ("2.5e-3 kJ", "J"),
    ("192 GB", "B"), ("8 kbit", "bit"), ("1 GHz", "Hz"), ("-3 mm", "m"), (".5 pF", "F"),
    ("1 ms", "s"), ("1 m", "m"), ("4 MHz", "Hz"), ("1e2 cm", "m"), ("300 K", "K"),
])
def test_plain_prefixed_values_read_without_pint_as_pint_reads_them(text, unit):
    from cost_models import units

    fast = units._number_with_prefixed_unit(text, unit)
    assert fast is not None
    assert fast == pytest.approx(units._registry().Quantity(text).to(unit).magnitude, rel=1e-12)


@pytest.mark.parametrize("text, unit", [
    ("1 mm", "s"), ("1 m/s", "m"), ("1 inch", "m"), ("3 dam", "m"), ("1 g", "kg"), ("2 m", ""),
    ("1 nm**2", "m**2"), ("m", "m"), ("1 e3 m", "m"),
])
def test_other_forms_go_to_pint(text, unit):
    from cost_models import units

    assert units._number_with_prefixed_unit(text, unit) is None
