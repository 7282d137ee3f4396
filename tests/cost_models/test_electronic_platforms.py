"""Scaling laws and anchors of the crossbar, resistor-network, semiconductor and ROM models."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cost_models

CROSSBAR = cost_models.get("crossbar")
RESISTOR = cost_models.get("resistor_network")
SEMI = cost_models.get("semiconductor")
ROM = cost_models.get("digital_rom")
TILES = np.logspace(np.log10(64), np.log10(65536), 25).round()


def slope(x, y):
    return np.polyfit(np.log10(x), np.log10(y), 1)[0]


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_crossbar_parasitic_energy_per_tile_grows_as_n_to_the_k(k):
    values = CROSSBAR.resolve_assumptions(f"parasitic_n{k}")
    design = {**CROSSBAR.default_design(1e15), "tile_size": TILES}
    result = CROSSBAR.evaluate(1e15, design, values)
    assert slope(TILES, result.diagnostics["parasitic_energy_per_tile"]) == pytest.approx(k, abs=0.05)
    # per inference at fixed P: P / N² tiles, so N^(k-2)
    assert slope(TILES, result.breakdown["parasitic"]) == pytest.approx(k - 2, abs=0.05)


def test_crossbar_exponents_agree_at_the_reference_size():
    energies = [float(CROSSBAR.evaluate(1e12, {**CROSSBAR.default_design(1e12), "tile_size": 256},
                                        CROSSBAR.resolve_assumptions(f"parasitic_n{k}"))
                      .diagnostics["parasitic_energy_per_tile"]) for k in (1, 2, 3, 4)]
    assert np.allclose(energies, energies[0])


@settings(max_examples=100, deadline=None)
@given(n=st.integers(16, 32768), bits=st.integers(2, 15), width=st.floats(1e-8, 5e-7))
def test_crossbar_ir_drop_margin_worsens_with_tile_size_and_precision(n, bits, width):
    design = {"tile_size": n, "io_dimension": 1e5, "precision": bits, "wire_width": width}
    base = CROSSBAR.evaluate(1e15, design).margins["ir_drop"]
    assert CROSSBAR.evaluate(1e15, {**design, "tile_size": 2 * n}).margins["ir_drop"] > base
    assert CROSSBAR.evaluate(1e15, {**design, "precision": bits + 1}).margins["ir_drop"] > base


def test_crossbar_wire_resistance_reproduces_neurosim_table():
    from cost_models.crossbar import wire_resistance_per_length

    widths = np.array([10e-9, 20e-9, 40e-9, 100e-9])
    np.testing.assert_allclose(wire_resistance_per_length(widths) / 1e6, [251, 76, 12, 1.6])
    assert wire_resistance_per_length(200e-9) < 1.6e6 < wire_resistance_per_length(5e-9)


def test_crossbar_breakdown_separates_periphery_cells_parasitic():
    result = CROSSBAR.evaluate(1e12, CROSSBAR.default_design(1e12))
    assert {"periphery", "cells", "parasitic"} <= set(result.breakdown)


@pytest.mark.parametrize("dimension", ["2d", "3d"])
def test_resistor_network_energy_per_layer_is_linear_in_width(dimension):
    widths = np.logspace(2, 7, 20).round()
    design = {**RESISTOR.default_design(1e18), "dimension": dimension, "io_dimension": widths}
    result = RESISTOR.evaluate(1e18, design)
    assert slope(widths, result.diagnostics["energy_per_layer"]) == pytest.approx(1.0, abs=0.05)


def test_resistor_network_tellegen_overhead_costs_energy_and_volume():
    design = RESISTOR.default_design(1e12)
    plain = RESISTOR.evaluate(1e12, design, RESISTOR.resolve_assumptions(None, {"tellegen_overhead": 1}))
    signed = RESISTOR.evaluate(1e12, design, RESISTOR.resolve_assumptions(None, {"tellegen_overhead": 2}))
    assert signed.metrics["energy_per_inference"] == pytest.approx(2 * plain.metrics["energy_per_inference"])
    assert signed.metrics["volume"] == pytest.approx(2 * plain.metrics["volume"])


def test_resistor_network_voxels_below_mean_free_path_are_infeasible():
    design = {**RESISTOR.default_design(1e12), "voxel_size": 50e-9}
    assert RESISTOR.evaluate(1e12, design).margins["diffusive_transport"] > 0


def test_semiconductor_always_on_bias_of_1e11_devices_at_1_uW_is_100_kW():
    """physics.md §5: 1e11 always-on devices at 1 µW = 100 kW."""
    design = {**SEMI.default_design(1e12), "bias_power": 1e-6, "power_gating": "off"}
    result = SEMI.evaluate(1e12, design)
    assert result.diagnostics["devices"] == pytest.approx(1e11)
    assert result.diagnostics["static_power"] == pytest.approx(1e5, rel=1e-9)


def test_semiconductor_gating_saves_energy_when_io_bound():
    values = SEMI.resolve_assumptions(None, {"max_io_rate": "1 MHz"})
    design = {**SEMI.default_design(1e12), "bias_power": 1e-6}
    on = SEMI.evaluate(1e12, {**design, "power_gating": "on"}, values)
    off = SEMI.evaluate(1e12, {**design, "power_gating": "off"}, values)
    assert on.breakdown["static_bias"] < off.breakdown["static_bias"] / 10


def test_semiconductor_defaults_are_marked_speculative():
    speculative = [a for a in SEMI.assumptions if "SPECULATIVE" in a.source]
    assert len(speculative) >= 5


def test_digital_rom_matches_taalas_hc1_within_2x():
    """Taalas HC1 (Feb 2026, secondary sources via physics.md §6): Llama 3.1 8B on one N6 chip,
    ~17 000 tokens/s per user at ~200 W → ~12 mJ and ~60 µs per token."""
    design = {**ROM.default_design(8e9), "io_dimension": 4096}
    result = ROM.evaluate(8e9, design, ROM.resolve_assumptions("n6"))
    assert result.diagnostics["chip_count"] == 1
    assert 12e-3 / 2 < result.metrics["energy_per_inference"] < 12e-3 * 2
    assert 60e-6 / 2 < result.metrics["time_per_inference"] < 60e-6 * 2


def test_digital_rom_chip_count_grows_with_p():
    params = np.array([8e9, 1e12, 1e15])
    result = ROM.evaluate(params, {"io_dimension": params ** (1 / 3), "precision": 4,
                                   "context_length": 1024})
    assert np.all(np.diff(result.diagnostics["chip_count"]) > 0)
    assert result.diagnostics["chip_count"][1] == np.ceil(1e12 / 1e7 / 815)
