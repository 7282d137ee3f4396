"""A robustness run over platforms and scales: what a study file's ``[uncertainty]`` section
and the app's Robustness page compute, as plain records.

For every platform, scale and objective, the platform's best design for that objective (at
nominal assumptions: a study's searched best, or the exact reference optimum) is evaluated
under the shared samples: bands of every metric and margin, its feasible probability, its
one-at-a-time sensitivity on the objectives, and the win probability of every pair of
platforms; the assumptions that move each pair's advantage most; global Sobol indices of
each platform's objectives at ``sobol_scale``; and each platform's front at median
assumptions with its bands (:mod:`codesign.uncertainty.fronts`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from codesign.uncertainty.bands import DEFAULT_SAMPLES, design_bands
from codesign.uncertainty.fronts import FRONT_SAMPLES, front_bands
from codesign.uncertainty.platforms import Uncertain
from codesign.uncertainty.sensitivity import sobol, tornado
from codesign.uncertainty.wins import SpaceFor, advantage_tornado, full_space, win_probabilities

Best = Mapping[tuple[str, float, str], dict | None]


@dataclass
class Robustness:
    bands: list[dict] = field(default_factory=list)  # one row per platform, scale, design, quantity
    wins: list[dict] = field(default_factory=list)
    tornado: list[dict] = field(default_factory=list)
    advantage: list[dict] = field(default_factory=list)
    sobol: list[dict] = field(default_factory=list)
    fronts: list[dict] = field(default_factory=list)  # front designs with bands and probabilities


def robustness(platforms: Sequence[Uncertain], scales: Sequence[float], objectives: Sequence[str],
               best: Best, samples: int = DEFAULT_SAMPLES, seed: int = 0,
               compare_to: str | None = None, sobol_scale: float | None = None,
               space_for: SpaceFor | None = full_space) -> Robustness:
    """Records for every (platform, scale, objective) with a best design in ``best``
    ((label, scale, objective) → SI design or None). The advantage tornado covers the pairs
    with ``compare_to`` when given, else every pair. Front bands use ``min(samples, 500)``
    samples over ``space_for(platform, scale)``; ``space_for=None`` skips them."""
    out = Robustness()
    objectives = list(objectives)
    for platform in platforms:
        for params in scales:
            if space_for is not None:
                out.fronts.extend({"variant": platform.label, "platform": platform.model.name,
                                   "params": params, **row}
                                  for row in front_bands(platform, params, objectives,
                                                         space_for(platform, params),
                                                         min(samples, FRONT_SAMPLES), seed))
            for objective in objectives:
                design = best.get((platform.label, params, objective))
                if design is None:
                    continue
                where = {"variant": platform.label, "params": params, "design_for": objective}
                bands = design_bands(platform, params, design, samples, seed)
                for kind in ("metrics", "margins"):
                    for quantity, row in bands[kind].items():
                        out.bands.append({**where, "kind": kind[:-1], "quantity": quantity, **row,
                                          "feasible_probability": bands["feasible_probability"]})
                out.tornado.extend({**where, **row} for row in
                                   tornado(platform, params, design, objectives))
                if params == sobol_scale:
                    out.sobol.extend({**where, **row} for row in
                                     sobol(platform, params, design, objectives, seed=seed))
    out.wins = win_probabilities(platforms, scales, objectives, samples, seed, best)
    if compare_to is None:
        out.advantage = advantage_tornado(platforms, scales, objectives, seed, best)
    else:  # each platform against the reference: advantage = reference's value / platform's
        reference = [p for p in platforms if p.label == compare_to]
        for other in platforms:
            if other.label != compare_to:
                out.advantage.extend(advantage_tornado([other, *reference], scales, objectives,
                                                       seed, best))
        out.advantage.sort(key=lambda r: -r["swing"])
    return out
