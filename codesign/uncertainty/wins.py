"""Win probabilities: how often one platform's best design beats another's when the
assumptions are uncertain.

For each objective and scale, each platform's best design is found at its nominal assumptions
(the exact reference front of that one objective over its search space; at equal model loss
when a loss limit is given, as in a study compared at equal loss); both designs are
then evaluated under the same S samples (:mod:`cost_models.sampling`: assumptions of the same
name take the same quantile on both platforms). The platform *wins* a sample when its design
is feasible there and the other's is not, or both are feasible and its value is strictly
lower: a design that breaks a margin in a sample wins nothing in it, however cheap. A sample
in which neither is feasible is a win for neither, so the two directions need not sum to 1;
``both_feasible`` is the share of samples in which the comparison of values applies. The
probability is k / S, with a 95 % Wilson score interval (Wilson, JASA 22, 209 (1927)), which
stays inside [0, 1] and is not degenerate at k = 0 or S: 1.0 is reported only when no sample
reverses the order or breaks the winner. The advantage band (second's value / first's) is
over all samples, feasible or not: it says how far apart the values are, not who wins.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from itertools import combinations

import numpy as np

from codesign.search.reference import reference_front
from codesign.search.space import SearchSpace
from codesign.uncertainty.bands import DEFAULT_SAMPLES, band
from codesign.uncertainty.platforms import Uncertain

Z_95 = 1.959963984540054  # two-sided 95 % normal quantile
DESIGN_SAMPLES = 2**14  # Sobol designs per best-design search (plus the front's refinement)

LOSS = "model_loss"  # the model-quality metric designs are matched on (issue 11)

SpaceFor = Callable[[Uncertain, float], SearchSpace]
LossLimit = Callable[[Uncertain, float], float]


def wilson(wins: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion ``wins / trials``."""
    p = wins / trials
    denominator = 1 + z**2 / trials
    centre = (p + z**2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / denominator
    low = 0.0 if wins == 0 else max(0.0, centre - half)  # exact ends (no rounding below 1)
    high = 1.0 if wins == trials else min(1.0, centre + half)
    return low, high


def full_space(platform: Uncertain, params: float) -> SearchSpace:
    """Every design variable free over its declared range."""
    return SearchSpace.build(platform.model)


def nominal_best(platform: Uncertain, params: float, objective: str,
                 space: SearchSpace | None = None, seed: int = 0,
                 loss_limit: float | None = None) -> dict | None:
    """The feasible design with the lowest ``objective`` at nominal assumptions (SI values),
    among designs whose ``model_loss`` is at most ``loss_limit`` when one is given (equal model
    quality); None when no sampled design qualifies."""
    space = space or full_space(platform, params)
    objectives = [objective] if loss_limit is None else [objective, LOSS]
    front = reference_front(space, params, objectives, platform.nominal,
                            samples=DESIGN_SAMPLES, seed=seed)
    allowed = np.ones(len(front.objectives), dtype=bool) if loss_limit is None \
        else front.objectives[:, 1] <= loss_limit
    if not allowed.any():
        return None
    i = int(np.flatnonzero(allowed)[np.argmin(front.objectives[allowed, 0])])
    return {name: values[i] if isinstance(values[i], str) else float(values[i])
            for name, values in front.designs.items()}


def compare(first: Uncertain, second: Uncertain, params: float, objective: str,
            first_design: dict, second_design: dict, samples: int = DEFAULT_SAMPLES,
            seed: int = 0) -> dict:
    """How often ``first_design`` of ``first`` beats ``second_design`` of ``second`` on
    ``objective`` under shared samples (feasible, and the other infeasible or worse); the
    advantage (second's value / first's) as a band."""
    a = first.evaluate(params, first_design, first.draw(samples, seed))
    b = second.evaluate(params, second_design, second.draw(samples, seed))
    mine, theirs = a.metrics[objective], b.metrics[objective]
    feasible, other_feasible = np.asarray(a.feasible), np.asarray(b.feasible)
    wins = int(np.sum(feasible & (~other_feasible | (mine < theirs))))
    low, high = wilson(wins, samples)
    nominal_a = float(first.model.evaluate(params, first_design, first.nominal).metrics[objective])
    nominal_b = float(second.model.evaluate(params, second_design, second.nominal).metrics[objective])
    advantage = {f"advantage_{k}": float(v) for k, v in band(theirs / mine).items()}
    return {"objective": objective, "params": params, "platform": first.label,
            "other": second.label, "probability": wins / samples, "low": low, "high": high,
            "wins": wins, "samples": samples, "nominal_advantage": nominal_b / nominal_a,
            **advantage,
            "platform_feasible": float(np.mean(feasible)),
            "other_feasible": float(np.mean(other_feasible)),
            "both_feasible": float(np.mean(feasible & other_feasible))}


def best_designs(platforms: Sequence[Uncertain], scales: Sequence[float],
                 objectives: Sequence[str], seed: int = 0, space_for: SpaceFor = full_space,
                 loss_limit: LossLimit | None = None) -> dict[tuple[str, float, str], dict | None]:
    """(label, scale, objective) → each platform's :func:`nominal_best` design; with
    ``loss_limit(platform, scale)``, at equal model loss (``model_loss`` itself is then
    compared on the unconstrained best)."""
    def limit(p, params, objective):
        return None if loss_limit is None or objective == LOSS else loss_limit(p, params)

    return {(p.label, params, objective): nominal_best(p, params, objective, space_for(p, params),
                                                       seed, limit(p, params, objective))
            for params in scales for objective in objectives for p in platforms}


def equal_loss_limits(reference: Mapping[str, float]) -> LossLimit:
    """``loss_limit(platform, scale)`` of a study's ``equal_loss`` reference
    (``weight_precision``, ``io_precision``, ``tolerance``):
    :func:`cost_models.quality.equal_loss_limit` under the platform's nominal assumptions, so
    every platform is compared at the loss of the same reference network."""
    from cost_models.quality import equal_loss_limit

    def limit(platform: Uncertain, params: float) -> float:
        return float(equal_loss_limit(params, reference["weight_precision"],
                                      reference["io_precision"], reference["tolerance"],
                                      platform.nominal))

    return limit


def _pairs(platforms, scales, objectives, best):
    """(scale, objective, first, second, first's design, second's design) for every pair in
    which both platforms have a feasible best design."""
    for params in scales:
        for objective in objectives:
            for first, second in combinations(platforms, 2):
                a = best[(first.label, params, objective)]
                b = best[(second.label, params, objective)]
                if a is not None and b is not None:
                    yield params, objective, first, second, a, b


def win_probabilities(platforms: Sequence[Uncertain], scales: Sequence[float],
                      objectives: Sequence[str], samples: int = DEFAULT_SAMPLES, seed: int = 0,
                      best: Mapping[tuple[str, float, str], dict | None] | None = None) -> list[dict]:
    """:func:`compare` for every pair of ``platforms`` (in the order given), every scale and
    objective, on each platform's nominal best design for that objective (``best``, default
    :func:`best_designs` over the full design spaces). Pairs where either platform has no
    feasible design are left out."""
    best = best if best is not None else best_designs(platforms, scales, objectives, seed)
    return [compare(first, second, params, objective, a, b, samples, seed)
            for params, objective, first, second, a, b in _pairs(platforms, scales, objectives,
                                                                 best)]


def advantage_tornado(platforms: Sequence[Uncertain], scales: Sequence[float],
                      objectives: Sequence[str], seed: int = 0,
                      best: Mapping[tuple[str, float, str], dict | None] | None = None) -> list[dict]:
    """Which assumption moves a comparison most: for every pair (as in
    :func:`win_probabilities`), each assumption that either platform varies is set to the low
    and then the high end of its spread on both platforms at once (others nominal), and the
    advantage (second's value / first's) recorded. Records ``objective``, ``params``,
    ``platform``, ``other``, ``assumption``, ``low``, ``high`` (advantages; for a categorical,
    the smallest and largest over its choices), ``swing`` (decades), largest first."""
    best = best if best is not None else best_designs(platforms, scales, objectives, seed)
    records = []
    for params, objective, first, second, a, b in _pairs(platforms, scales, objectives, best):
        names = list(dict.fromkeys(first.varying + second.varying))
        for name in names:
            ends = [p.spreads[name].ends if name in p.varying else () for p in (first, second)]
            count = max(len(e) for e in ends)
            advantages = []
            for k in range(count):
                values = [p.model.evaluate(params, design, {**p.nominal, **(
                    {name: e[min(k, len(e) - 1)]} if e else {})}).metrics[objective]
                    for p, design, e in zip((first, second), (a, b), ends)]
                advantages.append(float(values[1] / values[0]))
            categorical = any(isinstance(e[0], str) for e in ends if e)
            low, high = (min(advantages), max(advantages)) if categorical else \
                (advantages[0], advantages[-1])
            records.append({"objective": objective, "params": params, "platform": first.label,
                            "other": second.label, "assumption": name, "low": low,
                            "high": high, "swing": float(abs(np.log10(high / low)))})
    order = sorted(range(len(records)), key=lambda i: -records[i]["swing"])
    return [records[i] for i in order]
