"""The cost-model contract: design variables, assumptions, presets and one vectorised evaluate.

A platform subclasses :class:`CostModel`, declares its :class:`DesignVariable` list, its
:class:`Assumption` list and its presets, and implements ``_evaluate`` in plain numpy on SI
floats. :meth:`CostModel.evaluate` validates nothing on the hot path: it broadcasts the
inputs, calls ``_evaluate``, and broadcasts every output to one common shape.

Conventions every model follows (checked by :mod:`cost_models.testing`):

* metrics are the five of :data:`METRIC_UNITS`, in SI, finite and positive;
* ``power = energy_per_inference / time_per_inference`` (average power at full rate);
* the ``breakdown`` components (J per inference) sum to ``energy_per_inference``;
* a margin ``<= 0`` means that constraint is satisfied (Optuna's convention);
* diagnostics carry the units named in ``diagnostic_units``.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from .units import InputError, format_quantity, parse_quantity

#: The metrics every model returns, with their SI unit.
METRIC_UNITS: dict[str, str] = {
    "energy_per_inference": "J",
    "time_per_inference": "s",
    "latency": "s",
    "volume": "m**3",
    "power": "W",
}
METRIC_DESCRIPTIONS: dict[str, str] = {
    "energy_per_inference": "energy drawn per inference at full rate",
    "time_per_inference": "reciprocal of the sustainable inference rate",
    "latency": "time from input to output of one inference",
    "volume": "physical volume of the hardware",
    "power": "average power at the sustainable rate",
}

#: Smallest and largest model scale (parameters) the contract covers.
PARAMS_RANGE = (1e9, 1e21)

Number = float | int
Value = float | str


@dataclass(frozen=True)
class DesignVariable:
    """One searchable design variable.

    ``low``/``high`` bound float and int variables (in ``unit``, SI); ``choices`` lists a
    categorical variable's values. ``default`` is the model's default design point: a value,
    or a function of the scale P (parameters), e.g. ``io_dimension = P ** (1/3)``.
    """

    name: str
    unit: str
    description: str
    default: Value | Callable[[float], Value]
    low: float | None = None
    high: float | None = None
    log: bool = False
    kind: Literal["float", "int", "categorical"] = "float"
    choices: tuple[Value, ...] = ()

    def default_at(self, params: float) -> Value:
        return self.settle(self.default, params)

    def settle(self, value: Value | Callable[[float], Value], params: float) -> Value:
        """A design value (or a function of the scale P) clipped into range and rounded for ints."""
        value = value(params) if callable(value) else value
        if self.kind == "categorical":
            return value
        value = float(np.clip(value, self.low, self.high))
        return float(round(value)) if self.kind == "int" else value

    def from_unit_interval(self, u: np.ndarray) -> np.ndarray:
        """Map samples ``u`` in [0, 1) onto this variable's range (log, linear, int or choice)."""
        u = np.asarray(u, dtype=float)
        if self.kind == "categorical":
            index = np.minimum((u * len(self.choices)).astype(int), len(self.choices) - 1)
            return np.asarray(self.choices, dtype=object)[index]
        if self.kind == "int":
            low, high = self.low - 0.5, self.high + 0.5
            if self.log:
                values = np.exp(np.log(self.low) + u * (np.log(self.high + 1) - np.log(self.low)))
                return np.clip(np.floor(values), self.low, self.high)
            return np.clip(np.round(low + u * (high - low)), self.low, self.high)
        if self.log:
            values = np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        else:
            values = self.low + u * (self.high - self.low)
        return np.clip(values, self.low, self.high)  # exp(log(x)) may round just outside

    def parse(self, text: Value) -> Value:
        """A user's value for this variable in SI, checked against kind and range."""
        field_name = f"design variable '{self.name}'"
        if self.kind == "categorical":
            return _parse_choice(field_name, text, self.choices)
        value = parse_quantity(field_name, text, self.unit)
        if self.kind == "int" and value != round(value):
            raise InputError(f"{field_name}: expected a whole number, got {text!r}")
        if not self.low <= value <= self.high:
            raise InputError(
                f"{field_name}: {text!r} is outside its range "
                f"{format_quantity(self.low, self.unit)} … {format_quantity(self.high, self.unit)}"
            )
        return value

    def describe_range(self) -> str:
        if self.kind == "categorical":
            return " | ".join(map(str, self.choices))
        scale = "log" if self.log else "linear"
        return (f"{format_quantity(self.low, self.unit)} … "
                f"{format_quantity(self.high, self.unit)} ({scale}, {self.kind})")


