r"""Inverse-designed resistor network: a patterned 2D or 3D conductor, stacked as N × N layers.

Paper §III.2: a conductor whose nanoscale resistivity is patterned in voxels several times the
electron mean free path; energy is expected to be linear in the vector size N. A passive
network is linear, so the shared workload network (:mod:`cost_models.workload`) is a stack of
``L = P / N²`` stages ("layers" below), each an N × N linear map, with an analogue
nonlinearity between them. b is the I/O precision. Formulas (per token):

* Tellegen's theorem (Tellegen 1952): a passive resistor network realises only non-negative
  symmetric matrices with no gain; signed weights need differential encoding, an explicit
  overhead factor ``η_T`` (≥ 2) on ports and voxels; whether arbitrary matrices are reachable
  at all is unknown (paper §III.2).
* voxels per layer ``n_v = η_T v_p N²`` (``v_p`` voxels per parameter); volume
  ``3D: P η_T v_p a³ / f``, ``2D: (P η_T v_p a²) t_sheet / f`` (a voxel size, f packing).
* port conductance from the medium: a port is a contact one voxel wide on the medium's edge,
  and what it drives is the medium's spreading resistance, concentrated near the contact.
  3D: a disc of radius a/2 on a half-space, ``R = ρ / (4 · a/2) = ρ / (2a)`` (Maxwell,
  Treatise on Electricity and Magnetism (1873) §306; Holm, Electric Contacts (4th ed. 1967)
  §4), ``G_port = 2a / ρ`` (40 mS for a = 200 nm at ρ = 10 µΩ·m). 2D: radial flow from a
  half-disc of radius a/2 into a voxel-thick sheet (sheet resistance ρ/a) out to its side
  ``s = n_v^(1/2) a``, ``R = (ρ / (π a)) ln(2 s / a)`` (the radial-flow result used for
  circular transfer-length structures, Schroder, Semiconductor Material and Device
  Characterization, 3rd ed. 2006, §3.4).
* energy per layer ``E_layer = η_T N (G_port V² (τ + t_int) + E_act)``: each port's drive
  dissipates in the medium for as long as it is applied, the layer's settling time τ plus the
  integration window, plus one nonlinearity per neuron. Since ``G_port τ`` ∝ a · n_v^(2/d),
  a port dissipates about the energy of charging the whole layer's node capacitance, and
  ``E_layer ∝ N^(1 + 4/d)`` once settling dominates: the paper's "linear in N" holds only
  for a drive time that does not grow with the medium, which its RC settling rules out.
* I/O ``η_T N (E_DAC(b, f) + E_ADC(b, f))``: N inputs converted in, N outputs out, at the
  layer rate f = 1 / (τ + t_int) (:mod:`cost_models.converters`).
* diffusive RC settling per layer ``τ = (n_v^(1/d))² c_node / (π² g_link)`` with
  ``g_link = a / ρ`` and ``c_node = 4π ε₀ ε_r a`` (isolated-sphere capacitance, Jackson, *Classical
  Electrodynamics*, 3rd ed.; distributed-RC settling as in Rabaey, Chandrakasan & Nikolić,
  *Digital Integrated Circuits*, 2nd ed.), times ``b ln 2`` for b-bit
  accuracy; layers pipeline, so time per inference is one layer (no faster than the shared
  I/O frame ``1/f_io``), latency all of them. τ does
  not depend on the voxel size (c_node ∝ a, g_link ∝ a: the RC of the medium is scale-free);
  it grows with the voxels per side.
* cooling: the rate is throttled so the dissipated power never exceeds what the cooled area
  removes (:func:`cost_models.electronics.heat_removal_time`) nor what the facility feeds
  (:func:`cost_models.facility.facility_time`).
* margins: voxel ≥ m × mean free path (diffusive transport); heat flux through the cooled
  area (2D: the sheets; 3D: the surface of the cube), held by the throttled rate.
"""
from __future__ import annotations

import numpy as np

from .base import (Anchor, Assumption, CostModel, DesignVariable, Outputs, io_dimension_variable,
                   io_precision_variable, limiting_time, weight_precision_variable)
