r"""The network every platform runs: its size, shape and the serving scenario of a study.

One workload, read by every platform (the paper's App. A.1 "loosely implemented" network,
Wright et al., arXiv 2604.27911), with shape tied to the parameter count P:

* width ``d`` = the I/O vector dimension of one inference (design variable ``io_dimension``);
* depth in d × d stages ``D = P / d²``; a transformer block holds ≈ 12 d² parameters
  (Kaplan et al. 2020, §2.1: non-embedding ``N ≈ 12 · n_layer · d_model²``), so transformer
  layers ``ℓ = D / 12``;
* aspect ratio ``r = d / ℓ = 12 d³ / P``. Real dense LLMs (GPT-2/3, OPT, Gopher, Chinchilla,
  LLaMA 1–3, PaLM; 44M–540B parameters) lie between r = 33 (GPT-2 XL) and r = 205
  (Gopher 280B), median 128, so the default width is ``d = (r P / 12)^(1/3) ≈ 2.2 P^(1/3)``
  at r = 128; the paper's ``d = P^(1/3)`` is r = 12. Every PFM scale (1e12–1e21) lies 1–9
  decades beyond those models: the rule is an extrapolation.
* key/value cache per token of context ``2 ℓ d_kv`` values, ``d_kv = f_kv d`` with the
  grouped-query fraction ``f_kv`` = KV heads / query heads (Llama 3: 8 KV heads of 32, 64
  and 128 query heads for 8B, 70B, 405B; Llama Team, "The Llama 3 Herd of Models" 2024,
  Table 3 — 405B: 2 · 126 · 8 · 128 = 2.6e5 values per token).

Nothing clips depth: a shape outside the plausible range ``[r_min, r_max]`` (or with less
than one layer) is the shared ``shape`` margin, so such a design is infeasible on every
platform. Tokens per inference, context length and batch size are settings of the serving
scenario (assumptions shared by every model, fixed per study by its ``[workload]`` table),
not design variables: an optimiser would drive them to 1. So is the I/O frame rate of the
digital system around a platform (``max_io_rate``, declared by the platforms that use it).

An inference generates ``tokens_per_inference`` tokens one after another (autoregressive
decoding), so the base class multiplies every platform's per-token energy, time and latency
by it; with the default of 1 an inference is the paper's single forward pass.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import Assumption

#: Parameters per d × d stage of a transformer block: 12 (Kaplan et al. 2020, §2.1).
PARAMETERS_PER_LAYER_PER_WIDTH2 = 12
#: Median aspect ratio d / layers of real dense LLMs (44M–540B), for the default width.
TYPICAL_ASPECT_RATIO = 128.0

LLM_SHAPES_SOURCE = ("real dense LLMs (GPT-2/3, OPT, Gopher, Chinchilla, LLaMA 1–3, PaLM, "
                     "MT-NLG, BLOOM, Falcon; 40 models, 44M–540B parameters, shapes from their "
                     "papers and configs): d/layers from 33 (GPT-2 XL) to 205 (Gopher 280B), "
                     "median 128")

CONTEXT_LENGTH_ASSUMPTION = Assumption(
    "context_length", 1024.0, "", 0.0, 1e6,
    "tokens of context whose key/value cache each generated token reads; 1k is typical chat "
    "serving (ML.ENERGY v3 text conversation: mean 717 output tokens after the prompt); "
    "0 is the paper's single forward pass with no context (App. A.1)", setting=True)

#: The serving scenario: fixed per study, shown with every result.
SERVING_ASSUMPTIONS = (
    Assumption("tokens_per_inference", 1.0, "", 1.0, 1e6,
               "tokens generated one after another per inference; 1 is the paper's single "
               "forward pass (App. A.1); a chat reply is ~100–1000", setting=True),
    CONTEXT_LENGTH_ASSUMPTION,
    Assumption("batch_size", 64.0, "", 1.0, 4096.0,
               "sequences served concurrently, sharing one pass over the weights where a "
               "platform reads them per pass; continuous-batching servers run tens to hundreds "
               "(vLLM's default cap is 256 sequences; ML.ENERGY v3 measures at 64); the paper "
               "assumes 1", setting=True),
)

WORKLOAD_ASSUMPTIONS = (
    *SERVING_ASSUMPTIONS,
    Assumption("min_network_aspect_ratio", 10.0, "", 1.0, 1e3,
               "narrowest plausible network, d/layers: Kaplan et al. 2020 (§3.1, Fig. 5) trained "
               "shapes over aspect ratios ~10–1000 at fixed N with loss within a few per cent; "
               "the paper's d = P^(1/3) is 12. " + LLM_SHAPES_SOURCE, setting=True,
               at_most="max_network_aspect_ratio"),
    Assumption("max_network_aspect_ratio", 1000.0, "", 10.0, 1e6,
               "widest plausible network, d/layers: Kaplan et al. 2020 (Fig. 5 caption: 6 layers "
               "of width 4288, r = 715, reach a loss within 3 % of GPT-2 XL's 48 × 1600, r = 33). "
               + LLM_SHAPES_SOURCE, setting=True),
)

KV_FRACTION_ASSUMPTION = Assumption(
    "kv_fraction", 0.125, "", 0.0, 1.0,
    "key/value heads over query heads (grouped-query attention): Llama 3 70B 8/64, 8B 8/32, "
    "405B 8/128 (Llama Team 2024, Table 3); 0: no KV cache", setting=True)

KV_BITS_ASSUMPTION = Assumption(
    "kv_bits", 16.0, "bit", 4.0, 32.0,
    "bits per cached key/value entry: BF16, as served by vLLM (KV dtype = the model's)",
    setting=True)

IO_FRAME_RATE_ASSUMPTION = Assumption(
    "max_io_rate", 1e8, "Hz", 1e3, 1e15,
    "frame rate at which the digital system around a platform delivers one input vector and "
    "takes one output vector (one sample per converter per frame); paper App. A.2's example is "
    "100 MHz; the same value for every platform, so no platform's speed advantage comes from "
    "a different clock (our estimate: 8-bit ADCs reach 10 GS/s per channel, Murmann survey, "
    "but arrays of 1e4–1e6 channels at 100 MHz are not demonstrated)", setting=True)


def llm_width(params: float) -> float:
    """Width of a real-LLM-shaped network of ``params`` parameters: ``(r P / 12)^(1/3)`` at the
    median aspect ratio r = 128 (≈ 2.2 P^(1/3); 1e12 → 2.2e4)."""
    return (TYPICAL_ASPECT_RATIO * params / PARAMETERS_PER_LAYER_PER_WIDTH2) ** (1 / 3)


def paper_width(params: float) -> float:
    """The paper's Table 1 convention for the I/O dimension: d = P^(1/3) (aspect ratio 12)."""
    return params ** (1 / 3)


