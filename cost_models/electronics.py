r"""Building blocks shared by the electronic platforms: converters, activations, heat flux.

* ADC energy per conversion ``E_ADC(b) = max(F_W 2^b, ½ · 10^((6.02 b + 1.76 − F_S)/10) J)``:
  the Walden figure of merit ``F_W`` (J per conversion step) for the technology-limited regime,
  and the Schreier figure of merit ``F_S`` (dB) for the thermal-noise limit, per Nyquist
  sample (Murmann, ADC Performance Survey 1997–2025).
* DAC energy per conversion ``E_DAC(b) = F_DAC 2^b`` (our estimate; DACs driving a
  resistive line are dominated by the line, counted separately by each model).
* cooling: a surface of area A removes at most ``P_cap = q_max A``; an inference of energy E
  then takes at least ``E / P_cap`` (:func:`heat_removal_time`). The electronic platforms
  throttle their rate to that bound (time per inference = the larger of their own pace and
  it), so a design never dissipates more than its cooling removes; ``power_cap`` is reported
  as a diagnostic. Heat-flux margin ``(P / A) / q_max − 1``; a rack of boards against the
  power one rack can be fed (``max_rack_power``).
"""
from __future__ import annotations

import numpy as np

from .base import Assumption

CONVERTER_ASSUMPTIONS = (
    Assumption("adc_walden_fom", 2e-15, "J", 0.35e-15, 1e-12,
               "Walden FoM per conversion step: best reported 0.35 fJ, 1–10 fJ for fast designs "
               "(Murmann ADC survey 1997–2025); 2 fJ gives ~0.5 pJ at 8 bit"),
    Assumption("adc_schreier_fom", 180.0, "", 160.0, 189.0,
               "Schreier FoM in dB: best 189 dB, top-5 mean 186.7 dB (Murmann survey); 180 dB "
               "for a practical array converter"),
    Assumption("dac_fom", 0.5e-15, "J", 0.05e-15, 1e-12,
               "DAC energy per output step (our estimate; current-steering DACs ~0.1–1 fJ/step)"),
    Assumption("activation_energy", 50e-15, "J", 1e-16, 1e-11,
               "one analogue nonlinearity (diode / comparator / amplifier stage) per neuron; "
               "~10–100 fJ in CMOS (our estimate)"),
)

VACUUM_PERMITTIVITY = 8.854_187_8188e-12  # F/m (CODATA 2018)
BOLTZMANN = 1.380_649e-23  # J/K (exact, SI 2019)

PACKAGED_THICKNESS_ASSUMPTION = Assumption(
    "packaged_thickness", 1e-3, "m", 1e-5, 1e-2,
    "volume per die area: a packaged, stacked die ~1 mm (our estimate)")

HEAT_FLUX_ASSUMPTION = Assumption(
    "max_heat_flux", 1e6, "W/m**2", 1e3, 1e7,
    "heat removable per cooled area: ~100 W/cm² for air-cooled heat sinks; 790 W/cm² "
    "shown with microchannel liquid cooling (Tuckerman & Pease, IEEE EDL 2, 126, 1981)")


RACK_POWER_ASSUMPTION = Assumption(
    "max_rack_power", 1.3e5, "W", 1e4, 2.5e5,
    "electrical power one rack can be fed and cooled: ~40 kW for air-cooled racks, ~120–"
    "130 kW for liquid-cooled GPU racks (NVIDIA GB200 NVL72 rack, vendor figures)")


def adc_energy(bits, walden_fom: float, schreier_fom: float):
    """Energy of one b-bit conversion [J] (Walden and Schreier regimes)."""
    walden = walden_fom * 2.0**bits
    thermal = 0.5 * 10.0 ** ((6.02 * bits + 1.76 - schreier_fom) / 10.0)
    return np.maximum(walden, thermal)


def dac_energy(bits, dac_fom: float):
    """Energy of one b-bit digital-to-analogue conversion [J]."""
    return dac_fom * 2.0**bits


def converter_energy(bits, a) -> np.ndarray:
    """One DAC plus one ADC conversion at b bits [J], from the shared assumptions ``a``."""
    return dac_energy(bits, a["dac_fom"]) + adc_energy(bits, a["adc_walden_fom"],
                                                       a["adc_schreier_fom"])


def heat_removal_time(energy, power_cap):
    """Shortest time per inference [s] at which a cooling that removes ``power_cap`` [W] keeps
    up with ``energy`` [J] dissipated per inference."""
    return energy / power_cap


def heat_flux_margin(power, area, max_heat_flux: float):
    """(power / area) / max_heat_flux − 1: ≤ 0 when the heat can be removed."""
    return power / area / max_heat_flux - 1.0