@dataclass(frozen=True)
class Assumption:
    """A physical constant or modelling choice, with its SI value, plausible range and source."""

    name: str
    value: Value
    unit: str
    low: float | None
    high: float | None
    source: str
    note: str = ""
    choices: tuple[str, ...] = ()

    def parse(self, text: Value) -> Value:
        """A user's value for this assumption in SI, checked against its dimension and range."""
        field_name = f"assumption '{self.name}'"
        if self.choices:
            return _parse_choice(field_name, text, self.choices)
        value = parse_quantity(field_name, text, self.unit)
        if not self.low <= value <= self.high:
            raise InputError(
                f"{field_name}: {text!r} is outside its plausible range "
                f"{format_quantity(self.low, self.unit)} … {format_quantity(self.high, self.unit)}"
            )
        return value

    def describe_range(self) -> str:
        if self.choices:
            return " | ".join(self.choices)
        return f"{format_quantity(self.low, self.unit)} … {format_quantity(self.high, self.unit)}"


def _parse_choice(field_name: str, text: Value, choices: tuple[Value, ...]) -> Value:
    for choice in choices:
        if str(choice) == str(text).strip():
            return choice
    raise InputError(f"{field_name}: {text!r} is not one of {', '.join(map(str, choices))}")


@dataclass(frozen=True)
class Preset:
    """A named set of assumption values and design-point overrides (SI; design values may be
    functions of the scale P)."""

    description: str
    assumptions: Mapping[str, Value] = field(default_factory=dict)
    design: Mapping[str, Value | Callable[[float], Value]] = field(default_factory=dict)
    source: str = ""


@dataclass
class Evaluation:
    """What :meth:`CostModel.evaluate` returns: SI arrays, all of one broadcast shape."""

    metrics: dict[str, np.ndarray]
    breakdown: dict[str, np.ndarray]
    margins: dict[str, np.ndarray]
    diagnostics: dict[str, np.ndarray]

    @property
    def feasible(self) -> np.ndarray:
        """True where every margin is <= 0."""
        shape = self.metrics["energy_per_inference"].shape
        ok = np.ones(shape, dtype=bool)
        for margin in self.margins.values():
            ok &= margin <= 0
        return ok


