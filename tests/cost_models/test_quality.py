"""model_loss against the published points it was fitted to (tolerances stated per test)."""
import numpy as np
import pytest

from cost_models.quality import (KAPLAN_PARAMETER_EXPONENT, LOSS_ASSUMPTIONS, chinchilla_loss,
                                 effective_parameters, model_loss, precision_factor,
                                 precision_margins, shape_factor)

A = {a.name: a.value for a in LOSS_ASSUMPTIONS}
LLAMA2_70B = 7e10
LLAMA_ASPECT = 8192 / 80


def perplexity(ppl_full, params, weight_bits, io_bits, a=A, aspect=LLAMA_ASPECT):
    """Perplexity predicted after quantisation, from the measured full-precision one."""
    full = model_loss(params, 16, 16, aspect, a)
    return ppl_full * np.exp(model_loss(params, weight_bits, io_bits, aspect, a) - full)


def test_chinchilla_fit_in_the_infinite_data_limit():
    # Hoffmann et al. 2022: E + A / N^α with E = 1.69, A = 406.4, α = 0.34
    assert chinchilla_loss(7e10, A) == pytest.approx(1.69 + 406.4 / 7e10**0.34)
    assert chinchilla_loss(1e12, A) == pytest.approx(1.7239, abs=1e-4)


def test_two_bit_weights_with_codebooks_llama2_70b():
    # AQLM + PV-tuning: WikiText-2 perplexity 3.12 → 3.78; tolerance ±0.05
    assert perplexity(3.12, LLAMA2_70B, 2, 16) == pytest.approx(3.78, abs=0.05)


def test_four_and_eight_bit_weights_are_near_lossless():
    # GPTQ / AWQ: 4-bit weights cost ≲ 0.1 perplexity on Llama-2-70B; tolerance 0.15
    assert perplexity(3.12, LLAMA2_70B, 4, 16) - 3.12 < 0.15
    assert perplexity(3.12, LLAMA2_70B, 8, 16) - 3.12 < 0.001


def test_plain_rounding_calibration_reproduces_gptq_three_bit():
    # GPTQ 3-bit Llama-2-70B: 3.12 → 4.58 with γ_w = 4.58, κ_w = 12 (quoted in the assumption)
    gptq = {**A, "weight_bits_scale": 4.58, "weight_bits_sharpness": 12.0}
    assert perplexity(3.12, LLAMA2_70B, 3, 16, gptq) == pytest.approx(4.58, abs=0.05)
    assert perplexity(3.12, LLAMA2_70B, 4, 16, gptq) - 3.12 < 0.25
    assert perplexity(3.12, LLAMA2_70B, 2, 16, gptq) > 10  # GPTQ collapses at 2 bit


def test_kumar_form_alone_cannot_fit_both_ends():
    # κ = 1 fitted to the 2-bit point leaves 4 bit far from near-lossless: why κ > 1
    kumar = {**A, "weight_bits_sharpness": 1.0}
    scales = np.linspace(2, 200, 2000)
    ppl2 = [perplexity(3.12, LLAMA2_70B, 2, 16, {**kumar, "weight_bits_scale": g}) for g in scales]
    best = scales[np.argmin(np.abs(np.array(ppl2) - 3.78))]
    assert perplexity(3.12, LLAMA2_70B, 4, 16, {**kumar, "weight_bits_scale": best}) - 3.12 > 0.3


def test_w4a4_with_rotation_llama2_70b():
    # QuaRot: W4A4 costs 0.29 perplexity on Llama-2-70B (3.32 → 3.61); tolerance ±0.03
    assert perplexity(3.32, LLAMA2_70B, 4, 4) - 3.32 == pytest.approx(0.29, abs=0.03)


def test_w8a8_near_lossless_up_to_530b():
    # SmoothQuant: W8A8 matches FP16 on MT-NLG 530B; tolerance 1e-3 nats
    for params in (1.3e9, 7e10, 5.3e11):
        drop = model_loss(params, 8, 8, 100, A) - model_loss(params, 16, 16, 100, A)
        assert 0 <= drop < 1e-3


def test_shape_weak_inside_real_llms_and_kaplan_three_percent_outside():
    assert shape_factor(np.array([33, 128, 205]), A) == pytest.approx(1.0)
    # Kaplan Fig. 5: (6, 4288), r = 715, within 3 % of (48, 1600), r = 33: in Kaplan's own law
    factor = shape_factor(715, A)
    assert factor ** -KAPLAN_PARAMETER_EXPONENT == pytest.approx(1.03, abs=0.002)
    # and on the Chinchilla curve at 1.5e9 parameters the loss rises by less than 3 %
    wide, typical = model_loss(1.5e9, 16, 16, 715, A), model_loss(1.5e9, 16, 16, 33, A)
    assert 0 < wide / typical - 1 < 0.03


def test_loss_falls_with_parameters_bits_and_closer_shape():
    bits = np.arange(1, 17)
    assert np.all(np.diff(precision_factor(bits, 4.8, 4.0)) >= 0)
    assert np.all(np.diff(model_loss(np.logspace(9, 21, 13), 8, 8, 128, A)) < 0)
    assert np.all(np.diff(model_loss(1e12, bits, 8, 128, A)) <= 0)
    assert np.all(np.diff(model_loss(1e12, 8, bits, 128, A)) <= 0)
    assert model_loss(1e12, 8, 8, 12, A) > model_loss(1e12, 8, 8, 33, A)
    n_eff = effective_parameters(1e12, 2, 4, 1e4, A)
    assert 0 < n_eff < 1e12


def test_precision_floors_are_margins():
    margins = precision_margins(np.array([1, 2, 8]), np.array([2, 4, 8]), A)
    np.testing.assert_array_equal(margins["weight_precision_floor"] <= 0, [False, True, True])
    np.testing.assert_array_equal(margins["io_precision_floor"] <= 0, [False, True, True])


def test_equal_loss_limit_is_a_fraction_of_the_reducible_loss():
    from cost_models.quality import equal_loss_limit

    for params in (1e12, 1e15, 1e18):
        reference = model_loss(params, 8, 8, 128, A)
        limit = equal_loss_limit(params, 8, 8, 0.05, A)
        assert limit - A["loss_irreducible"] == pytest.approx(
            1.05 * (reference - A["loss_irreducible"]))
        # 8-bit I/O with 6-bit weights still counts at 1e12; 4-bit weights do not
        assert model_loss(params, 6, 8, 128, A) <= limit < model_loss(params, 4, 8, 128, A)


def test_loss_never_exceeds_the_uniform_guess_over_the_vocabulary():
    """Shape penalties at extreme aspect ratios drive s(r) to 0 (one effective parameter):
    the loss is then ln V, the uniform guess over the vocabulary, never E + A (408 nats) or
    infinite; inside real shapes the fit applies unchanged."""
    a = {**A, "shape_penalty": 1e3}
    loss = model_loss(1e12, 8, 8, np.array([1e-6, 128.0, 1e9]), a)
    assert loss[0] == loss[2] == pytest.approx(np.log(A["vocabulary_size"]))
    assert loss[1] == pytest.approx(A["loss_irreducible"] + A["loss_coefficient"]
                                    * effective_parameters(1e12, 8, 8, 128.0, A)
                                    ** -A["loss_exponent"])
    small = model_loss(np.logspace(0, 21, 22), 8, 8, 128.0, {**A, "vocabulary_size": 50257.0})
    assert np.all(small <= np.log(50257.0)) and small[0] == pytest.approx(np.log(50257.0))
    assert np.all(np.diff(small) <= 0)
