"""The shared converter model against the Murmann ADC survey and device anchors."""
import numpy as np
import pytest

from cost_models.converters import (CONVERTER_ASSUMPTIONS, adc_energy, conversion_pair_energy,
                                    dac_energy)

A = {a.name: a.value for a in CONVERTER_ASSUMPTIONS}
BOLTZMANN_300K = 1.380649e-23 * 300  # J


@pytest.mark.parametrize("rate", [0.0, 1e6, 1e8, 1e9, 1e10])
def test_envelope_is_flat_at_low_precision(rate):
    # issue 11 done-when: 2 bits within 4× of 8 bits under the envelope
    ratio = adc_energy(8, rate, A) / adc_energy(2, rate, A)
    assert 1 <= ratio < 4


def test_envelope_low_speed_anchors():
    # Murmann survey: best ~0.27–0.3 pJ per Nyquist sample at 4–9 ENOB at low speed
    assert adc_energy(np.arange(4, 10), 1e7, A) == pytest.approx(0.3e-12, rel=0.25)
    # the thermal term is ≈ 35 kT · 4^b
    assert A["adc_thermal_coefficient"] / BOLTZMANN_300K == pytest.approx(35, rel=0.05)
    # and dominates above ~10 ENOB: 16 ENOB ≈ 0.6 nJ (survey minimum 15–16 ENOB: 0.29 nJ)
    assert adc_energy(16, 0.0, A) == pytest.approx(6.2e-10, rel=0.05)


def test_envelope_high_speed_anchors():
    # Murmann survey, best at ≥ 1 GS/s: ~1–1.5 pJ at 4–7 ENOB (factor-of-two tolerance)
    for bits in (4, 5, 6, 7):
        assert 0.5e-12 < adc_energy(bits, 1e10, A) < 2.6e-12
    # 8–10 ENOB: best 4.2 pJ near 1 GS/s, 15 pJ near 10 GS/s; the envelope stays below
    # them, within 3×
    assert 4.2e-12 / 3 < adc_energy(9, 1.5e9, A) < 4.2e-12
    assert 15e-12 / 3 < adc_energy(9, 1e10, A) < 15e-12


def test_dac_device_anchor():
    # an 8 b 14 GS/s DAC at 3.6 pJ per sample; factor-of-two tolerance
    assert 1.8e-12 < dac_energy(8, 14e9, A) < 7.2e-12


def test_median_designs():
    median = {**A, "converter_model": "median"}
    # survey medians: 5–35 pJ at 4–8 ENOB, 128 pJ at 9–10 ENOB, 1.25 nJ at 12–13 ENOB (×/÷ 2)
    assert np.all((adc_energy(np.arange(4, 9), 1e9, median) > 5e-12)
                  & (adc_energy(np.arange(4, 9), 1e9, median) < 70e-12))
    assert adc_energy(9.5, 1e8, median) == pytest.approx(128e-12, rel=1.0)
    assert 0.6e-9 < adc_energy(12.5, 1e6, median) < 2.5e-9
    assert np.all(adc_energy(np.arange(2, 17), 1e6, median) > adc_energy(np.arange(2, 17), 1e6, A))


def test_lumped_is_the_papers_fixed_energy_per_element():
    lumped = {**A, "converter_model": "lumped"}
    energy = conversion_pair_energy(np.array([2, 8, 16]), 1e8, lumped)
    np.testing.assert_allclose(energy, 200e-12)


def test_shapes_broadcast():
    energy = conversion_pair_energy(np.array([[4], [8]]), np.array([1e6, 1e9, 1e10]), A)
    assert energy.shape == (2, 3) and np.all(energy > 0)
