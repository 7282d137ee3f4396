"""The contract itself: named outputs, definition-time checks of declarations, strict inputs."""
import dataclasses
import re

import numpy as np
import pytest

import cost_models
from cost_models import ContractError, InputError, Outputs
from cost_models.base import (Anchor, Assumption, CostModel, DesignVariable, Preset,
                              io_dimension_variable, io_precision_variable,
                              weight_precision_variable)
from cost_models.workload import llm_width
from cost_models.units import did_you_mean, si_unit_problem


class Beads(CostModel):
    """A small valid platform the checks below break one declaration at a time."""

    name = "beads"
    title = "Beads"
    description = "One bead per parameter."
    design_variables = (
        io_dimension_variable("width"),
        weight_precision_variable("bits per bead", 8),
        io_precision_variable("bits read off the last row", 8),
        DesignVariable("bead_size", "m", "bead diameter", 1e-2, low=1e-3, high=1e-1, log=True),
    )
    assumptions = (Assumption("energy_per_bead", 1e-3, "J", 1e-4, 1e-2, "our guess"),)
    presets = {"big": Preset("big beads", design={"bead_size": 5e-2})}
    diagnostic_units = {"beads": ""}
    margin_descriptions = {"bead_size": "bead size / 5 cm − 1"}
    anchors = (Anchor(name="arithmetic", params=1e9, tolerance=1.01, source="1e9 × 1 mJ",
                      metrics={"energy_per_inference": 1e6}),)

    def _evaluate(self, params, design, a):
        beads = params * np.ones_like(design["bead_size"])
        return Outputs(energy_per_inference=beads * a["energy_per_bead"],
                       time_per_inference=beads * 0.1, latency=beads * 0.1,
                       volume=beads * design["bead_size"] ** 3,
                       breakdown={"fingers": beads * a["energy_per_bead"]},
                       margins={"bead_size": design["bead_size"] / 0.05 - 1},
                       diagnostics={"beads": beads})


def define(**attributes):
    """Define a subclass of Beads with ``attributes`` replaced (runs the definition checks)."""
    return type("Broken", (Beads,), attributes)


def test_outputs_are_keyword_only():
    with pytest.raises(TypeError):
        Outputs(1.0, 1.0, 1.0, 1.0, {})  # noqa: the positional form is what the contract forbids


def test_power_is_derived_by_the_base_class():
    result = Beads().evaluate(1e9, Beads().default_design(1e9))
    assert result.metrics["power"] == pytest.approx(1e6 / 1e8)
    assert set(result.metrics) == set(cost_models.METRIC_UNITS)


def test_a_tuple_from_evaluate_is_a_contract_error():
    class Tuple(Beads):
        def _evaluate(self, params, design, a):
            return ({}, {}, {}, {})

    with pytest.raises(ContractError, match="must return cost_models.base.Outputs, got tuple"):
        Tuple().evaluate(1e9, Beads().default_design(1e9))


def test_an_undeclared_diagnostic_is_named():
    class Extra(Beads):
        def _evaluate(self, params, design, a):
            out = super()._evaluate(params, design, a)
            return dataclasses.replace(out, diagnostics={**out.diagnostics, "rogue": 1.0})

    with pytest.raises(ContractError, match="undeclared: rogue"):
        Extra().evaluate(1e9, Beads().default_design(1e9))


