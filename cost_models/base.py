"""The cost-model contract: design variables, assumptions, presets, anchors, one vectorised evaluate.

A platform subclasses :class:`CostModel`, declares its :class:`DesignVariable` list, its
:class:`Assumption` list, its presets and the published measurements it must reproduce
(:class:`Anchor`), and implements ``_evaluate`` in plain numpy on SI floats, returning an
:class:`Outputs` filled by name. Declarations are checked when the class is defined (a
:class:`ContractError` names the model, the field and what was expected);
:meth:`CostModel.evaluate` rejects unknown input names, calls ``_evaluate`` and broadcasts
every output to one common shape.

A complete platform (every model also declares ``io_dimension``, ``weight_precision`` and
``io_precision``, see :data:`SHARED_DESIGN_VARIABLES`)::

    import numpy as np
    from cost_models.base import (Anchor, Assumption, CostModel, DesignVariable, Outputs,
                                  io_dimension_variable, io_precision_variable,
                                  weight_precision_variable)

    class Abacus(CostModel):
        name = "abacus"
        title = "Wooden abacus"
        description = "One bead per parameter, moved by hand."
        design_variables = (
            io_dimension_variable("network width N"),
            weight_precision_variable("bits per bead", 8),
            io_precision_variable("bits read off the last bead row", 8),
            DesignVariable("bead_size", "m", "bead diameter", 1e-2, low=1e-3, high=1e-1,
                           log=True),
        )
        assumptions = (
            Assumption("energy_per_bead", 1e-3, "J", 1e-4, 1e-2, "a flick of a finger (our guess)"),
            Assumption("time_per_bead", 0.1, "s", 0.01, 1.0, "a nimble hand (our guess)"),
        )
        diagnostic_units = {"beads": ""}
        margin_descriptions = {"bead_size": "bead size / 5 cm − 1 (a hand cannot hold larger)"}
        anchors = (
            Anchor(name="museum abacus", params=1e9, design={"bead_size": "1 cm"},
                   metrics={"energy_per_inference": 1e6}, tolerance=1.01,
                   margin_satisfied={"bead_size": True},
                   source="1e9 beads × 1 mJ (our arithmetic)"),
        )

        def _evaluate(self, params, design, a):
            beads = params * np.ones_like(design["bead_size"])
            return Outputs(
                energy_per_inference=beads * a["energy_per_bead"],        # J
                time_per_inference=beads * a["time_per_bead"],            # s
                latency=beads * a["time_per_bead"],                       # s
                volume=beads * design["bead_size"] ** 3,                  # m³
                breakdown={"fingers": beads * a["energy_per_bead"]},      # J, sums to energy
                margins={"bead_size": design["bead_size"] / 0.05 - 1},   # ≤ 0: satisfied
                diagnostics={"beads": beads},                             # in diagnostic_units
            )

Conventions every model follows (checked here and by :mod:`cost_models.testing`):

* metrics are those of :data:`METRIC_UNITS`, in SI, finite and positive; ``power`` is
  derived here as ``energy_per_inference / time_per_inference`` (average power at full rate);
* ``_evaluate`` returns the costs of ONE token; the base class multiplies energy, time and
  latency by the workload's ``tokens_per_inference`` and adds what every platform shares
  (:mod:`cost_models.workload`, :mod:`cost_models.quality`): the ``model_loss`` metric, the
  ``shape`` and precision-floor margins, the network's shape as diagnostics, and the
  workload and loss assumptions (appended to every model's ``assumptions``);
* the ``breakdown`` components (J per inference) sum to ``energy_per_inference``;
* a margin ``<= 0`` means that constraint is satisfied (Optuna's convention), and every
  margin is described in ``margin_descriptions``;
* diagnostics carry the units named in ``diagnostic_units``; every unit anywhere is SI
  without prefixes ("J", "m", "m**3", "W/m**2", "ohm*m"; never "pJ" or "mm");
* every model declares at least one :class:`Anchor` with its source.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from .units import InputError, format_quantity, parse_quantity, unknown_name

#: The metrics every model returns, with their SI unit.
METRIC_UNITS: dict[str, str] = {
    "energy_per_inference": "J",
    "time_per_inference": "s",
    "latency": "s",
    "volume": "m**3",
    "power": "W",
    "model_loss": "",
}
METRIC_DESCRIPTIONS: dict[str, str] = {
    "energy_per_inference": "energy drawn per inference at full rate",
    "time_per_inference": "reciprocal of the sustainable inference rate",
    "latency": "time from input to output of one inference",
    "volume": "physical volume of the hardware",
    "power": "average power at the sustainable rate",
    "model_loss": ("predicted loss per token in nats (Chinchilla fit, infinite data) of the "
                   "workload network, parameters discounted for weight and I/O precision and "
                   "for shape outside real LLMs; an extrapolation 1–9 decades past the fitted "
                   "data, for ranking designs"),
}

#: Smallest and largest model scale (parameters) the contract covers.
PARAMS_RANGE = (1e9, 1e21)

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
        """A declared design value (or a function of the scale P) at ``params``, rounded for
        ints. A value outside the range is an :class:`InputError`, never clipped."""
        value = value(params) if callable(value) else value
        if self.kind == "categorical":
            if value not in self.choices:
                raise InputError(f"design variable '{self.name}': {value!r} is not one of "
                                 f"{', '.join(map(str, self.choices))}")
            return value
        value = float(round(value)) if self.kind == "int" else float(value)
        if not self.low <= value <= self.high:
            raise InputError(f"design variable '{self.name}': {value:g} at P = {params:g} is "
                             f"outside its range {self.describe_range()}")
        return value

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
    """A physical constant or modelling choice, with its SI value, plausible range and source.

    ``setting``: a value a study chooses (a scenario, a criterion such as a floor or a limit of
    plausible shapes, a power budget, a paper-reproduction switch), not a constant known only
    within its range; uncertainty sampling holds it at its value (:mod:`cost_models.sampling`).
    ``at_most``: the name of the assumption this one may not exceed (the low end of a range
    whose high end is another assumption); checked where values are resolved."""

    name: str
    value: Value
    unit: str
    low: float | None
    high: float | None
    source: str
    choices: tuple[str, ...] = ()
    setting: bool = False
    at_most: str | None = None

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


@dataclass(frozen=True, kw_only=True)
class Outputs:
    """What ``_evaluate`` returns, every field by name: SI arrays (or scalars) that broadcast
    to the inputs' shape. ``power`` is not given: the base class derives it."""

    energy_per_inference: object  #: J drawn per inference at full rate
    time_per_inference: object  #: s, reciprocal of the sustainable inference rate
    latency: object  #: s from input to output of one inference
    volume: object  #: m³ of hardware
    breakdown: Mapping[str, object]  #: J per inference by component; sums to the energy
    margins: Mapping[str, object] = field(default_factory=dict)  #: ≤ 0 means satisfied
    diagnostics: Mapping[str, object] = field(default_factory=dict)  #: in diagnostic_units


