"""Check a model against its declared anchors (published measurements), without pytest.

:func:`anchor_problems` evaluates one :class:`~cost_models.base.Anchor` and returns one line per
mismatch, each naming the quantity, the computed and expected SI values and how far apart they
are; a factor that is a power of 1000 is named as the unit prefix it most likely is.
"""
from __future__ import annotations

import math

from .base import METRIC_UNITS, Anchor, CostModel, Evaluation

_PREFIXES = {-15: "f", -12: "p", -9: "n", -6: "µ", -3: "m", 3: "k", 6: "M", 9: "G", 12: "T",
             15: "P"}


def evaluate_anchor(model: CostModel, anchor: Anchor) -> Evaluation:
    """The model at the anchor's scale, preset, design and assumption overrides."""
    assumptions = model.resolve_assumptions(anchor.preset, anchor.assumptions)
    design = model.default_design(anchor.params, anchor.preset, anchor.design)
    return model.evaluate(anchor.params, design, assumptions)


def anchor_problems(model: CostModel, anchor: Anchor) -> list[str]:
    """Every way the model misses ``anchor`` (empty when it reproduces it)."""
    result = evaluate_anchor(model, anchor)
    label = f"{model.name}: anchor '{anchor.name}'"
    problems = []
    breakdown_units = {name: "J" for name in result.breakdown}
    for group, values, computed_group, units in (
            ("metric", anchor.metrics, result.metrics, METRIC_UNITS),
            ("breakdown", anchor.breakdown, result.breakdown, breakdown_units),
            ("diagnostic", anchor.diagnostics, result.diagnostics, model.diagnostic_units)):
        for name, expected in values.items():
            if name not in computed_group:
                problems.append(f"{label}: {group} '{name}' is not returned (returned: "
                                f"{', '.join(computed_group)})")
                continue
            computed = float(computed_group[name])
            problem = _mismatch(computed, expected, anchor.tolerance, units[name])
            if problem:
                problems.append(f"{label}: {group} '{name}' {problem}")
    for name, satisfied in anchor.margin_satisfied.items():
        value = float(result.margins[name])
        if (value <= 0) != satisfied:
            said = "satisfied (≤ 0)" if satisfied else "violated (> 0)"
            problems.append(
                f"{label}: margin '{name}' = {value:+.3g} but the source says it is {said}; "
                f"is the margin's sign flipped? (the contract: a margin ≤ 0 means satisfied; "
                f"{model.margin_descriptions[name]})")
    return problems


def _mismatch(computed: float, expected: float, tolerance: float, unit: str) -> str:
    unit = unit or "(dimensionless)"
    if not (math.isfinite(computed) and computed > 0):
        return f"= {computed!r} {unit}, expected {expected:.4g} {unit}"
    ratio = computed / expected
    if 1 / tolerance <= ratio <= tolerance:
        return ""
    text = (f"= {computed:.4g} {unit}, expected {expected:.4g} {unit} within a factor "
            f"{tolerance:g}: off by ×{ratio:.3g}")
    decade = round(math.log10(ratio))
    if decade % 3 == 0 and decade and abs(math.log10(ratio) - decade) < math.log10(1.5):
        prefix = _PREFIXES.get(-decade)
        if prefix:
            text += (f", the size of the unit prefix '{prefix}': is it returned in "
                     f"{prefix}{unit} instead of SI {unit}?")
    return text
