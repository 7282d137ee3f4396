"""The ``uncertainty`` command's record: one design's bands and sensitivity, and win
probabilities against other platforms, as JSON-ready data and as text."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from cost_models import METRIC_UNITS, InputError
from cost_models.units import format_quantity, unknown_name

from codesign.outputs.labels import reference_network
from codesign.platform import Platform
from codesign.uncertainty.bands import DEFAULT_SAMPLES, design_bands
from codesign.uncertainty.platforms import Uncertain, check_overrides
from codesign.uncertainty.sensitivity import sobol, tornado

SHOWN_SWINGS = 12  # tornado rows in the text view


def parse_platform(text: str) -> Platform:
    """``model`` or ``model:preset``."""
    model, _, preset = text.strip().partition(":")
    if not model:
        raise InputError(f"platform {text!r}: expected MODEL or MODEL:PRESET")
    return Platform(model, preset or None)


#: The allowed excess of reducible loss when ``--equal-loss`` gives none (as in study files).
EQUAL_LOSS_TOLERANCE = 0.05


def parse_equal_loss(text: str) -> dict[str, float]:
    """``W,IO[,TOL]`` → the equal-loss reference of a study file: a network with W-bit weights
    and IO-bit I/O, its reducible loss allowed the fraction TOL more (default 0.05)."""
    parts = [p.strip() for p in text.split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) not in (2, 3) or not all(math.isfinite(v) for v in values):
        raise InputError(f"expected WEIGHT_BITS,IO_BITS[,TOLERANCE] (e.g. 8,8,0.05), got "
                         f"{text!r}", field="equal_loss")
    for name, bits in zip(("weight bits", "I/O bits"), values[:2]):
        if not 1 <= bits <= 16:
            raise InputError(f"{name} must be 1 … 16, got {bits:g}", field="equal_loss")
    tolerance = values[2] if len(values) == 3 else EQUAL_LOSS_TOLERANCE
    if tolerance < 0:
        raise InputError(f"tolerance must be ≥ 0, got {tolerance:g}", field="equal_loss")
    return {"weight_precision": values[0], "io_precision": values[1], "tolerance": tolerance}


def uncertainty_record(platform: Platform, params: float, design: Mapping[str, object] | None = None,
                       overrides: Mapping[str, object] | None = None,
                       samples: int = DEFAULT_SAMPLES, seed: int = 0,
                       others: Sequence[Platform] = (),
                       objectives: Sequence[str] = ("energy_per_inference",
                                                    "time_per_inference"),
                       equal_loss: Mapping[str, float] | None = None) -> dict:
    """Bands, feasible probability and sensitivity of ``platform``'s (preset's) default design
    with ``design`` overrides at scale ``params``; with ``others``, the win probability of
    every pair of platforms on each objective (each at its nominal best design; among the
    designs at most as lossy as the ``equal_loss`` reference network when one is given, see
    :func:`parse_equal_loss`)."""
    if samples < 2:
        raise InputError(f"expected at least 2 samples, got {samples}", field="samples")
    if seed < 0:
        raise InputError(f"expected a whole number ≥ 0, got {seed}", field="seed")
    overrides = dict(overrides or {})
    compared = [platform, *(p for p in others if (p.model, p.preset) != (platform.model,
                                                                         platform.preset))]
    uncertain = [Uncertain.of(p, overrides) for p in compared]
    check_overrides(overrides, [u.model for u in uncertain])
    main = uncertain[0]
    point = main.model.default_design(params, platform.preset, design)
    bands = design_bands(main, params, point, samples, seed)
    record = {
        "model": main.model.name, "preset": platform.preset or "default", "params": params,
        "design": point, "samples": samples, "seed": seed,
        "spreads": {name: main.spreads[name].describe() for name in main.spreads},
        **bands,
        "sensitivity": tornado(main, params, point),
        "global_sensitivity": sobol(main, params, point, seed=seed),
    }
    if len(uncertain) > 1:
        from codesign.uncertainty.wins import (advantage_tornado, best_designs, equal_loss_limits,
                                               win_probabilities)

        for name in objectives:
            if name not in METRIC_UNITS:
                raise unknown_name("metric", name, METRIC_UNITS, field="objectives")
        limits = equal_loss_limits(equal_loss) if equal_loss else None
        best = best_designs(uncertain, [params], list(objectives), seed, loss_limit=limits)
        record["compared_designs"] = [{"platform": label, "objective": objective, "design": design}
                                      for (label, _, objective), design in best.items()]
        if equal_loss:
            record["equal_loss"] = {**equal_loss, "limits": {
                u.label: limits(u, params) for u in uncertain}}
        record["win_probability"] = win_probabilities(uncertain, [params], list(objectives),
                                                      samples, seed, best)
        record["advantage_sensitivity"] = advantage_tornado(uncertain, [params],
                                                            list(objectives), seed, best)
    return record


def describe_record(record: dict) -> str:
    """A person's view of :func:`uncertainty_record`."""
    lines = [f"{record['model']} at P = {record['params']:.3g} (preset: {record['preset']}), "
             f"{record['samples']} samples, seed {record['seed']}", "",
             f"{'metric':<26} {'p5':>12} {'p50':>12} {'p95':>12} {'nominal':>12}"]
    for name, row in record["metrics"].items():
        cells = " ".join(f"{format_quantity(row[k], row['unit']):>12}"
                         for k in ("p5", "p50", "p95", "nominal"))
        lines.append(f"{name:<26} {cells}")
    if record["margins"]:
        lines += ["", f"{'margin (<= 0 ok)':<26} {'p5':>12} {'p50':>12} {'p95':>12} {'nominal':>12}"]
        for name, row in record["margins"].items():
            cells = " ".join(f"{row[k]:>12.4g}" for k in ("p5", "p50", "p95", "nominal"))
            lines.append(f"{name:<26} {cells}")
    lines += ["", f"feasible probability: {record['feasible_probability']:.3f}", "",
              "largest one-at-a-time swings (others nominal; swing in decades):"]
    for row in record["sensitivity"][:SHOWN_SWINGS]:
        unit = METRIC_UNITS[row["metric"]]
        lines.append(f"  {row['assumption']:<28} {row['metric']:<22} "
                     f"{format_quantity(row['low'], unit):>11} … "
                     f"{format_quantity(row['high'], unit):<11} {row['swing']:.2f}")
    if record.get("equal_loss"):
        reference = record["equal_loss"]
        network = reference_network(reference["weight_precision"], reference["io_precision"])
        lines += ["", f"compared at equal model loss: best designs at most as lossy as "
                      f"{network} (reducible loss +{100 * reference['tolerance']:g} %): "
                  + ", ".join(f"{label} ≤ {limit:.4g} nats" for label, limit
                              in reference["limits"].items())]
    for row in record.get("win_probability", []):
        lines.append("")
        lines.append(f"{row['platform']} beats {row['other']} on {row['objective']} at "
                     f"P = {row['params']:.3g}: {row['probability']:.4f} "
                     f"(95 % {row['low']:.4f} … {row['high']:.4f}; advantage "
                     f"{row['advantage_p5']:.3g}× … {row['advantage_p95']:.3g}×, "
                     f"nominal {row['nominal_advantage']:.3g}×)")
        lines.append(f"  feasible: {row['platform']} {row['platform_feasible']:.3f}, "
                     f"{row['other']} {row['other_feasible']:.3f}, both "
                     f"{row['both_feasible']:.3f} (a win needs the winner feasible)")
    if record.get("advantage_sensitivity"):
        lines += ["", "assumptions that move the advantage most (decades):"]
        for row in record["advantage_sensitivity"][:SHOWN_SWINGS // 2]:
            lines.append(f"  {row['assumption']:<28} {row['objective']:<22} "
                         f"{row['platform']} vs {row['other']}: {row['swing']:.2f}")
    return "\n".join(lines) + "\n"
