r"""Fixed crossbar: tiles of N × N fixed conductances, with N¹ … N⁴ parasitic-scaling variants.

The network (paper App. A.1 analogy) is an MLP of width W (``io_dimension``) and
``L = P / W²`` layers; each weight takes ``c`` cells (signed weights: 2), so there are
``T = c P / N²`` tiles of N × N cells. Per tile and inference (paper §III.2; NeuroSim):

* periphery ``N (E_DAC(b) + E_ADC(b))`` (see :mod:`cost_models.electronics`);
* line charging ``2 N² p c_w V²`` (p cell pitch = 2 × wire width, c_w wire capacitance per length);
* cell dissipation ``N² G V² t_int``;
* parasitic wire dissipation ``E_par(N) = (2/3) r G² V² t_int N₀^(4−k) N^k``, with r the wire
  resistance per cell pitch and k = ``parasitic_exponent``. At k = 4 this is the Joule loss of
  fixed wires, ``(2/3) N⁴ r G² V² t_int``; the other exponents are the regimes physics.md §3
  lists, anchored to agree with it at the reference size N₀:
  k = 1 noise-limited readout with G ∝ 1/N (Agarwal et al., Front. Neurosci. 2016);
  k = 2 line-coupling terms dominate (G, t fixed); k = 3 wires widened with N to hold the IR
  budget; k = 4 fixed G and wires, wire Joule loss dominates (the paper's best estimate).
* activations ``L W E_act`` (one nonlinearity per neuron per layer).

Accuracy: IR drop ``r G N² / 2`` against the error budget ``2^-b`` (margin
``r G N² 2^(b−1) − 1``). Timing: settling ``b ln 2 · κ N² r c_w p`` (distributed RC,
κ = 0.4–2.5), plus integration and ADC conversion; layers are pipelined, so the time per
inference is one layer's time and the latency ``L`` of them. Volume: tile area
``T (N p)²`` over the array's area efficiency, times the packaged thickness per die.
Wire resistance per length vs width: Cu, 10/20/40/100 nm → 251/76/12/1.6 Ω/µm (NeuroSim),
interpolated log-log. Largest built analogue array for scale: IBM 14 nm, 35 M PCM devices in
34 tiles, 12.4 TOPS/W (Ambrogio et al., Nature 2023).
"""
from __future__ import annotations

import numpy as np

from .base import (Assumption, CostModel, DesignVariable, Preset, finish_metrics,
                  io_dimension_variable, precision_variable)
from .electronics import CONVERTER_ASSUMPTIONS, PACKAGED_THICKNESS_ASSUMPTION, converter_energy

#: NeuroSim Cu interconnect table: wire width [m] → resistance per length [Ω/m].
WIRE_WIDTHS = np.array([10e-9, 20e-9, 40e-9, 100e-9])
WIRE_RESISTANCE = np.array([251.0, 76.0, 12.0, 1.6]) * 1e6


def wire_resistance_per_length(width):
    """Cu wire resistance per length [Ω/m] at ``width`` [m]: log-log interpolation of the
    NeuroSim table, extended beyond it with the end segments' slopes."""
    logw, logr = np.log(WIRE_WIDTHS), np.log(WIRE_RESISTANCE)
    x = np.log(width)
    slope_lo = (logr[1] - logr[0]) / (logw[1] - logw[0])
    slope_hi = (logr[-1] - logr[-2]) / (logw[-1] - logw[-2])
    inside = np.interp(x, logw, logr)
    below = logr[0] + slope_lo * (x - logw[0])
    above = logr[-1] + slope_hi * (x - logw[-1])
    return np.exp(np.where(x < logw[0], below, np.where(x > logw[-1], above, inside)))


