"""The near-exact reference Pareto front: dense Sobol sampling, vectorised evaluation, filter.

The built-in models evaluate millions of designs per second, so ~1e5 scrambled-Sobol designs
followed by a non-dominated filter give a front against which any search is scored (and from
which it can be seeded) in well under a second.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .pareto import nondominated
from .space import SearchSpace

DEFAULT_SAMPLES = 2**17


@dataclass
class ReferenceFront:
    designs: dict[str, np.ndarray]  # Pareto designs (SI), one entry per design variable
    objectives: np.ndarray  # (n, k) objective values of those designs
    sampled: int
    feasible: int


def objective_matrix(evaluation, objectives: list[str]) -> np.ndarray:
    return np.column_stack([evaluation.metrics[name] for name in objectives])


def reference_front(space: SearchSpace, params: float, objectives: list[str],
                    assumptions: dict, samples: int = DEFAULT_SAMPLES,
                    seed: int = 0) -> ReferenceFront:
    """Feasible non-dominated designs among ``samples`` Sobol points of ``space``."""
    designs = space.sobol(samples, seed)
    evaluation = space.model.evaluate(params, designs, assumptions)
    feasible = np.asarray(evaluation.feasible).reshape(-1)
    values = objective_matrix(evaluation, objectives)[feasible]
    kept = {name: np.asarray(array)[feasible] for name, array in designs.items()}
    mask = nondominated(values)
    return ReferenceFront({k: v[mask] for k, v in kept.items()}, values[mask], samples,
                          int(feasible.sum()))


def spread_sample(front: ReferenceFront, count: int) -> list[dict]:
    """``count`` designs spread along the front (evenly in rank of the first objective)."""
    n = len(front.objectives)
    if n == 0 or count <= 0:
        return []
    order = np.argsort(front.objectives[:, 0], kind="stable")
    picks = order[np.unique(np.linspace(0, n - 1, min(count, n)).round().astype(int))]
    return [{name: _plain(values[i]) for name, values in front.designs.items()} for i in picks]


def _plain(value):
    return value if isinstance(value, str) else float(value)
