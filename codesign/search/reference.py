"""The near-exact reference Pareto front: dense Sobol sampling, vectorised evaluation, filter.

The built-in models evaluate millions of designs per second, so ~1e5 scrambled-Sobol designs
followed by a non-dominated filter give a front against which any search is scored (and from
which it can be seeded) in well under a second. A second pass samples around that front
(Gaussian steps in the unit cube of the design space, shrinking each round) and keeps what
improves it, which matters where the feasible region is thin.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from codesign.search.pareto import nondominated
from codesign.search.space import SearchSpace

DEFAULT_SAMPLES = 2**17  # for scoring searches
SEED_SAMPLES = 2**15  # for seeding them: a quarter of the cost, nearly the same front
REFINE_ROUNDS = (0.05, 0.01, 0.002)  # step sizes in the unit cube, one round each


@dataclass
class ReferenceFront:
    designs: dict[str, np.ndarray]  # Pareto designs (SI), one entry per design variable
    objectives: np.ndarray  # (n, k) objective values of those designs


def objective_matrix(evaluation, objectives: list[str]) -> np.ndarray:
    return np.column_stack([evaluation.metrics[name] for name in objectives])


def reference_front(space: SearchSpace, params: float, objectives: list[str],
                    assumptions: dict, samples: int = DEFAULT_SAMPLES,
                    seed: int = 0) -> ReferenceFront:
    """Feasible non-dominated designs among ``samples`` Sobol points of ``space``, refined by
    rounds of local sampling around the front (``samples / 4`` designs per round)."""
    rng = np.random.default_rng(seed)
    u = space.sobol_unit(samples, seed)
    front_u, front_values = _front(space, params, objectives, assumptions, u)
    for step in REFINE_ROUNDS:
        if not len(front_u) or not space.free:
            break
        picks = front_u[rng.integers(len(front_u), size=samples // 4)]
        local = np.clip(picks + rng.normal(0.0, step, picks.shape), 0.0, np.nextafter(1.0, 0))
        local_u, local_values = _front(space, params, objectives, assumptions, local)
        merged_u = np.vstack([front_u, local_u])
        merged_values = np.vstack([front_values, local_values])
        keep = nondominated(merged_values)
        front_u, front_values = merged_u[keep], merged_values[keep]
    return ReferenceFront(space.from_unit(front_u), front_values)


def _front(space, params, objectives, assumptions, u):
    """(unit points, objective values) of the feasible non-dominated designs among ``u``."""
    evaluation = space.model.evaluate(params, space.from_unit(u), assumptions)
    feasible = np.asarray(evaluation.feasible).reshape(-1)
    values = objective_matrix(evaluation, objectives).reshape(len(u), -1)[feasible]
    u = u[feasible]
    values, first = np.unique(values, axis=0, return_index=True)  # int variables repeat designs
    u = u[first]
    mask = nondominated(values)
    return u[mask], values[mask]


def spread_indices(objectives: np.ndarray, count: int) -> np.ndarray:
    """Indices of up to ``count`` rows of a front spread evenly along it: at equal arc length
    in log10-normalised objective space, walking the front in order of its first objective."""
    n = len(objectives)
    if n == 0 or count <= 0:
        return np.zeros(0, dtype=int)
    order = np.argsort(objectives[:, 0], kind="stable")
    logs = np.log10(objectives[order])
    span = np.ptp(logs, axis=0)
    normalised = (logs - logs.min(axis=0)) / np.where(span > 0, span, 1.0)
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(normalised, axis=0), axis=1))])
    targets = np.linspace(0.0, arc[-1], min(count, n))
    return order[np.unique(np.searchsorted(arc, targets).clip(0, n - 1))]


def spread_sample(front: ReferenceFront, count: int) -> list[dict]:
    """``count`` designs spread evenly along the front (see :func:`spread_indices`)."""
    picks = spread_indices(front.objectives, count)
    return [{name: _plain(values[i]) for name, values in front.designs.items()} for i in picks]


def _plain(value):
    return value if isinstance(value, str) else float(value)