class Crossbar(CostModel):
    name = "crossbar"
    title = "Fixed-conductance crossbar tiles"
    description = ("Weights as fixed resistors in N × N crossbar tiles; DAC/ADC periphery, cell "
                   "and line energy, and a parasitic wire term scaling as N^k (k = 1…4).")

    design_variables = (
        DesignVariable("tile_size", "", "rows = columns N of one crossbar tile", 64,
                       low=16, high=65536, log=True, kind="int"),
        io_dimension_variable("network width W; layers = P / W²", low=16),
        precision_variable("weight and output precision b", 8),
        DesignVariable("wire_width", "m", "crossbar wire width (cell pitch = 2 × width)", 40e-9,
                       low=10e-9, high=1e-6, log=True),
    )

    assumptions = (
        Assumption("parasitic_exponent", 4.0, "", 1.0, 4.0,
                   "k in E_par ∝ N^k: paper §III.2 found ~N to ~N⁴ depending on assumptions, "
                   "most likely N⁴ for very large N; any real k in 1…4 is accepted"),
        Assumption("parasitic_reference_size", 256.0, "", 16.0, 65536.0,
                   "tile size N₀ at which every exponent's parasitic term equals the fixed-wire "
                   "Joule loss (our anchoring choice)"),
        Assumption("cell_conductance", 1e-6, "S", 1e-9, 1e-3,
                   "1 MΩ fixed resistor; RRAM/PCM on-states span ~1–100 µS (our estimate)"),
        Assumption("read_voltage", 0.2, "V", 0.01, 1.0, "crossbar read voltage, 0.1–0.3 V typical"),
        Assumption("integration_time", 10e-9, "s", 1e-10, 1e-5,
                   "column current integration window (our estimate, ~1–100 ns)"),
        Assumption("wire_capacitance", 0.2e-9, "F/m", 0.05e-9, 1e-9,
                   "0.2 fF/µm interconnect capacitance (NeuroSim)"),
        Assumption("cells_per_weight", 2.0, "", 1.0, 16.0,
                   "differential pair for signed weights (2); bit-sliced weights need more"),
        Assumption("settling_factor", 1.0, "", 0.4, 2.5,
                   "κ in the distributed-RC settling time κ N² r c (physics.md §3: 0.4–2.5)"),
        Assumption("adc_conversion_time", 1e-9, "s", 1e-11, 1e-6,
                   "one column conversion, ~1 GS/s class ADC (Murmann survey)"),
        Assumption("array_area_efficiency", 0.5, "", 0.05, 1.0,
                   "fraction of die area that is cell array (rest: periphery, routing)"),
        PACKAGED_THICKNESS_ASSUMPTION,
        *CONVERTER_ASSUMPTIONS,
    )

    presets = {
        f"parasitic_n{k}": Preset(f"parasitic wire energy per tile ∝ N^{k} ({regime})",
                                  assumptions={"parasitic_exponent": float(k)},
                                  source="paper §III.2; physics.md §3")
        for k, regime in [(1, "noise-limited readout, G ∝ 1/N"), (2, "line coupling dominates"),
                          (3, "wires widened to hold the IR budget"),
                          (4, "fixed wires, Joule loss dominates")]
    }

    diagnostic_units = {
        "parasitic_energy_per_tile": "J", "tiles": "", "layers": "", "ir_drop": "",
        "wire_resistance_per_cell": "ohm", "settling_time": "s", "layer_time": "s",
        "die_area": "m**2", "periphery_energy_per_tile": "J",
    }
    margin_descriptions = {
        "ir_drop": "IR drop r G N² / 2 over the error budget 2^-b, − 1",
        "tile_fits_layer": "tile size / network width − 1 (a tile larger than a layer is wasted)",
        "depth": "1 − P / W² (at least one layer)",
    }

    def _evaluate(self, params, design, a):
        n = design["tile_size"]
        width = design["io_dimension"]
        bits = design["precision"]
        wire = design["wire_width"]

        pitch = 2.0 * wire
        r_cell = wire_resistance_per_length(wire) * pitch
        g, v, t_int = a["cell_conductance"], a["read_voltage"], a["integration_time"]
        k, n0 = a["parasitic_exponent"], a["parasitic_reference_size"]

        layers = params / width**2
        tiles = a["cells_per_weight"] * params / n**2
        periphery = n * converter_energy(bits, a)
        line = 2 * n**2 * pitch * a["wire_capacitance"] * v**2
        cells = n**2 * g * v**2 * t_int
        parasitic = (2 / 3) * r_cell * g**2 * v**2 * t_int * n0 ** (4 - k) * n**k
        activation = np.maximum(layers, 1.0) * width * a["activation_energy"]

        ir_drop = r_cell * g * n**2 / 2
        settling = bits * np.log(2) * a["settling_factor"] * n**2 * r_cell * a[
            "wire_capacitance"] * pitch
        layer_time = settling + t_int + a["adc_conversion_time"]
        area = tiles * (n * pitch) ** 2 / a["array_area_efficiency"]

        breakdown = {"periphery": tiles * periphery, "line_charging": tiles * line,
                     "cells": tiles * cells, "parasitic": tiles * parasitic,
                     "activation": activation}
        energy = sum(breakdown.values())
        metrics = finish_metrics(energy, layer_time, np.maximum(layers, 1.0) * layer_time,
                                 area * a["packaged_thickness"])
        margins = {
            "ir_drop": ir_drop * 2.0**bits - 1,
            "tile_fits_layer": n / width - 1,
            "depth": 1 - layers,
        }
        diagnostics = {
            "parasitic_energy_per_tile": parasitic, "tiles": tiles, "layers": layers,
            "ir_drop": ir_drop, "wire_resistance_per_cell": r_cell, "settling_time": settling,
            "layer_time": layer_time, "die_area": area, "periphery_energy_per_tile": periphery,
        }
        return metrics, breakdown, margins, diagnostics
