"""How uncertain each assumption is: distributions over the declared plausible ranges, sampled
reproducibly and shared between models by assumption name (plain numpy, SI values).

Default distribution of an :class:`~cost_models.base.Assumption` (its :class:`Spread`):

* categorical: its choices, equally weighted;
* numeric, ``low > 0`` and ``high / low > 3``: log-uniform on [low, high] (a positive quantity
  known to within a factor: every decade equally likely);
* otherwise uniform on [low, high] (a range that includes 0, or a narrow one);
* a *setting* (``Assumption(…, setting=True)``, declared where the assumption is) is fixed at
  its nominal value. Its range lists the values a study may choose, not what is unknown about
  nature or technology, so sampling it would report the spread of the study's own choices as
  uncertainty and, for a criterion, count designs infeasible because the criterion moved
  (sampling only the shape limits breaks the shape margin of a real-LLM-shaped network in
  46 % of samples). The settings:

  - the serving scenario and the network served (:mod:`cost_models.workload`, a study's
    ``[workload]`` table): ``tokens_per_inference``, ``context_length``, ``batch_size``,
    ``kv_fraction``, ``kv_bits``;
  - criteria of what counts as a plausible or supported design: the network-shape limits
    ``min_network_aspect_ratio``, ``max_network_aspect_ratio`` and the penalty-free shapes
    of real LLMs ``llm_aspect_ratio_low``, ``llm_aspect_ratio_high`` (sampled, they sent the
    optical tube's model loss to 139 nats at the 95th percentile); the vocabulary whose
    uniform guess caps the loss ``vocabulary_size``; the precision floors with
    published support ``min_weight_precision``, ``min_io_precision``
    (:mod:`cost_models.quality`); the resistor network's diffusive-transport validity
    ``min_voxel_over_mean_free_path``;
  - budgets a study provisions: the site's ``max_facility_power``
    (:mod:`cost_models.facility`), a rack's feed ``max_rack_power``, the cooling's
    ``max_heat_flux`` (sampled over 0.1 … 1000 W/cm², a B200 at its board power, which
    needs ~63 W/cm² and is cooled every day, failed its heat margin in 48 % of samples),
    the I/O frame clock of
    the digital system around a platform ``max_io_rate``;
  - switches that reproduce the paper's conventions: ``pulse_spreading`` and ``pulse_framing``
    (``neglected`` switches physics off), ``gpu_packing`` (``fractional`` GPUs).

A spread may be overridden per assumption (:func:`spread_for`): ``"fixed"`` (held at its
nominal value), ``"uniform"`` / ``"loguniform"`` over the declared range, a narrower range
``{"low": …, "high": …}`` (units allowed, inside the declared range), or categorical weights
``{"weights": {choice: weight}}``.

Shared samples. Sample ``i`` of the assumption called ``name`` is the inverse distribution
function at the quantile ``u_i`` drawn by numpy's PCG64 from the seed sequence
``(seed, crc32(name))`` (``zlib.crc32`` of the UTF-8 name: stable across processes, unlike
``hash``). Every model that declares an assumption of that name therefore sees the same
quantiles: the same converter, workload or cooling assumption moves together across
platforms (comonotone; identical values where the ranges agree), while different names are
independent. The same seed gives the same samples, bit for bit.

:func:`evaluate_samples` evaluates designs under S samples in one vectorised call per
combination of categorical choices: numeric samples enter ``_evaluate`` as arrays of shape
(S, 1, …) broadcasting against the designs, so outputs have shape (S, *design shape).
"""
from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .base import Assumption, CostModel, Evaluation, Value
from .units import InputError

#: A positive range wider than this factor is sampled log-uniformly by default.
LOG_SPAN = 3.0
KINDS = ("loguniform", "uniform", "choice", "fixed")


