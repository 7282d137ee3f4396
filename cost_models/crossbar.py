r"""Fixed crossbar: tiles of N × N fixed conductances, in four parasitic regimes (N¹ … N⁴).

The network is the shared workload (:mod:`cost_models.workload`): width W (``io_dimension``)
and ``L = P / W²`` stages of W × W; each weight takes ``c`` cells (signed weights: 2), so there
are ``T = c P / N²`` tiles of N × N cells. b is the I/O precision. Per tile and token (paper
§III.2; NeuroSim):

* periphery ``N (E_DAC(b, f) + E_ADC(b, f) + E_acc)``: one input conversion per row, one
  output conversion per column at the ADC rate f = 1 / t_ADC (:mod:`cost_models.converters`),
  and one digital addition per column that accumulates the tile's partial sum into its stage
  output (W / N tiles feed each output);
* digital transport ``2 N b s c_w V_dd² / 4``: every b-bit input crosses the tile on its
  way along the row of tiles and every partial sum crosses it on its way to the accumulator
  (½ C V² per toggle, half the bits toggling). A bus crosses the tile's whole footprint, not
  only its array: the tile pitch ``s = √((N p)² / η + N A_line)`` holds the array (area
  efficiency η) and the converter periphery beside it (A_line per row/column pair), so the
  transport grows with the wire pitch where the array dominates and with the converters'
  area (∝ 1/√N per cell) where they do;
* line charging ``2 N² p c_w V²`` (p cell pitch = 2 × wire width, c_w wire capacitance per
  length: scale-invariant, so it stays ~0.2 fF/µm when wires are widened);
* cell dissipation ``N² G V² t_int``;
* wire Joule loss ``(2/3) N⁴ r G² V² t_int`` (r wire resistance per cell pitch; the leading
  term of a resistive line for ``r G N² ≲ 1``);
* activations ``L W E_act`` (one nonlinearity per neuron per stage).

The four regimes are not exponents written into a formula: each regime decides which physical
quantities are held fixed and which follow N, and the slope of the energy per tile emerges:

* ``noise_limited`` (N¹, Agarwal et al., Front. Neurosci. 9, 484 (2016): "if the read
  operation is noise limited, the energy to read a column can be independent of the crossbar
  size"). Each column needs a thermal SNR of 1.5 · 4^b (the quantisation SNR of b bits) over
  its integration window; Johnson noise of the column's N G gives
  ``SNR = N G V² t_int / (2 k T)``, so ``G = 3 F k T 4^b / (N V² t_int)`` ∝ 1/N (F the
  readout's noise factor), floored at the smallest manufacturable cell conductance. Cell
  energy per tile is then N × 3 F k T 4^b ∝ N; IR drop and Joule loss shrink with G.
* ``fixed_conductance`` (N²): G, t_int and the wires are fixed, and the IR drop is held to
  the b-bit error budget, so the wire terms stay negligible (Joule loss is then at most
  (4/3) 2^-b of the cell energy): cells and line charging ∝ N² dominate.
* ``widened_wires`` (N³): G fixed; each tile's wires are widened until the IR drop meets the
  budget, ``r(w) = 2^(1−b) / (G N²)``. With the NeuroSim table r per pitch falls as
  w^-0.7 … w^-1.7, so the pitch grows ≈ N^1.2 … N^2.8 and line charging (∝ N² p) grows as
  ~N³ and faster — once the lines outweigh the cells, at a pitch above ``G t_int / (2 c_w)``
  (25 µm at 1 µS and 10 ns, wider than any back end; 0.25 µm at 10 nS); below it the cells
  keep the energy per tile ∝ N². Widening stops at the thickest metal the back end offers
  (below); a tile that would need wider wires misses its IR budget.
* ``wire_joule`` (N⁴, the paper's best estimate for very large N): G and wires fixed; the IR
  drop of a fixed linear resistive array is a deterministic linear distortion, absorbed into
  the trained conductances (the PFM premise of training through the physics), so it is
  limited only by the far cells still coupling, ``r G N² / 2 ≤`` a tolerance; the Joule loss
  ∝ N⁴ then sets the tile size.

Where each regime puts the energy-optimal tile. The periphery costs ``c P E_line / N`` per
inference and pushes N up; what stops it is the mechanism. ``noise_limited``: the column
conductance ``N G`` is pinned by the SNR, so the column current ``I = 3 F k T 4^b / (V t_int)``
does not depend on N and the IR drop ``r N I / (2 V)`` grows only as N: the tile runs into the
layer width or into ``N = 2^(1−b) V / (r I) ∝ 8^-b / r``, and the wire width trades that r
against the transport ∝ pitch. ``wire_joule``: the Joule loss per inference ``∝ N² r G²``
meets the periphery's 1/N at ``N³ = 3 E_line / (4 r G² V² t_int)``. At ≤ 7-bit I/O the
noise-limited bound lies above the N⁴ balance by ≥ 4×; at 8 bits its 8^-b has brought it
down to ~2.4× (1e12, default width): the 8-bit column current is 256× the 4-bit one while its
IR budget is 16× tighter. Widening the wires helps the noise-limited tile (∝ 1/r ≈ w^1.2)
more than the Joule-limited one (∝ r^(-1/3)), so charging wider wires more would narrow the
gap, not widen it. ``fixed_conductance`` and ``widened_wires`` both hold the b-bit budget
with 1 µS cells, so both end where the wires reach the thickest metal level.

Accuracy: IR drop ``r G N² / 2`` against the budget 2^-b (``wire_joule``: the tolerance);
readout SNR against 1.5 · 4^b. Timing: settling ``b ln 2 · κ N² r c_w p`` (distributed RC,
κ = 0.4–2.5), plus integration and ADC conversion; stages are pipelined, so one stage's time
paces the inferences (no faster than the shared I/O frame ``1/f_io``) and the latency is
``L`` of them. The rate is then throttled so the
dissipated power never exceeds what the cooling removes from the die
(:func:`cost_models.electronics.heat_removal_time`) nor what the facility feeds
(:func:`cost_models.facility.facility_time`). Area: tile arrays ``(N p)²`` over the
array's area efficiency, plus the periphery of every row/column pair (ADC, DAC, accumulator);
volume: area times the packaged thickness per die. Wire resistance per length vs width: Cu,
10/20/40/100 nm → 251/76/12/1.6 Ω/µm (NeuroSim), interpolated log-log. That table scales the
thickness with the width (aspect ratio 1.6–2.3 in NeuroSim's ITRS-based wire data), which is
what lets a wider wire cut the resistance of a cell pitch (``r ∝ ρ / (AR w)``); a back end has
a thickest metal level, so a wire thicker than it (``AR w > t_max``) is infeasible
(margin ``wire_thickness``), and the widened wires stop there. Largest built analogue
array for scale: IBM 14 nm, 35 M PCM devices in 34 tiles, 12.4 TOPS/W (Ambrogio et al.,
Nature 2023).
"""
from __future__ import annotations