def transformer_layers(params, width):
    """Transformer layers ``P / (12 d²)`` of a P-parameter network of width d (not clipped)."""
    return params / (PARAMETERS_PER_LAYER_PER_WIDTH2 * width**2)


def kv_values_per_context_token(params, width, kv_fraction):
    """Key/value cache entries per token of context: ``2 ℓ f_kv d``."""
    return 2 * transformer_layers(params, width) * kv_fraction * width


@dataclass(frozen=True)
class Network:
    """The network of one design at scale P (SI floats or arrays; counts are dimensionless)."""

    params: np.ndarray  #: parameters P
    width: np.ndarray  #: d, the I/O vector dimension
    stages: np.ndarray  #: D = P / d², d × d matrix stages in sequence
    layers: np.ndarray  #: transformer layers D / 12
    aspect_ratio: np.ndarray  #: d / layers = 12 d³ / P
    tokens: np.ndarray  #: tokens generated per inference
    context: np.ndarray  #: tokens of context per generated token
    batch: np.ndarray  #: sequences served concurrently

    @classmethod
    def of(cls, params, design, a) -> Network:
        """The workload network of ``design`` (its ``io_dimension``) under assumptions ``a``."""
        params = np.asarray(params, dtype=float)
        width = np.asarray(design["io_dimension"], dtype=float)
        layers = transformer_layers(params, width)
        return cls(params=params, width=width, stages=params / width**2, layers=layers,
                   aspect_ratio=width / layers,
                   tokens=np.asarray(a["tokens_per_inference"], dtype=float),
                   context=np.asarray(a["context_length"], dtype=float),
                   batch=np.asarray(a["batch_size"], dtype=float))

    def shape_margin(self, a) -> np.ndarray:
        """≤ 0 when the aspect ratio lies in [r_min, r_max] and there is at least one layer:
        ``max(r / r_max − 1, r_min / r − 1, 1 − layers)``."""
        return np.maximum.reduce(np.broadcast_arrays(
            self.aspect_ratio / a["max_network_aspect_ratio"] - 1,
            a["min_network_aspect_ratio"] / self.aspect_ratio - 1,
            1 - self.layers))


SHAPE_MARGIN_DESCRIPTION = ("network aspect ratio d/layers outside [min, max]_network_aspect_ratio"
                            " or under one layer: max(r/r_max − 1, r_min/r − 1, 1 − layers)")

__all__ = [
    "CONTEXT_LENGTH_ASSUMPTION", "IO_FRAME_RATE_ASSUMPTION", "KV_BITS_ASSUMPTION",
    "KV_FRACTION_ASSUMPTION", "Network", "SERVING_ASSUMPTIONS", "WORKLOAD_ASSUMPTIONS",
    "kv_values_per_context_token", "llm_width", "paper_width", "transformer_layers",
]
