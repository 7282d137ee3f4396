r"""The facility every platform runs in: the electrical power one site can be fed and cooled.

Each platform caps its own power where its heat leaves (heat flux over its die or cooled
surface, a rack's feed, a laser's average power), but nothing in those caps bounds the
number of dies: a crossbar of 1e21 parameters covers enough silicon to dissipate petawatts
within its heat-flux limit. What bounds it is the site: ``max_facility_power`` P_fac, shared
by every platform.

* throttling: an inference of energy E (J, everything the platform draws) takes at least
  ``t_fac = E / P_fac`` (:func:`facility_time`). Every built-in platform includes it among the
  candidate times of :func:`~cost_models.base.limiting_time`, named :data:`FACILITY_TERM` in
  its ``time_terms``, so ``time_limited_by`` says when the facility sets the rate.
* margin ``facility_power`` = ``t_fac / t − 1`` (= power / P_fac − 1), added by the base
  class for every model (:mod:`cost_models.shared`): ≤ 0 where the rate was throttled, and
  > 0 where throttling cannot help, i.e. power drawn whatever the rate (a semiconductor's
  always-on bias) or a model that does not throttle.
* diagnostic ``facility_load`` = power / P_fac (1 where the facility sets the rate).

The paper counts no facility (its largest Table 1 design, the GPU at 1e18, draws 1 MJ per
24 ms = 42 MW, far inside the cap), so its presets reproduce Table 1 under the default cap.
"""
from __future__ import annotations

from .base import Assumption

#: The ``time_terms`` label of the facility's bound on the rate.
FACILITY_TERM = "facility power"

FACILITY_POWER_ASSUMPTION = Assumption(
    "max_facility_power", 1e9, "W", 1e7, 1e10,
    "electrical power of the largest site one model is served from: ~1 GW for the largest AI "
    "campuses being built (OpenAI/Oracle Stargate, Abilene TX, built by Crusoe: 8 buildings, "
    "1.2 GW, Crusoe press release via DatacenterDynamics, March 2025; Meta Prometheus, New "
    "Albany OH, 1 GW in 2026) to 5 GW planned (Meta Hyperion, Louisiana: 2 GW by 2030, then "
    "5 GW; M. Zuckerberg, Threads post of 14 July 2025, reported by TechCrunch); low end a "
    "10 MW colocation data centre", setting=True)

FACILITY_MARGIN_DESCRIPTION = ("power drawn at the sustained rate / max_facility_power − 1 "
                               "(the rate is throttled to hold it; power drawn whatever the "
                               "rate cannot be throttled)")


def facility_time(energy, a):
    """Shortest time per inference [s] at which the facility feeds ``energy`` [J] per
    inference: ``E / P_fac``."""
    return energy / a["max_facility_power"]


def facility_margin(energy, time, a):
    """``(E / P_fac) / t − 1``: ≤ 0 when the power E / t fits in the facility (exactly 0 where
    the rate was throttled to ``facility_time``)."""
    return facility_time(energy, a) / time - 1.0


__all__ = ["FACILITY_MARGIN_DESCRIPTION", "FACILITY_POWER_ASSUMPTION", "FACILITY_TERM",
           "facility_margin", "facility_time"]