@dataclass(frozen=True, kw_only=True)
class Anchor:
    """A published measurement or figure a model must reproduce.

    The model is evaluated at ``params`` with ``preset`` (None: the model's defaults), then
    ``assumptions`` and ``design`` overrides (user text with units, or SI). Each value in
    ``metrics``, ``breakdown`` (J per inference by component) and ``diagnostics`` (SI) must
    be matched within the factor ``tolerance``
    (``1/tolerance ≤ computed/expected ≤ tolerance``); ``margin_satisfied`` names margins
    whose sign the source implies (True: ≤ 0). ``expected_failure`` (a reason) marks an
    anchor the current physics is known to miss: the conformance suite reports it as an
    expected failure and fails loudly once it passes.
    """

    name: str
    source: str
    params: float
    tolerance: float
    preset: str | None = None
    design: Mapping[str, Value] = field(default_factory=dict)
    assumptions: Mapping[str, Value] = field(default_factory=dict)
    metrics: Mapping[str, float] = field(default_factory=dict)
    breakdown: Mapping[str, float] = field(default_factory=dict)
    diagnostics: Mapping[str, float] = field(default_factory=dict)
    margin_satisfied: Mapping[str, bool] = field(default_factory=dict)
    expected_failure: str = ""


class ContractError(TypeError):
    """A cost model's declarations break the contract (raised when its class is defined)."""


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
    #: Published measurements the model must reproduce (at least one).
    anchors: tuple[Anchor, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not getattr(cls._evaluate, "__isabstractmethod__", False):
            from .declarations import check_declarations
            from .shared import declare

            declare(cls)
            check_declarations(cls)

    # -- declarations -------------------------------------------------------------------
    def variable(self, name: str) -> DesignVariable:
        for variable in self.design_variables:
            if variable.name == name:
                return variable
        raise unknown_name("design variable", name, [v.name for v in self.design_variables],
                           f"for model '{self.name}'")

    def assumption(self, name: str) -> Assumption:
        for assumption in self.assumptions:
            if assumption.name == name:
                return assumption
        raise unknown_name("assumption", name, [a.name for a in self.assumptions],
                           f"for model '{self.name}'")

    def preset(self, name: str | None) -> Preset:
        if name in (None, "", "default"):
            return Preset("the model's own defaults")
        if name not in self.presets:
            raise unknown_name("preset", name, ["default", *self.presets], f"for model '{self.name}'")
        return self.presets[name]

    def resolve_assumptions(self, preset: str | None = None,
                            overrides: Mapping[str, Value] | None = None) -> dict[str, Value]:
        """Default assumption values (SI), then the preset's, then ``overrides`` (user text or SI
        values, each parsed and range-checked)."""
        values = {a.name: a.value for a in self.assumptions}
        values.update(self.preset(preset).assumptions)
        for name, text in (overrides or {}).items():
            values[name] = self.assumption(name).parse(text)
        for a in self.assumptions:
            if a.at_most is not None and values[a.name] > values[a.at_most]:
                raise InputError(f"assumption '{a.name}' ({values[a.name]:g}) is above "
                                 f"'{a.at_most}' ({values[a.at_most]:g}): the low end of a range "
                                 f"cannot exceed its high end")
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
        """Evaluate designs at scale ``params`` (parameters). ``design`` gives every design
        variable; ``assumptions`` (SI values, e.g. from :meth:`resolve_assumptions`) may give
        some, the rest take their defaults. An unknown or missing name is an
        :class:`InputError`. Every input broadcasts (numpy rules), numeric assumptions
        included (samples of shape (S, 1) against designs of shape (D,) give (S, D); see
        :mod:`cost_models.sampling`); every output array has the common broadcast shape.
        Units are SI."""
        names = [v.name for v in self.design_variables]
        for name in design:
            if name not in names:
                raise unknown_name("design variable", name, names, f"for model '{self.name}'")
        missing = [name for name in names if name not in design]
        if missing:
            raise InputError(f"model '{self.name}': design variable(s) {', '.join(missing)} "
                             "not given")
        values = {a.name: a.value for a in self.assumptions}
        for name in assumptions or {}:
            if name not in values:
                raise unknown_name("assumption", name, list(values), f"for model '{self.name}'")
        values.update(assumptions or {})
        params = np.asarray(params, dtype=float)
        arrays = {v.name: np.asarray(design[v.name], dtype=object if v.kind == "categorical"
                                     else float) for v in self.design_variables}
        out = self._evaluate(params, arrays, values)
        if not isinstance(out, Outputs):
            raise ContractError(f"model '{self.name}': _evaluate must return "
                                f"cost_models.base.Outputs, got {type(out).__name__}")
        from .shared import finish

        metrics, breakdown, margins, diagnostics = finish(
            params, arrays, values,
            {"energy_per_inference": out.energy_per_inference,
             "time_per_inference": out.time_per_inference,
             "latency": out.latency, "volume": out.volume},
            dict(out.breakdown), dict(out.margins), dict(out.diagnostics))
        self._check_output_names(margins, diagnostics)
        shape = np.broadcast_shapes(params.shape, *(a.shape for a in arrays.values()),
                                    *(np.shape(v) for v in values.values()))
        grow = lambda d: {k: np.broadcast_to(np.asarray(v, dtype=float), shape)  # noqa: E731
                          for k, v in d.items()}
        metrics = grow(metrics)
        metrics["power"] = metrics["energy_per_inference"] / metrics["time_per_inference"]
        return Evaluation(metrics, grow(breakdown), grow(margins), grow(diagnostics))

    def _check_output_names(self, margins: Mapping, diagnostics: Mapping) -> None:
        """Margins and diagnostics returned (the model's and the shared ones) are exactly the
        declared ones."""
        for group, returned, declared, where in (
                ("margin", margins, self.margin_descriptions, "margin_descriptions"),
                ("diagnostic", diagnostics, self.diagnostic_units, "diagnostic_units")):
            if set(returned) != set(declared):
                extra = sorted(set(returned) - set(declared))
                absent = sorted(set(declared) - set(returned))
                raise ContractError(
                    f"model '{self.name}': {group}s returned by _evaluate do not match "
                    f"{where}" + (f"; undeclared: {', '.join(extra)}" if extra else "")
                    + (f"; declared but not returned: {', '.join(absent)}" if absent else ""))

    @abstractmethod
    def _evaluate(self, params: np.ndarray, design: dict[str, np.ndarray],
                  assumptions: dict[str, Value]) -> Outputs:
        """Return the :class:`Outputs` of designs ``design`` at scale ``params`` (SI arrays)."""


def io_dimension_variable(description: str = "network width d; d × d stages = P / d²",
                          low: float = 16) -> DesignVariable:
    """The ``io_dimension`` every platform shares: the workload network's width d (log-int;
    default the real-LLM shape d = (128 P / 12)^(1/3), see :mod:`cost_models.workload`)."""
    from .workload import llm_width

    return DesignVariable("io_dimension", "", description, llm_width, low=low, high=1e10,
                          log=True, kind="int")


def weight_precision_variable(description: str, default: int = 8) -> DesignVariable:
    """The ``weight_precision`` every platform shares: bits per stored parameter, 1 … 16
    (below ``min_weight_precision`` a design is infeasible, not clipped)."""
    return DesignVariable("weight_precision", "bit", description, default, low=1, high=16,
                          kind="int")


def io_precision_variable(description: str, default: int = 8) -> DesignVariable:
    """The ``io_precision`` every platform shares: effective bits (ENOB) of the activations
    crossing the I/O boundary, 2 … 16 (below ``min_io_precision`` a design is infeasible)."""
    return DesignVariable("io_precision", "bit", description, default, low=2, high=16,
                          kind="int")


def limiting_time(*times):
    """The largest of several candidate times per inference [s] and the index of the one that
    binds (the ``time_limited_by`` diagnostic, labelled by ``CostModel.time_terms``)."""
    stacked = np.stack(np.broadcast_arrays(*(np.asarray(t, dtype=float) for t in times)))
    return stacked.max(axis=0), stacked.argmax(axis=0).astype(float)


#: Design variables every platform declares, with their units (front ends and the shared
#: workload read them): the network width and the two precisions.
SHARED_DESIGN_VARIABLES: dict[str, str] = {"io_dimension": "", "weight_precision": "bit",
                                           "io_precision": "bit"}


__all__ = [
    "METRIC_UNITS", "METRIC_DESCRIPTIONS", "PARAMS_RANGE", "SHARED_DESIGN_VARIABLES", "Anchor",
    "Assumption", "ContractError", "CostModel", "DesignVariable", "Evaluation", "Outputs",
    "Preset", "io_dimension_variable", "io_precision_variable", "limiting_time",
    "weight_precision_variable",
]
