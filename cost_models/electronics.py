r"""Building blocks shared by the electronic platforms: activations, cooling, heat flux.

* one analogue nonlinearity per neuron costs ``activation_energy``;
* cooling: a surface of area A removes at most ``P_cap = q_max A``; an inference of energy E
  then takes at least ``E / P_cap`` (:func:`heat_removal_time`). The electronic platforms
  throttle their rate to that bound (time per inference = the larger of their own pace and
  it), so a design never dissipates more than its cooling removes; ``power_cap`` is reported
  as a diagnostic. Heat-flux margin ``(P / A) / q_max − 1``; a rack of boards against the
  power one rack can be fed (``max_rack_power``).

Converters are shared by every platform: :mod:`cost_models.converters`.
"""
from __future__ import annotations

from .base import Assumption

ACTIVATION_ASSUMPTION = Assumption(
    "activation_energy", 50e-15, "J", 1e-16, 1e-11,
    "one analogue nonlinearity (diode / comparator / amplifier stage) per neuron; "
    "~10–100 fJ in CMOS (our estimate)")

VACUUM_PERMITTIVITY = 8.854_187_8188e-12  # F/m (CODATA 2018)
BOLTZMANN = 1.380_649e-23  # J/K (exact, SI 2019)

PACKAGED_THICKNESS_ASSUMPTION = Assumption(
    "packaged_thickness", 1e-3, "m", 1e-5, 1e-2,
    "volume per die area: a packaged, stacked die ~1 mm (our estimate)")

HEAT_FLUX_ASSUMPTION = Assumption(
    "max_heat_flux", 1e6, "W/m**2", 1e3, 1e7,
    "heat removable per cooled area, the cooling a study provisions: ~0.1 W/cm² passive, "
    "~100 W/cm² for air-cooled heat sinks; 790 W/cm² shown with microchannel liquid cooling "
    "(Tuckerman & Pease, IEEE EDL 2, 126, 1981)", setting=True)


RACK_POWER_ASSUMPTION = Assumption(
    "max_rack_power", 1.3e5, "W", 1e4, 2.5e5,
    "electrical power one rack can be fed and cooled: ~40 kW for air-cooled racks, ~120–"
    "130 kW for liquid-cooled GPU racks (NVIDIA GB200 NVL72 rack, vendor figures)", setting=True)


def heat_removal_time(energy, power_cap):
    """Shortest time per inference [s] at which a cooling that removes ``power_cap`` [W] keeps
    up with ``energy`` [J] dissipated per inference."""
    return energy / power_cap


def heat_flux_margin(power, area, max_heat_flux: float):
    """(power / area) / max_heat_flux − 1: ≤ 0 when the heat can be removed."""
    return power / area / max_heat_flux - 1.0
