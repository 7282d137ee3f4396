r"""GPU reference: a cluster of GPUs holding every weight in HBM, the paper's digital baseline.

One inference is one generated token of a transformer of width d (``io_dimension``) with
``L = P / (12 d²)`` layers (:mod:`cost_models.workload`); k tokens (the workload's
``batch_size``) share one pass over the weights. Formulas (paper = Wright et al., arXiv
2604.27911, §III.1):

* memory: weights ``P b / 8`` bytes (b = weight bits) plus the key/value cache of the batch
  ``k C 2 L f_kv d b_kv / 8`` (C tokens of context, grouped-query fraction ``f_kv``); GPUs
  ``n = bytes / M_gpu`` (``gpu_packing = fractional``, the paper's 5.2 at 1e12) or rounded up.
* operations per token ``o (P + 2 L C d)``: one multiply-accumulate per parameter plus the
  attention products QKᵀ and AV over the context, o operations per MAC (o = 2 FLOPs; Kaplan
  et al. 2020, Table 1, ``C_forward ≈ 2N + 2 n_layer n_ctx d``; the paper counts o = 1, C = 0).
* peak of the number format: the dense FP8 peak ``F₈`` for 8-bit operands; ``F₈ · 8 / f`` for
  the format ``f`` = max(b, b_a) (weight and activation bits: the tensor cores multiply both)
  rounded up to 4, 8 or 16 bits and no narrower than the GPU's narrowest
  tensor format (FP16/BF16 at half the FP8 peak; FP4 at twice it on B200, whose FP4 dense
  peak is 9 PFLOP/s; H100/H200 have no FP4 and run 4-bit weights in FP8).
* one pass ``t_pass = max(t_mem, t_ops)``: every GPU streams its share of the bytes once,
  ``t_mem = bytes / (n BW)`` (paper: 192 GB / 8 TB/s = 24 ms), and computes
  ``t_ops = k o (P + 2 L C d) / (n F_f u)`` (u utilisation). Time per inference
  ``max(t_pass / k, E / P_fac)``: no faster than the facility feeds the cluster (``P_fac``,
  :mod:`cost_models.facility`; the GPUs then idle between passes, idle power not counted).
* latency ``t_pass + t_sync``: tensor-parallel GPUs exchange activations twice per layer
  (Megatron-LM, Shoeybi et al. 2019), each all-reduce a tree of ``log₂ n`` steps of ``t_step``:
  ``t_sync = L s t_step max(log₂ n, 0)`` — nothing on one GPU. Waiting for a sync is
  overlapped with other batches in flight (pipelining), so it lengthens latency, not the time
  per inference, and draws no extra board energy.
* energy per inference: ``energy_model = per_operation`` gives ``o P e_op b / 8`` (paper: 1 pJ
  per 8-bit operation, o = 1 → 1 J at 1e12); ``board_power`` gives ``n W t_pass / k`` (every
  board at its board power W while a pass runs): linear in P because n ∝ P while each GPU's
  pass time is fixed by its own memory. Calibrated against the ML.ENERGY Leaderboard v3.0
  (Dec 2025, vLLM 0.11.1): Llama-3.1-8B, BF16, one H100, batch 64: 0.12 J per output token;
  this model gives 0.087 J (full board power at peak HBM bandwidth; measured kernels reach less).
* heat and power: board power over the cooled silicon against the cooling heat flux, and
  a rack of GPUs against the rack's power feed (margins; the board power W is the GPU's own
  cap, so time already respects it).
* volume ``n V_gpu`` (paper: 1000 cm³ per card, packed into a cube).
"""
from __future__ import annotations

import numpy as np

from .base import (Anchor, Assumption, CostModel, Outputs, Preset, io_dimension_variable,
                   io_precision_variable, limiting_time, weight_precision_variable)
from .electronics import HEAT_FLUX_ASSUMPTION, RACK_POWER_ASSUMPTION, heat_flux_margin
from .facility import FACILITY_TERM, facility_time
from .workload import (CONTEXT_LENGTH_ASSUMPTION, KV_BITS_ASSUMPTION, KV_FRACTION_ASSUMPTION,
                       kv_values_per_context_token, paper_width, transformer_layers)