@dataclass(frozen=True)
class Spread:
    """The distribution of one assumption: ``kind`` is ``loguniform`` or ``uniform`` on
    [low, high] (SI), ``choice`` among ``choices`` with ``weights`` (summing to 1), or
    ``fixed`` at ``nominal``. ``nominal`` is the model's (or preset's) value."""

    name: str
    kind: Literal["loguniform", "uniform", "choice", "fixed"]
    nominal: Value
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()

    def values(self, u: np.ndarray) -> np.ndarray:
        """Inverse distribution function at quantiles ``u`` in [0, 1)."""
        u = np.asarray(u, dtype=float)
        if self.kind == "fixed":
            return np.full(u.shape, self.nominal, dtype=object if isinstance(self.nominal, str)
                           else float)
        if self.kind == "choice":
            edges = np.cumsum(self.weights)
            index = np.minimum(np.searchsorted(edges, u, side="right"), len(self.choices) - 1)
            return np.asarray(self.choices, dtype=object)[index]
        if self.kind == "loguniform":
            values = np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
            return np.clip(values, self.low, self.high)  # exp(log(x)) may round just outside
        return self.low + u * (self.high - self.low)

    @property
    def centre(self) -> Value:
        """The median of a numeric spread; the nominal choice of a categorical or fixed one."""
        if self.kind in ("choice", "fixed"):
            return self.nominal
        return float(self.values(np.array(0.5)))

    @property
    def ends(self) -> tuple[Value, ...]:
        """What one-at-a-time sensitivity tries: (low, high), or every choice with weight > 0."""
        if self.kind == "fixed":
            return ()
        if self.kind == "choice":
            return tuple(c for c, w in zip(self.choices, self.weights) if w > 0)
        return (self.low, self.high)

    def describe(self) -> str:
        if self.kind == "fixed":
            return f"fixed at {self.nominal}"
        if self.kind == "choice":
            return ", ".join(f"{c} ({w:.2g})" for c, w in zip(self.choices, self.weights))
        return f"{self.kind} {self.low:.4g} … {self.high:.4g}"


def default_spread(assumption: Assumption, nominal: Value | None = None) -> Spread:
    """The documented default distribution of ``assumption`` (see the module docstring)."""
    nominal = assumption.value if nominal is None else nominal
    if assumption.setting:
        return Spread(assumption.name, "fixed", nominal)
    if assumption.choices:
        weight = 1.0 / len(assumption.choices)
        return Spread(assumption.name, "choice", nominal, choices=tuple(assumption.choices),
                      weights=(weight,) * len(assumption.choices))
    low, high = float(assumption.low), float(assumption.high)
    if low == high:
        return Spread(assumption.name, "fixed", nominal)
    kind = "loguniform" if low > 0 and high / low > LOG_SPAN else "uniform"
    return Spread(assumption.name, kind, nominal, low, high)


def spread_for(assumption: Assumption, nominal: Value | None = None,
               override: object = None) -> Spread:
    """``assumption``'s spread with an optional override: ``"fixed"``, ``"uniform"``,
    ``"loguniform"``, ``{"low": …, "high": …[, "kind": …]}`` or ``{"weights": {choice: w}}``
    (values as text with units or SI). Errors name the assumption and what is expected."""
    spread = default_spread(assumption, nominal)
    if override is None:
        return spread
    field_name = f"uncertainty of '{assumption.name}'"
    if isinstance(override, str):
        override = {"kind": override.strip()}
    if not isinstance(override, Mapping):
        raise InputError(f"{field_name}: expected 'fixed', 'uniform', 'loguniform', a range "
                         f"{{low, high}} or {{weights}}, got {override!r}")
    unknown = set(override) - {"kind", "low", "high", "weights"}
    if unknown:
        raise InputError(f"{field_name}: unknown key(s) {', '.join(sorted(unknown))} "
                         f"(allowed: kind, low, high, weights)")
    kind = override.get("kind")
    if kind is not None and kind not in ("fixed", "uniform", "loguniform"):
        raise InputError(f"{field_name}: kind {kind!r} is not one of fixed, uniform, loguniform")
    if kind == "fixed":
        return Spread(assumption.name, "fixed", spread.nominal)
    if assumption.choices:
        if kind is not None or "low" in override or "high" in override:
            raise InputError(f"{field_name}: a categorical assumption takes 'fixed' or "
                             f"{{weights = {{choice = weight}}}}")
        return _weighted(assumption, spread, override.get("weights"), field_name)
    if "weights" in override:
        raise InputError(f"{field_name}: weights apply to categorical assumptions only")
    low = assumption.parse(override["low"]) if "low" in override else float(assumption.low)
    high = assumption.parse(override["high"]) if "high" in override else float(assumption.high)
    if not low < high:
        raise InputError(f"{field_name}: low {low:g} must be below high {high:g}")
    if kind is None:
        kind = "loguniform" if low > 0 and high / low > LOG_SPAN else "uniform"
    if kind == "loguniform" and low <= 0:
        raise InputError(f"{field_name}: log-uniform needs a positive range, got {low:g} … {high:g}")
    return Spread(assumption.name, kind, spread.nominal, float(low), float(high))


def _weighted(assumption: Assumption, spread: Spread, weights, field_name: str) -> Spread:
    if not isinstance(weights, Mapping) or not weights:
        raise InputError(f"{field_name}: expected weights = {{choice = weight}} over "
                         f"{', '.join(assumption.choices)}")
    given = {}
    for choice, weight in weights.items():
        if choice not in assumption.choices:
            raise InputError(f"{field_name}: {choice!r} is not one of "
                             f"{', '.join(assumption.choices)}")
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not weight >= 0:
            raise InputError(f"{field_name}: weight of {choice!r} must be a number ≥ 0, "
                             f"got {weight!r}")
        given[choice] = float(weight)
    total = sum(given.values())
    if total <= 0:
        raise InputError(f"{field_name}: the weights sum to 0")
    return Spread(assumption.name, "choice", spread.nominal, choices=tuple(assumption.choices),
                  weights=tuple(given.get(c, 0.0) / total for c in assumption.choices))


