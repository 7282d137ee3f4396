"""Evaluate one design point of a registered model and describe it as a plain record."""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

import cost_models
from cost_models import METRIC_UNITS, PARAMS_RANGE, InputError
from cost_models.base import CostModel


def parse_params(text: str | float) -> float:
    """A model scale P (parameters): a positive finite number such as ``1e12``."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise InputError(f"{text!r} is not a number; expected a parameter count such as 1e12",
                         field="params") from None
    if not math.isfinite(value) or value <= 0:
        raise InputError(f"{text!r} must be a positive finite parameter count (e.g. 1e12)",
                         field="params")
    return check_scale(value, "params")


def check_scale(params: float, field: str) -> float:
    """``params`` if it lies in the scales the cost models cover (:data:`PARAMS_RANGE`)."""
    low, high = PARAMS_RANGE
    if not low <= params <= high:
        raise InputError(f"{params:g} parameters is outside the scales the cost models cover "
                         f"({low:g} to {high:g})", field=field)
    return params


def parse_params_list(text: str) -> list[float]:
    """Comma-separated distinct scales: ``1e12,1e15,1e18``; an empty entry or a scale given
    twice is an error."""
    items = [item.strip() for item in str(text).split(",")]
    if not any(items):
        raise InputError("expected one or more parameter counts, e.g. 1e12,1e15", field="params")
    if not all(items):
        raise InputError(f"empty entry in {text!r}; expected counts such as 1e12,1e15",
                         field="params")
    scales = [parse_params(item) for item in items]
    repeated = sorted({s for s in scales if scales.count(s) > 1})
    if repeated:
        raise InputError(f"{', '.join(f'{s:g}' for s in repeated)} given more than once",
                         field="params")
    return scales


def parse_assignments(field: str, items: list[str] | None) -> dict[str, str]:
    """``["name=value", ...]`` into a dict (values still text) for input ``field``."""
    parsed: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"expected name=value, got {item!r}", field=field)
        parsed[name.strip()] = value.strip()
    return parsed


def evaluate_point(model: CostModel, params: float, preset: str | None = None,
                   design: Mapping[str, object] | None = None,
                   assumptions: Mapping[str, object] | None = None) -> dict:
    """Evaluate ``model`` at its (preset's) default design with overrides; a JSON-ready record."""
    values = model.resolve_assumptions(preset, assumptions)
    point = model.default_design(params, preset, design)
    result = model.evaluate(params, point, values)
    scalars = lambda d: {k: float(np.asarray(v)) for k, v in d.items()}  # noqa: E731
    return {
        "model": model.name,
        "params": params,
        "preset": preset or "default",
        "design": point,
        "assumptions": values,
        "metrics": scalars(result.metrics),
        "breakdown": scalars(result.breakdown),
        "margins": scalars(result.margins),
        "diagnostics": scalars(result.diagnostics),
        "time_limited_by": time_limited_by(model, result.diagnostics),
        "feasible": bool(np.all(result.feasible)),
    }


def time_limited_by(model: CostModel, diagnostics: Mapping[str, np.ndarray]) -> str | None:
    """The name of the term that sets the time per inference of one evaluated point."""
    code = diagnostics.get("time_limited_by")
    return None if code is None else model.time_terms[int(np.asarray(code))]


def describe_point(record: dict) -> str:
    """A person's view of :func:`evaluate_point`'s record, with units."""
    from cost_models.units import format_quantity as fq

    model = cost_models.get(record["model"])
    lines = [f"{model.title} at P = {record['params']:.3g} (preset: {record['preset']})", "",
             "design:"]
    for variable in model.design_variables:
        value = record["design"][variable.name]
        shown = value if isinstance(value, str) else fq(value, variable.unit, 4)
        lines.append(f"  {variable.name:<28} {shown}")
    lines.append("metrics:")
    for name, unit in METRIC_UNITS.items():
        lines.append(f"  {name:<28} {fq(record['metrics'][name], unit, 4)}")
    if record["time_limited_by"]:
        lines.append(f"  {'time limited by':<28} {record['time_limited_by']}")
    lines.append("energy breakdown (per inference):")
    for name, value in record["breakdown"].items():
        lines.append(f"  {name:<28} {fq(value, 'J', 4)}")
    if record["margins"]:
        lines.append("margins (<= 0 satisfied):")
        for name, value in record["margins"].items():
            state = "ok" if value <= 0 else "VIOLATED"
            lines.append(f"  {name:<28} {value:+.4g}  {state}  "
                         f"({model.margin_descriptions.get(name, '')})")
    lines.append("diagnostics:")
    for name, value in record["diagnostics"].items():
        lines.append(f"  {name:<28} {fq(value, model.diagnostic_units.get(name, ''), 4)}")
    lines.append(f"feasible: {'yes' if record['feasible'] else 'no'}")
    return "\n".join(lines) + "\n"
