"""The paper's Table 1 (and its appendix figures) recomputed from the models' ``paper`` presets."""
from __future__ import annotations

from functools import lru_cache

import cost_models
from cost_models import METRIC_UNITS
from cost_models.base import Evaluation
from cost_models.paper import APPENDIX, TABLE1, significant
from cost_models.units import format_quantity

from codesign.outputs.formats import render

PRESET = "paper"


@lru_cache(maxsize=None)
def _evaluation(platform: str, params: float) -> Evaluation:
    model = cost_models.get(platform)
    return model.evaluate(params, model.default_design(params, PRESET),
                          model.resolve_assumptions(PRESET))


def table1_records(appendix: bool = False) -> list[dict]:
    """One record per Table 1 cell: computed SI value, paper value, value rounded as the paper
    rounds it; with ``appendix`` also the App. A.2 figures (``rounded_value`` to 2 figures)."""
    records = []
    for cell in TABLE1:
        evaluation = _evaluation(cell.platform, cell.params)
        records.append({
            "platform": cell.platform, "metric": cell.metric, "params": cell.params,
            "value": float(evaluation.metrics[cell.metric]), "unit": METRIC_UNITS[cell.metric],
            "paper_value": cell.paper_value, "rounded_value": cell.rounding(evaluation),
            "paper_text": cell.paper_text, "scaling": cell.scaling, "section": "table1",
        })
    if appendix:
        for figure in APPENDIX:
            for params, paper_value in zip((1e12, 1e15, 1e18), figure.paper_values):
                evaluation = _evaluation(figure.platform, params)
                group = {"diagnostic": evaluation.diagnostics, "metric": evaluation.metrics,
                         "margin": evaluation.margins}[figure.source]
                value = float(group[figure.quantity])
                records.append({
                    "platform": figure.platform, "metric": figure.quantity, "params": params,
                    "value": value, "unit": figure.unit, "paper_value": paper_value,
                    "rounded_value": significant(value, 2) if abs(value) < float("inf") else None,
                    "paper_text": figure.paper_note, "scaling": "", "section": "appendix",
                })
    return records


def _shown(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "":
        return f"{value:.3g}"
    return format_quantity(value, unit)


def render_table1(records: list[dict], fmt: str) -> str:
    """Table 1 as ``fmt``: JSON and CSV carry every field in SI; text, Markdown and LaTeX show
    computed → paper-rounded value against the paper's, with units, as the paper lays it out."""
    if fmt in ("json", "csv"):
        columns = ["section", "platform", "metric", "params", "value", "unit", "paper_value",
                   "rounded_value", "paper_text", "scaling"]
        return render(records, fmt, columns)
    rows = []
    for r in records:
        matches = (r["paper_value"] is not None and r["rounded_value"] is not None
                   and abs(r["rounded_value"] / r["paper_value"] - 1) < 1e-6)
        if r["section"] == "table1":
            check = "✓" if matches else "✗"
        elif r["paper_value"]:
            check = f"{100 * (r['value'] / r['paper_value'] - 1):+.1f} %"
        else:
            check = ""
        rows.append({
            "section": "Table 1" if r["section"] == "table1" else "Appendix",
            "platform": r["platform"], "metric": r["metric"], "P": f"{r['params']:.0e}",
            "computed": _shown(r["value"], r["unit"]),
            "rounded": _shown(r["rounded_value"], r["unit"]),
            "paper": r["paper_text"] if r["section"] == "table1" else
            (_shown(r["paper_value"], r["unit"]) + f"  ({r['paper_text']})"),
            "check": check,
        })
    headers = ["", "platform", "metric", "P", "computed", "paper rounding", "paper", "match"]
    caption = ("Table 1 of Wright et al. (arXiv 2604.27911) recomputed with the 'paper' preset "
               "of each model")
    return render(rows, fmt, list(rows[0]), headers, caption)
