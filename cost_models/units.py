"""Unit handling at the edges: parse user values with pint, hand SI floats to the physics.

Every cost model computes in plain SI floats (numpy arrays); pint is used only where a
value enters (a command-line flag, a study file, an app field) or leaves (display).
"""
from __future__ import annotations

import math
import pint

ureg = pint.UnitRegistry()
ureg.formatter.default_format = "~P"
Quantity = ureg.Quantity


class InputError(ValueError):
    """A value supplied by a user is unusable; the message names the field and what it expects."""


def parse_quantity(field: str, text: str | float | int, unit: str) -> float:
    """Parse ``text`` ("1550 nm", "2.5e-20 m^2/W", 3, "7") and return its magnitude in ``unit``.

    Every field of this project declares a coherent SI unit (bytes count as ``B``), so the
    result is the SI float the physics uses. A bare number is taken to be in ``unit``.
    Raises :class:`InputError` naming ``field`` on a syntax error, a non-finite value or a
    value of the wrong dimension.
    """
    expected = unit or "dimensionless"
    if isinstance(text, bool):
        raise InputError(f"{field}: expected a number in {expected}, got {text!r}")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        raw = str(text).strip()
        if not raw:
            raise InputError(f"{field}: empty value; expected a number in {expected}")
        try:
            value = float(raw)
        except ValueError:
            try:
                quantity = ureg.parse_expression(raw)
            except Exception:
                raise InputError(
                    f"{field}: cannot read {raw!r} as a quantity; expected a number in {expected}"
                    f" (e.g. '{_example(unit)}')"
                ) from None
            if not isinstance(quantity, pint.Quantity):
                quantity = Quantity(float(quantity), "")
            try:
                value = float(quantity.to(unit or "dimensionless").magnitude)
            except pint.DimensionalityError:
                raise InputError(
                    f"{field}: {raw!r} has dimension {quantity.dimensionality}, "
                    f"expected a value in {expected}"
                ) from None
    if not math.isfinite(value):
        raise InputError(f"{field}: {text!r} is not a finite number; expected a value in {expected}")
    return value


def _example(unit: str) -> str:
    return f"1.5 {unit}" if unit else "1.5"


def format_quantity(value: float, unit: str, digits: int = 3) -> str:
    """Human display of an SI value, with a compact prefix ("46.4 µJ", "1.03 m")."""
    if unit in ("", "dimensionless"):
        return f"{value:.{digits}g}"
    if not math.isfinite(value):
        return f"{value} {unit}"
    if unit in ("m**3", "m^3"):
        return _format_volume(value, digits)
    quantity = Quantity(value, unit)
    if value != 0:
        quantity = quantity.to_compact()
    return f"{quantity.magnitude:.{digits}g} {quantity.units:~P}"


def _format_volume(value: float, digits: int) -> str:
    for unit, scale in (("m³", 1.0), ("L", 1e-3), ("cm³", 1e-6), ("mm³", 1e-9), ("µm³", 1e-18)):
        if value >= scale:
            return f"{value / scale:.{digits}g} {unit}"
    return f"{value:.{digits}g} m³"
