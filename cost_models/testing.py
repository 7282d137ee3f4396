"""Conformance suite every cost model must pass, built-in or third-party (needs pytest).

Use it from a test module::

    from cost_models.testing import CostModelConformance
    from my_package import MyModel

    class TestMyModel(CostModelConformance):
        model = MyModel()

It checks the declarations (units, ranges, sources, presets), that outputs are finite SI
arrays over the whole design space for P from 1e9 to 1e21 under every categorical
assumption, broadcasting, the breakdown and power identities, the margin sign convention,
determinism, and that no feasible default design dissipates more than its ``power_cap``
diagnostic (what its cooling, supply or laser can sustain, W); a model whose cap holds only
part of its power (the tube's laser: optical power, not the electronics) reports that part
as ``capped_power``.
"""
from __future__ import annotations

import itertools
import keyword

import numpy as np
import pytest

from .base import METRIC_UNITS, PARAMS_RANGE, CostModel
from .space import random_designs
from .units import ureg


def _assumption_variants(model: CostModel):
    """Default assumptions, then each choice of every categorical assumption in turn."""
    base = model.resolve_assumptions()
    yield base
    for assumption in model.assumptions:
        for choice in assumption.choices:
            if choice != base[assumption.name]:
                yield {**base, assumption.name: choice}