@pytest.mark.parametrize("attributes, message", [
    ({"diagnostic_units": {"beads": "mm"}},
     r"diagnostic 'beads': unit 'mm' is not SI without prefixes: 'millimeter' carries the prefix 'milli'"),
    ({"diagnostic_units": {"beads": "eV"}}, r"diagnostic 'beads'.*not an SI unit"),
    ({"diagnostic_units": {"beads": "smoots"}}, r"diagnostic 'beads'.*pint cannot parse"),
    ({"assumptions": (Assumption("energy_per_bead", 1.0, "pJ", 0.1, 10.0, "guess"),)},
     r"assumption 'energy_per_bead': unit 'pJ'.*prefix 'pico'"),
    ({"assumptions": (Assumption("energy_per_bead", 1e-3, "J", 1e-2, 1e-1, "guess"),)},
     r"assumption 'energy_per_bead': value 0.001 is outside its plausible range"),
    ({"assumptions": (Assumption("energy_per_bead", 1e-3, "J", 1e-4, 1e-2, " "),)},
     r"assumption 'energy_per_bead': source is empty"),
    ({"assumptions": (Assumption("energy_per_bead", 1e-3, "J", 1e-4, 1e-2, "guess",
                                 at_most="energy_per_bed"),)},
     r"assumption 'energy_per_bead': at_most names no declared assumption \('energy_per_bed'\)"),
    ({"assumptions": (Assumption("energy_per_bead", 1e-3, "J", 1e-4, 1e-2, "guess",
                                 at_most="most_per_bead"),
                      Assumption("most_per_bead", 1e-4, "J", 1e-4, 1e-2, "guess"))},
     r"assumption 'energy_per_bead': value 0.001 is above most_per_bead \(0.0001\)"),
    ({"presets": {"big": Preset("too big", design={"bead_size": 0.5})}},
     r"preset 'big': design: design variable 'bead_size': 0.5 .* outside its range"),
    ({"presets": {"hot": Preset("hot", assumptions={"energy_per_bead": 1.0})}},
     r"preset 'hot': assumption 'energy_per_bead': 1.0 is outside its plausible range"),
    ({"presets": {"typo": Preset("typo", assumptions={"energy_per_bed": 1e-3})}},
     r"preset 'typo': unknown assumption 'energy_per_bed'; did you mean 'energy_per_bead'"),
    ({"design_variables": (weight_precision_variable("bits"), io_precision_variable("bits"))},
     r"every platform declares 'io_dimension'"),
    ({"design_variables": (*Beads.design_variables,
                           DesignVariable("size", "m", "s", 2.0, low=0.0, high=1.0))},
     r"design variable 'size': .*2 .* outside its range"),
    ({"design_variables": (*Beads.design_variables,
                           DesignVariable("size", "m", "s", 1.0, low=0.0, high=2.0, log=True))},
     r"design variable 'size': a log-scaled variable needs low > 0"),
    ({"name": "Beads!"}, r"name: expected a lower-case Python identifier"),
    ({"margin_descriptions": {"bead_size": ""}}, r"margin 'bead_size': description is empty"),
    ({"anchors": (Anchor(name="a", params=1e9, tolerance=0.5, source="s",
                         metrics={"energy_per_inference": 1.0}),)},
     r"anchor 'a': tolerance is a factor >= 1"),
    ({"anchors": (Anchor(name="a", params=1e9, tolerance=2, source="s",
                         metrics={"energy": 1.0}),)},
     r"anchor 'a': metrics 'energy' is not declared"),
    ({"anchors": (Anchor(name="a", params=1e9, tolerance=2, source="s",
                         margin_satisfied={"bead": True}),)},
     r"anchor 'a': margin 'bead' is not declared"),
    ({"anchors": (Anchor(name="a", params=1e9, tolerance=2, source="s",
                         design={"bead_sise": "1 cm"}, metrics={"volume": 1.0}),)},
     r"anchor 'a': unknown design variable 'bead_sise'; did you mean 'bead_size'"),
])
def test_broken_declarations_fail_at_definition(attributes, message):
    with pytest.raises(ContractError, match=message) as caught:
        define(**attributes)
    assert f"cost model Broken ('{attributes.get('name', 'beads')}')" in str(caught.value)


def test_the_low_end_of_a_range_of_assumptions_cannot_pass_its_high_end():
    ranged = define(assumptions=(
        Assumption("energy_per_bead", 1e-3, "J", 1e-4, 1e-2, "guess", at_most="most_per_bead"),
        Assumption("most_per_bead", 2e-3, "J", 1e-4, 1e-2, "guess")))()
    assert ranged.resolve_assumptions(overrides={"energy_per_bead": "2 mJ"})["energy_per_bead"] \
        == pytest.approx(2e-3)  # equal ends are a range of one value
    with pytest.raises(InputError, match=r"assumption 'energy_per_bead' \(0.005\) is above "
                                         r"'most_per_bead' \(0.002\)"):
        ranged.resolve_assumptions(overrides={"energy_per_bead": "5 mJ"})
    with pytest.raises(InputError, match="is above 'most_per_bead'"):
        ranged.resolve_assumptions(overrides={"most_per_bead": "0.5 mJ"})


