"""Unit handling at the edges: parse user values with pint, hand SI floats to the physics.

Every cost model computes in plain SI floats (numpy arrays); pint is used only where a
value enters (a command-line flag, a study file, an app field) or leaves (display).
"""
from __future__ import annotations

import math
import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _registry():
    """The pint registry, built on first use: importing pint and parsing its definitions costs
    more than a whole ``evaluate``, and displaying values needs neither."""
    import pint

    registry = pint.UnitRegistry()
    registry.formatter.default_format = "~P"
    return registry


def __getattr__(name: str):
    """``ureg`` and ``Quantity`` resolve (and build the registry) on first access."""
    if name == "ureg":
        return _registry()
    if name == "Quantity":
        return _registry().Quantity
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class InputError(ValueError):
    """A value supplied by a user is unusable: ``message`` describes the value and what is
    expected; ``field``, if given, names the input as the API and study files do ("storage",
    "objectives") and heads ``str(error)``. The command line heads it with its flag instead."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field

    def __str__(self) -> str:
        return self.headed(self.field)

    def headed(self, label: str | None) -> str:
        """The one line a user sees: ``label: message``, or the message alone."""
        return f"{label}: {self.message}" if label else self.message


def did_you_mean(name: str, known, cutoff: float = 0.5) -> str:
    """"; did you mean 'a', 'b'?" for the names in ``known`` close to ``name``, else ""."""
    import difflib

    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=3, cutoff=cutoff)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def unknown_name(kind: str, name: str, known, where: str = "",
                 field: str | None = None) -> InputError:
    """The one error for a misspelt name: what it is, where, close names and every known one
    (``field``: the input it was given in, see :class:`InputError`)."""
    known = [str(k) for k in known]
    place = f" {where}" if where else ""
    listed = ", ".join(known[:MAX_LISTED]) + (f", … ({len(known)} in all)"
                                               if len(known) > MAX_LISTED else "")
    return InputError(f"unknown {kind} {name!r}{place}{did_you_mean(name, known)} "
                      f"(known: {listed or 'none'})", field=field)


#: Longest list of known names an error message spells out.
MAX_LISTED = 30


#: Unprefixed SI symbols (and kg, bit, byte) that a unit written in the simple grammar below
#: may use; anything else goes to pint.
_SI_SYMBOLS = frozenset({
    "m", "s", "kg", "A", "K", "mol", "cd", "J", "W", "N", "Pa", "V", "ohm", "S", "F", "C", "H",
    "T", "Wb", "Hz", "rad", "sr", "lm", "lx", "bit", "B",
})
_FACTOR = r"[A-Za-z]+(?:\*\*-?\d+)?"
_PRODUCT = rf"{_FACTOR}(?:\*{_FACTOR})*"
_TERM = rf"(?:{_PRODUCT}|\({_PRODUCT}\))"
_SIMPLE_UNIT = re.compile(rf"(?:{_TERM}|1)(?:/{_TERM})*")


def _plainly_si(unit: str) -> bool:
    """True when ``unit`` is a product/quotient of powers of :data:`_SI_SYMBOLS` (the units
    every built-in model declares), decided without pint: loading pint costs more than a
    whole evaluation, and every model's declarations are checked when it is defined."""
    return unit == "" or (_SIMPLE_UNIT.fullmatch(unit) is not None
                          and set(re.findall(r"[A-Za-z]+", unit)) <= _SI_SYMBOLS)


def si_unit_problem(unit: str) -> str | None:
    """Why ``unit`` is not a coherent SI unit without prefixes (None when it is).

    Accepted: SI base and derived units and their products and powers ("J", "m**3",
    "ohm*m", "1/(s*m**2)", "W/m**2", "rad"), "" for dimensionless, ``kg`` and the
    information units ``bit`` and ``B`` (byte). Rejected: prefixed units ("pJ", "mm") and
    non-SI units ("eV", "inch", "percent"). Units outside the plain symbol grammar are
    judged by pint.
    """
    if isinstance(unit, str) and _plainly_si(unit):
        return None
    ureg = _registry()
    try:
        parsed = ureg.Unit(unit) if unit else ureg.dimensionless
    except Exception as exc:
        return f"pint cannot parse it ({type(exc).__name__}: {exc})"
    for component in parsed._units:
        if component in _ALLOWED_NON_COHERENT:
            continue
        prefix = ureg.parse_unit_name(component)[0][0]
        if prefix:
            return (f"'{component}' carries the prefix '{prefix}'; declare the unprefixed SI "
                    f"unit and return values in it")
        factor = ureg.Quantity(1.0, component).to_base_units().magnitude
        if not math.isclose(factor, 1.0, rel_tol=1e-12):
            return f"'{component}' is not an SI unit (1 {component} = {factor:g} SI base units)"
    return None