class CostModelConformance:
    """Subclass and set ``model`` to a :class:`CostModel` instance."""

    model: CostModel
    n_designs: int = 4000
    seed: int = 12345

    # -- declarations -------------------------------------------------------------------
    def test_identity(self):
        m = self.model
        assert m.name.isidentifier() and not keyword.iskeyword(m.name) and m.name == m.name.lower()
        assert m.title.strip() and m.description.strip()

    def test_shared_design_variables(self):
        names = [v.name for v in self.model.design_variables]
        assert "io_dimension" in names and "precision" in names
        assert len(names) == len(set(names))
        assert self.model.variable("precision").unit == "bit"

    def test_design_variables_are_well_formed(self):
        for v in self.model.design_variables:
            assert v.description.strip(), v.name
            ureg.Quantity(1.0, v.unit)  # parses
            if v.kind == "categorical":
                assert len(v.choices) >= 2, v.name
                continue
            assert v.low < v.high, v.name
            if v.log:
                assert v.low > 0, v.name
            for params in PARAMS_RANGE:
                assert v.low <= v.default_at(params) <= v.high, v.name

    def test_assumptions_are_documented(self):
        names = [a.name for a in self.model.assumptions]
        assert len(names) == len(set(names))
        for a in self.model.assumptions:
            assert a.source.strip(), f"{a.name} has no source"
            if a.choices:
                assert a.value in a.choices, a.name
                continue
            ureg.Quantity(1.0, a.unit)
            assert a.low <= a.value <= a.high, f"{a.name} default outside its plausible range"

    def test_presets_name_known_fields_within_range(self):
        for preset in self.model.presets.values():
            assert preset.description.strip()
            for name, value in preset.assumptions.items():
                assert self.model.assumption(name).parse(value) == value, name
            for name in preset.design:
                self.model.variable(name)

    def test_units_are_declared(self):
        for unit in self.model.diagnostic_units.values():
            ureg.Quantity(1.0, unit)
        for name in self.model.margin_descriptions:
            assert name.isidentifier()

    # -- evaluation ---------------------------------------------------------------------
    def _evaluate_space(self, assumptions):
        designs = random_designs(self.model, self.n_designs, self.seed)
        rng = np.random.default_rng(self.seed + 1)
        params = 10 ** rng.uniform(np.log10(PARAMS_RANGE[0]), np.log10(PARAMS_RANGE[1]),
                                   self.n_designs)
        return self.model.evaluate(params, designs, assumptions)

    def test_outputs_are_finite_over_design_space(self):
        for assumptions in _assumption_variants(self.model):
            result = self._evaluate_space(assumptions)
            assert set(result.metrics) == set(METRIC_UNITS)
            for group in ("metrics", "breakdown", "margins"):
                for name, values in getattr(result, group).items():
                    assert values.shape == (self.n_designs,), (group, name)
                    assert np.all(np.isfinite(values)), f"{group}.{name} not finite"
            for name, values in result.metrics.items():
                assert np.all(values > 0), f"metric {name} not positive"
            for name, values in result.breakdown.items():
                assert np.all(values >= 0), f"breakdown {name} negative"
            for name, values in result.diagnostics.items():
                assert not np.any(np.isnan(values)), f"diagnostic {name} is NaN"
                assert name in self.model.diagnostic_units, f"diagnostic {name} has no unit"
            for name in result.margins:
                assert name in self.model.margin_descriptions, f"margin {name} undescribed"

    def test_breakdown_sums_to_energy(self):
        for assumptions in _assumption_variants(self.model):
            result = self._evaluate_space(assumptions)
            total = sum(result.breakdown.values())
            np.testing.assert_allclose(total, result.metrics["energy_per_inference"], rtol=1e-9)

    def test_power_is_energy_over_time(self):
        result = self._evaluate_space(self.model.resolve_assumptions())
        np.testing.assert_allclose(result.metrics["power"],
                                   result.metrics["energy_per_inference"]
                                   / result.metrics["time_per_inference"], rtol=1e-12)

    def test_feasible_means_every_margin_nonpositive(self):
        result = self._evaluate_space(self.model.resolve_assumptions())
        expected = np.ones(self.n_designs, dtype=bool)
        for margin in result.margins.values():
            expected &= margin <= 0
        np.testing.assert_array_equal(result.feasible, expected)

    def test_broadcasting_matches_elementwise(self):
        params = np.array([1e9, 1e13, 1e21]).reshape(3, 1)
        designs = random_designs(self.model, 4, self.seed)
        grid = self.model.evaluate(params, {k: v.reshape(1, 4) for k, v in designs.items()})
        assert grid.metrics["energy_per_inference"].shape == (3, 4)
        for i, j in itertools.product(range(3), range(4)):
            one = self.model.evaluate(float(params[i, 0]), {k: v[j] for k, v in designs.items()})
            assert one.metrics["energy_per_inference"].shape == ()
            for name in METRIC_UNITS:
                np.testing.assert_allclose(grid.metrics[name][i, j], one.metrics[name],
                                           rtol=1e-12)

    def test_time_limited_by_names_a_declared_term(self):
        result = self._evaluate_space(self.model.resolve_assumptions())
        codes = result.diagnostics.get("time_limited_by")
        assert (codes is None) == (not self.model.time_terms), \
            "declare time_terms and report the time_limited_by diagnostic together"
        if codes is not None:
            assert set(np.unique(codes)) <= set(range(len(self.model.time_terms)))

    def test_deterministic(self):
        first = self._evaluate_space(self.model.resolve_assumptions())
        second = self._evaluate_space(self.model.resolve_assumptions())
        for name in METRIC_UNITS:
            np.testing.assert_array_equal(first.metrics[name], second.metrics[name])

    @pytest.mark.parametrize("params", [1e9, 1e12, 1e15, 1e18, 1e21])
    def test_every_preset_evaluates_at_its_design_point(self, params):
        for preset in [None, *self.model.presets]:
            point = self.model.default_design(params, preset)
            result = self.model.evaluate(params, point, self.model.resolve_assumptions(preset))
            for name in METRIC_UNITS:
                assert np.isfinite(result.metrics[name]) and result.metrics[name] > 0

    @pytest.mark.parametrize("params", [1e9, 1e12, 1e15, 1e18, 1e21])
    def test_no_feasible_default_design_exceeds_its_power_cap(self, params):
        """Every model reports ``power_cap`` (W): the power its cooling, supply or source can
        sustain. A default design (of every preset) that is feasible stays under it."""
        for preset in [None, *self.model.presets]:
            point = self.model.default_design(params, preset)
            result = self.model.evaluate(params, point, self.model.resolve_assumptions(preset))
            assert "power_cap" in result.diagnostics, f"{self.model.name} reports no power_cap"
            cap = result.diagnostics["power_cap"]
            assert np.all(cap > 0)
            power = result.diagnostics.get("capped_power", result.metrics["power"])
            over = result.feasible & (power > cap * (1 + 1e-9))
            assert not np.any(over), (f"{self.model.name} ({preset or 'default'}) at P = "
                                      f"{params:g}: feasible at {float(power):.3g} W over its "
                                      f"{float(cap):.3g} W cap")


__all__ = ["CostModelConformance"]
