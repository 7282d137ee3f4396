r"""GPU reference: a cluster of GPUs holding every weight in HBM, the paper's digital baseline.

Formulas (paper = Wright et al., arXiv 2604.27911, §III.1 "Digital Electronics Reference"):

* bytes per parameter ``B = b / 8`` (b = precision in bits); GPUs
  ``n = P B / M_gpu`` (``gpu_packing = fractional``, the paper's 5.2 GPUs at 1e12) or
  ``ceil(P B / M_gpu)`` (``whole``).
* per batch of ``k`` inferences, weight streaming ``t_mem = (P B / n) / BW`` (each GPU reads its
  share of the weights once; paper: 192 GB / 8 TB/s = 24 ms) and compute
  ``t_ops = k o P / (n F u)`` (o operations per parameter, F peak operations per second,
  u utilisation); layers ``P / N²`` each add a synchronisation latency ``t_sync``:
  ``t_batch = max(t_mem, t_ops) + (P / N²) t_sync``. Perfect parallelism (paper) is
  ``t_sync = 0``.
* time per inference ``t_batch / k``; latency ``t_batch``.
* energy per inference: ``energy_model = per_operation`` gives ``o P e_op`` (paper: 1 pJ per
  8-bit operation, o = 1 → 1 J at 1e12), scaled by ``b / 8`` for other precisions;
  ``board_power`` gives ``n W_gpu t_batch / k`` (all boards at full power for the batch).
* volume ``n V_gpu`` (paper: 1000 cm³ per card, packed into a cube).
"""
from __future__ import annotations

import numpy as np

from .base import (Assumption, CostModel, DesignVariable, Preset, finish_metrics,
                  io_dimension_variable, paper_width, precision_variable)

BITS_PER_BYTE = 8


def _gpu_preset(name: str, memory: float, bandwidth: float, power: float, peak_ops: float,
                source: str) -> Preset:
    return Preset(
        f"{name}: {memory / 1e9:.0f} GB at {bandwidth / 1e12:.2f} TB/s, {power:.0f} W, "
        f"{peak_ops / 1e15:.1f} Pop/s dense FP8, energy from board power",
        assumptions={"memory_per_gpu": memory, "memory_bandwidth": bandwidth,
                     "power_per_gpu": power, "peak_operations_per_second": peak_ops,
                     "energy_model": "board_power", "gpu_packing": "whole"},
        source=source,
    )


