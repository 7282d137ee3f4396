r"""Model quality: the predicted loss of the workload network, ``model_loss`` (nats per token).

Loss against parameters is the Chinchilla parametric fit in the infinite-data limit
(Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", Eq. 10 with
D → ∞): ``L = E + A / N_eff^α``. The effective parameter count is the network's P reduced by
its weight precision b_w, its I/O (activation) precision b_a and its shape:

    N_eff = P · f(b_w; γ_w, κ_w) · f(b_a; γ_a, κ_a) · s(r),
    f(b; γ, κ) = 1 − exp(−(b/γ)^κ),
    s(r) = exp(−κ_s · x²),  x = max(ln(r_lo / r), ln(r / r_hi), 0)

``f`` generalises the effective-parameter form of Kumar et al., "Scaling Laws for Precision"
(ICLR 2025), ``N_eff = N (1 − e^(−b/γ))``, which is κ = 1. With κ = 1 no γ reproduces the
published post-training results on the Chinchilla curve: the drop from 4 bits (near-lossless)
to 2–3 bits is a cliff, so γ and κ are fitted to them (Llama-2-70B, WikiText-2 perplexity,
loss difference in nats = ln of the perplexity ratio, N = 7e10):

* weights, default (codebooks + fine-tuning): γ_w = 4.8, κ_w = 4 gives 2 bit 3.12 → 3.78
  (AQLM + PV-tuning, Malinovskii et al. 2024), 3 bit → 3.37, 4 bit → 3.22 (near-lossless,
  as GPTQ/AWQ at 4 bit), 8 bit lossless;
* weights, plain rounding (GPTQ, Frantar et al. 2023): γ_w = 4.58, κ_w = 12 gives 3 bit
  3.12 → 4.58 and 4 bit → 3.33, and collapses at 2 bit as GPTQ does;
* activations: γ_a = 5.0, κ_a = 4 puts W4A4 at +0.29 perplexity on Llama-2-70B (QuaRot,
  Ashkboos et al. 2024, 3.32 → 3.61) and W8A8 within 1e-4 nats up to 530B (SmoothQuant,
  Xiao et al. 2023).

Shape: loss depends only weakly on shape at fixed N (Kaplan et al. 2020, §3.1), so there is
no penalty inside the aspect-ratio range of real LLMs [r_lo, r_hi] = [33, 205]; outside, κ_s
is set so that r = 715 costs what Kaplan's Fig. 5 reports (6 layers × 4288 within 3 % of
48 × 1600), converted to parameters with Kaplan's ``L ∝ N^(−0.076)``.

Ceiling: a network can always predict the uniform distribution over its vocabulary, a
cross-entropy of ln V nats per token, so ``model_loss = min(E + A / N_eff^α, ln V)``; the fit
would otherwise predict hundreds of nats for a network whose effective parameters the shape
or precision factors have driven towards zero.

Below the published support — activations under 4 bits (no method shown), weights under
2 bits (only when trained in that format, BitNet b1.58) — the fit is not trusted: those are
the margins ``io_precision_floor`` and ``weight_precision_floor``, not clips.

Every PFM scale (1e12–1e21 parameters) lies 1–9 decades beyond the data these fits come
from (Chinchilla: up to 16B parameters fitted; quantisation results up to 530B): the
metric is an extrapolation of published trends, useful for ranking designs, not a
prediction of a measured loss.
"""
from __future__ import annotations

import numpy as np

from .base import Assumption
from .workload import TYPICAL_ASPECT_RATIO

#: Kaplan et al. 2020's exponent of loss against non-embedding parameters, L ∝ N^(−0.076).
KAPLAN_PARAMETER_EXPONENT = 0.076