BITS_PER_BYTE = 8
FP8_BITS = 8
WIDEST_FORMAT_BITS = 16
MM2 = 1e-6  # m² per mm²


def format_bits(weight_bits, narrowest_format):
    """Tensor-core format that executes b-bit weights: b rounded up to 4, 8 or 16 bits, no
    narrower than the GPU's narrowest format."""
    power_of_two = 2.0 ** np.ceil(np.log2(weight_bits))
    return np.clip(power_of_two, narrowest_format, WIDEST_FORMAT_BITS)


def _gpu_preset(name: str, memory: float, bandwidth: float, power: float, fp8_peak: float,
                narrowest: int, die_area: float, source: str) -> Preset:
    return Preset(
        f"{name}: {memory / 1e9:.0f} GB at {bandwidth / 1e12:.2f} TB/s, {power:.0f} W, "
        f"{fp8_peak / 1e15:.1f} PFLOP/s dense FP8, FP{narrowest} narrowest, energy from board "
        f"power",
        assumptions={"memory_per_gpu": memory, "memory_bandwidth": bandwidth,
                     "power_per_gpu": power, "peak_operations_per_second": fp8_peak,
                     "narrowest_format": narrowest, "cooled_area_per_gpu": die_area,
                     "energy_model": "board_power", "gpu_packing": "whole"},
        source=source,
    )