class CostModel(ABC):
    """Base class of every platform. Subclasses fill the class attributes and ``_evaluate``."""

    name: str
    title: str
    description: str
    design_variables: tuple[DesignVariable, ...]
    assumptions: tuple[Assumption, ...]
    presets: Mapping[str, Preset] = {}
    #: Unit of every diagnostic (SI, pint syntax); margins are dimensionless.
    diagnostic_units: Mapping[str, str] = {}
    #: One-line description of every margin (what is compared with what).
    margin_descriptions: Mapping[str, str] = {}
    #: Names of the candidate terms whose largest sets ``time_per_inference``; the diagnostic
    #: ``time_limited_by`` holds the index of the binding one (see :func:`limiting_time`).
    time_terms: tuple[str, ...] = ()

    # -- declarations -------------------------------------------------------------------
    def variable(self, name: str) -> DesignVariable:
        for variable in self.design_variables:
            if variable.name == name:
                return variable
        raise InputError(_unknown("design variable", name, [v.name for v in self.design_variables],
                                  self.name))

    def assumption(self, name: str) -> Assumption:
        for assumption in self.assumptions:
            if assumption.name == name:
                return assumption
        raise InputError(_unknown("assumption", name, [a.name for a in self.assumptions], self.name))

    def preset(self, name: str | None) -> Preset:
        if name in (None, "", "default"):
            return Preset("the model's own defaults")
        if name not in self.presets:
            raise InputError(_unknown("preset", name, ["default", *self.presets], self.name))
        return self.presets[name]

    def resolve_assumptions(self, preset: str | None = None,
                            overrides: Mapping[str, Value] | None = None) -> dict[str, Value]:
        """Default assumption values (SI), then the preset's, then ``overrides`` (user text or SI
        values, each parsed and range-checked)."""
        values = {a.name: a.value for a in self.assumptions}
        values.update(self.preset(preset).assumptions)
        for name, text in (overrides or {}).items():
            values[name] = self.assumption(name).parse(text)
        return values

    def default_design(self, params: float, preset: str | None = None,
                       overrides: Mapping[str, Value] | None = None) -> dict[str, Value]:
        """The documented design point at scale ``params``, then the preset's, then ``overrides``."""
        design = {v.name: v.default_at(params) for v in self.design_variables}
        for name, value in self.preset(preset).design.items():
            design[name] = self.variable(name).settle(value, params)
        for name, text in (overrides or {}).items():
            design[name] = self.variable(name).parse(text)
        return design

    # -- evaluation ---------------------------------------------------------------------
    def evaluate(self, params, design: Mapping[str, object],
                 assumptions: Mapping[str, Value] | None = None) -> Evaluation:
        """Evaluate designs at scale ``params`` (parameters). Every input broadcasts (numpy
        rules); every output array has the common broadcast shape. Units are SI."""
        values = {a.name: a.value for a in self.assumptions}
        values.update(assumptions or {})
        params = np.asarray(params, dtype=float)
        arrays = {}
        for variable in self.design_variables:
            value = design[variable.name]
            arrays[variable.name] = (np.asarray(value, dtype=object if variable.kind == "categorical"
                                                else float))
        out = self._evaluate(params, arrays, values)
        metrics, breakdown, margins, diagnostics = out
        shape = np.broadcast_shapes(params.shape, *(a.shape for a in arrays.values()))
        grow = lambda d: {k: np.broadcast_to(np.asarray(v, dtype=float), shape)  # noqa: E731
                          for k, v in d.items()}
        return Evaluation(grow(metrics), grow(breakdown), grow(margins), grow(diagnostics))

    @abstractmethod
    def _evaluate(self, params: np.ndarray, design: dict[str, np.ndarray],
                  assumptions: dict[str, Value]) -> tuple[dict, dict, dict, dict]:
        """Return (metrics, breakdown, margins, diagnostics), each a dict of SI arrays."""


def paper_width(params: float) -> float:
    """The paper's Table 1 convention for the I/O dimension: N = P^(1/3)."""
    return params ** (1 / 3)


def io_dimension_variable(description: str = "network width N; layers = P / N²",
                          low: float = 16) -> DesignVariable:
    """The ``io_dimension`` every platform shares (default N = P^(1/3), log-int)."""
    return DesignVariable("io_dimension", "", description, paper_width, low=low, high=1e10,
                          log=True, kind="int")


def precision_variable(description: str, default: int = 8) -> DesignVariable:
    """The ``precision`` every platform shares: bits, 2 … 16."""
    return DesignVariable("precision", "bit", description, default, low=2, high=16, kind="int")


def finish_metrics(energy, time, latency, volume) -> dict[str, np.ndarray]:
    """The five standard metrics, with power = energy / time."""
    return {
        "energy_per_inference": energy,
        "time_per_inference": time,
        "latency": latency,
        "volume": volume,
        "power": energy / time,
    }


def limiting_time(*times):
    """The largest of several candidate times per inference [s] and the index of the one that
    binds (the ``time_limited_by`` diagnostic, labelled by ``CostModel.time_terms``)."""
    stacked = np.stack(np.broadcast_arrays(*(np.asarray(t, dtype=float) for t in times)))
    return stacked.max(axis=0), stacked.argmax(axis=0).astype(float)


def _unknown(kind: str, name: str, known: list[str], model: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"unknown {kind} '{name}' for model '{model}'{hint} (known: {', '.join(known)})"


__all__ = [
    "METRIC_UNITS", "METRIC_DESCRIPTIONS", "PARAMS_RANGE", "Assumption", "CostModel",
    "DesignVariable", "Evaluation", "Preset", "finish_metrics", "io_dimension_variable",
    "limiting_time", "paper_width", "precision_variable",
]
