"""Bands of a Pareto front: the front at median assumptions, and how each of its designs fares
when the assumptions vary.

The front is the exact reference front (:func:`codesign.search.reference.reference_front`) at
the median of every spread. Under each sample, a front design *stays on the front* when it is
feasible and no other feasible design of a competitor set dominates it; the competitors are the
front's designs plus ``competitors`` Sobol designs of the whole space (a design off the median
front may overtake it under other assumptions). Each front design gets the 5 / 50 / 95 % of
every objective, its feasible probability and its probability of staying on the front.
"""
from __future__ import annotations

import numpy as np

from codesign.search.pareto import nondominated
from codesign.search.reference import SEED_SAMPLES, reference_front, spread_indices
from codesign.search.space import SearchSpace
from codesign.uncertainty.bands import band
from codesign.uncertainty.platforms import Uncertain

FRONT_DESIGNS = 40  # front designs followed, spread evenly along the front
COMPETITORS = 256
FRONT_SAMPLES = 500


def front_bands(platform: Uncertain, params: float, objectives: list[str],
                space: SearchSpace | None = None, samples: int = FRONT_SAMPLES, seed: int = 0,
                designs: int = FRONT_DESIGNS, competitors: int = COMPETITORS) -> list[dict]:
    """One record per followed front design: its design values (SI), ``<objective>`` at median
    assumptions, ``<objective>_p5/_p50/_p95``, ``feasible_probability`` and
    ``pareto_probability``; sorted by the first objective. Empty when nothing is feasible."""
    space = space or SearchSpace.build(platform.model)
    centre = platform.centre()
    front = reference_front(space, params, objectives, centre, samples=SEED_SAMPLES, seed=seed)
    if not len(front.objectives):
        return []
    picks = spread_indices(front.objectives, designs)
    followed = {name: values[picks] for name, values in front.designs.items()}
    pool = space.sobol(competitors, seed)
    together = {name: np.concatenate([followed[name], np.asarray(pool[name], dtype=values.dtype)])
                for name, values in followed.items()}
    evaluation = platform.evaluate(params, together, platform.draw(samples, seed))
    values = np.stack([evaluation.metrics[o] for o in objectives], axis=-1)  # (S, F + C, k)
    feasible = np.asarray(evaluation.feasible)
    on_front = np.zeros_like(feasible)
    for s in range(samples):
        rows = np.flatnonzero(feasible[s])
        if len(rows):
            on_front[s, rows[nondominated(values[s, rows])]] = True
    count = len(picks)
    records = []
    for j in range(count):
        record = {name: followed[name][j] if isinstance(followed[name][j], str)
                  else float(followed[name][j]) for name in followed}
        for i, objective in enumerate(objectives):
            record[objective] = float(front.objectives[picks[j], i])
            for key, value in band(values[:, j, i]).items():
                record[f"{objective}_{key}"] = float(value)
        record["feasible_probability"] = float(feasible[:, j].mean())
        record["pareto_probability"] = float(on_front[:, j].mean())
        records.append(record)
    return sorted(records, key=lambda r: r[objectives[0]])
