"""The paper's Table 1 (and its appendix figures) recomputed from the models' ``paper`` presets."""
from __future__ import annotations

from functools import lru_cache

import cost_models
from cost_models import METRIC_UNITS
from cost_models.base import Evaluation
from cost_models.paper import APPENDIX, SCALES, TABLE1, paper_checks, paper_margin, significant
from cost_models.units import format_quantity

from codesign.outputs.formats import render

PRESET = "paper"


@lru_cache(maxsize=None)
def _cached_evaluation(platform: str, params: float, overrides: tuple) -> Evaluation:
    model = cost_models.get(platform)
    return model.evaluate(params, model.default_design(params, PRESET),
                          {**model.resolve_assumptions(PRESET), **dict(overrides)})


def _evaluation(platform: str, params: float, overrides: dict | None = None) -> Evaluation:
    """The paper preset's design at ``params``, with assumption ``overrides`` (SI)."""
    return _cached_evaluation(platform, params, tuple(sorted((overrides or {}).items())))


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
            for params, paper_value in zip(SCALES, figure.paper_values):
                evaluation = _evaluation(figure.platform, params)
                group = {"diagnostic": evaluation.diagnostics, "metric": evaluation.metrics,
                         "margin": evaluation.margins}[figure.source]
                value = float(group[figure.quantity])
                records.append({
                    "platform": figure.platform, "metric": figure.quantity, "params": params,
                    "value": value, "unit": figure.unit, "paper_value": paper_value,
                    "rounded_value": _rounded(value),
                    "paper_text": figure.paper_note, "scaling": "", "section": "appendix",
                })
        records += _margin_records() + _check_records()
    return records


def _margin_records() -> list[dict]:
    """Every margin of the paper's designs, with how the paper treats it; margins the paper
    preset neglects with the paper are evaluated with that physics restored."""
    records = []
    for platform in dict.fromkeys(cell.platform for cell in TABLE1):
        for params in SCALES:
            for name in _evaluation(platform, params).margins:
                treatment = paper_margin(platform, name)
                value = float(_evaluation(platform, params, dict(treatment.restore)).margins[name])
                records.append({
                    "platform": platform, "metric": name, "params": params,
                    "value": value, "unit": "", "paper_value": None,
                    "rounded_value": _rounded(float(value)), "paper_text": treatment.note,
                    "scaling": "", "section": "margin", "neglected": not treatment.checked,
                })
    return records


def _check_records() -> list[dict]:
    """The paper's statements that its own inputs contradict."""
    return [{"platform": c.platform, "metric": c.quantity, "params": c.params, "value": c.value,
             "unit": c.unit, "paper_value": c.paper_value, "rounded_value": _rounded(c.value),
             "paper_text": c.note, "scaling": "", "section": "check"}
            for c in paper_checks(_evaluation)]


def _rounded(value: float) -> float | None:
    return significant(value, 2) if abs(value) < float("inf") else None


def _shown(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "":
        return f"{value:.3g}"
    return format_quantity(value, unit)


SECTION_TITLES = {"table1": "Table 1", "appendix": "Appendix", "margin": "Margin",
                  "check": "Paper check"}


def reproduced(record: dict) -> bool:
    """Whether a computed Table 1 cell, rounded as the paper rounds, equals the paper's value."""
    return (record["paper_value"] is not None and record["rounded_value"] is not None
            and abs(record["rounded_value"] / record["paper_value"] - 1) < 1e-6)


def _check(r: dict) -> str:
    """The last column: Table 1 match, deviation from an appendix figure, a margin's state
    (with the paper's neglect marked), or the ratio of a recomputed statement to the paper's."""
    if r["section"] == "table1":
        return "✓" if reproduced(r) else "✗"
    if r["section"] == "margin":
        state = "ok" if r["value"] <= 0 else "VIOLATED"
        return state + (" · neglected by the paper" if r["neglected"] else "")
    if r["section"] == "check":
        return f"×{r['value'] / r['paper_value']:.3g}"
    if r["paper_value"]:
        return f"{100 * (r['value'] / r['paper_value'] - 1):+.1f} %"
    return ""


def render_table1(records: list[dict], fmt: str) -> str:
    """Table 1 as ``fmt``: JSON and CSV carry every field in SI; text, Markdown and LaTeX show
    computed → paper-rounded value against the paper's, with units, as the paper lays it out."""
    if fmt in ("json", "csv"):
        columns = ["section", "platform", "metric", "params", "value", "unit", "paper_value",
                   "rounded_value", "paper_text", "scaling", "neglected"]
        return render(records, fmt, columns)
    rows = []
    for r in records:
        if r["section"] == "table1":
            paper = r["paper_text"]
        elif r["section"] == "margin":
            paper = r["paper_text"]
        else:
            paper = _shown(r["paper_value"], r["unit"]) + f"  ({r['paper_text']})"
        rows.append({
            "section": SECTION_TITLES[r["section"]],
            "platform": r["platform"], "metric": r["metric"],
            "P": "" if r["params"] is None else f"{r['params']:.0e}",
            "computed": _shown(r["value"], r["unit"]),
            "rounded": _shown(r["rounded_value"], r["unit"]),
            "paper": paper, "check": _check(r),
        })
    headers = ["", "platform", "metric", "P", "computed", "paper rounding", "paper", "match"]
    caption = ("Table 1 of Wright et al. (arXiv 2604.27911) recomputed with the 'paper' preset "
               "of each model")
    return render(rows, fmt, list(rows[0]), headers, caption)