_ALLOWED_NON_COHERENT = frozenset({"kilogram", "byte"})


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
        if "," in raw:  # pint reads "6,3" as 63: neither a decimal comma nor a separator here
            raise InputError(f"{field}: cannot read {raw!r}: write decimals with a point and no "
                             f"thousands separator (e.g. '{_example(unit)}')")
        try:
            value = float(raw)
        except ValueError:
            _check_expression(field, raw)
            value = _number_with_prefixed_unit(raw, unit)
        if value is None:
            import pint

            ureg = _registry()
            try:
                quantity = ureg.parse_expression(raw)
            except Exception:
                raise InputError(
                    f"{field}: cannot read {raw!r} as a quantity; expected a number in {expected}"
                    f" (e.g. '{_example(unit)}')"
                ) from None
            if not isinstance(quantity, pint.Quantity):
                quantity = ureg.Quantity(float(quantity), "")
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


#: SI prefixes a value may carry, by symbol ("u" as pint spells micro).
_INPUT_PREFIXES = {"a": 1e-18, "f": 1e-15, "p": 1e-12, "n": 1e-9, "u": 1e-6, "µ": 1e-6,
                   "m": 1e-3, "c": 1e-2, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15}
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def _number_with_prefixed_unit(raw: str, unit: str) -> float | None:
    """``raw`` as "<number> <prefix><unit>" ("200 nm" for unit "m", "1 uW" for "W") in
    ``unit``, or None when it is written any other way (then pint reads it): the common form
    is read without loading pint."""
    if not unit or unit not in _SI_SYMBOLS or unit == "kg":
        return None
    prefixes = "|".join(map(re.escape, _INPUT_PREFIXES))
    match = re.fullmatch(rf"({_NUMBER})\s*({prefixes})?{re.escape(unit)}", raw)
    if match is None:
        return None
    return float(match.group(1)) * _INPUT_PREFIXES.get(match.group(2) or "", 1.0)


MAX_TEXT = 200  # characters of a user's value
_POWER = re.compile(r"\*\*|\^")
_SMALL_POWER = re.compile(r"(?:\*\*|\^)\s*[-+]?\d{1,2}(?:\.\d{1,3})?(?!\s*[\d.(]|\s*(?:\*\*|\^))")


def _check_expression(field: str, raw: str) -> None:
    """Refuse text whose evaluation could be unbounded before pint evaluates it: pint computes
    powers exactly (``9**9**9`` would run for hours), so every power must be a short literal
    (at most two digits, e.g. ``m^2``, ``s**-1``, ``Hz^0.5``), not chained, and the text short."""
    if len(raw) > MAX_TEXT:
        raise InputError(f"{field}: value longer than {MAX_TEXT} characters")
    if len(_POWER.findall(raw)) != len(_SMALL_POWER.findall(raw)):
        raise InputError(f"{field}: cannot read {raw!r}: powers must be small literal numbers "
                         f"(e.g. 'm^2', 's**-1'), not chained or computed")


def _example(unit: str) -> str:
    return f"1.5 {unit}" if unit else "1.5"


#: SI prefixes used for display, by power of ten.
_PREFIXES = {-18: "a", -15: "f", -12: "p", -9: "n", -6: "µ", -3: "m", 0: "", 3: "k", 6: "M",
             9: "G", 12: "T", 15: "P", 18: "E"}