def model_spreads(model: CostModel, nominal: Mapping[str, Value] | None = None,
                  overrides: Mapping[str, object] | None = None) -> dict[str, Spread]:
    """Every assumption of ``model`` as a spread around ``nominal`` (default: the model's
    values), with ``overrides`` by name (an unknown name is an :class:`InputError`)."""
    nominal = dict(nominal or {})
    for name in overrides or {}:
        model.assumption(name)
    return {a.name: spread_for(a, nominal.get(a.name), (overrides or {}).get(a.name))
            for a in model.assumptions}


def quantiles(name: str, n: int, seed: int) -> np.ndarray:
    """``n`` uniform quantiles for the assumption ``name``: the same for every model that
    declares that name (see the module docstring)."""
    sequence = np.random.SeedSequence([int(seed), zlib.crc32(name.encode("utf-8"))])
    return np.random.Generator(np.random.PCG64(sequence)).random(n)


def draw(spreads: Mapping[str, Spread], n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """``n`` samples of every assumption: an (n,) array each (float, or object for choices);
    a fixed assumption repeats its value."""
    if n < 1:
        raise InputError(f"samples: expected a positive number of samples, got {n}")
    return {name: spread.values(np.zeros(n) if spread.kind == "fixed" else quantiles(name, n, seed))
            for name, spread in spreads.items()}


def centres(spreads: Mapping[str, Spread]) -> dict[str, Value]:
    """Median assumptions: each numeric spread's median, each categorical's nominal choice."""
    return {name: spread.centre for name, spread in spreads.items()}


def evaluate_samples(model: CostModel, params, designs: Mapping[str, object],
                     samples: Mapping[str, Value | np.ndarray]) -> Evaluation:
    """Evaluate ``designs`` under every sample: outputs of shape (S, *design shape), where S is
    the length of the sampled arrays in ``samples`` (plain values are held fixed). One call of
    the model per combination of categorical choices present in the samples."""
    sampled = {k: v for k, v in samples.items() if isinstance(v, np.ndarray) and v.ndim}
    if not sampled:
        return model.evaluate(params, designs, dict(samples))
    count = len(next(iter(sampled.values())))
    design_shape = np.broadcast_shapes(np.shape(params), *(np.shape(v) for v in designs.values()))
    column = (count,) + (1,) * len(design_shape)
    categorical = [k for k, v in sampled.items() if v.dtype == object]
    numeric = {k: v.astype(float).reshape(column) for k, v in sampled.items()
               if k not in categorical}
    fixed = {k: v for k, v in samples.items() if k not in sampled}
    if not categorical:
        return model.evaluate(params, designs, {**fixed, **numeric})
    keys = np.array(["\x1f".join(map(str, combo)) for combo in zip(*(sampled[k] for k in categorical))],
                    dtype=object)
    parts = []
    for key in dict.fromkeys(keys):  # first-seen order: deterministic
        rows = np.flatnonzero(keys == key)
        choices = dict(zip(categorical, key.split("\x1f")))
        values = {**fixed, **{k: v[rows] for k, v in numeric.items()}, **choices}
        parts.append((rows, model.evaluate(params, designs, values)))
    return _scatter(parts, (count,) + design_shape)


def _scatter(parts: list[tuple[np.ndarray, Evaluation]], shape: tuple[int, ...]) -> Evaluation:
    """One evaluation of ``shape`` from evaluations of groups of sample rows. Where a group
    lacks an output that another defines (one categorical choice's extra term), a breakdown
    term is 0 J, a margin is absent (−inf: satisfied) and a diagnostic is NaN."""
    fill = {"metrics": np.nan, "breakdown": 0.0, "margins": -np.inf, "diagnostics": np.nan}
    out = {g: {} for g in fill}
    for rows, evaluation in parts:
        for group in fill:
            for name, values in getattr(evaluation, group).items():
                if name not in out[group]:
                    out[group][name] = np.full(shape, fill[group])
                out[group][name][rows] = np.broadcast_to(values, (len(rows),) + shape[1:])
    return Evaluation(*(out[g] for g in fill))


__all__ = ["KINDS", "LOG_SPAN", "Spread", "centres", "default_spread", "draw",
           "evaluate_samples", "model_spreads", "quantiles", "spread_for"]
