"""Distributions over the assumptions' declared ranges, shared quantiles, sampled evaluation."""
import numpy as np
import pytest

import cost_models
from cost_models import Assumption, InputError
from cost_models.sampling import (default_spread, draw, evaluate_samples, model_spreads,
                                  quantiles, spread_for)


def numeric(name="x", low=1.0, high=100.0, value=10.0):
    return Assumption(name, value, "J", low, high, "test")


def test_default_spreads_follow_the_declared_range():
    assert default_spread(numeric(low=1e-15, high=1e-8)).kind == "loguniform"
    assert default_spread(numeric(low=1.0, high=2.5, value=2.0)).kind == "uniform"  # < 3×
    assert default_spread(numeric(low=0.0, high=1.0, value=0.1)).kind == "uniform"  # has 0
    choice = default_spread(Assumption("c", "a", "", None, None, "test", choices=("a", "b", "c")))
    assert choice.kind == "choice" and choice.weights == pytest.approx((1 / 3,) * 3)


def test_log_uniform_samples_spread_evenly_over_decades_and_stay_in_range():
    spread = default_spread(numeric(low=1e-3, high=1e3, value=1.0))
    values = spread.values(quantiles("x", 20000, 0))
    assert values.min() >= 1e-3 and values.max() <= 1e3
    counts, _ = np.histogram(np.log10(values), bins=6, range=(-3, 3))
    assert counts.min() > 0.9 * 20000 / 6
    assert spread.centre == pytest.approx(1.0)  # median of log-uniform: geometric mean


def test_same_name_same_quantiles_in_every_model_and_seed_reproduces():
    a = quantiles("wavelength", 100, 7)
    np.testing.assert_array_equal(a, quantiles("wavelength", 100, 7))
    assert not np.allclose(a, quantiles("wavelength", 100, 8))
    assert np.corrcoef(a, quantiles("refractive_index", 100, 7))[0, 1] < 0.5
    shared = draw({"x": default_spread(numeric())}, 50, 3)["x"]
    wider = draw({"x": default_spread(numeric(low=0.5, high=200.0))}, 50, 3)["x"]
    assert np.all(np.argsort(shared) == np.argsort(wider))  # comonotone across models


def test_workload_loss_and_converter_assumptions_take_one_sample_on_every_platform():
    # the shared declarations (workload, model loss, converters) are one Assumption per name:
    # every platform sees the same values
    tube, crossbar, gpu = (cost_models.get(n) for n in ("optical_tube", "crossbar", "gpu"))
    tube_samples = draw(model_spreads(tube), 64, 5)
    for other, shared in ((crossbar, {"loss_exponent", "loss_coefficient",
                                      "converter_model", "adc_envelope_floor"}),
                          (gpu, {"loss_exponent", "weight_bits_scale", "shape_penalty"})):
        other_samples = draw(model_spreads(other), 64, 5)
        assert shared <= set(tube_samples) & set(other_samples), other.name
        for name in shared:
            assert len(set(tube_samples[name])) > 1, name
            np.testing.assert_array_equal(tube_samples[name], other_samples[name], err_msg=name)


def settings_of(model):
    return [a for a in model.assumptions if a.setting]


def test_settings_stay_at_their_value_unless_an_override_spreads_them():
    gpu = cost_models.get("gpu")
    for model in map(cost_models.get, cost_models.available()):
        for a in settings_of(model):
            assert model_spreads(model)[a.name].kind == "fixed", (model.name, a.name)
            assert set(draw(model_spreads(model), 5, 0)[a.name]) == {a.value}
    shape = gpu.assumption("max_network_aspect_ratio")
    assert spread_for(shape, None, "uniform").kind == "uniform"  # unless asked to vary
    packing = spread_for(gpu.assumption("gpu_packing"), None, {"weights": {"fractional": 1}})
    assert (packing.choices, packing.weights) == (("fractional", "whole"), (1.0, 0.0))
    study = model_spreads(gpu, {"batch_size": 8.0})
    assert set(draw(study, 10, 0)["batch_size"]) == {8.0}