def test_every_problem_is_reported_at_once():
    with pytest.raises(ContractError) as caught:
        define(diagnostic_units={"beads": "mm"}, margin_descriptions={"bead_size": ""})
    assert "diagnostic 'beads'" in str(caught.value) and "margin 'bead_size'" in str(caught.value)


def test_abstract_intermediate_classes_are_not_checked():
    class Family(CostModel):  # no declarations yet: its subclasses fill them
        name = "NotChecked"

    assert Family.name == "NotChecked"


@pytest.mark.parametrize("unit", ["J", "s", "m", "m**3", "W", "ohm*m", "1/(s*m**2)", "W/m**2",
                                  "bit", "B", "J/B", "rad", "", "kg", "Hz"])
def test_si_units_are_accepted(unit):
    assert si_unit_problem(unit) is None


@pytest.mark.parametrize("unit", ["pJ", "mm", "ms", "GHz", "eV", "inch", "percent", "nm**2",
                                  "m*pJ", "1/(s*mm**2)", "J/kbit", "kJ/m**2", "smoots"])
def test_prefixed_and_non_si_units_are_rejected(unit):
    assert si_unit_problem(unit)


def _declared_units():
    for name in cost_models.available():
        model = cost_models.get(name)
        yield from (v.unit for v in model.design_variables)
        yield from (a.unit for a in model.assumptions if not a.choices)
        yield from model.diagnostic_units.values()


@pytest.mark.parametrize("unit", sorted({*_declared_units(), "J", "1/(s*m**2)", "kg*m**2/s**3",
                                         "A*s", "mol/m**3", "cd*sr", "Wb/m**2", "H/m", "C/V"}))
def test_units_judged_without_pint_are_the_ones_pint_accepts(unit):
    """The fast path for plain SI symbols agrees with pint's verdict."""
    from cost_models.units import _plainly_si

    assert _plainly_si(unit), unit
    assert _pint_verdict(unit) is None, unit


def _pint_verdict(unit):
    import cost_models.units as units

    fast, units._plainly_si = units._plainly_si, lambda unit: False
    try:
        return units.si_unit_problem(unit)
    finally:
        units._plainly_si = fast


