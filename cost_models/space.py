"""Sample a model's design space as SI arrays (for conformance tests and reference fronts)."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .base import CostModel, Value


def designs_from_unit_cube(model: CostModel, u: np.ndarray,
                           fixed: Mapping[str, Value] | None = None) -> dict[str, np.ndarray]:
    """Map rows of ``u`` (shape (n, d), d = number of free variables, values in [0, 1)) onto the
    design space; variables named in ``fixed`` take that value instead of a column."""
    fixed = dict(fixed or {})
    free = [v for v in model.design_variables if v.name not in fixed]
    if u.shape[1] != len(free):
        raise ValueError(f"expected {len(free)} columns for {[v.name for v in free]}, got {u.shape[1]}")
    designs = {v.name: v.from_unit_interval(u[:, i]) for i, v in enumerate(free)}
    n = u.shape[0]
    for name, value in fixed.items():
        kind = model.variable(name).kind
        designs[name] = np.full(n, value, dtype=object if kind == "categorical" else float)
    return designs


def random_designs(model: CostModel, n: int, seed: int = 0,
                   fixed: Mapping[str, Value] | None = None) -> dict[str, np.ndarray]:
    """``n`` designs drawn uniformly (log-uniformly for log variables) over the design space."""
    free = sum(1 for v in model.design_variables if v.name not in (fixed or {}))
    u = np.random.default_rng(seed).random((n, free))
    return designs_from_unit_cube(model, u, fixed)
