"""Every registered platform side by side at its documented default design point."""
from __future__ import annotations

import cost_models
from cost_models import METRIC_UNITS, InputError
from cost_models.units import format_quantity
from cost_models.facility import FACILITY_POWER_ASSUMPTION
from cost_models.workload import IO_FRAME_RATE_ASSUMPTION

from codesign.outputs.formats import render
from codesign.points.evaluate import evaluate_point

FRAME_RATE = IO_FRAME_RATE_ASSUMPTION.name
FACILITY_POWER = FACILITY_POWER_ASSUMPTION.name
#: Settings several platforms share, each shown once under the table: (name, unit, what it is).
SHARED_SETTINGS = ((FRAME_RATE, IO_FRAME_RATE_ASSUMPTION.unit, "I/O frame rate"),
                   (FACILITY_POWER, FACILITY_POWER_ASSUMPTION.unit, "facility power cap"))
TIME_LIMIT_ROW = "time limited by"
VIOLATED_ROW = "violated"


def compare_records(scales: list[float], preset: str | None = None) -> list[dict]:
    """One record per (platform, scale, metric) at each model's default design (SI values);
    ``preset`` applies to every model that defines it. Each record names the term that sets the
    platform's time per inference, the margins an infeasible point violates (``violated``,
    ";"-joined, "" when feasible) and the shared settings it assumes (:data:`SHARED_SETTINGS`,
    None where it has none)."""
    if preset is not None and not any(preset in cost_models.get(n).presets
                                      for n in cost_models.available()):
        known = sorted({p for n in cost_models.available() for p in cost_models.get(n).presets})
        raise InputError(f"no model has a preset '{preset}' (presets: {', '.join(known)})",
                         field="preset")
    records = []
    for name in cost_models.available():
        model = cost_models.get(name)
        use = preset if preset in model.presets else None
        for params in scales:
            point = evaluate_point(model, params, use)
            violated = ";".join(m for m, margin in point["margins"].items() if margin > 0)
            for metric, unit in METRIC_UNITS.items():
                records.append({"platform": name, "params": params, "metric": metric,
                                "value": point["metrics"][metric], "unit": unit,
                                "feasible": point["feasible"], "preset": point["preset"],
                                "time_limited_by": point["time_limited_by"],
                                **{name: point["assumptions"].get(name)
                                   for name, _, _ in SHARED_SETTINGS},
                                "violated": violated})
    return records


def render_compare(records: list[dict], scales: list[float], fmt: str) -> str:
    if fmt in ("json", "csv"):
        return render(records, fmt, ["platform", "params", "metric", "value", "unit",
                                     "feasible", "preset", "time_limited_by",
                                     *(name for name, _, _ in SHARED_SETTINGS), "violated"])
    rows: dict[tuple[str, str], dict] = {}
    for r in records:
        column = f"P = {r['params']:.0e}"
        row = rows.setdefault((r["platform"], r["metric"]),
                              {"platform": r["platform"], "metric": r["metric"]})
        flag = "" if r["feasible"] else " (infeasible)"
        row[column] = format_quantity(r["value"], r["unit"]) + flag
        if r["metric"] == "time_per_inference" and r["time_limited_by"]:
            _extra_row(rows, r["platform"], TIME_LIMIT_ROW)[column] = r["time_limited_by"]
        if r["metric"] == "time_per_inference" and r["violated"]:
            _extra_row(rows, r["platform"], VIOLATED_ROW)[column] = r["violated"]
    columns = ["platform", "metric", *(f"P = {p:.0e}" for p in scales)]
    caption = "Every platform at its default design point (infeasible: a margin > 0)"
    for name, unit, what in SHARED_SETTINGS:
        caption += f"; {what} ({name}): {_setting_text(records, name, unit)}"
    return render(list(rows.values()), fmt, columns, caption=caption)


def _extra_row(rows: dict, platform: str, label: str) -> dict:
    return rows.setdefault((platform, label), {"platform": platform, "metric": label})


def _setting_text(records: list[dict], name: str, unit: str) -> str:
    """A shared setting's value, "shared by every platform" when all assume the one value, else
    each value with the platforms assuming it."""
    platforms: dict[float, list[str]] = {}
    for r in records:
        if r[name] is not None and r["platform"] not in platforms.setdefault(r[name], []):
            platforms[r[name]].append(r["platform"])
    everyone = {r["platform"] for r in records}
    if len(platforms) == 1 and set(next(iter(platforms.values()))) == everyone:
        return f"{format_quantity(next(iter(platforms)), unit)}, shared by every platform"
    return ", ".join(f"{format_quantity(value, unit)} ({', '.join(names)})"
                     for value, names in sorted(platforms.items())) or "none"