from .converters import CONVERTER_ASSUMPTIONS, conversion_pair_energy
from .electronics import (ACTIVATION_ASSUMPTION, HEAT_FLUX_ASSUMPTION, VACUUM_PERMITTIVITY,
                          heat_removal_time)
from .facility import FACILITY_TERM, facility_time
from .workload import IO_FRAME_RATE_ASSUMPTION, Network


class ResistorNetwork(CostModel):
    name = "resistor_network"
    title = "Inverse-designed resistor network (2D or 3D)"
    description = ("A patterned passive conductor realising non-negative symmetric maps, stacked "
                   "as N × N layers with analogue nonlinearities between them.")

    design_variables = (
        DesignVariable("dimension", "", "2D sheets or a 3D volume", "2d", kind="categorical",
                       choices=("2d", "3d")),
        io_dimension_variable("layer width N; N × N stages = P / N²", low=16),
        io_precision_variable("input and output precision b (converters, settling)", 8),
        weight_precision_variable("conductance levels per weight, in bits (enters the model "
                                  "loss only)", 8),
        DesignVariable("voxel_size", "m", "side of one patterned voxel", 200e-9,
                       low=20e-9, high=20e-6, log=True),
    )

    assumptions = (
        Assumption("tellegen_overhead", 2.0, "", 1.0, 100.0,
                   "encoding overhead for signed weights in a passive network: differential "
                   "pairs give 2; reaching arbitrary matrices may cost far more (paper §III.2, "
                   "Tellegen 1952)"),
        Assumption("voxels_per_parameter", 4.0, "", 1.0, 1000.0,
                   "patterned voxels needed per effective parameter (speculative; inverse design "
                   "has not shown this scale)"),
        Assumption("read_voltage", 0.1, "V", 0.01, 1.0, "drive voltage of a port"),
        Assumption("integration_time", 10e-9, "s", 1e-10, 1e-5,
                   "output integration window per layer (our estimate)"),
        Assumption("medium_resistivity", 1e-5, "ohm*m", 1e-8, 1.0,
                   "effective resistivity of the patterned metal/insulator composite (Cu: "
                   "1.7e-8 Ω·m; composites and thin films far higher; our estimate)"),
        Assumption("relative_permittivity", 4.0, "", 1.0, 20.0, "SiO₂-like dielectric, ε_r ≈ 3.9"),
        Assumption("mean_free_path", 39e-9, "m", 1e-9, 1e-6,
                   "electron mean free path of Cu at room temperature, ~39 nm (Gall, JAP 2016)"),
        Assumption("min_voxel_over_mean_free_path", 3.0, "", 1.0, 100.0,
                   "paper §III.2: voxels 'several times larger than the electronic mean free "
                   "path': where Ohm's law (diffusive transport) is trusted", setting=True),
        Assumption("packing_fraction", 0.5, "", 0.05, 1.0,
                   "fraction of the device volume that is patterned medium"),
        Assumption("sheet_thickness", 100e-6, "m", 1e-6, 2e-3,
                   "2D only: stacked, thinned sheet including its substrate (our estimate)"),
        HEAT_FLUX_ASSUMPTION,
        IO_FRAME_RATE_ASSUMPTION,
        ACTIVATION_ASSUMPTION,
        *CONVERTER_ASSUMPTIONS,
    )

    diagnostic_units = {"energy_per_layer": "J", "voxels_per_layer": "",
                        "port_conductance": "S", "settling_time": "s", "layer_time": "s",
                        "cooled_area": "m**2", "heat_flux": "W/m**2", "power_cap": "W",
                        "cooling_throttle": "", "time_limited_by": ""}
    margin_descriptions = {
        "diffusive_transport": "m × mean free path / voxel − 1",
        "heat_flux": "power at the sustained rate over what the cooled area removes, − 1 "
                     "(the rate is throttled to hold it)",
    }

    time_terms = ("layer settling", "I/O frame", "heat removal", FACILITY_TERM)
    anchors = (
        Anchor(name="one layer, converter I/O", params=1024.0**2,
               design={"io_dimension": 1024, "weight_precision": 8, "io_precision": 8,
                       "voxel_size": "200 nm"},
               breakdown={"io": 2 * 2 * 1024 * 0.6e-12}, tolerance=2.5,
               margin_satisfied={"diffusive_transport": True},
               source="I/O energy linear in N (paper §III.2): 2 ends × "
                      "2 (differential, Tellegen 1952) × N = 1024 ports × ~0.6 pJ per 8-bit "
                      "conversion pair, the Murmann ADC survey 1997–2025's lowest energies at "
                      "4–9 effective bits being 0.3–1 pJ (tolerance ×2.5 spans them); 200 nm "
                      "voxels are several mean free paths of Cu (39 nm, Gall, JAP 119, 085101 "
                      "(2016)) as the paper requires"),
        Anchor(name="voxels near the mean free path", params=1024.0**2,
               design={"io_dimension": 1024, "voxel_size": "50 nm"}, tolerance=1.0,
               margin_satisfied={"diffusive_transport": False},
               source="paper §III.2: voxels 'several times larger than the electronic "
                      "mean-free path'; 50 nm is 1.3 mean free paths of Cu (39 nm, Gall, JAP 119, "
                      "085101 (2016))"),
    )

    def _evaluate(self, params, design, a):
        three_d = design["dimension"] == "3d"
        width = design["io_dimension"]
        bits = design["io_precision"]
        voxel = design["voxel_size"]
        overhead = a["tellegen_overhead"]

        layers = Network.of(params, design, a).stages
        voxels = overhead * a["voxels_per_parameter"] * params
        voxels_per_layer = overhead * a["voxels_per_parameter"] * width**2
        dims = np.where(three_d, 3.0, 2.0)

        g_link = voxel / a["medium_resistivity"]
        c_node = 4 * np.pi * VACUUM_PERMITTIVITY * a["relative_permittivity"] * voxel
        side = voxels_per_layer ** (1 / dims)  # voxels across the medium
        settling = bits * np.log(2) * side**2 * c_node / (np.pi**2 * g_link)
        layer_time = settling + a["integration_time"]

        port_conductance = np.where(
            three_d, 2 * voxel / a["medium_resistivity"],
            np.pi * voxel / (a["medium_resistivity"] * np.log(2 * side)))
        energy_per_layer = overhead * width * (
            port_conductance * a["read_voltage"] ** 2 * layer_time + a["activation_energy"])
        io = overhead * width * conversion_pair_energy(bits, 1.0 / layer_time, a)
        network = layers * energy_per_layer
        energy = io + network

        volume_3d = voxels * voxel**3 / a["packing_fraction"]
        sheet_area = voxels * voxel**2 / a["packing_fraction"]
        volume = np.where(three_d, volume_3d, sheet_area * a["sheet_thickness"])
        cooled_area = np.where(three_d, 6 * volume_3d ** (2 / 3), sheet_area)
        power_cap = a["max_heat_flux"] * cooled_area
        heat_time = heat_removal_time(energy, power_cap)
        pace = np.maximum(layer_time, 1.0 / a["max_io_rate"])
        time, limited_by = limiting_time(layer_time, 1.0 / a["max_io_rate"], heat_time,
                                         facility_time(energy, a))

        power = energy / time
        margins = {
            "diffusive_transport": a["min_voxel_over_mean_free_path"] * a["mean_free_path"]
            / voxel - 1,
            "heat_flux": heat_time / time - 1,
        }
        diagnostics = {"energy_per_layer": energy_per_layer,
                       "voxels_per_layer": voxels_per_layer, "port_conductance": port_conductance,
                       "settling_time": settling, "layer_time": layer_time,
                       "cooled_area": cooled_area, "heat_flux": power / cooled_area,
                       "power_cap": power_cap, "cooling_throttle": time / pace,
                       "time_limited_by": limited_by}
        return Outputs(energy_per_inference=energy, time_per_inference=time,
                       latency=layers * layer_time, volume=volume,
                       breakdown={"io": io, "network": network}, margins=margins,
                       diagnostics=diagnostics)
