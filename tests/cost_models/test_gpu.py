"""GPU reference against the paper's digital baseline (Table 1, §III.1) and its presets."""
import numpy as np
import pytest

import cost_models

MODEL = cost_models.get("gpu")
PAPER = MODEL.resolve_assumptions("paper")


def paper_point(params):
    return MODEL.evaluate(params, MODEL.default_design(params, "paper"), PAPER)


@pytest.mark.parametrize("params, gpus", [(1e12, 5.2), (1e15, 5208), (1e18, 5.2e6)])
def test_gpu_count_matches_paper(params, gpus):
    assert paper_point(params).diagnostics["gpu_count"] == pytest.approx(gpus, rel=0.01)


@pytest.mark.parametrize("params, energy", [(1e12, 1.0), (1e15, 1e3), (1e18, 1e6)])
def test_one_picojoule_per_parameter(params, energy):
    assert paper_point(params).metrics["energy_per_inference"] == pytest.approx(energy)


def test_time_is_192_GB_over_8_TB_per_s_at_every_scale():
    for params in (1e12, 1e15, 1e18):
        assert paper_point(params).metrics["time_per_inference"] == pytest.approx(0.024)


def test_volume_is_1000_cm3_per_gpu_cube_side_17_cm():
    assert paper_point(1e12).metrics["volume"] ** (1 / 3) == pytest.approx(0.173, rel=0.01)


def test_paper_energy_slope_is_one():
    params = np.logspace(9, 21, 13)
    result = MODEL.evaluate(params, {"io_dimension": params ** (1 / 3), "precision": 8,
                                     "batch_size": 1}, PAPER)
    slope = np.polyfit(np.log10(params), np.log10(result.metrics["energy_per_inference"]), 1)[0]
    assert slope == pytest.approx(1.0, abs=1e-9)


def test_batching_amortises_weight_streaming_until_compute_bound():
    values = MODEL.resolve_assumptions("b200")
    batches = np.array([1, 8, 64, 512, 4096])
    result = MODEL.evaluate(1e12, {"io_dimension": 1e4, "precision": 8, "batch_size": batches},
                            values)
    time = result.metrics["time_per_inference"]
    assert np.all(np.diff(time) <= 0)
    compute_bound = result.diagnostics["compute_time"] > result.diagnostics["weight_streaming_time"]
    assert compute_bound[-1] and not compute_bound[0]


@pytest.mark.parametrize("preset, memory", [("b200", 192e9), ("h200", 141e9), ("h100", 80e9)])
def test_realistic_presets_use_whole_gpus(preset, memory):
    values = MODEL.resolve_assumptions(preset)
    result = MODEL.evaluate(1e12, MODEL.default_design(1e12), values)
    assert result.diagnostics["gpu_count"] == np.ceil(1e12 / memory)


def test_narrower_networks_pay_more_synchronisation():
    values = MODEL.resolve_assumptions("b200")
    result = MODEL.evaluate(1e12, {"io_dimension": np.array([1e3, 1e4, 1e5]), "precision": 8,
                                   "batch_size": 1}, values)
    assert np.all(np.diff(result.metrics["latency"]) < 0)
