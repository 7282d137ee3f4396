"""Optical tube physics against the paper (Table 1, App. A.2) and its scaling laws."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cost_models

MODEL = cost_models.get("optical_tube")
PAPER = MODEL.resolve_assumptions("paper")


def paper_point(params):
    return MODEL.evaluate(params, MODEL.default_design(params, "paper"), PAPER)


def loglog_slope(xs, ys):
    return np.polyfit(np.log10(xs), np.log10(ys), 1)[0]


@pytest.mark.parametrize("params, peak, pulse", [(1e12, 44e6, 44e-6), (1e15, 450e6, 440e-6),
                                                 (1e18, 4.5e9, 4.4e-3)])
def test_appendix_peak_power_and_pulse_energy_within_5_percent(params, peak, pulse):
    """Wright et al., App. A.2: 44 MW / 450 MW / 4.5 GW and 44 µJ / 440 µJ / 4.4 mJ."""
    result = paper_point(params)
    assert result.diagnostics["peak_power"] == pytest.approx(peak, rel=0.05)
    assert result.diagnostics["pulse_energy"] == pytest.approx(pulse, rel=0.05)


@pytest.mark.parametrize("params, side, length", [(1e12, 1.03e-3, 1.03), (1e15, 1.03e-2, 10.3),
                                                  (1e18, 0.103, 103.0)])
def test_tube_geometry_matches_table1(params, side, length):
    """physics.md §1: (1.03 mm)² × 1.03 m, (1.03 cm)² × 10.3 m, (10.3 cm)² × 103 m."""
    result = paper_point(params)
    assert result.diagnostics["tube_side"] == pytest.approx(side, rel=0.01)
    assert result.diagnostics["tube_length"] == pytest.approx(length, rel=0.01)


def test_critical_power_is_24_MW_for_the_papers_glass():
    assert paper_point(1e12).diagnostics["critical_power"] == pytest.approx(24e6, rel=0.01)


def test_paper_footnote_35_every_tube_shorter_than_collapse_distance():
    for params in (1e12, 1e15, 1e18):
        result = paper_point(params)
        assert result.margins["self_focusing"] < 0
        assert result.diagnostics["self_focusing_distance"] > result.diagnostics["tube_length"]


def test_matched_beam_makes_the_1e12_tube_marginal():
    """With the beam that reproduces 44 MW, the 1e12 tube is longer than the collapse distance
    (physics.md §1: 'report the margin, do not hide it')."""
    matched = {**PAPER, "self_focusing_beam": "matched"}
    result = MODEL.evaluate(1e12, MODEL.default_design(1e12, "paper"), matched)
    assert result.margins["self_focusing"] > 0
    assert 0.7 < result.diagnostics["self_focusing_distance"] < 1.03


def test_guided_modes_exceed_io_dimension_in_table1():
    for params in (1e12, 1e15, 1e18):
        result = paper_point(params)
        assert result.diagnostics["guided_mode_count"] / params ** (1 / 3) > 90


def test_paper_preset_scaling_laws():
    """Table 1 'Scaling' column: energy and time ∝ P^(1/3), volume ∝ P."""
    params = np.logspace(12, 21, 10)
    design = {k: np.asarray([MODEL.default_design(p, "paper")[k] for p in params])
              for k in MODEL.default_design(1e12, "paper")}
    result = MODEL.evaluate(params, design, PAPER)
    assert loglog_slope(params, result.metrics["energy_per_inference"]) == pytest.approx(1 / 3, abs=0.01)
    assert loglog_slope(params, result.metrics["time_per_inference"]) == pytest.approx(1 / 3, abs=0.01)
    assert loglog_slope(params, result.metrics["volume"]) == pytest.approx(1.0, abs=1e-9)


def test_transit_time_is_the_latency_floor():
    result = paper_point(1e15)
    assert result.diagnostics["transit_time"] == pytest.approx(1.5 * 10.33 / 299792458, rel=0.01)
    assert result.metrics["latency"] >= result.diagnostics["transit_time"]


@settings(max_examples=200, deadline=None)
@given(params=st.floats(1e9, 1e21), aspect=st.floats(1, 1e7), bits=st.integers(2, 15))
def test_more_bits_never_cost_less_energy(params, aspect, bits):
    design = {**MODEL.default_design(params), "aspect_ratio": aspect, "precision": bits}
    low = MODEL.evaluate(params, design)
    high = MODEL.evaluate(params, {**design, "precision": bits + 1})
    assert high.metrics["energy_per_inference"] >= low.metrics["energy_per_inference"]
    assert high.margins["shot_noise"] >= low.margins["shot_noise"]


@settings(max_examples=200, deadline=None)
@given(params=st.floats(1e9, 1e21), aspect=st.floats(1, 1e7))
def test_glass_volume_is_p_voxels_whatever_the_shape(params, aspect):
    design = {**MODEL.default_design(params, "paper"), "aspect_ratio": aspect}
    result = MODEL.evaluate(params, design, PAPER)
    voxel = 1550e-9 / 1.5
    assert result.metrics["volume"] == pytest.approx(params * voxel**3, rel=1e-9)
    side, length = result.diagnostics["tube_side"], result.diagnostics["tube_length"]
    assert side**2 * length == pytest.approx(params * voxel**3, rel=1e-9)


def test_peak_power_follows_kerr_phase_formula():
    """P₀ = Φ λ A₀ / (2π n₂ L): doubling n₂ halves P₀; doubling Φ doubles it."""
    base = paper_point(1e15).diagnostics["peak_power"]
    design = MODEL.default_design(1e15, "paper")
    doubled_n2 = MODEL.evaluate(1e15, design, {**PAPER, "nonlinear_index": 2e-20})
    doubled_phase = MODEL.evaluate(1e15, design, {**PAPER, "nonlinear_phase": 4 * np.pi})
    assert doubled_n2.diagnostics["peak_power"] == pytest.approx(base / 2)
    assert doubled_phase.diagnostics["peak_power"] == pytest.approx(base * 2)
