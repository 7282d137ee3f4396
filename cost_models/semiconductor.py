r"""Inverse-designed semiconductor: a nanostructured doped medium of biased nonlinear devices.

SPECULATIVE throughout: the paper (§III.2) declines to give numbers. The only experimental
anchor is the disordered dopant-atom network in silicon (Chen et al., Nature 577, 341 (2020)):
a ~100 nm active region with 8 electrodes, ~1 µW static power, Boolean logic at room
temperature and classification at 77 K; device speed not reported. The default design sits on
that anchor (100 nm, 1 µW per device); every other constant is a guess, marked SPECULATIVE.
Formulas:

* devices ``D = P / p_d`` (``p_d`` parameters realised per device); the shared workload
  network's ``L = P / N²`` stages ("layers" here, :mod:`cost_models.workload`); devices per
  layer ``N² / p_d``.
* device response time from charging its capacitance with its bias current,
  ``t_d = C_d V² / p_bias`` with ``C_d = 4π ε₀ ε_Si s`` (s device size), so lower bias is
  slower; a layer is ``m`` device stages deep: ``t_layer = m t_d``.
* time per inference ``max(t_layer, 1/f_io, E_gated / P_cap)``; latency ``L t_layer + 1/f_io``.
* static energy: without gating every device draws ``p_bias`` all the time,
  ``E_bias = D p_bias t``; with power gating a device is biased only for its own layer plus a
  wake-up time, ``E_bias = D p_bias (t_layer + t_wake) + D E_switch``. Always-on bias is the
  key risk (1e11 devices at 1 µW = 100 kW).
* I/O ``N (E_DAC(b, f) + E_ADC(b, f))`` at the I/O precision b and the pace f = 1 / max(t_layer,
  1/f_io) (:mod:`cost_models.converters`).
* volume: ``D (k s)²`` of die area (k: pitch over device size) times the packaged thickness.
* cooling, ``P_cap = q_max × die area``: gated bias costs a fixed energy per inference, so the
  rate is throttled until its power fits under the cap; always-on bias draws ``D p_bias``
  whatever the rate, which throttling cannot reduce, so it is a hard heat-flux margin (1e11
  devices at the anchor's 1 µW need 100 kW on 40 cm²: infeasible under any cooling). The
  facility's power (:mod:`cost_models.facility`) is held the same way: gated, by throttling;
  always-on, as the shared ``facility_power`` margin.
"""
from __future__ import annotations

import numpy as np

from .base import (Anchor, Assumption, CostModel, DesignVariable, Outputs, io_dimension_variable,
                   io_precision_variable, limiting_time, weight_precision_variable)
from .converters import CONVERTER_ASSUMPTIONS, conversion_pair_energy
from .electronics import (HEAT_FLUX_ASSUMPTION, PACKAGED_THICKNESS_ASSUMPTION,
                          VACUUM_PERMITTIVITY, heat_removal_time)
from .facility import FACILITY_TERM, facility_time
from .workload import IO_FRAME_RATE_ASSUMPTION, Network

SILICON_PERMITTIVITY = 11.7  # relative permittivity of Si (Sze, Physics of Semiconductor Devices)
SPECULATIVE = "SPECULATIVE: "