#: Units shown with an SI prefix: simple (one symbol, power one) coherent units.
_PREFIXABLE = frozenset({"J", "s", "m", "W", "Hz", "V", "A", "S", "F", "ohm", "N", "Pa", "C"})
#: Bytes take only the multiples a reader expects (kB … EB), never mB.
_MULTIPLES_ONLY = frozenset({"B"})
#: Areas and volumes: prefixes apply to the metre, so one step is 10^(3·power) in value.
_LENGTH_POWERS = {"m**2": 2, "m^2": 2, "m**3": 3, "m^3": 3}
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def takes_prefix(unit: str) -> bool:
    """Whether values in ``unit`` are shown with an SI prefix (``J`` yes; ``m**2/W``, ``bit`` no)."""
    return unit in _PREFIXABLE


def pretty_unit(unit: str) -> str:
    """A declared unit as a reader writes it: ``m**2/W`` → ``m²/W``, ``ohm*m`` → ``Ω·m``."""
    text = re.sub(r"\*\*(-?\d+)", lambda m: m.group(1).translate(_SUPERSCRIPTS), unit)
    text = re.sub(r"\^(-?\d+)", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    return re.sub(r"\bohm\b", "Ω", text).replace("*", "·")


def format_quantity(value: float, unit: str, digits: int = 3) -> str:
    """Human display of an SI value in ``unit``: "46.4 µJ", "1.03 m", "3 mm³", "192 GB".

    Only simple units take an SI prefix (J, s, m, W, Hz, V, Ω …, and m² / m³ with the prefix on
    the metre); bytes take k … E only; compound units ("m²/W", "Ω·m", "J/bit"), bits and
    dimensionless counts keep the declared unit with a plain or scientific number.
    """
    if unit in ("", "dimensionless", "1"):
        return _number(value, digits)
    shown = pretty_unit(unit)
    if not math.isfinite(value) or value == 0:
        return f"{_number(value, digits)} {shown}"
    power = _LENGTH_POWERS.get(unit)
    if power:
        return _area_or_volume(value, shown[1:], power, digits)
    if unit in _PREFIXABLE:
        return _prefixed(value, shown, digits, lowest=-18)
    if unit in _MULTIPLES_ONLY:
        return _prefixed(value, shown, digits, lowest=0)
    return f"{_number(value, digits)} {shown}"


def _prefixed(value: float, unit: str, digits: int, lowest: int) -> str:
    """``value`` with the prefix that puts its mantissa in [1, 1000)."""
    exponent = max(lowest, min(18, math.floor(math.log10(abs(value)) / 3) * 3))
    mantissa = float(f"{value / 10.0 ** exponent:.{digits}g}")
    if abs(mantissa) >= 1000 and exponent < 18:  # 999.96 rounds up to the next prefix
        exponent += 3
        mantissa = float(f"{value / 10.0 ** exponent:.{digits}g}")
    if (exponent == lowest and abs(mantissa) < 1 and lowest < 0) or abs(mantissa) >= 1000:
        return f"{_number(value, digits)} {unit}"  # beyond the prefixes: scientific
    return f"{_number(mantissa, digits)} {_PREFIXES[exponent]}{unit}"


#: Prefixes of the metre in areas and volumes, largest first, and the smallest value in m^n
#: (relative to one unit) shown with each: 0.05 m³ stays in m³, 2e-4 m³ is 200 cm³.
_LENGTH_PREFIXES = ((3, "k", 1.0), (0, "", 1e-2), (-2, "c", 1.0), (-3, "m", 1e-2),
                    (-6, "µ", 1.0), (-9, "n", 1.0))


def _area_or_volume(value: float, superscript: str, power: int, digits: int) -> str:
    """m² or m³ with the prefix on the metre (cm³, mm³, µm², km³)."""
    for exponent, prefix, smallest in _LENGTH_PREFIXES:
        scale = 10.0 ** (exponent * power)
        if abs(value) >= smallest * scale:
            return f"{_number(value / scale, digits)} {prefix}m{superscript}"
    return f"{_number(value, digits)} m{superscript}"


def _number(value: float, digits: int) -> str:
    """``value`` to ``digits`` significant digits, scientific only outside 1e-3 … 1e5."""
    if not math.isfinite(value) or value == 0:
        return f"{value:g}"
    if abs(value) < 1e5 and value == int(value):
        return str(int(value))  # counts stay exact
    if 1e-3 <= abs(value) < 1e5:
        text = f"{value:.{digits}g}"
        return text if "e" not in text else f"{float(text):.0f}"  # 5208 → 5210, not 5.21e+03
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
    return f"{mantissa}e{int(exponent)}"