import numpy as np

from .base import (Anchor, Assumption, CostModel, DesignVariable, Outputs, Preset,
                   io_dimension_variable, io_precision_variable, limiting_time,
                   weight_precision_variable)
from .converters import CONVERTER_ASSUMPTIONS, conversion_pair_energy
from .electronics import (ACTIVATION_ASSUMPTION, BOLTZMANN, HEAT_FLUX_ASSUMPTION,
                          PACKAGED_THICKNESS_ASSUMPTION, heat_removal_time)
from .facility import FACILITY_TERM, facility_time
from .workload import IO_FRAME_RATE_ASSUMPTION, Network

#: NeuroSim Cu interconnect table: wire width [m] → resistance per length [Ω/m].
WIRE_WIDTHS = np.array([10e-9, 20e-9, 40e-9, 100e-9])
WIRE_RESISTANCE = np.array([251.0, 76.0, 12.0, 1.6]) * 1e6
#: Resistance of one cell pitch (2 × width) of wire at those widths [Ω], falling with width.
CELL_RESISTANCE = WIRE_RESISTANCE * 2 * WIRE_WIDTHS

#: The parasitic regimes, in order of the energy-per-tile exponent they produce.
REGIMES = ("noise_limited", "fixed_conductance", "widened_wires", "wire_joule")


def _power_law_through(x, xs, ys):
    """Piecewise power law through the points (xs, ys), xs increasing, extended beyond them
    with the end segments' exponents."""
    lx, lxs, lys = np.log(x), np.log(xs), np.log(ys)
    below = lys[0] + (lys[1] - lys[0]) / (lxs[1] - lxs[0]) * (lx - lxs[0])
    above = lys[-1] + (lys[-1] - lys[-2]) / (lxs[-1] - lxs[-2]) * (lx - lxs[-1])
    inside = np.interp(lx, lxs, lys)
    return np.exp(np.where(lx < lxs[0], below, np.where(lx > lxs[-1], above, inside)))


