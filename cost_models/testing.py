"""Conformance suite every cost model must pass, built-in or third-party (needs pytest).

Use it from a test module::

    from cost_models.testing import CostModelConformance
    from my_package import MyModel

    class TestMyModel(CostModelConformance):
        model = MyModel()

It checks the declarations (names, SI units without prefixes, ranges, sources, presets),
every declared :class:`~cost_models.base.Anchor` (published metrics and diagnostics within
their tolerance, and the sign of the margins the source implies), that outputs are finite
SI arrays over the whole design space for P from 1e9 to 1e21 under every categorical
assumption, broadcasting (of designs and of sampled assumptions), the breakdown identity,
determinism, and that no feasible default design dissipates more than its ``power_cap``
diagnostic (what its cooling, supply or laser can sustain, W); a model whose cap holds only
part of its power (the tube's laser: optical power, not the electronics) reports that part as
``capped_power``. An anchor marked
``expected_failure`` is reported as an expected failure (xfail) with its reason, and fails
the suite once the model reproduces it.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from .anchors import anchor_problems
from .base import METRIC_UNITS, PARAMS_RANGE, CostModel
from .declarations import check_declarations
from .sampling import draw, model_spreads
from .space import random_designs


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

    def pytest_generate_tests(self, metafunc):
        """One ``test_anchor`` per declared anchor, named after it."""
        if "anchor" in metafunc.fixturenames:
            anchors = list(self.model.anchors)
            metafunc.parametrize("anchor", anchors, ids=[a.name for a in anchors])

    # -- declarations -------------------------------------------------------------------
    def test_declarations_keep_the_contract(self):
        """Names, SI units without prefixes, ranges, presets and anchors (the checks the class
        definition ran; repeated here so a model built another way is checked too)."""
        check_declarations(type(self.model))

    def test_declares_an_anchor(self):
        assert self.model.anchors, (
            f"{self.model.name}: declares no anchors; every model reproduces at least one "
            "published measurement (cost_models.base.Anchor)")

    # -- anchors ------------------------------------------------------------------------
    def test_anchor(self, anchor):
        problems = anchor_problems(self.model, anchor)
        if anchor.expected_failure:
            if problems:
                pytest.xfail(f"{anchor.expected_failure} — " + "; ".join(problems))
            pytest.fail(f"{self.model.name}: anchor '{anchor.name}' now passes: remove its "
                        f"expected_failure ({anchor.expected_failure})")
        assert not problems, "\n".join(problems)

    # -- evaluation ---------------------------------------------------------------------
    def _evaluate_space(self, assumptions):
        designs = random_designs(self.model, self.n_designs, self.seed)
        rng = np.random.default_rng(self.seed + 1)
        params = 10 ** rng.uniform(np.log10(PARAMS_RANGE[0]), np.log10(PARAMS_RANGE[1]),
                                   self.n_designs)
        return self.model.evaluate(params, designs, assumptions)

    def test_outputs_are_finite_over_design_space(self):
        m = self.model.name
        for assumptions in _assumption_variants(self.model):
            result = self._evaluate_space(assumptions)
            for group in ("metrics", "breakdown", "margins"):
                for name, values in getattr(result, group).items():
                    assert np.all(np.isfinite(values)), f"{m}: {group} '{name}' not finite"
            for name, values in result.metrics.items():
                assert np.all(values > 0), f"{m}: metric '{name}' not positive"
            for name, values in result.breakdown.items():
                assert np.all(values >= 0), f"{m}: breakdown '{name}' negative"
            for name, values in result.diagnostics.items():
                assert not np.any(np.isnan(values)), f"{m}: diagnostic '{name}' is NaN"

    def test_breakdown_sums_to_energy(self):
        for assumptions in _assumption_variants(self.model):
            result = self._evaluate_space(assumptions)
            total = sum(result.breakdown.values())
            np.testing.assert_allclose(total, result.metrics["energy_per_inference"], rtol=1e-9,
                                       err_msg=f"{self.model.name}: breakdown does not sum to "
                                               "energy_per_inference")

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

    def test_sampled_assumptions_match_each_sample_alone(self):
        """Numeric assumptions given as (S, 1) arrays (uncertainty samples) broadcast against
        designs exactly as S separate evaluations: no Python ``if``/``max``/``float`` on a
        numeric assumption."""
        designs = random_designs(self.model, 4, self.seed)
        for base in _assumption_variants(self.model):
            fixed = {a.name: "fixed" for a in self.model.assumptions if a.choices}
            samples = draw(model_spreads(self.model, base, fixed), 3, self.seed)
            stacked = {k: base[k] if k in fixed else v.reshape(3, 1) for k, v in samples.items()}
            grid = self.model.evaluate(1e12, designs, stacked)
            for i in range(3):
                one = self.model.evaluate(1e12, designs, {
                    k: base[k] if k in fixed else float(v[i]) for k, v in samples.items()})
                for group in ("metrics", "breakdown", "margins", "diagnostics"):
                    for name, values in getattr(one, group).items():
                        sampled = getattr(grid, group)[name]
                        assert sampled.shape == (3, 4), (group, name)
                        np.testing.assert_allclose(sampled[i], values, rtol=1e-12,
                                                   err_msg=f"{group}.{name}")

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