def test_defining_every_built_in_model_needs_no_pint():
    import subprocess
    import sys

    code = ("import sys, cost_models; [cost_models.get(n) for n in cost_models.available()]; "
            "print('pint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- strict inputs ------------------------------------------------------------------------
MODEL = cost_models.get("optical_tube")


def test_evaluate_rejects_a_misspelt_assumption():
    with pytest.raises(InputError, match="unknown assumption 'wavelenght'.*did you mean 'wavelength'"):
        MODEL.evaluate(1e12, MODEL.default_design(1e12), {"wavelenght": 1e-6})


def test_evaluate_rejects_a_misspelt_design_variable():
    design = {**MODEL.default_design(1e12), "pulse_duraton": 1e-12}
    with pytest.raises(InputError, match="unknown design variable 'pulse_duraton'.*did you mean "
                                         "'pulse_duration'"):
        MODEL.evaluate(1e12, design)


def test_evaluate_names_a_missing_design_variable():
    design = MODEL.default_design(1e12)
    del design["pulse_duration"]
    with pytest.raises(InputError, match="pulse_duration not given"):
        MODEL.evaluate(1e12, design)


def test_evaluate_takes_defaults_for_assumptions_not_given():
    design = MODEL.default_design(1e12)
    full = MODEL.evaluate(1e12, design, MODEL.resolve_assumptions())
    partial = MODEL.evaluate(1e12, design, {"wavelength": MODEL.assumption("wavelength").value})
    assert partial.metrics["energy_per_inference"] == full.metrics["energy_per_inference"]


@pytest.mark.parametrize("call, message", [
    (lambda: MODEL.resolve_assumptions(overrides={"wavelenght": "1 um"}), "did you mean 'wavelength'"),
    (lambda: MODEL.resolve_assumptions("papr"), "unknown preset 'papr'.*did you mean 'paper'"),
    (lambda: MODEL.default_design(1e12, overrides={"weight_precison": 4}),
     "did you mean 'weight_precision'"),
    (lambda: MODEL.resolve_assumptions(overrides={"wavelength": "1 kg"}), "assumption 'wavelength'"),
    (lambda: MODEL.default_design(1e12, overrides={"io_precision": 99}), "outside its range"),
])
def test_unknown_or_bad_names_are_input_errors(call, message):
    with pytest.raises(InputError, match=message):
        call()


def test_default_design_is_never_clipped():
    """A default that is a function of P and leaves the range is an error, not a clip."""
    width = MODEL.variable("io_dimension")
    with pytest.raises(InputError, match="outside its range"):
        width.settle(lambda p: p, 1e12)


def test_did_you_mean_lists_close_names_only():
    assert did_you_mean("optcal", ["optical", "gpu"]) == "; did you mean 'optical'?"
    assert did_you_mean("zzz", ["optical", "gpu"]) == ""


# -- anchors --------------------------------------------------------------------------------
def anchored(expected: float, expected_failure: str = "") -> CostModel:
    anchor = Anchor(name="arithmetic", params=1e9, tolerance=1.01, source="1e9 × 1 mJ",
                    metrics={"energy_per_inference": expected}, expected_failure=expected_failure)
    return define(anchors=(anchor,))()


def run_anchor(model):
    from cost_models.testing import CostModelConformance

    class Suite(CostModelConformance):
        pass

    Suite.model = model
    Suite().test_anchor(model.anchors[0])


def test_an_anchor_within_tolerance_passes():
    run_anchor(anchored(1.005e6))


@pytest.mark.parametrize("expected", [0.98e6, 1.02e6])
def test_an_anchor_outside_tolerance_fails_either_way(expected):
    with pytest.raises(AssertionError, match="metric 'energy_per_inference' = 1e\\+06 J"):
        run_anchor(anchored(expected))


def test_an_expected_failure_is_reported_as_xfail_with_its_reason():
    with pytest.raises(pytest.xfail.Exception, match="known gap"):
        run_anchor(anchored(2e6, expected_failure="known gap"))


def test_an_expected_failure_that_passes_fails_the_suite():
    with pytest.raises(pytest.fail.Exception, match="now passes: remove its expected_failure"):
        run_anchor(anchored(1e6, expected_failure="known gap"))


def test_a_model_without_anchors_fails_the_suite():
    from cost_models.testing import CostModelConformance

    class Suite(CostModelConformance):
        model = define(anchors=())()

    with pytest.raises(AssertionError, match="declares no anchors"):
        Suite().test_declares_an_anchor()



# -- declarations' own rules ------------------------------------------------------------------
def test_shared_width_is_log_int_with_the_real_llm_default():
    width = io_dimension_variable("width", low=10)
    assert (width.unit, width.kind, width.log, width.low, width.high) == ("", "int", True, 10, 1e10)
    for params in (1e9, 1e12, 1e21):
        assert width.default_at(params) == round(llm_width(params))
    assert width.default_at(1e12) == pytest.approx(2.2e4, rel=0.01)  # (128e12 / 12)^(1/3)


def test_shared_precisions_are_whole_bits():
    weight, io = weight_precision_variable("bits", 6), io_precision_variable("bits", 6)
    assert (weight.unit, weight.kind, weight.low, weight.high, weight.default_at(1e12)) == (
        "bit", "int", 1, 16, 6)
    assert (io.unit, io.kind, io.low, io.high, io.default_at(1e12)) == ("bit", "int", 2, 16, 6)


@pytest.mark.parametrize("text, expected", [("2", 2.0), ("16 bit", 16.0), (8, 8.0)])
def test_design_range_is_inclusive(text, expected):
    assert io_precision_variable("bits").parse(text) == expected


@pytest.mark.parametrize("text", ["1", "17", "-3"])
def test_design_value_outside_range_names_field_and_range(text):
    with pytest.raises(InputError, match=r"design variable 'io_precision': .* is outside its "
                                         r"range 2 bit … 16 bit"):
        io_precision_variable("bits").parse(text)


def test_assumption_range_is_inclusive_and_bounded():
    energy = Beads.assumptions[0]
    assert energy.parse("0.1 mJ") == pytest.approx(1e-4) and energy.parse("10 mJ") == pytest.approx(1e-2)
    with pytest.raises(InputError, match="assumption 'energy_per_bead': '11 mJ' is outside its "
                                         "plausible range 100 µJ … 10 mJ"):
        energy.parse("11 mJ")
    with pytest.raises(InputError, match="outside its plausible range"):
        energy.parse("0.09 mJ")


def test_categorical_design_value_is_one_of_its_choices():
    gating = cost_models.get("semiconductor").variable("power_gating")
    assert gating.parse(" on ") == "on"
    with pytest.raises(InputError, match="'maybe' is not one of off, on"):
        gating.parse("maybe")
    with pytest.raises(InputError, match="'maybe' is not one of off, on"):
        gating.settle("maybe", 1e12)


def test_int_design_defaults_are_rounded():
    width = io_dimension_variable("width")
    assert width.settle(lambda p: p ** (1 / 3) + 0.4, 1e12) == 1e4


# -- the suite's evaluation checks bite --------------------------------------------------------
def broken_output(**changes):
    """A Beads whose outputs are changed by ``changes`` (name → function of the Outputs)."""
    class Broken(Beads):
        def _evaluate(self, params, design, a):
            out = super()._evaluate(params, design, a)
            return dataclasses.replace(out, **{k: f(out) for k, f in changes.items()})

    return Broken()


def suite_for(model):
    from cost_models.testing import CostModelConformance

    class Suite(CostModelConformance):
        n_designs = 50

    Suite.model = model
    return Suite()


@pytest.mark.parametrize("check, changes, message", [
    ("test_outputs_are_finite_over_design_space",
     {"volume": lambda o: o.volume * np.nan}, "beads: metrics 'volume' not finite"),
    ("test_outputs_are_finite_over_design_space",
     {"latency": lambda o: -o.latency}, "beads: metric 'latency' not positive"),
    ("test_outputs_are_finite_over_design_space",
     {"breakdown": lambda o: {"fingers": o.breakdown["fingers"], "refund": -o.volume}},
     "beads: breakdown 'refund' negative"),
    ("test_outputs_are_finite_over_design_space",
     {"margins": lambda o: {"bead_size": o.margins["bead_size"] * np.inf}},
     "beads: margins 'bead_size' not finite"),
    ("test_outputs_are_finite_over_design_space",
     {"diagnostics": lambda o: {"beads": o.diagnostics["beads"] * np.nan}},
     "beads: diagnostic 'beads' is NaN"),
    ("test_breakdown_sums_to_energy",
     {"breakdown": lambda o: {"fingers": o.breakdown["fingers"] / 2}},
     "beads: breakdown does not sum to energy_per_inference"),
    ("test_deterministic",
     {"volume": lambda o: o.volume * np.random.default_rng().uniform(1, 2)}, "Arrays are not equal"),
    ("test_broadcasting_matches_elementwise",
     {"latency": lambda o: np.mean(o.latency) * np.ones_like(o.latency)}, "Not equal to tolerance"),
])
def test_each_evaluation_check_fails_on_its_defect(check, changes, message):
    with pytest.raises(AssertionError, match=re.escape(message)):
        getattr(suite_for(broken_output(**changes)), check)()


@pytest.mark.parametrize("check", ["test_outputs_are_finite_over_design_space",
                                   "test_breakdown_sums_to_energy", "test_deterministic",
                                   "test_broadcasting_matches_elementwise",
                                   "test_declarations_keep_the_contract", "test_declares_an_anchor"])
def test_each_check_passes_the_sound_toy(check):
    getattr(suite_for(Beads()), check)()


def test_every_preset_is_evaluated_at_its_own_design_point():
    class Wide(Beads):
        presets = {"big": Preset("big beads", design={"bead_size": 5e-2})}

        def _evaluate(self, params, design, a):
            out = super()._evaluate(params, design, a)
            return dataclasses.replace(out, volume=np.where(design["bead_size"] > 0.04, 0.0, out.volume))

    with pytest.raises(AssertionError):
        suite_for(Wide()).test_every_preset_evaluates_at_its_design_point(1e12)


def test_every_choice_of_a_categorical_assumption_is_evaluated():
    class Glass(Beads):
        assumptions = (*Beads.assumptions,
                       Assumption("material", "wood", "", None, None, "our guess",
                                  choices=("wood", "glass")))

        def _evaluate(self, params, design, a):
            out = super()._evaluate(params, design, a)
            broken = np.nan if a["material"] == "glass" else 1.0
            return dataclasses.replace(out, volume=out.volume * broken)

    with pytest.raises(AssertionError, match="metrics 'volume' not finite"):
        suite_for(Glass()).test_outputs_are_finite_over_design_space()
