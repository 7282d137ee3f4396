r"""The network every platform runs, and the settings of the system around it (SI units).

* depth in d × d stages ``D = P / d²`` (d = width = ``io_dimension``); a transformer block
  holds ≈ 12 d² parameters (Kaplan et al. 2020, §2.1: ``N ≈ 12 n_layer d_model²``), so
  transformer layers ``L = D / 12``. Not clipped: a shape outside the data is a margin.
* key/value cache per token of context ``2 L d_kv`` values, ``d_kv = f_kv d`` with the
  grouped-query fraction ``f_kv`` = KV heads / query heads (Llama 3: 8 KV heads of 32, 64
  and 128 query heads for 8B, 70B, 405B; Llama Team, "The Llama 3 Herd of Models" 2024,
  Table 3 — 405B: 2 · 126 · 8 · 128 = 2.6e5 values per token).
* context length and the I/O frame rate are workload settings, shared by every platform,
  fixed per study and not searched.
"""
from __future__ import annotations

from .base import Assumption, DesignVariable

PARAMETERS_PER_LAYER_PER_WIDTH2 = 12  # Kaplan et al. 2020, §2.1

CONTEXT_LENGTH_ASSUMPTION = Assumption(
    "context_length", 1024.0, "", 0.0, 1e6,
    "tokens of context whose key/value cache each generated token reads; 1k is typical chat "
    "serving (ML.ENERGY v3 text conversation: mean 717 output tokens after the prompt); "
    "0 is the paper's single forward pass with no context (App. A.1)")

KV_FRACTION_ASSUMPTION = Assumption(
    "kv_fraction", 0.125, "", 0.0, 1.0,
    "key/value heads over query heads (grouped-query attention): Llama 3 70B 8/64, 8B 8/32, "
    "405B 8/128 (Llama Team 2024, Table 3); 0: no KV cache")

KV_BITS_ASSUMPTION = Assumption(
    "kv_bits", 16.0, "bit", 4.0, 32.0,
    "bits per cached key/value entry: BF16, as served by vLLM (KV dtype = the model's)")

IO_FRAME_RATE_ASSUMPTION = Assumption(
    "max_io_rate", 1e8, "Hz", 1e3, 1e15,
    "frame rate at which the digital system around a platform delivers one input vector and "
    "takes one output vector (one sample per converter per frame); paper App. A.2's example is "
    "100 MHz; the same value for every platform, so no platform's speed advantage comes from "
    "a different clock (our estimate: 8-bit ADCs reach 10 GS/s per channel, Murmann survey, "
    "but arrays of 1e4–1e6 channels at 100 MHz are not demonstrated)")


def transformer_layers(params, width):
    """Transformer layers ``P / (12 d²)`` of a P-parameter network of width d (not clipped)."""
    return params / (PARAMETERS_PER_LAYER_PER_WIDTH2 * width**2)


def kv_values_per_context_token(params, width, kv_fraction):
    """Key/value cache entries per token of context: ``2 L f_kv d``."""
    return 2 * transformer_layers(params, width) * kv_fraction * width


def batch_size_variable(description: str) -> DesignVariable:
    """Tokens (sequences) in flight that share one pass over the weights."""
    return DesignVariable("batch_size", "", description, 64, low=1, high=4096, log=True,
                          kind="int")


__all__ = [
    "CONTEXT_LENGTH_ASSUMPTION", "IO_FRAME_RATE_ASSUMPTION", "KV_BITS_ASSUMPTION",
    "KV_FRACTION_ASSUMPTION", "batch_size_variable",
    "kv_values_per_context_token", "transformer_layers",
]
