"""Column names of every table pfm-codesign writes: ``name [unit]`` with the unit in pint syntax
(``m^3``; ``1`` for dimensionless), so a CSV header states the unit of every value."""
from __future__ import annotations

from cost_models import METRIC_UNITS


def unit_label(unit: str) -> str:
    """A unit as written in column headers (``m**3`` → ``m^3``; dimensionless → ``1``)."""
    return unit.replace("**", "^") if unit else "1"


def column(metric: str) -> str:
    """The CSV column of a metric (``energy_per_inference [J]``)."""
    return f"{metric} [{unit_label(METRIC_UNITS[metric])}]"