def wire_resistance_per_length(width):
    """Cu wire resistance per length [Ω/m] at ``width`` [m] (NeuroSim table, log-log)."""
    return _power_law_through(width, WIRE_WIDTHS, WIRE_RESISTANCE)


def cell_resistance(width):
    """Resistance [Ω] of one cell pitch (2 × ``width``) of wire ``width`` [m] wide."""
    return 2 * width * wire_resistance_per_length(width)


def width_for_cell_resistance(r_cell):
    """The wire width [m] whose cell pitch (2 × width) has resistance ``r_cell`` [Ω]; the
    inverse of :func:`cell_resistance`."""
    return _power_law_through(r_cell, CELL_RESISTANCE[::-1], WIRE_WIDTHS[::-1])


class Crossbar(CostModel):
    name = "crossbar"
    title = "Fixed-conductance crossbar tiles"
    description = ("Weights as fixed resistors in N × N crossbar tiles; converter and "
                   "accumulator periphery, cell, line and wire energy, in one of four "
                   "parasitic regimes (N¹ … N⁴) that fix or scale conductance and wires.")

    design_variables = (
        DesignVariable("tile_size", "", "rows = columns N of one crossbar tile (IBM HERMES: 256)", 256,
                       low=16, high=65536, log=True, kind="int"),
        io_dimension_variable("network width W; W × W stages = P / W²", low=16),
        io_precision_variable("input and output precision b (converters, IR-drop budget, "
                              "readout SNR, settling)", 8),
        weight_precision_variable("conductance levels per weight, in bits (enters the model "
                                  "loss only)", 8),
        DesignVariable("wire_width", "m", "crossbar wire width (cell pitch = 2 × width); the "
                       "narrowest width where the regime widens wires", 40e-9,
                       low=10e-9, high=1e-6, log=True),
    )

    assumptions = (
        Assumption("parasitic_regime", "wire_joule", "", None, None,
                   "what is held fixed as tiles grow (paper §III.2 found energy ~N to ~N⁴ "
                   "depending on assumptions, most likely N⁴ for very large N): noise_limited "
                   "(N¹, G ∝ 1/N, Agarwal et al. 2016), fixed_conductance (N², IR drop within "
                   "the b-bit budget), widened_wires (N³, wires widened to hold that budget), "
                   "wire_joule (N⁴, fixed G and wires, IR drop trained in)",
                   choices=REGIMES),
        Assumption("cell_conductance", 1e-6, "S", 1e-9, 1e-3,
                   "1 MΩ fixed resistor; RRAM/PCM on-states span ~1–100 µS (our estimate); "
                   "every regime but noise_limited"),
        Assumption("min_cell_conductance", 1e-10, "S", 1e-13, 1e-7,
                   "smallest conductance a fixed cell holds reproducibly, 10 GΩ (our estimate; "
                   "leakage of the access path sets it); floors the noise-limited conductance"),
        Assumption("readout_noise_factor", 4.0, "", 1.0, 100.0,
                   "noise of the column readout over the column's own Johnson noise (our "
                   "estimate; an ideal integrator is 1)"),
        Assumption("temperature", 300.0, "K", 4.0, 400.0, "operating temperature"),
        Assumption("ir_drop_tolerance", 0.5, "", 0.01, 1.0,
                   "wire_joule only: IR drop (fraction of the drive) up to which the trained "
                   "conductances absorb it; beyond ~0.5 the far cells barely couple (our "
                   "estimate)"),
        Assumption("read_voltage", 0.2, "V", 0.01, 1.0, "crossbar read voltage, 0.1–0.3 V typical"),
        Assumption("integration_time", 10e-9, "s", 1e-10, 1e-5,
                   "column current integration window (our estimate, ~1–100 ns)"),
        Assumption("wire_aspect_ratio", 2.0, "", 1.0, 3.0,
                   "wire thickness over width; the resistance table assumes it scales with the "
                   "width: 1.6 (175–110 nm) to 2.3 (100–50 nm) in NeuroSim's interconnect data "
                   "after the ITRS (Chen, Peng & Yu, IEEE TCAD 37, 3067 (2018))"),
        Assumption("max_wire_thickness", 2e-6, "m", 2e-7, 1e-5,
                   "thickest metal level of the back end carrying the rows and columns: the "
                   "top (global) levels of a CMOS back end are ~1–3 µm thick (our estimate; "
                   "thicker needs a custom metallisation), so wires stop at ~1 µm width"),
        Assumption("wire_capacitance", 0.2e-9, "F/m", 0.05e-9, 1e-9,
                   "0.2 fF/µm interconnect capacitance (NeuroSim); per length it does not "
                   "change when all wire dimensions scale together"),
        Assumption("cells_per_weight", 2.0, "", 1.0, 16.0,
                   "differential pair for signed weights (2); bit-sliced weights need more"),
        Assumption("settling_factor", 1.0, "", 0.4, 2.5,
                   "κ in the distributed-RC settling time κ N² r c (0.4–2.5 for a distributed "
                   "RC line, NeuroSim)"),
        Assumption("adc_conversion_time", 1e-9, "s", 1e-11, 1e-6,
                   "one column conversion, ~1 GS/s class ADC (Murmann survey)"),
        Assumption("partial_sum_energy", 0.1e-12, "J", 1e-15, 1e-11,
                   "one 32-bit digital addition accumulating a column's partial sum: 0.1 pJ at "
                   "45 nm (Horowitz, ISSCC 2014)"),
        Assumption("logic_voltage", 0.8, "V", 0.4, 1.2,
                   "supply of the digital buses carrying inputs and partial sums between tiles "
                   "(0.7–0.9 V in 7–28 nm CMOS)"),
        Assumption("periphery_area_per_line", 4e-10, "m**2", 1e-11, 1e-8,
                   "one column ADC with its accumulator plus one row driver: HERMES packs one "
                   "CCO ADC per column at 4 µm pitch (Khaddam-Aljameh et al., IEEE JSSC 2022); "
                   "~100 µm long (our estimate) → ~400 µm²"),
        Assumption("array_area_efficiency", 0.8, "", 0.05, 1.0,
                   "fraction of a tile's array footprint that is cells (rest: routing, "
                   "decoders; converters counted separately)"),
        PACKAGED_THICKNESS_ASSUMPTION,
        HEAT_FLUX_ASSUMPTION,
        IO_FRAME_RATE_ASSUMPTION,
        ACTIVATION_ASSUMPTION,
        *CONVERTER_ASSUMPTIONS,
    )

    presets = {
        f"parasitic_n{k}": Preset(f"parasitic regime {regime} (energy per tile ~N^{k})",
                                  assumptions={"parasitic_regime": regime},
                                  source="paper §III.2; Agarwal et al. 2016; NeuroSim")
        for k, regime in enumerate(REGIMES, start=1)
    }

    diagnostic_units = {
        "parasitic_energy_per_tile": "J", "array_energy_per_tile": "J", "tiles": "",
        "ir_drop": "", "cell_conductance": "S", "wire_width": "m", "wire_thickness": "m",
        "wire_resistance_per_cell": "ohm", "settling_time": "s", "layer_time": "s",
        "die_area": "m**2", "periphery_area": "m**2", "tile_pitch": "m",
        "periphery_energy_per_tile": "J",
        "converters": "", "power_cap": "W", "cooling_throttle": "", "time_limited_by": "",
    }
    margin_descriptions = {
        "ir_drop": "IR drop r G N² / 2 over its budget (2^-b; wire_joule: the tolerance), − 1",
        "readout_noise": "column energy the b-bit thermal SNR needs over N G V² t_int, − 1",
        "tile_fits_layer": "tile size / network width − 1 (a tile larger than a layer is wasted)",
        "wire_thickness": "wire thickness (aspect ratio × width) over the back end's thickest "
                          "metal level, − 1",
        "heat_flux": "power at the sustained rate over what the cooling removes from the die, "
                     "− 1 (the rate is throttled to hold it)",
    }

    time_terms = ("tile layer", "I/O frame", "heat removal", FACILITY_TERM)
    anchors = (
        Anchor(name="IBM 14 nm analogue chip, energy per MAC", params=1e9,
               design={"tile_size": 512, "weight_precision": 8, "io_precision": 8,
                       "io_dimension": 2048},
               metrics={"energy_per_inference": 1e9 * 2 / 12.4e12}, tolerance=5.0,
               source="Ambrogio et al., Nature 620, 768 (2023): 14 nm, 35 M PCM devices in 34 "
                      "tiles of 512 × 2048, 12.4 TOPS/W = 0.16 pJ per multiply-accumulate (two "
                      "operations) at chip level; one MAC per parameter. Tolerance ×5: PCM "
                      "rather than fixed resistors, and the chip's digital periphery",
               expected_failure="at these settings the model gives ~9 fJ per MAC, ~18× "
                                "below the chip, whose figure also pays for PCM read "
                                "circuits, digital control and on-chip data movement that the "
                                "model's periphery terms do not capture"),
    )

    def _evaluate(self, params, design, a):
        n = design["tile_size"]
        width = design["io_dimension"]
        bits = design["io_precision"]
        regime = a["parasitic_regime"]
        v, t_int, c_w = a["read_voltage"], a["integration_time"], a["wire_capacitance"]

        # The conductance and the wires each regime holds fixed or scales with N.
        column_energy = 3 * a["readout_noise_factor"] * BOLTZMANN * a["temperature"] * 4.0**bits
        g_noise = column_energy / (n * v**2 * t_int)
        if regime == "noise_limited":
            g = np.maximum(g_noise, a["min_cell_conductance"])
        else:
            g = np.broadcast_to(a["cell_conductance"], np.shape(g_noise))
        ir_budget = a["ir_drop_tolerance"] if regime == "wire_joule" else 2.0**-bits
        r_allowed = 2 * ir_budget / (g * n**2)
        wire = design["wire_width"]
        r_cell = cell_resistance(wire)
        if regime == "widened_wires":
            widest = np.maximum(a["max_wire_thickness"] / a["wire_aspect_ratio"], wire)
            needed = width_for_cell_resistance(r_allowed)
            widen, fits = r_cell > r_allowed, needed <= widest
            wire = np.where(widen, np.where(fits, needed, widest), wire)
            r_cell = np.where(widen, np.where(fits, r_allowed, cell_resistance(wire)), r_cell)
        thickness = a["wire_aspect_ratio"] * wire
        pitch = 2.0 * wire

        stages = Network.of(params, design, a).stages
        tiles = a["cells_per_weight"] * params / n**2
        periphery = n * (conversion_pair_energy(bits, 1.0 / a["adc_conversion_time"], a)
                         + a["partial_sum_energy"])
        line = 2 * n**2 * pitch * c_w * v**2
        array_area = (n * pitch) ** 2 / a["array_area_efficiency"]
        periphery_area = n * a["periphery_area_per_line"]
        tile_pitch = np.sqrt(array_area + periphery_area)
        transport = 2 * n * bits * tile_pitch * c_w * a["logic_voltage"] ** 2 / 4
        cells = n**2 * g * v**2 * t_int
        joule = (2 / 3) * n**4 * r_cell * g**2 * v**2 * t_int
        activation = stages * width * a["activation_energy"]
        breakdown = {"periphery": tiles * periphery, "transport": tiles * transport,
                     "line_charging": tiles * line,
                     "cells": tiles * cells, "parasitic": tiles * joule,
                     "activation": activation}
        energy = sum(breakdown.values())

        settling = bits * np.log(2) * a["settling_factor"] * n**2 * r_cell * c_w * pitch
        layer_time = settling + t_int + a["adc_conversion_time"]
        area = tiles * tile_pitch**2
        power_cap = a["max_heat_flux"] * area
        heat_time = heat_removal_time(energy, power_cap)
        pace = np.maximum(layer_time, 1.0 / a["max_io_rate"])
        time, limited_by = limiting_time(layer_time, 1.0 / a["max_io_rate"], heat_time,
                                         facility_time(energy, a))

        margins = {
            "ir_drop": r_cell / r_allowed - 1,
            "readout_noise": g_noise / g - 1,
            "tile_fits_layer": n / width - 1,
            "wire_thickness": thickness / a["max_wire_thickness"] - 1,
            "heat_flux": heat_time / time - 1,
        }
        diagnostics = {
            "parasitic_energy_per_tile": joule, "array_energy_per_tile": line + cells + joule,
            "tiles": tiles, "ir_drop": r_cell * g * n**2 / 2,
            "cell_conductance": g, "wire_width": wire, "wire_thickness": thickness,
            "wire_resistance_per_cell": r_cell,
            "settling_time": settling, "layer_time": layer_time, "die_area": area,
            "periphery_area": tiles * periphery_area, "tile_pitch": tile_pitch,
            "periphery_energy_per_tile": periphery,
            "converters": tiles * n, "power_cap": power_cap, "cooling_throttle": time / pace,
            "time_limited_by": limited_by,
        }
        return Outputs(energy_per_inference=energy, time_per_inference=time,
                       latency=stages * layer_time,
                       volume=area * a["packaged_thickness"], breakdown=breakdown,
                       margins=margins, diagnostics=diagnostics)