class Semiconductor(CostModel):
    name = "semiconductor"
    title = "Inverse-designed semiconductor (dopant network)"
    description = ("Nanostructured doped silicon whose biased nonlinear regions act as neurons; "
                   "static bias power and power gating dominate (speculative).")

    design_variables = (
        io_dimension_variable("layer width N; N × N stages = P / N²", low=16),
        io_precision_variable("input and output precision b (converters)", 8),
        weight_precision_variable("effective weight levels of the dopant network, in bits "
                                  "(enters the model loss only)", 8),
        DesignVariable("device_size", "m", "side of one active region s", 100e-9,
                       low=20e-9, high=2e-6, log=True),
        DesignVariable("bias_power", "W", "static bias power per device (Chen et al. 2020: "
                       "~1 µW)", 1e-6, low=1e-12, high=1e-5, log=True),
        DesignVariable("power_gating", "", "bias each device only while its layer computes",
                       "on", kind="categorical", choices=("off", "on")),
    )

    assumptions = (
        Assumption("parameters_per_device", 10.0, "", 1.0, 1e4,
                   SPECULATIVE + "effective weights one 8-electrode dopant network realises "
                   "(Chen 2020 shows Boolean gates; our guess)"),
        Assumption("bias_voltage", 1.0, "V", 0.1, 2.0,
                   SPECULATIVE + "electrode voltages ~±1 V in Chen et al. 2020"),
        Assumption("stages_per_layer", 3.0, "", 1.0, 100.0,
                   SPECULATIVE + "device stages in series per network layer"),
        Assumption("wake_time", 1e-9, "s", 1e-11, 1e-6,
                   SPECULATIVE + "time to bring a gated device back to bias"),
        Assumption("gating_switch_energy", 1e-15, "J", 1e-18, 1e-12,
                   SPECULATIVE + "energy of one power-gate switch event (~a small CMOS switch)"),
        IO_FRAME_RATE_ASSUMPTION,
        Assumption("pitch_over_size", 2.0, "", 1.0, 10.0,
                   SPECULATIVE + "device pitch over active-region size (wiring, isolation)"),
        PACKAGED_THICKNESS_ASSUMPTION,
        HEAT_FLUX_ASSUMPTION,
        *CONVERTER_ASSUMPTIONS,
    )

    diagnostic_units = {"devices": "", "device_time": "s", "layer_time": "s",
                        "static_power": "W", "die_area": "m**2", "heat_flux": "W/m**2",
                        "power_cap": "W", "cooling_throttle": "", "time_limited_by": ""}
    margin_descriptions = {
        "heat_flux": "power over what the cooling removes from the die, − 1 (gated: held by "
                     "throttling the rate; always-on bias: cannot be throttled)",
    }

    time_terms = ("device layer", "I/O frame", "heat removal", FACILITY_TERM)
    anchors = (
        Anchor(name="always-on dopant networks at 1 µW", params=1e12,
               design={"bias_power": "1 uW", "power_gating": "off", "device_size": "100 nm"},
               assumptions={"parameters_per_device": 10.0},
               diagnostics={"static_power": 1e5, "devices": 1e11}, tolerance=1.05,
               margin_satisfied={"heat_flux": False},
               source="Chen et al., Nature 577, 341 (2020): a ~100 nm dopant network draws "
                      "~1 µW static power; 1e11 always-on devices draw 100 kW, which no cooling "
                      "removes from their few tens of cm² (microchannel liquid cooling ~790 "
                      "W/cm², Tuckerman & Pease, IEEE EDL 2, 126 (1981)). The only measured "
                      "anchor of this speculative platform: its speed is not reported"),
    )

    def _evaluate(self, params, design, a):
        width = design["io_dimension"]
        bits = design["io_precision"]
        size = design["device_size"]
        bias = design["bias_power"]
        gated = design["power_gating"] == "on"

        devices = params / a["parameters_per_device"]
        layers = Network.of(params, design, a).stages
        capacitance = 4 * np.pi * VACUUM_PERMITTIVITY * SILICON_PERMITTIVITY * size
        device_time = capacitance * a["bias_voltage"] ** 2 / bias
        layer_time = a["stages_per_layer"] * device_time
        frame_time = 1.0 / a["max_io_rate"]
        pace = np.maximum(layer_time, frame_time)

        io = width * conversion_pair_energy(bits, 1.0 / pace, a)
        area = devices * (a["pitch_over_size"] * size) ** 2
        power_cap = a["max_heat_flux"] * area
        gated_bias = devices * (bias * (layer_time + a["wake_time"]) + a["gating_switch_energy"])
        heat_time = heat_removal_time(gated_bias + io, power_cap)
        time, limited_by = limiting_time(layer_time, frame_time, np.where(gated, heat_time, 0.0),
                                         np.where(gated, facility_time(gated_bias + io, a), 0.0))
        static = np.where(gated, gated_bias, devices * bias * time)

        power = (static + io) / time
        margins = {"heat_flux": np.where(gated, heat_time / time - 1, power / power_cap - 1)}
        diagnostics = {"devices": devices, "device_time": device_time,
                       "layer_time": layer_time, "static_power": static / time,
                       "die_area": area, "heat_flux": power / area,
                       "power_cap": power_cap, "cooling_throttle": time / pace,
                       "time_limited_by": limited_by}
        return Outputs(energy_per_inference=static + io, time_per_inference=time,
                       latency=layers * layer_time + frame_time,
                       volume=area * a["packaged_thickness"],
                       breakdown={"static_bias": static, "io": io}, margins=margins,
                       diagnostics=diagnostics)