class GPU(CostModel):
    name = "gpu"
    title = "GPU cluster (digital reference)"
    description = ("Programmable digital baseline: weights in HBM across as many GPUs as needed; "
                   "time from weight streaming or compute, energy per operation or board power.")

    design_variables = (
        io_dimension_variable("network width N; layers = P / N²", low=10),
        precision_variable("weight precision b (bytes per parameter = b/8)", 8),
        DesignVariable("batch_size", "", "inferences sharing one pass over the weights", 64,
                       low=1, high=4096, log=True, kind="int"),
    )

    assumptions = (
        Assumption("energy_model", "board_power", "", None, None,
                   "per_operation: o P e_op (paper); board_power: GPUs × board power × time",
                   choices=("per_operation", "board_power")),
        Assumption("energy_per_operation", 1e-12, "J", 1e-15, 1e-10,
                   "paper §III.1: 'generous' 1 pJ per 8-bit operation"),
        Assumption("operations_per_parameter", 1.0, "", 1.0, 2.0,
                   "paper: ops = P (1); 2 counts a multiply and an add as two FLOPs"),
        Assumption("memory_per_gpu", 192e9, "B", 1e9, 1e13,
                   "NVIDIA B200 HBM3e, 180–192 GB (paper: 192 GB)"),
        Assumption("memory_bandwidth", 8e12, "B/s", 1e11, 1e14,
                   "NVIDIA B200 HBM3e ~8 TB/s (paper)"),
        Assumption("power_per_gpu", 1000.0, "W", 50.0, 5000.0,
                   "NVIDIA B200 board power ~1000 W (vendor datasheet)"),
        Assumption("peak_operations_per_second", 4.5e15, "1/s", 1e13, 1e17,
                   "NVIDIA B200 ~4.5 PFLOP/s dense FP8 (vendor datasheet)"),
        Assumption("utilisation", 0.5, "", 0.01, 1.0,
                   "fraction of peak compute sustained; ~0.3–0.6 for large-model serving "
                   "(our estimate); the paper assumes peak (1)"),
        Assumption("layer_sync_latency", 2e-6, "s", 0.0, 1e-3,
                   "per-layer cross-GPU synchronisation, ~1–10 µs for NVLink all-reduce (our "
                   "estimate); the paper assumes perfect parallelism (0)"),
        Assumption("volume_per_gpu", 1e-3, "m**3", 1e-4, 1.0,
                   "paper §III.1: 1000 cm³ per card, chassis and cooling excluded"),
        Assumption("gpu_packing", "whole", "", None, None,
                   "fractional: P B / M GPUs as in the paper; whole: rounded up",
                   choices=("fractional", "whole")),
    )

    presets = {
        "paper": Preset(
            "the paper's digital reference: 1 pJ per operation, ops = P, 192 GB at 8 TB/s, "
            "1000 cm³ per GPU, perfect parallelism, batch 1, 8-bit weights",
            assumptions={"energy_model": "per_operation", "energy_per_operation": 1e-12,
                         "operations_per_parameter": 1.0, "memory_per_gpu": 192e9,
                         "memory_bandwidth": 8e12, "utilisation": 1.0,
                         "layer_sync_latency": 0.0, "gpu_packing": "fractional"},
            design={"precision": 8, "batch_size": 1, "io_dimension": paper_width},
            source="Wright et al., arXiv 2604.27911, Table 1 and §III.1",
        ),
        "b200": _gpu_preset("NVIDIA B200", 192e9, 8e12, 1000.0, 4.5e15,
                            "NVIDIA B200 datasheet figures as summarised in physics.md §2"),
        "h200": _gpu_preset("NVIDIA H200", 141e9, 4.8e12, 700.0, 2e15,
                            "NVIDIA H200 datasheet figures as summarised in physics.md §2"),
        "h100": _gpu_preset("NVIDIA H100 SXM", 80e9, 3.35e12, 700.0, 2e15,
                            "NVIDIA H100 SXM datasheet figures as summarised in physics.md §2"),
    }

    diagnostic_units = {
        "gpu_count": "", "layers": "", "weight_bytes": "B", "weight_streaming_time": "s",
        "compute_time": "s", "sync_time": "s", "batch_time": "s",
    }
    margin_descriptions = {}

    def _evaluate(self, params, design, a):
        width = design["io_dimension"]
        bits = design["precision"]
        batch = design["batch_size"]

        weight_bytes = params * bits / BITS_PER_BYTE
        gpus = weight_bytes / a["memory_per_gpu"]
        if a["gpu_packing"] == "whole":
            gpus = np.ceil(gpus)
        operations = a["operations_per_parameter"] * params
        streaming = weight_bytes / gpus / a["memory_bandwidth"]
        compute = batch * operations / (gpus * a["peak_operations_per_second"] * a["utilisation"])
        layers = np.maximum(params / width**2, 1.0)
        sync = layers * a["layer_sync_latency"]
        batch_time = np.maximum(streaming, compute) + sync

        if a["energy_model"] == "per_operation":
            energy = operations * a["energy_per_operation"] * bits / BITS_PER_BYTE
        else:
            energy = gpus * a["power_per_gpu"] * batch_time / batch

        metrics = finish_metrics(energy, batch_time / batch, batch_time, gpus * a["volume_per_gpu"])
        breakdown = {"gpus": energy}
        diagnostics = {
            "gpu_count": gpus, "layers": layers, "weight_bytes": weight_bytes,
            "weight_streaming_time": streaming, "compute_time": compute, "sync_time": sync,
            "batch_time": batch_time,
        }
        return metrics, breakdown, {}, diagnostics
