"""Analytic, vectorised cost models of fixed-hardware neural-network platforms (SI units)."""
from .base import (METRIC_DESCRIPTIONS, METRIC_UNITS, PARAMS_RANGE, Anchor, Assumption,
                   ContractError, CostModel, DesignVariable, Evaluation, Outputs, Preset)
from .registry import available, get, plugin_errors
from .units import InputError, format_quantity, parse_quantity

__all__ = [
    "METRIC_DESCRIPTIONS", "METRIC_UNITS", "PARAMS_RANGE", "Anchor", "Assumption",
    "ContractError", "CostModel", "DesignVariable", "Evaluation", "InputError", "Outputs",
    "Preset", "available", "format_quantity",
    "get", "parse_quantity", "plugin_errors",
]