LOSS_ASSUMPTIONS = (
    Assumption("loss_irreducible", 1.69, "", 1.5, 2.0,
               "E of the Chinchilla fit L = E + A/N^α + B/D^β, nats/token (Hoffmann et al. "
               "2022, Eq. 10); Besiroglu et al. 2024's refit gives 1.82"),
    Assumption("loss_coefficient", 406.4, "", 100.0, 1000.0,
               "A of the Chinchilla fit (Hoffmann et al. 2022); Besiroglu et al. 2024: 482"),
    Assumption("loss_exponent", 0.34, "", 0.2, 0.5,
               "α of the Chinchilla fit (Hoffmann et al. 2022); Besiroglu et al. 2024: 0.348"),
    Assumption("weight_bits_scale", 4.8, "bit", 2.0, 10.0,
               "γ_w in N_eff ∝ 1 − exp(−(b_w/γ_w)^κ_w), after Kumar et al. (ICLR 2025); 4.8 "
               "(κ 4) fits Llama-2-70B 2-bit 3.12 → 3.78 ppl (AQLM + PV-tuning) with 4 bit "
               "near-lossless (GPTQ/AWQ); plain GPTQ rounding (3 bit → 4.58) is 4.58 with κ 12"),
    Assumption("weight_bits_sharpness", 4.0, "", 1.0, 16.0,
               "κ_w: 1 is Kumar et al.'s form, which cannot make 4 bit near-lossless and 2 bit "
               "costly at once on the Chinchilla curve; 4 fits codebook + fine-tuning results, "
               "12 plain rounding (GPTQ)"),
    Assumption("io_bits_scale", 5.0, "bit", 2.0, 10.0,
               "γ_a for activation (I/O) bits: W4A4 within 0.29 ppl at Llama-2-70B (QuaRot, "
               "Ashkboos et al. 2024, 3.32 → 3.61); W8A8 near-lossless to 530B (SmoothQuant, "
               "Xiao et al. 2023)"),
    Assumption("io_bits_sharpness", 4.0, "", 1.0, 16.0,
               "κ_a (as κ_w); any κ_a ≥ 2 keeps W8A8 near-lossless"),
    Assumption("llm_aspect_ratio_low", 33.0, "", 1.0, 1e3,
               "narrowest real dense LLM, d/layers (GPT-2 XL: 1600/48); no shape penalty inside "
               "the range of real LLMs (Kaplan et al. 2020: weak dependence on shape)",
               setting=True, at_most="llm_aspect_ratio_high"),
    Assumption("llm_aspect_ratio_high", 205.0, "", 10.0, 1e5,
               "widest real dense LLM, d/layers (Gopher 280B: 16384/80)", setting=True),
    Assumption("shape_penalty", 0.249, "", 0.0, 1.0,
               "κ_s in N_eff ∝ exp(−κ_s ln²(r/r_edge)) outside the LLM range: r = 715 costs 3 % "
               "in loss (Kaplan et al. 2020, Fig. 5 caption), i.e. N × 1.03^(−1/0.076); range "
               "0 (shape free) to 1.0 (r = 715 costs 13 %)"),
    Assumption("vocabulary_size", 32000.0, "", 1e4, 3e5,
               "tokens in the vocabulary V, whose uniform guess ln V caps the loss: 32 000 "
               "(LLaMA 1/2, Touvron et al. 2023), 50 257 (GPT-2/3), 128 256 (LLaMA 3), 256 000 "
               "(Gemma)", setting=True),
    Assumption("min_weight_precision", 2.0, "bit", 1.0, 8.0,
               "lowest weight precision with published support after training: 2 bit with "
               "codebooks and fine-tuning (AQLM + PV); 1.58 bit only when trained in that "
               "format (BitNet b1.58)", setting=True),
    Assumption("min_io_precision", 4.0, "bit", 1.0, 8.0,
               "lowest activation (I/O) precision with published support: 4 bit with outlier "
               "removal (QuaRot, W4A4); none below", setting=True),
)

PRECISION_MARGIN_DESCRIPTIONS = {
    "weight_precision_floor": "min_weight_precision / weight_precision − 1 (no published "
                              "support below the floor)",
    "io_precision_floor": "min_io_precision / io_precision − 1 (no published support below "
                          "the floor)",
}


def precision_factor(bits, scale: float, sharpness: float):
    """Fraction of parameters effective at ``bits`` of precision: 1 − exp(−(b/γ)^κ)."""
    return -np.expm1(-((np.asarray(bits, dtype=float) / scale) ** sharpness))


def shape_factor(aspect_ratio, a):
    """Fraction of parameters effective at aspect ratio r: exp(−κ_s x²), x the log-distance
    of r outside [llm_aspect_ratio_low, llm_aspect_ratio_high]."""
    r = np.asarray(aspect_ratio, dtype=float)
    outside = np.maximum.reduce(np.broadcast_arrays(
        np.log(a["llm_aspect_ratio_low"] / r), np.log(r / a["llm_aspect_ratio_high"]), 0.0))
    return np.exp(-a["shape_penalty"] * outside**2)


def effective_parameters(params, weight_bits, io_bits, aspect_ratio, a):
    """N_eff = P · f(b_w) · f(b_a) · s(r) (parameters), at least one: far outside real shapes
    the factors underflow to 0, and a network is never worse than one parameter (loss E + A),
    so the loss stays finite."""
    return np.maximum(
        np.asarray(params, dtype=float)
        * precision_factor(weight_bits, a["weight_bits_scale"], a["weight_bits_sharpness"])
        * precision_factor(io_bits, a["io_bits_scale"], a["io_bits_sharpness"])
        * shape_factor(aspect_ratio, a), 1.0)


def chinchilla_loss(effective_params, a):
    """L = min(E + A / N^α, ln V), nats per token (infinite-data limit; never worse than the
    uniform guess over the vocabulary)."""
    fitted = a["loss_irreducible"] + a["loss_coefficient"] * np.asarray(
        effective_params, dtype=float) ** (-a["loss_exponent"])
    return np.minimum(fitted, np.log(a["vocabulary_size"]))


def model_loss(params, weight_bits, io_bits, aspect_ratio, a):
    """Predicted loss per token (nats) of a P-parameter network at the given precisions and
    shape."""
    return chinchilla_loss(effective_parameters(params, weight_bits, io_bits, aspect_ratio, a), a)


def precision_margins(weight_bits, io_bits, a) -> dict[str, np.ndarray]:
    """The two floors: ≤ 0 when the precision has published support."""
    return {"weight_precision_floor": a["min_weight_precision"] / np.asarray(weight_bits) - 1,
            "io_precision_floor": a["min_io_precision"] / np.asarray(io_bits) - 1}


def equal_loss_limit(params, weight_bits, io_bits, tolerance: float, a):
    """Highest loss that counts as equal to that of a real-LLM-shaped network (aspect ratio
    128) at ``weight_bits`` and ``io_bits``: its reducible loss L − E may exceed the
    reference's by the fraction ``tolerance`` (0.05 ⇔ at least 87 % of its effective
    parameters at α = 0.34). Nats per token."""
    reference = model_loss(params, weight_bits, io_bits, TYPICAL_ASPECT_RATIO, a)
    return a["loss_irreducible"] + (reference - a["loss_irreducible"]) * (1 + tolerance)
