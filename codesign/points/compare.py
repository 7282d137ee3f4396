"""Every registered platform side by side at its documented default design point."""
from __future__ import annotations

import cost_models
from cost_models import METRIC_UNITS
from cost_models.units import format_quantity

from codesign.outputs.formats import render
from codesign.points.evaluate import evaluate_point


def compare_records(scales: list[float], preset: str | None = None) -> list[dict]:
    """One record per (platform, scale, metric) at each model's default design (SI values);
    ``preset`` applies to every model that defines it."""
    records = []
    for name in cost_models.available():
        model = cost_models.get(name)
        use = preset if preset in model.presets else None
        for params in scales:
            point = evaluate_point(model, params, use)
            for metric, unit in METRIC_UNITS.items():
                records.append({"platform": name, "params": params, "metric": metric,
                                "value": point["metrics"][metric], "unit": unit,
                                "feasible": point["feasible"], "preset": point["preset"]})
    return records


def render_compare(records: list[dict], scales: list[float], fmt: str) -> str:
    if fmt in ("json", "csv"):
        return render(records, fmt, ["platform", "params", "metric", "value", "unit",
                                     "feasible", "preset"])
    rows: dict[tuple[str, str], dict] = {}
    for r in records:
        row = rows.setdefault((r["platform"], r["metric"]),
                              {"platform": r["platform"], "metric": r["metric"]})
        flag = "" if r["feasible"] else " (infeasible)"
        row[f"P = {r['params']:.0e}"] = format_quantity(r["value"], r["unit"]) + flag
    columns = ["platform", "metric", *(f"P = {p:.0e}" for p in scales)]
    return render(list(rows.values()), fmt, columns,
                  caption="Every platform at its default design point (infeasible: a margin > 0)")
