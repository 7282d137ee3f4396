r"""Data converters at a platform's analogue boundary: one model for every platform.

Energy of one analogue-to-digital conversion at b effective bits (ENOB) and ``f`` samples
per second, from the Murmann ADC survey (ISSCC and VLSI 1997–2025, 724 designs; energy per
Nyquist sample P / f_snyq, ENOB = (SNDR − 1.76) / 6.02):

* ``converter_model = envelope`` (best in class)::

      E_ADC = (E₀ + k_T 4^b) · (1 + (h − 1) f / (f + f_c)) + k_J f 4^b

  ``E₀ + k_T 4^b`` (0.27 pJ + 1.45e-19 J · 4^b) is the low-speed envelope: flat below
  ~10 bits, thermal-noise limited (≈ 35 kT · 4^b) above; the factor rising to h above the
  corner f_c and the clock-jitter term ``k_J f 4^b`` (jitter σ ∝ 1 / (f 2^b) costs clock
  power ∝ 1/σ², so energy per sample ∝ f 4^b) follow the best designs at ≥ 1 GS/s
  (~1 pJ at 4–7 ENOB; at 8–10 ENOB it stays 2–3× below the few designs there, 4 pJ near
  1 GS/s and 15 pJ near 10 GS/s). 9 of the 724 designs lie below it.
* ``converter_model = median`` (a typical design): ``E_ADC = E_m + k_W 2^b``, a fit of the
  survey's median energy per ENOB bin (10 pJ + 0.15 pJ · 2^b; 4–5 ENOB 9 pJ, 9–10 ENOB
  128 pJ, 12–13 ENOB 1.25 nJ; scatter ×/÷ 2).
* ``converter_model = lumped``: a fixed energy per converted element regardless of bits
  (the paper's 100 pJ per input and per output element, §III.1, which also covers
  modulation, detection and memory).

A digital-to-analogue conversion costs ``r_DAC`` times the ADC's at the same bits and rate
(no survey of DACs at this breadth; an 8 b 14 GS/s DAC at 3.6 pJ per sample is ~1.2× the
envelope ADC at that rate).

Unlike the ×2-per-bit Walden law extrapolated downwards, the envelope is flat at low
precision: 2 bits costs ~1/1.03 of 8 bits, not 1/64.
"""
from __future__ import annotations

import numpy as np

from .base import Assumption

CONVERTER_ASSUMPTIONS = (
    Assumption("converter_model", "envelope", "", None, None,
               "envelope: best-in-class designs of the Murmann ADC survey 1997–2025; median: "
               "the survey's median design; lumped: a fixed energy per element (the paper's "
               "100 pJ)", choices=("envelope", "median", "lumped")),
    Assumption("adc_envelope_floor", 0.27e-12, "J", 0.05e-12, 10e-12,
               "E₀: lowest energy per Nyquist sample below ~10 ENOB (fit of the Murmann ADC "
               "survey 1997–2025, 724 ISSCC/VLSI designs)"),
    Assumption("adc_thermal_coefficient", 1.45e-19, "J", 1e-20, 1e-17,
               "k_T in k_T 4^ENOB: the thermal-noise envelope (≈ 35 kT) of the Murmann survey; "
               "sets in above ~10 ENOB"),
    Assumption("adc_speed_factor", 4.0, "", 1.0, 20.0,
               "h: best energy per sample at ≥ 1 GS/s over that at low speed (~1 pJ against "
               "0.27 pJ at 4–7 ENOB, Murmann survey)"),
    Assumption("adc_speed_corner", 1e9, "Hz", 1e7, 1e11,
               "f_c: sample rate where the high-speed factor is half set in (fit of the "
               "Murmann survey envelope)"),
    Assumption("adc_jitter_coefficient", 2e-27, "J*s", 0.0, 1e-25,
               "k_J in k_J f 4^ENOB: clock-jitter cost at high rate and resolution (lower-envelope "
               "fit of the Murmann survey: 1.2 % of its designs below; 2–3× under the best at "
               "8–10 ENOB and ≥ 1 GS/s)"),
    Assumption("adc_median_floor", 10e-12, "J", 1e-12, 100e-12,
               "E_m: median design at low ENOB (Murmann survey: medians 5–35 pJ at 4–8 ENOB)"),
    Assumption("adc_median_step", 0.15e-12, "J", 0.01e-12, 2e-12,
               "k_W in E_m + k_W 2^ENOB: the median design's energy per conversion step "
               "(Murmann survey medians: 128 pJ at 9–10 ENOB, 1.25 nJ at 12–13)"),
    Assumption("dac_to_adc_ratio", 1.0, "", 0.1, 3.0,
               "DAC energy per sample over the ADC's at equal bits and rate: an 8 b 14 GS/s "
               "DAC at 3.6 pJ/sample is ~1.2× the envelope ADC (device anchor, not re-checked "
               "against the original; our estimate)"),
    Assumption("lumped_conversion_energy", 100e-12, "J", 1e-15, 1e-8,
               "converter_model = lumped: energy per input or output element regardless of "
               "bits; the paper's 'conservative' 100 pJ (§III.1) for modulation, detection, "
               "conversion and memory"),
)


def adc_energy(bits, sample_rate, a):
    """Energy of one analogue-to-digital conversion at ``bits`` ENOB and ``sample_rate`` [Hz],
    in J, under ``a["converter_model"]``."""
    bits = np.asarray(bits, dtype=float)
    rate = np.asarray(sample_rate, dtype=float)
    shape = np.broadcast_shapes(bits.shape, rate.shape)
    model = a["converter_model"]
    if model == "lumped":
        return a["lumped_conversion_energy"] + np.zeros(shape)
    if model == "median":
        return a["adc_median_floor"] + a["adc_median_step"] * 2.0**bits + np.zeros(shape)
    low_speed = a["adc_envelope_floor"] + a["adc_thermal_coefficient"] * 4.0**bits
    speed = 1 + (a["adc_speed_factor"] - 1) * rate / (rate + a["adc_speed_corner"])
    return low_speed * speed + a["adc_jitter_coefficient"] * rate * 4.0**bits


def dac_energy(bits, sample_rate, a):
    """Energy of one digital-to-analogue conversion [J]: ``r_DAC`` × the ADC's (the lumped
    energy itself under ``lumped``)."""
    if a["converter_model"] == "lumped":
        return adc_energy(bits, sample_rate, a)
    return a["dac_to_adc_ratio"] * adc_energy(bits, sample_rate, a)


def conversion_pair_energy(bits, sample_rate, a):
    """One DAC plus one ADC conversion [J]: the boundary cost of one I/O element pair."""
    return dac_energy(bits, sample_rate, a) + adc_energy(bits, sample_rate, a)
