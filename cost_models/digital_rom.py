r"""Hardwired digital ASIC: weights fixed in ROM or metal (Taalas HC1, Hardwired-Neurons LPU).

Weights are not fetched from off-chip memory, but activations and the KV cache still move
(paper §I, §III.1 footnote 13; Liu et al., arXiv 2508.16151). One inference is one generated
token of the shared workload (width d, ``L = P / (12 d²)`` layers,
:mod:`cost_models.workload`); k tokens in flight (the workload's ``batch_size``) share one
pass over the ROM.
Formulas:

* area ``P (b / b_ref) / ρ`` (ROM density ρ parameters/m² at b_ref bits; HC1: 8e9 / 815 mm²
  ≈ 1e7 /mm²); chips ``ceil(area / A_max)`` (reticle-limited ~815 mm²). Check: HNLPU
  (Liu et al., arXiv 2508.16151) holds gpt-oss-120B (117e9 ~4-bit parameters) in 13 232 mm²
  on 16 chips at 5 nm; this gives 11 700 mm² on 15 chips.
* logic energy per token ``P e_p (b / b_ref) (f_w / k + 1 − f_w)``: ``e_p`` per parameter at the
  reference precision and batch 1, linear in bits (a b-bit hard-wired constant is b
  shift-adds; a b-bit cell is b bits read); the weight-read share ``f_w`` is paid once per
  pass and shared by the k tokens, the multiply-accumulate share per token. Calibration:
  Taalas HC1, Llama 3.1 8B on TSMC N6, ~17 000 tokens/s per user at ~200 W → ~12 mJ per token
  ≈ 1.5 pJ per parameter (secondary sources, Feb 2026); Horowitz (ISSCC 2014, 45 nm): 8-bit
  multiply 0.2 pJ and add 0.03 pJ against 1.25 pJ per byte read from an 8 KB SRAM → the read
  is ~80 % of read-plus-MAC.
* pass time: every chip reads its cells at a throughput density τ (parameters per second per
  m² at b_ref; HC1: 8e9 × 17 000 / 815 mm² ≈ 1.7e11 /(s mm²)); a b-bit cell takes b/b_ref of
  the area and of the read work, so a pass over any chip takes ``t_pass = ρ / τ`` whatever
  the precision (HC1: 59 µs). Chips pipeline; the time per inference is
  ``max(t_pass / k, E / (q_max A), E / P_fac)``: k tokens per pass, but no faster than the
  chips' heat can be removed (``q_max`` the cooling's heat flux, A the silicon area) or the
  facility can feed them (``P_fac``, :mod:`cost_models.facility`).
* latency ``S k t + (S − 1) t_hop`` over ``S = min(chips, ⌈L⌉)`` pipeline stages (each holds a
  batch for k t); when chips outnumber layers, the chips of one layer work side by side.
* inter-chip traffic ``(chips − 1) d b_io e_link`` (activation vector of I/O precision b_io
  across each hop).
* KV cache read per token ``C · 2 L f_kv d · b_kv / 8`` bytes at ``e_kv`` per byte (on-chip SRAM).
* volume ``chips V_card``; margin: heat flux (met by construction: time respects it).
"""
from __future__ import annotations

import numpy as np

from .base import (Anchor, Assumption, CostModel, Outputs, Preset, io_dimension_variable,
                   io_precision_variable, limiting_time, weight_precision_variable)
from .electronics import HEAT_FLUX_ASSUMPTION, heat_removal_time
from .facility import FACILITY_TERM, facility_time
from .workload import (CONTEXT_LENGTH_ASSUMPTION, KV_BITS_ASSUMPTION, KV_FRACTION_ASSUMPTION,
                       kv_values_per_context_token, transformer_layers)

MM2 = 1e-6  # m² per mm²
BITS_PER_BYTE = 8


