"""The ``uncertainty`` command's record: one design's bands and sensitivity, and win
probabilities against other platforms, as JSON-ready data and as text."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from cost_models import METRIC_UNITS, InputError
from cost_models.units import format_quantity

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


def uncertainty_record(platform: Platform, params: float, design: Mapping[str, object] | None = None,
                       overrides: Mapping[str, object] | None = None,
                       samples: int = DEFAULT_SAMPLES, seed: int = 0,
                       others: Sequence[Platform] = (),
                       objectives: Sequence[str] = ("energy_per_inference",
                                                    "time_per_inference")) -> dict:
    """Bands, feasible probability and sensitivity of ``platform``'s (preset's) default design
    with ``design`` overrides at scale ``params``; with ``others``, the win probability of
    every pair of platforms on each objective (each at its nominal best design)."""
    if samples < 2:
        raise InputError(f"samples: expected at least 2 samples, got {samples}")
    if seed < 0:
        raise InputError(f"seed: expected a whole number ≥ 0, got {seed}")
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
        from codesign.uncertainty.wins import advantage_tornado, best_designs, win_probabilities

        for name in objectives:
            if name not in METRIC_UNITS:
                raise InputError(f"objectives: unknown metric '{name}' "
                                 f"(choose from {', '.join(METRIC_UNITS)})")
        best = best_designs(uncertain, [params], list(objectives), seed)
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
    for row in record.get("win_probability", []):
        lines.append("")
        lines.append(f"{row['platform']} beats {row['other']} on {row['objective']} at "
                     f"P = {row['params']:.3g}: {row['probability']:.4f} "
                     f"(95 % {row['low']:.4f} … {row['high']:.4f}; advantage "
                     f"{row['advantage_p5']:.3g}× … {row['advantage_p95']:.3g}×, "
                     f"nominal {row['nominal_advantage']:.3g}×)")
    if record.get("advantage_sensitivity"):
        lines += ["", "assumptions that move the advantage most (decades):"]
        for row in record["advantage_sensitivity"][:SHOWN_SWINGS // 2]:
            lines.append(f"  {row['assumption']:<28} {row['objective']:<22} "
                         f"{row['platform']} vs {row['other']}: {row['swing']:.2f}")
    return "\n".join(lines) + "\n"
