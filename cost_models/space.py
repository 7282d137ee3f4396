"""Map the unit cube onto a design space (SI arrays): the one mapping every sampler uses.

The per-variable rule (log, linear, int, choice) is :meth:`DesignVariable.from_unit_interval`;
here columns meet variables and fixed values fill the rest.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .base import CostModel, DesignVariable, Value


def fill_fixed(designs: Mapping[str, np.ndarray], fixed: Mapping[str, Value],
               n: int) -> dict[str, np.ndarray]:
    """``designs`` plus every ``fixed`` value repeated ``n`` times (object arrays for choices)."""
    out = dict(designs)
    for name, value in fixed.items():
        out[name] = np.full(n, value, dtype=object if isinstance(value, str) else float)
    return out


def designs_from_unit_cube(free: Sequence[DesignVariable], u: np.ndarray,
                           fixed: Mapping[str, Value] | None = None) -> dict[str, np.ndarray]:
    """Map rows of ``u`` (shape (n, d), values in [0, 1)) onto the ``d`` variables ``free``
    (column i → ``free[i]``); the variables named in ``fixed`` take those values."""
    u = np.asarray(u, dtype=float)
    if u.ndim != 2 or u.shape[1] != len(free):
        raise ValueError(f"expected an (n, {len(free)}) array for {[v.name for v in free]}, "
                         f"got shape {u.shape}")
    designs = {v.name: v.from_unit_interval(u[:, i]) for i, v in enumerate(free)}
    return fill_fixed(designs, fixed or {}, u.shape[0])


def random_designs(model: CostModel, n: int, seed: int = 0,
                   fixed: Mapping[str, Value] | None = None) -> dict[str, np.ndarray]:
    """``n`` designs drawn uniformly (log-uniformly for log variables) over the design space."""
    fixed = {name: model.variable(name).parse(value) for name, value in (fixed or {}).items()}
    free = [v for v in model.design_variables if v.name not in fixed]
    u = np.random.default_rng(seed).random((n, len(free)))
    return designs_from_unit_cube(free, u, fixed)