def _process(name: str, energy: float, density: float, throughput: float, note: str) -> Preset:
    return Preset(f"{name}: {energy * 1e12:.2g} pJ/parameter, {density * MM2:.2g} parameters/mm², "
                  f"{note}",
                  assumptions={"energy_per_parameter": energy, "rom_density": density,
                               "throughput_density": throughput},
                  source="scaled from the Taalas HC1 calibration (speculative for other nodes)")


class DigitalROM(CostModel):
    name = "digital_rom"
    title = "Hardwired digital ASIC (weights in ROM / metal)"
    description = ("Digital chips with the weights fixed in ROM or metal: no weight fetch, but "
                   "activation, inter-chip and KV-cache traffic remain.")

    design_variables = (
        io_dimension_variable("model width d; transformer layers = P / (12 d²)", low=16),
        weight_precision_variable("weight precision b (bits per ROM cell)", 4),
        io_precision_variable("activation precision on inter-chip links", 8),
    )

    assumptions = (
        Assumption("energy_per_parameter", 1.2e-12, "J", 1e-14, 1e-10,
                   "logic energy per parameter per token at the reference precision and batch "
                   "1: Taalas HC1 ≈ 1.5 pJ/parameter/token all-in on N6 (secondary sources, "
                   "Feb 2026); 1.2 pJ leaves the rest to KV and I/O traffic"),
        Assumption("weight_read_fraction", 0.8, "", 0.0, 1.0,
                   "share of the per-parameter energy spent reading the weight, paid once per "
                   "pass: Horowitz (ISSCC 2014, 45 nm) 8 KB SRAM read 1.25 pJ/byte against "
                   "0.23 pJ for an 8-bit multiply-add; 0 for weights hard-wired into the logic"),
        Assumption("reference_precision", 4.0, "bit", 2.0, 16.0,
                   "weight precision of the calibration (HC1 uses aggressive ~3–6 bit "
                   "quantisation, secondary sources)"),
        Assumption("rom_density", 1e7 / MM2, "1/m**2", 1e5 / MM2, 1e9 / MM2,
                   "parameters per area at the reference precision: HC1 8e9 / 815 mm²; ROM "
                   "CIM macros 4–9 Mb/mm² at 65–28 nm (Yin et al., JSSC 2024/2025)"),
        Assumption("throughput_density", 1.7e11 / MM2, "1/(s*m**2)", 1e8 / MM2, 1e14 / MM2,
                   "parameters read per second per area at the reference precision: HC1 "
                   "8e9 × 17 000 tokens/s / 815 mm²"),
        Assumption("max_die_area", 815 * MM2, "m**2", 50 * MM2, 46_225 * MM2,
                   "reticle-limited die (HC1: 815 mm²); wafer-scale ~46 000 mm² (Cerebras)"),
        Assumption("hop_latency", 1e-6, "s", 1e-8, 1e-4,
                   "chip-to-chip link latency (SerDes + routing, ~0.1–2 µs; our estimate)"),
        Assumption("link_energy_per_bit", 5e-12, "J/bit", 1e-13, 1e-10,
                   "off-chip SerDes ~1–10 pJ/bit (our estimate)"),
        CONTEXT_LENGTH_ASSUMPTION,
        KV_FRACTION_ASSUMPTION,
        KV_BITS_ASSUMPTION,
        Assumption("kv_energy_per_byte", 0.16e-12, "J/B", 0.01e-12, 50e-12,
                   "on-chip SRAM read ≈ 10 pJ per 64 bit at 45 nm (Horowitz, ISSCC 2014), "
                   "scaled ~8× to N6; DRAM ~20–40 pJ/B"),
        HEAT_FLUX_ASSUMPTION,
        Assumption("volume_per_chip", 1e-3, "m**3", 1e-5, 1.0,
                   "one card per chip, ~1000 cm³ as for a GPU card (our estimate)"),
    )

    presets = {
        "n6": _process("TSMC N6 (Taalas HC1 calibration)", 1.2e-12, 1e7 / MM2, 1.7e11 / MM2,
                       "the defaults"),
        "n3": _process("TSMC N3", 0.8e-12, 1.6e7 / MM2, 2.7e11 / MM2,
                       "~0.65× energy, ~1.6× density of N6 (foundry scaling claims)"),
        "28nm": _process("28 nm", 3.5e-12, 2.5e6 / MM2, 4e10 / MM2,
                         "~3× energy, ~0.25× density of N6 (ROM CIM macros at 28 nm)"),
    }

    diagnostic_units = {"chip_count": "", "silicon_area": "m**2",
                        "pipeline_stages": "", "pass_time": "s", "kv_bytes": "B",
                        "chip_power": "W", "heat_flux": "W/m**2", "time_limited_by": "",
                        "power_cap": "W"}
    margin_descriptions = {"heat_flux": "power per silicon area / max heat flux − 1"}
    time_terms = ("ROM pass", "heat removal", FACILITY_TERM)
    anchors = (
        Anchor(name="Taalas HC1, Llama 3.1 8B", params=8.03e9, preset="n6",
               design={"io_dimension": 4096, "weight_precision": 4, "io_precision": 8},
               assumptions={"context_length": 1024, "batch_size": 1},
               metrics={"energy_per_inference": 12e-3, "time_per_inference": 1 / 17_000,
                        "power": 200.0},
               diagnostics={"silicon_area": 815 * MM2, "chip_count": 1.0},
               margin_satisfied={"heat_flux": True}, tolerance=1.5,
               source="Taalas HC1 (Feb 2026, vendor announcement and press; secondary sources): "
                      "Llama 3.1 8B hard-wired on one TSMC N6 die of 815 mm², ~17 000 tokens/s "
                      "per user at ~200 W per card, ~12 mJ per token. Tolerance ×1.5 because "
                      "the figures are approximate, unaudited and for 3–6-bit mixed weights; "
                      "the defaults are calibrated on the same chip, so this anchor guards "
                      "units and physics changes rather than validating independently"),
    )

    def _evaluate(self, params, design, a):
        width = design["io_dimension"]
        bits = design["weight_precision"]
        batch = a["batch_size"]
        scale = bits / a["reference_precision"]

        area = params * scale / a["rom_density"]
        chips = np.ceil(area / a["max_die_area"])
        pass_time = a["rom_density"] / a["throughput_density"]

        read_share = a["weight_read_fraction"]
        logic = params * a["energy_per_parameter"] * scale * (read_share / batch + 1 - read_share)
        links = (chips - 1) * width * design["io_precision"] * a["link_energy_per_bit"]
        kv_bytes = (a["context_length"] * kv_values_per_context_token(params, width,
                                                                      a["kv_fraction"])
                    * a["kv_bits"] / BITS_PER_BYTE)
        kv = kv_bytes * a["kv_energy_per_byte"]
        energy = logic + links + kv

        power_cap = a["max_heat_flux"] * area
        heat_time = heat_removal_time(energy, power_cap)
        time, limited_by = limiting_time(pass_time / batch, heat_time, facility_time(energy, a))
        layers = transformer_layers(params, width)
        stages = np.minimum(chips, np.ceil(layers))
        power = energy / time
        heat_flux = power / area
        diagnostics = {"chip_count": chips, "silicon_area": area,
                       "pipeline_stages": stages, "pass_time": pass_time,
                       "kv_bytes": kv_bytes, "chip_power": power / chips,
                       "heat_flux": heat_flux, "time_limited_by": limited_by,
                       "power_cap": power_cap}
        margins = {"heat_flux": heat_time / time - 1}  # = power / area / q_max − 1
        return Outputs(energy_per_inference=energy, time_per_inference=time,
                       latency=stages * batch * time + (stages - 1) * a["hop_latency"],
                       volume=chips * a["volume_per_chip"],
                       breakdown={"logic": logic, "interchip": links, "kv_cache": kv},
                       margins=margins, diagnostics=diagnostics)
