"""A platform under uncertainty: its model, nominal assumptions and their distributions.

Which assumptions vary: every assumption the platform leaves at the model's default varies
over its declared range, except the settings (:mod:`cost_models.sampling`); a value chosen by
the platform's preset or its own assumption overrides is held fixed, because it defines the
platform (the crossbar study's N¹ … N⁴ variants differ only by ``parasitic_exponent``; a B200
preset names a datasheet). An uncertainty override (``"uniform"``, a range, weights, ``"fixed"``) always wins.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

import cost_models
from cost_models import InputError
from cost_models.units import unknown_name
from cost_models.base import CostModel, Evaluation, Value
from cost_models.sampling import Spread, centres, draw, evaluate_samples, spread_for

from codesign.platform import Platform


@dataclass(frozen=True)
class Uncertain:
    """``platform`` with its model, nominal (preset + overrides) assumptions and spreads."""

    platform: Platform
    model: CostModel
    nominal: dict[str, Value]
    spreads: dict[str, Spread]

    @classmethod
    def of(cls, platform: Platform, overrides: Mapping[str, object] | None = None) -> "Uncertain":
        """``platform`` (a registered model) with spread ``overrides``: assumption name →
        ``"fixed"``, ``"uniform"``, a range or weights (see
        :func:`cost_models.sampling.spread_for`); names its model lacks are skipped here
        (check them across a study with :func:`check_overrides`)."""
        return cls.of_model(cost_models.get(platform.model), platform, overrides)

    @classmethod
    def of_model(cls, model: CostModel, platform: Platform | None = None,
                 overrides: Mapping[str, object] | None = None) -> "Uncertain":
        """As :meth:`of` for a model instance (registered or not)."""
        platform = platform or Platform(model.name)
        nominal = model.resolve_assumptions(platform.preset, platform.assumptions)
        chosen = set(model.preset(platform.preset).assumptions) | set(platform.assumptions)
        overrides = dict(overrides or {})
        spreads = {}
        for a in model.assumptions:
            override = overrides.get(a.name, "fixed" if a.name in chosen else None)
            spreads[a.name] = spread_for(a, nominal[a.name], override)
        return cls(platform, model, nominal, spreads)

    @property
    def label(self) -> str:
        return self.platform.label

    @property
    def varying(self) -> list[str]:
        """Names of the assumptions that are not fixed, in declaration order."""
        return [name for name, spread in self.spreads.items() if spread.kind != "fixed"]

    def draw(self, samples: int, seed: int) -> dict[str, Value | np.ndarray]:
        return draw(self.spreads, samples, seed)

    def centre(self) -> dict[str, Value]:
        """Median assumptions (categoricals at their nominal choice)."""
        return centres(self.spreads)

    def evaluate(self, params, designs: Mapping[str, object],
                 samples: Mapping[str, Value | np.ndarray]) -> Evaluation:
        """Designs under every sample: outputs (S, *design shape)."""
        return evaluate_samples(self.model, params, designs, samples)


def check_overrides(overrides: Mapping[str, object], models: Sequence[CostModel]) -> None:
    """Every overridden name must be an assumption of at least one of ``models``, and valid
    for each model that declares it; an :class:`InputError` naming it otherwise."""
    known = {a.name: a for model in models for a in model.assumptions}
    for name, override in overrides.items():
        if name not in known:
            raise unknown_name("assumption", name, sorted(known),
                               f"for model(s) {', '.join(dict.fromkeys(m.name for m in models))}")
        for model in models:
            if any(a.name == name for a in model.assumptions):
                spread_for(model.assumption(name), None, override)


def parse_vary(items: Sequence[str] | None) -> dict[str, object]:
    """``NAME=SPEC`` texts into spread overrides: SPEC is ``fixed``, ``uniform``,
    ``loguniform``, ``LOW..HIGH`` (units allowed) or ``choice:weight,choice:weight``."""
    overrides: dict[str, object] = {}
    for item in items or []:
        name, sep, spec = item.partition("=")
        name, spec = name.strip(), spec.strip()
        if not sep or not name or not spec:
            raise InputError(f"expected NAME=fixed|uniform|loguniform|LOW..HIGH|"
                             f"choice:weight,…, got {item!r}", field="vary")
        if spec in ("fixed", "uniform", "loguniform"):
            overrides[name] = spec
        elif ".." in spec:
            low, _, high = spec.partition("..")
            overrides[name] = {"low": low.strip(), "high": high.strip()}
        elif ":" in spec:
            weights = {}
            for part in spec.split(","):
                choice, _, weight = part.partition(":")
                try:
                    weights[choice.strip()] = float(weight)
                except ValueError:
                    raise InputError(f"weight {weight!r} of {choice.strip()!r} for {name} is "
                                     f"not a number", field="vary") from None
            overrides[name] = {"weights": weights}
        else:
            raise InputError(f"{spec!r} for {name} is not fixed, uniform, loguniform, "
                             f"LOW..HIGH or choice:weight,…", field="vary")
    return overrides
