"""A model's design space as searched: every variable, some fixed, some with narrowed ranges."""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import optuna.distributions as od
from scipy.stats import qmc

from cost_models import InputError
from cost_models.base import CostModel, DesignVariable, Value
from cost_models.space import designs_from_unit_cube, fill_fixed


@dataclass(frozen=True)
class SearchSpace:
    """Free variables (possibly narrowed) and fixed values (SI) of one model's design space."""

    model: CostModel
    free: tuple[DesignVariable, ...]
    fixed: Mapping[str, Value] = field(default_factory=dict)

    @classmethod
    def build(cls, model: CostModel, fixed: Mapping[str, object] | None = None,
              ranges: Mapping[str, tuple[object, object]] | None = None) -> "SearchSpace":
        """``fixed``: name → value (text with units or SI); ``ranges``: name → (low, high) that
        must lie inside the declared range (or, for a categorical, a subset of its choices).
        Every variable may be fixed: the "search" is then one evaluation."""
        fixed_si = {name: model.variable(name).parse(value) for name, value in (fixed or {}).items()}
        free = []
        for variable in model.design_variables:
            if variable.name in fixed_si:
                continue
            if variable.name in (ranges or {}):
                variable = _narrow(variable, ranges[variable.name])
            free.append(variable)
        for name in ranges or {}:
            model.variable(name)
            if name in fixed_si:
                raise InputError(f"design variable '{name}' is both fixed and given a range")
        return cls(model, tuple(free), fixed_si)

    def distributions(self) -> dict[str, od.BaseDistribution]:
        out = {}
        for v in self.free:
            if v.kind == "categorical":
                out[v.name] = od.CategoricalDistribution(list(v.choices))
            elif v.kind == "int":
                out[v.name] = od.IntDistribution(int(v.low), int(v.high), log=v.log)
            else:
                out[v.name] = od.FloatDistribution(v.low, v.high, log=v.log)
        return out

    def complete(self, designs: Mapping[str, np.ndarray], n: int | None = None) -> dict[str, np.ndarray]:
        """Free-variable arrays plus the fixed values, broadcast to one length ``n``."""
        n = len(next(iter(designs.values()))) if n is None else n
        return fill_fixed(designs, self.fixed, n)

    def sobol_unit(self, n: int, seed: int) -> np.ndarray:
        """``n`` scrambled-Sobol points in the unit cube of the free variables (n × d)."""
        if not self.free:
            return np.zeros((n, 0))
        return qmc.Sobol(d=len(self.free), scramble=True, seed=seed).random(n)

    def from_unit(self, u: np.ndarray) -> dict[str, np.ndarray]:
        """Designs (SI, plus the fixed values) for unit-cube points ``u`` (n × d)."""
        return designs_from_unit_cube(self.free, u, self.fixed)

    def sobol(self, n: int, seed: int) -> dict[str, np.ndarray]:
        """``n`` scrambled-Sobol designs over the free variables (plus the fixed ones)."""
        return self.from_unit(self.sobol_unit(n, seed))

    def at_bound(self, designs: Mapping[str, np.ndarray], count: int,
                 tolerance: float = 0.01) -> list[str]:
        """For each of ``count`` designs, the free numeric variables at a bound of their
        (searched) range, as ``"name=low;name=high"`` ("" when none). A value is at a bound when
        it lies within ``tolerance`` of the range's width (on a log scale for log variables)."""
        labels = [[] for _ in range(count)]
        for v in self.free:
            if v.kind == "categorical" or v.name not in designs:
                continue
            values = np.asarray(designs[v.name], dtype=float)
            scale = np.log if v.log else (lambda x: x)
            width = scale(v.high) - scale(v.low)
            low = (values <= v.low) | (scale(values) - scale(v.low) <= tolerance * width)
            high = (values >= v.high) | (scale(v.high) - scale(values) <= tolerance * width)
            for i in np.flatnonzero(low | high):
                labels[i].append(f"{v.name}={'low' if low[i] else 'high'}")
        return [";".join(parts) for parts in labels]


def _narrow(variable: DesignVariable, bounds) -> DesignVariable:
    if variable.kind == "categorical":
        choices = tuple(variable.parse(c) for c in bounds)
        if not choices:
            raise InputError(f"design variable '{variable.name}': empty list of choices")
        return dataclasses.replace(variable, choices=choices)
    try:
        low, high = bounds
    except (TypeError, ValueError):
        raise InputError(f"design variable '{variable.name}': a range is [low, high], "
                         f"got {bounds!r}") from None
    low, high = variable.parse(low), variable.parse(high)
    if not low < high:
        raise InputError(f"design variable '{variable.name}': range low {low} must be below high {high}")
    return dataclasses.replace(variable, low=low, high=high)
