"""What a reader sees instead of identifiers: axis titles with units, values with units, and
ASCII file names. A leaf module (no pandas, plotly or Optuna).

Names come from the columns every table carries (``name [unit]``, see
:mod:`codesign.outputs.schema`) and units from the models' declarations, so a new metric or
design variable gets a readable label without being listed here.
"""
from __future__ import annotations

import re
import unicodedata

from cost_models.units import format_quantity, pretty_unit

#: Words written differently from their identifier.
_WORDS = {"io": "I/O", "rom": "ROM", "gpu": "GPU", "kv": "KV", "hbm": "HBM", "si": "SI"}
_COLUMN = re.compile(r"^(?P<name>.*?) \[(?P<unit>[^\]]*)\]$")


def split_column(column: str) -> tuple[str, str]:
    """``"energy_per_inference [J]"`` → ``("energy_per_inference", "J")``; dimensionless
    (``[1]``) and bare names give ``""`` as the unit."""
    match = _COLUMN.match(column)
    if not match:
        return column, ""
    unit = match["unit"]
    return match["name"], "" if unit == "1" else unit.replace("^", "**")


#: Table columns that are not ``name [unit]``.
_NAMES = {"params": "Model size P (parameters)"}


def human_name(name: str) -> str:
    """``"energy_per_inference"`` → ``"Energy per inference"``, ``"io_dimension"`` → ``"I/O
    dimension"``."""
    if name in _NAMES:
        return _NAMES[name]
    words = [_WORDS.get(w, w) for w in name.removeprefix("margin:").split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def axis_title(column: str) -> str:
    """An axis title with its unit: ``"Energy per inference (J)"``, ``"Volume (m³)"``."""
    name, unit = split_column(column)
    return f"{human_name(name)} ({pretty_unit(unit)})" if unit else human_name(name)


def value_text(value, column: str, digits: int = 4) -> str:
    """A table cell as text with its unit: ``"1.2 ps"``, ``"8 bit"``, ``"2D"``."""
    if isinstance(value, str) or value is None:
        return "" if value is None else value
    if isinstance(value, (bool,)):
        return "yes" if value else "no"
    return format_quantity(float(value), split_column(column)[1], digits)


def ascii_slug(text: str) -> str:
    """A file-name part made of ASCII letters, digits, ``-`` and ``_`` (``"crossbar (N⁴)"`` →
    ``"crossbar_N4"``)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9-]+", "_", plain).strip("_") or "figure"


def count_text(count: int, singular: str, plural: str | None = None) -> str:
    """``"1 distinct design"``, ``"3 distinct designs"``."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def reference_network(weight_bits: float, io_bits: float) -> str:
    """The equal-loss reference with its article: ``"an 8-bit-weight, 4-bit-I/O network"``."""
    weights = f"{weight_bits:g}"
    spoken_vowel = weights.startswith("8") or weights.split(".")[0] in ("11", "18")
    return f"{'an' if spoken_vowel else 'a'} {weights}-bit-weight, {io_bits:g}-bit-I/O network"
