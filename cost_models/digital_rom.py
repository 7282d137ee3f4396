r"""Hardwired digital ASIC: weights fixed in ROM or metal (Taalas HC1, Hardwired-Neurons LPU).

Weights are not fetched, but activations and the KV cache still move (paper §I, §III.1
footnote 13; Liu et al., arXiv 2508.16151). Formulas:

* logic energy ``P e_p (b / b_ref)``: energy per parameter per inference at the reference
  precision, linear in bits (shift-add of hard-wired constants). Calibration: Taalas HC1,
  Llama 3.1 8B on TSMC N6, ~17 000 tokens/s per user at ~200 W → ~12 mJ per token ≈
  1.5 pJ per parameter (physics.md §6, secondary sources, Feb 2026); Horowitz (ISSCC 2014,
  45 nm): 8-bit add 0.03 pJ, multiply 0.2 pJ.
* area ``P / (ρ b_ref / b)`` with ROM density ρ parameters/m² at b_ref bits (HC1: 8e9 / 815 mm²
  ≈ 1e7 /mm²); chips ``ceil(area / A_max)`` (reticle-limited ~815 mm²).
* time: a chip evaluates the parameters it holds at a throughput density τ (parameters per
  second per m²; HC1: 8e9 × 17 000 / 815 mm² ≈ 1.7e11 /(s mm²)), so one chip's stage time is
  ``(P / chips) / (A_chip τ)``; chips pipeline, so the time per inference is one stage plus
  nothing and the latency ``chips`` stages plus ``(chips − 1)`` hop latencies.
* inter-chip traffic ``(chips − 1) N b_act e_link`` (activation vector across each hop).
* KV cache ``C L 2 N f_kv B_kv e_mem`` per token (context C, layers L = P / N², GQA fraction
  f_kv, bytes per entry, memory energy per byte; Horowitz: SRAM 10 pJ per 64 bit).
* volume ``chips V_card``; margin: power per chip against its thermal design power.
"""
from __future__ import annotations

import numpy as np

from .base import (Assumption, CostModel, DesignVariable, Preset, finish_metrics,
                  io_dimension_variable, precision_variable)

MM2 = 1e-6  # m² per mm²


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
        io_dimension_variable("model width N; layers = P / N²", low=16),
        precision_variable("weight precision b", 4),
        DesignVariable("context_length", "", "tokens of KV cache read per inference", 1024,
                       low=1, high=1e6, log=True, kind="int"),
    )

    assumptions = (
        Assumption("energy_per_parameter", 1.2e-12, "J", 1e-14, 1e-10,
                   "logic energy per parameter per inference at the reference precision: "
                   "Taalas HC1 ≈ 1.5 pJ/parameter/token all-in on N6 (physics.md §6, secondary "
                   "sources); 1.2 pJ leaves the rest to KV and I/O traffic"),
        Assumption("reference_precision", 4.0, "bit", 2.0, 16.0,
                   "weight precision of the calibration (HC1 uses aggressive ~3–6 bit "
                   "quantisation, secondary sources)"),
        Assumption("rom_density", 1e7 / MM2, "1/m**2", 1e5 / MM2, 1e9 / MM2,
                   "parameters per area at the reference precision: HC1 8e9 / 815 mm²; ROM "
                   "CIM macros 4–9 Mb/mm² at 65–28 nm (Yin et al., JSSC 2024/2025)"),
        Assumption("throughput_density", 1.7e11 / MM2, "1/(s*m**2)", 1e8 / MM2, 1e14 / MM2,
                   "parameters evaluated per second per area: HC1 8e9 × 17 000 tokens/s / 815 mm²"),
        Assumption("max_die_area", 815 * MM2, "m**2", 50 * MM2, 46_225 * MM2,
                   "reticle-limited die (HC1: 815 mm²); wafer-scale ~46 000 mm² (Cerebras)"),
        Assumption("hop_latency", 1e-6, "s", 1e-8, 1e-4,
                   "chip-to-chip link latency (SerDes + routing, ~0.1–2 µs; our estimate)"),
        Assumption("link_energy_per_bit", 5e-12, "J/bit", 1e-13, 1e-10,
                   "off-chip SerDes ~1–10 pJ/bit (our estimate)"),
        Assumption("activation_bits", 16.0, "bit", 4.0, 32.0, "activation precision on links"),
        Assumption("kv_fraction", 0.125, "", 0.01, 1.0,
                   "KV width over model width (grouped-query attention, e.g. Llama 3 8B: 8/64)"),
        Assumption("kv_bytes_per_entry", 2.0, "B", 0.5, 4.0, "FP16 KV cache"),
        Assumption("kv_energy_per_byte", 0.16e-12, "J/B", 0.01e-12, 50e-12,
                   "on-chip SRAM read ≈ 10 pJ per 64 bit at 45 nm (Horowitz, ISSCC 2014), "
                   "scaled ~8× to N6; DRAM ~20–40 pJ/B"),
        Assumption("max_chip_power", 250.0, "W", 10.0, 2e4,
                   "thermal design power per chip (HC1 card ~200 W; wafer-scale ~20 kW)"),
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

    diagnostic_units = {"chip_count": "", "silicon_area": "m**2", "layers": "",
                        "stage_time": "s", "kv_bytes": "B", "chip_power": "W"}
    margin_descriptions = {"chip_power": "power per chip / thermal design power − 1"}

    def _evaluate(self, params, design, a):
        width = design["io_dimension"]
        bits = design["precision"]
        context = design["context_length"]
        scale = bits / a["reference_precision"]

        area = params * scale / a["rom_density"]
        chips = np.ceil(area / a["max_die_area"])
        chip_area = area / chips
        stage = (params / chips) / (chip_area * a["throughput_density"])
        layers = np.maximum(params / width**2, 1.0)

        logic = params * a["energy_per_parameter"] * scale
        links = (chips - 1) * width * a["activation_bits"] * a["link_energy_per_bit"]
        kv_bytes = context * layers * 2 * width * a["kv_fraction"] * a["kv_bytes_per_entry"]
        kv = kv_bytes * a["kv_energy_per_byte"]

        metrics = finish_metrics(logic + links + kv, stage,
                                 chips * stage + (chips - 1) * a["hop_latency"],
                                 chips * a["volume_per_chip"])
        chip_power = metrics["power"] / chips
        diagnostics = {"chip_count": chips, "silicon_area": area, "layers": layers,
                       "stage_time": stage, "kv_bytes": kv_bytes, "chip_power": chip_power}
        return (metrics, {"logic": logic, "interchip": links, "kv_cache": kv},
                {"chip_power": chip_power / a["max_chip_power"] - 1}, diagnostics)