class GPU(CostModel):
    name = "gpu"
    title = "GPU cluster (digital reference)"
    description = ("Programmable digital baseline: weights and KV cache in HBM across as many "
                   "GPUs as needed; time from memory streaming or compute, energy per "
                   "operation or board power.")

    design_variables = (
        io_dimension_variable("network width d; transformer layers = P / (12 d²)", low=10),
        weight_precision_variable("weight precision b (bytes per parameter = b/8; sets the "
                                  "number format)", 8),
        io_precision_variable("activation precision b_a (the number format holds max(b, b_a) "
                              "bits)", 8),
    )

    assumptions = (
        Assumption("energy_model", "board_power", "", None, None,
                   "per_operation: o P e_op (paper); board_power: GPUs × board power × time",
                   choices=("per_operation", "board_power")),
        Assumption("energy_per_operation", 1e-12, "J", 1e-15, 1e-10,
                   "paper §III.1: 'generous' 1 pJ per 8-bit operation"),
        Assumption("operations_per_parameter", 2.0, "", 1.0, 2.0,
                   "operations per multiply-accumulate: 2 FLOPs (Kaplan et al. 2020, "
                   "C_forward ≈ 2N); the paper counts ops = P (1)"),
        Assumption("memory_per_gpu", 192e9, "B", 1e9, 1e13,
                   "NVIDIA B200 HBM3e, 180–192 GB (paper: 192 GB)"),
        Assumption("memory_bandwidth", 8e12, "B/s", 1e11, 1e14,
                   "NVIDIA B200 HBM3e ~8 TB/s (paper)"),
        Assumption("power_per_gpu", 1000.0, "W", 50.0, 5000.0,
                   "NVIDIA B200 board power ~1000 W (vendor datasheet)"),
        Assumption("peak_operations_per_second", 4.5e15, "1/s", 1e13, 1e17,
                   "dense FP8 peak: NVIDIA B200 4.5 PFLOP/s (FP4 9, FP16/BF16 2.25; vendor "
                   "datasheet); H100 SXM 1.98 PFLOP/s"),
        Assumption("narrowest_format", 4.0, "bit", 4.0, 16.0,
                   "narrowest tensor-core format: FP4 on B200, FP8 on H100/H200 (vendor "
                   "datasheets)"),
        Assumption("utilisation", 0.5, "", 0.01, 1.0,
                   "fraction of peak compute sustained; ~0.3–0.6 for large-model serving "
                   "(our estimate); the paper assumes peak (1)"),
        CONTEXT_LENGTH_ASSUMPTION,
        KV_FRACTION_ASSUMPTION,
        KV_BITS_ASSUMPTION,
        Assumption("sync_step_latency", 2e-6, "s", 0.0, 1e-3,
                   "one step of a cross-GPU all-reduce tree, ~1–10 µs over NVLink / "
                   "InfiniBand (our estimate); the paper assumes perfect parallelism (0)"),
        Assumption("syncs_per_layer", 2.0, "", 0.0, 4.0,
                   "all-reduces per transformer layer in tensor parallelism (Megatron-LM, "
                   "Shoeybi et al. 2019: one after attention, one after the MLP)"),
        Assumption("volume_per_gpu", 1e-3, "m**3", 1e-4, 1.0,
                   "paper §III.1: 1000 cm³ per card, chassis and cooling excluded"),
        Assumption("gpu_packing", "whole", "", None, None,
                   "fractional: P B / M GPUs as in the paper; whole: rounded up",
                   choices=("fractional", "whole"), setting=True),
        Assumption("cooled_area_per_gpu", 1600 * MM2, "m**2", 100 * MM2, 1e4 * MM2,
                   "silicon the board's heat leaves through: H100 die 814 mm² (NVIDIA H100 "
                   "whitepaper); B200 two dies near the 858 mm² reticle limit, ~1600 mm² (our "
                   "estimate)"),
        Assumption("gpus_per_rack", 32.0, "", 1.0, 144.0,
                   "GPUs sharing one rack's power feed: four 8-GPU servers (DGX/HGX B200: "
                   "8 GPUs, ~14 kW per server, vendor figures); NVL72 racks hold 72"),
        HEAT_FLUX_ASSUMPTION,
        RACK_POWER_ASSUMPTION,
    )

    presets = {
        "paper": Preset(
            "the paper's digital reference: 1 pJ per operation, ops = P, no context, 192 GB at "
            "8 TB/s, 1000 cm³ per GPU, perfect parallelism, batch 1, 8-bit weights",
            assumptions={"energy_model": "per_operation", "energy_per_operation": 1e-12,
                         "operations_per_parameter": 1.0, "memory_per_gpu": 192e9,
                         "memory_bandwidth": 8e12, "utilisation": 1.0, "context_length": 0.0,
                         "kv_fraction": 0.0, "sync_step_latency": 0.0,
                         "gpu_packing": "fractional", "batch_size": 1.0},
            design={"weight_precision": 8, "io_precision": 8, "io_dimension": paper_width},
            source="Wright et al., arXiv 2604.27911, Table 1 and §III.1",
        ),
        "b200": _gpu_preset("NVIDIA B200", 192e9, 8e12, 1000.0, 4.5e15, 4, 1600 * MM2,
                            "NVIDIA B200 datasheet (HBM3e 180–192 GB, 8 TB/s, ~1000 W, "
                            "4.5 PFLOP/s dense FP8, FP4)"),
        "h200": _gpu_preset("NVIDIA H200", 141e9, 4.8e12, 700.0, 1.98e15, 8, 814 * MM2,
                            "NVIDIA H200 datasheet (141 GB HBM3e, 4.8 TB/s, 700 W; Hopper "
                            "FP8 1.98 PFLOP/s dense)"),
        "h100": _gpu_preset("NVIDIA H100 SXM", 80e9, 3.35e12, 700.0, 1.98e15, 8, 814 * MM2,
                            "NVIDIA H100 SXM datasheet (80 GB HBM3, 3.35 TB/s, 700 W, "
                            "1.98 PFLOP/s dense FP8; die 814 mm²)"),
    }

    diagnostic_units = {
        "gpu_count": "", "weight_bytes": "B", "kv_cache_bytes": "B",
        "format_bits": "bit", "memory_time": "s", "compute_time": "s", "pass_time": "s",
        "sync_time": "s", "power_per_gpu": "W", "time_limited_by": "", "power_cap": "W",
    }
    margin_descriptions = {
        "heat_flux": "power per GPU / cooled silicon / max heat flux − 1",
        "rack_power": "power of one rack of GPUs / max rack power − 1",
    }
    time_terms = ("memory streaming", "compute", FACILITY_TERM)
    anchors = (
        Anchor(name="ML.ENERGY, Llama-3.1-8B on one H100", params=8.03e9, preset="h100",
               design={"io_dimension": 4096, "weight_precision": 16, "io_precision": 16},
               assumptions={"kv_fraction": 8 / 32, "batch_size": 64.0},
               metrics={"energy_per_inference": 0.12}, diagnostics={"gpu_count": 1.0},
               margin_satisfied={"heat_flux": True, "rack_power": True}, tolerance=2.0,
               source="ML.ENERGY Leaderboard v3.0 (Dec 2025, vLLM 0.11.1; J.-W. Chung et al., "
                      "ml.energy blog 'LLM Inference Energy: A Longitudinal Analysis'): "
                      "Llama-3.1-8B (4096 wide, 8 of 32 heads for keys and values), BF16, one "
                      "H100 SXM, batch 64: 0.12 J per output token. The model gives 0.087 J: "
                      "full board power at peak HBM bandwidth, where measured kernels reach less "
                      "(tolerance ×2)"),
        *(Anchor(name=f"paper, P = {params:.0e}", params=params, preset="paper",
                 tolerance=1.05,
                 metrics={"energy_per_inference": params * 1e-12, "time_per_inference": 0.024,
                          "latency": 0.024, "volume": params / 192e9 * 1e-3},
                 diagnostics={"gpu_count": params / 192e9},
                 source="Wright et al., arXiv 2604.27911, Table 1 and §III.1: 1 pJ per "
                        "operation and P operations (1 J / 1 kJ / 1 MJ), 192 GB / 8 TB/s = 24 ms "
                        "per inference (written ~25 ms), P bytes / 192 GB GPUs of 1000 cm³ each")
          for params in (1e12, 1e15, 1e18)),
    )

    def _evaluate(self, params, design, a):
        width = design["io_dimension"]
        bits = design["weight_precision"]
        batch = a["batch_size"]
        context = a["context_length"]

        layers = transformer_layers(params, width)
        weight_bytes = params * bits / BITS_PER_BYTE
        kv_bytes = (batch * context * kv_values_per_context_token(params, width, a["kv_fraction"])
                    * a["kv_bits"] / BITS_PER_BYTE)
        gpus = (weight_bytes + kv_bytes) / a["memory_per_gpu"]
        if a["gpu_packing"] == "whole":
            gpus = np.ceil(gpus)

        fmt = format_bits(np.maximum(bits, design["io_precision"]), a["narrowest_format"])
        peak = a["peak_operations_per_second"] * FP8_BITS / fmt
        operations = a["operations_per_parameter"] * (params + 2 * layers * context * width)
        memory = (weight_bytes + kv_bytes) / (gpus * a["memory_bandwidth"])
        compute = batch * operations / (gpus * peak * a["utilisation"])
        pass_time = np.maximum(memory, compute)
        sync = (layers * a["syncs_per_layer"] * a["sync_step_latency"]
                * np.maximum(np.log2(gpus), 0.0))

        if a["energy_model"] == "per_operation":
            energy = operations * a["energy_per_operation"] * bits / BITS_PER_BYTE
        else:
            energy = gpus * a["power_per_gpu"] * pass_time / batch

        time, limited_by = limiting_time(memory / batch, compute / batch,
                                         facility_time(energy, a))
        power_per_gpu = energy / time / gpus
        rack = np.minimum(gpus, a["gpus_per_rack"]) * power_per_gpu
        margins = {
            "heat_flux": heat_flux_margin(power_per_gpu, a["cooled_area_per_gpu"],
                                          a["max_heat_flux"]),
            "rack_power": rack / a["max_rack_power"] - 1,
        }
        diagnostics = {
            "gpu_count": gpus, "weight_bytes": weight_bytes,
            "kv_cache_bytes": kv_bytes, "format_bits": fmt, "memory_time": memory,
            "compute_time": compute, "pass_time": pass_time, "sync_time": sync,
            "power_per_gpu": power_per_gpu, "time_limited_by": limited_by,
            # the tighter of the cooling per GPU and the rack feed shared by its GPUs
            "power_cap": gpus * np.minimum(
                a["max_heat_flux"] * a["cooled_area_per_gpu"],
                a["max_rack_power"] / np.minimum(gpus, a["gpus_per_rack"])),
        }
        return Outputs(energy_per_inference=energy, time_per_inference=time,
                       latency=pass_time + sync, volume=gpus * a["volume_per_gpu"],
                       breakdown={"gpus": energy}, margins=margins, diagnostics=diagnostics)