def test_every_setting_is_named_in_the_sampling_docstring_with_the_shared_criteria():
    import cost_models.sampling

    names = {a.name for m in map(cost_models.get, cost_models.available()) for a in settings_of(m)}
    assert {"min_network_aspect_ratio", "max_network_aspect_ratio", "min_weight_precision",
            "min_io_precision", "max_facility_power", "batch_size"} <= names
    documented = cost_models.sampling.__doc__
    assert [n for n in sorted(names) if f"``{n}``" not in documented] == []


def test_overrides_fix_narrow_reweight_and_reject_bad_input():
    a = numeric(low=1e-15, high=1e-8, value=1e-10)
    assert spread_for(a, None, "fixed").kind == "fixed"
    assert spread_for(a, None, "uniform").kind == "uniform"
    narrow = spread_for(a, None, {"low": "10 pJ", "high": "1 nJ"})
    assert (narrow.kind, narrow.low, narrow.high) == ("loguniform", pytest.approx(1e-11),
                                                      pytest.approx(1e-9))
    c = Assumption("c", "a", "", None, None, "test", choices=("a", "b"))
    weighted = spread_for(c, None, {"weights": {"a": 3, "b": 1}})
    assert weighted.weights == (0.75, 0.25)
    assert np.mean(weighted.values(quantiles("c", 4000, 0)) == "a") == pytest.approx(0.75, abs=0.03)
    for bad, message in [({"low": "1 s"}, "dimension"), ({"low": 1.0}, "outside"),
                         ({"weights": {"a": 1}}, "categorical"), ("normal", "kind"),
                         ({"low": 1e-9, "high": 1e-12}, "below")]:
        with pytest.raises(InputError, match=message):
            spread_for(a, None, bad)
    with pytest.raises(InputError, match="'z' is not one of"):
        spread_for(c, None, {"weights": {"z": 1}})
    with pytest.raises(InputError, match="did you mean 'wavelength'"):
        model_spreads(cost_models.get("optical_tube"), None, {"wavelenght": "fixed"})


def test_sampled_evaluation_groups_categorical_choices_and_matches_one_by_one():
    model = cost_models.get("gpu")  # two categorical assumptions (one a setting, spread here)
    samples = draw(model_spreads(model, None, {"gpu_packing": {"weights": {"whole": 1,
                                                                           "fractional": 1}}}),
                   40, 1)
    assert len(set(samples["energy_model"])) == 2 and len(set(samples["gpu_packing"])) == 2
    designs = {"io_dimension": np.array([1e4, 3e4]), "weight_precision": np.array([4.0, 8.0]),
               "io_precision": np.array([6.0, 8.0])}
    together = evaluate_samples(model, 1e12, designs, samples)
    assert together.metrics["energy_per_inference"].shape == (40, 2)
    for i in (0, 17, 39):
        alone = model.evaluate(1e12, designs, {k: v[i] for k, v in samples.items()})
        for name, values in alone.metrics.items():
            np.testing.assert_allclose(together.metrics[name][i], values, rtol=1e-12)


def test_ten_thousand_samples_of_one_design_in_one_call_per_choice():
    model = cost_models.get("optical_tube")
    samples = draw(model_spreads(model), 10_000, 0)
    result = evaluate_samples(model, 1e12, model.default_design(1e12), samples)
    assert result.metrics["energy_per_inference"].shape == (10_000,)
    assert 0 < result.feasible.mean() < 1


def test_conformance_catches_python_branching_on_a_numeric_assumption():
    from cost_models.gpu import GPU
    from cost_models.testing import CostModelConformance

    class ClampingGPU(GPU):
        name = "clamping_gpu"

        def _evaluate(self, params, design, a):
            return super()._evaluate(params, design,
                                     {**a, "utilisation": max(a["utilisation"], 0.05)})

    class Suite(CostModelConformance):
        model = ClampingGPU()

    Suite().test_broadcasting_matches_elementwise()  # designs alone broadcast fine
    with pytest.raises(ValueError, match="truth value"):
        Suite().test_sampled_assumptions_match_each_sample_alone()
