r"""Optical physical foundation model: a nanostructured glass tube driven by short Kerr pulses.

Formulas (paper = Wright et al., "Physical Foundation Models", arXiv 2604.27911, §III.1, App. A.2):

* voxel side ``d = f_vox λ/n``; glass volume ``V = P d³`` (paper A.2, f_vox = 1).
* square tube of side ``s`` and length ``L = a s`` (aspect ratio a): ``s = (V/a)^(1/3)``
  (Table 1 uses a = 1000).
* guided modes of the tube guide, core index n, cladding n − Δn, ``NA² = n² − (n − Δn)²``:
  step index ``M = 2π s² NA² / λ²`` (= V²/2), graded index ``M = π s² NA² / λ²`` (= V²/4)
  (Gloge 1971; Gloge and Marcatili 1973; :mod:`cost_models.waveguide`); margin ``N/M − 1``.
  The paper's ``M = s² n² / λ²`` (footnote 34) is a step-index guide with ``NA² = n²/(2π)``
  (Δn = 0.125 at n = 1.5), whose walk-off no picosecond pulse survives; the paper does not
  name its guide, so its preset keeps the default one.
* Kerr phase ``Φ_NL = (2π/λ) n₂ (P₀/A₀) L`` (paper A.2), so the peak power is
  ``P₀ = Φ_NL λ A₀ / (2π n₂ L)`` with effective beam area ``A₀ = f_A s²``. A Gaussian beam
  whose FWHM is s/2 has ``A₀ = π (s/2)² / (4 ln 2) = 0.283 s²``, which reproduces the paper's
  44 MW / 450 MW / 4.5 GW to 3 %.
* pulse energy ``E_p = P₀ τ`` (the paper's convention: τ is both the pulse's energy-equivalent
  duration and, below, its Gaussian half-width T₀; the two differ by √π, within this model's
  accuracy). Wall-plug optical energy: the pulse ``E_p / η`` plus the distributed gain that
  replaces the propagation loss, ``E_p α L / η`` (α: power attenuation per metre; gain equal
  to loss keeps E_p constant along the tube, so the gain supplies α L E_p).
* length budget of that gain: distributed amplification adds ``n_sp α L`` spontaneous-emission
  photons per mode (Agrawal, *Fiber-Optic Communication Systems*, 4th ed., §7.1: S_ASE =
  n_sp hν α L for gain equal to loss), and signal–spontaneous beat noise multiplies the
  photon-number variance by ``1 + 2 n_sp α L``. Each of N outputs needs SNR = 2^b in amplitude,
  i.e. ``4^b (1 + 2 n_sp α L)`` photons of energy ``hc/λ``; margin
  ``N 4^b (1 + 2 n_sp α L) h c / (λ E_p) − 1`` (pure shot noise when α = 0).
* group-velocity dispersion: β₂ and β₃ of fused silica at λ from Malitson's Sellmeier equation
  (plus the guide's waveguide contribution to β₂, an assumption); dispersion lengths
  ``L_D = τ²/|β₂|``, ``L_D' = τ³/|β₃|`` (Agrawal, *Nonlinear Fiber Optics*, §3.2–3.3); margin
  ``max(L/L_D, L/L_D') − 1``: through the tube the pulse broadens by at most √2.
* intermodal walk-off: group-delay spread ``Δτ = L n Δ / c`` (step) or ``L n Δ² / (8c)``
  (graded, optimum profile), Δ = NA²/(2n²) (Senior, *Optical Fiber Communications*, §3.10;
  Gloge and Marcatili 1973); margin ``Δτ/τ − 1``: the modes' pulses still overlap at the output,
  so they keep interacting (walk-off length ≥ L; Wright, Christodoulides and Wise, Nat.
  Photonics 9, 306 (2015) on graded-index multimode nonlinear propagation).
* Dispersion and walk-off are margins, not an effective pulse duration: inside them the pulse
  broadens by at most √2 and the Kerr phase by at most 12 % less (``L_eff = L_D asinh(L/L_D)``);
  beyond them the premise of a coherent multimode pulse computing along the tube fails, which no
  energy penalty would describe. The paper neglects both (App. A.2); its preset does too
  (``pulse_spreading = neglected``: both margins −1, the diagnostics still physical), and
  ``table1 --appendix`` shows them with the physics restored.
* pulse within its I/O frame: the modulators hold one input vector and the detectors integrate
  one output sample per frame of the workload's I/O system (rate f_io), so the pulse must end
  within its frame. As in return-to-zero optical signalling (pulses of duty cycle D = 33–67 % of
  the bit slot; Winzer and Essiambre, Proc. IEEE 94, 952 (2006)), the Gaussian pulse's FWHM
  ``2 sqrt(ln 2) τ`` (Agrawal, NFO §3.2.1) may fill at most D of the frame period; margin
  ``2 sqrt(ln 2) τ f_io / D − 1``. At the default 100 MHz frame and D = 0.5, τ ≤ 3.0 ns.
  The paper preset neglects it (``pulse_framing = neglected``): its 1 PHz frame only keeps the
  frame out of time and latency; ``table1 --appendix`` shows it at App. A.2's 100 MHz.
  This is what stops long pulses: the walk-off margin forces τ ∝ L, and the pulse energy
  ``P₀ τ ∝ (s²/L) L = V/L`` falls as the tube lengthens (only the gain's ``α L`` floor stays), so
  without it the energy optimum sits at any upper bound of τ. The glass itself does not stop
  them: the Kerr response is electronic (femtoseconds); backward stimulated Brillouin
  scattering (g_B ≈ 5e-11 m/W, Agrawal NFO §9.1) sees a gain ``g_B (P₀/A₀) min(L, c τ / 2n)
  = g_B Φ_NL λ c τ / (4π n n₂ L)`` ≈ 0.02 at the walk-off limit of τ, far below its threshold
  ~21 (Smith, Appl. Opt. 11, 2489 (1972)); it binds only for nanosecond pulses in tubes
  shorter than ~10 m, which no objective favours, and is not modelled.
* I/O energy ``N (E_DAC(b, f) + E_ADC(b, f))``: one conversion per input and per output element
  at the I/O precision b and the inference rate f (:mod:`cost_models.converters`: Murmann
  survey envelope; the paper's lumped 100 pJ per element in the ``paper`` preset).
* time per inference ``max(E_p / P_avg,max, 1 / f_io, E / P_fac)``: the average optical power
  cap (paper A.2, 1 kW), the modulator / detector frame rate (the workload's I/O frame, shared
  by every platform) or the facility's power (``E`` all the energy drawn, :mod:`cost_models.
  facility`); the first two are diagnostics, and ``time_limited_by`` names the one that sets
  the time. The converters run at the pace of the first two (a facility throttle idles them
  between inferences).
* latency ``n L / c + 1 / f_io``: transit plus one I/O frame.
* critical power ``P_cr = 3.77 λ² / (8π n n₂)``; Marburger collapse distance
  ``z_sf = 0.367 k w² / sqrt((sqrt(P₀/P_cr) − 0.852)² − 0.0219)``, ``k = 2π n/λ``, w the 1/e²
  radius (Marburger, Prog. Quantum Electron. 4, 35 (1975)); margin ``L / z_sf − 1`` (no
  collapse below P_cr). ``self_focusing_beam = matched`` takes w from the beam area
  (``A₀ = π w²/2``); ``footnote`` takes w = s/2, reading footnote 35's "Gaussian beam of width
  half the size of the cross-sectional area" as the 1/e² radius; ``footnote_diameter`` reads it
  as the 1/e² diameter, w = s/4, which shortens z_sf fourfold.
* peak fluence ``E_p / A₀`` against the silica damage fluence; margin ``F/F_dmg − 1``.
* I/O bandwidth ``b N / t`` (the paper's 25 PB/s example is 2 bit × 100 MHz × 1e9).

Default design at scale P (a law in P, feasible with room at every scale 1e9…1e21 under the
default assumptions; not the optimum, which a search finds on the margins):

* peak power a fixed multiple ρ = 30 of the critical power: ``P₀ = ρ P_cr`` fixes
  ``s² / L = ρ · 3.77 λ / (4 n Φ_NL f_A)``, and with the beam matched to its area the tube's
  share of the Marburger collapse distance is ``L / z_sf ≈ Φ_NL (sqrt(ρ) − 0.852) / (0.367 ·
  3.77 ρ)``, which depends on ρ and Φ_NL alone: one ρ keeps every scale equally far from
  collapse (at Φ_NL = 2π, L / z_sf = 0.70 at ρ = 30; the tube collapses the beam between
  ρ ≈ 1.3 and 12). Hence ``L = sqrt(V / (s²/L))`` ∝ P^(1/2) and ``L/s = sqrt(L / (s²/L))``
  ∝ P^(1/4): 22 at 1e9, 126 at 1e12, 707 at 1e15, 4.0e3 at 1e18, 2.2e4 at 1e21. Below the
  critical power (ρ < 1) a thinner, longer tube costs less energy at 1e12…1e18, but its guide
  then holds too few modes below ~1e12 and its walk-off outlasts the I/O frame above ~1e19.
* pulse twice the longest of the dispersion limits ``sqrt(|β₂| L)``, ``(|β₃| L)^(1/3)`` and the
  walk-off ``Δτ(L)`` of the default guide (so those margins are ≤ −0.5): 31 fs at 1e9, 0.17 ps
  at 1e12, 0.98 ps at 1e15, 30 ps at 1e18, 0.95 ns at 1e21 (within the 100 MHz frame).

Volume counts the glass plus a fixed peripheral volume (laser, modulators, detectors); the
paper counts the glass only.
"""
from __future__ import annotations

import numpy as np

from . import waveguide
from .base import (Anchor, Assumption, CostModel, DesignVariable, Outputs, Preset,
                   io_dimension_variable, io_precision_variable, limiting_time,
                   weight_precision_variable)
from .converters import CONVERTER_ASSUMPTIONS, conversion_pair_energy
from .facility import FACILITY_TERM, facility_time
from .workload import IO_FRAME_RATE_ASSUMPTION, paper_width

SPEED_OF_LIGHT = waveguide.SPEED_OF_LIGHT
PLANCK = 6.626_070_15e-34  # J s, exact (SI)
MARBURGER_SHIFT = 0.852  # Marburger 1975 fit constants
MARBURGER_OFFSET = 0.0219
MARBURGER_SCALE = 0.367
TOWNES_FACTOR = 3.77  # P_cr = 3.77 λ²/(8π n n₂) for a Gaussian beam (Fibich & Gaeta 2000)
GAUSSIAN_FWHM_FACTOR = 2 * np.sqrt(np.log(2))  # FWHM / T₀ of a Gaussian pulse (Agrawal NFO §3.2.1)
PAPER_BEAM_AREA_FRACTION = np.pi / (16 * np.log(2))  # Gaussian, FWHM = s/2: 0.2833


ASSUMPTIONS = (
    Assumption("wavelength", 1550e-9, "m", *waveguide.MALITSON_RANGE,
               "paper App. A.2 (telecom band); the paper suggests ~1 µm with Yb gain as likelier. "
               "Range: where Malitson's fused-silica Sellmeier fit (JOSA 55, 1205 (1965)), "
               "which sets the dispersion, holds"),
    Assumption("refractive_index", 1.444, "", 1.3, 4.0,
               "fused silica at 1550 nm, Malitson, JOSA 55, 1205 (1965); the paper uses 1.5"),
    Assumption("nonlinear_index", 2.5e-20, "m**2/W", 1e-21, 1e-17,
               "fused silica n₂: 2.2–2.7e-20 m²/W (Milam, Appl. Opt. 37, 546 (1998) review; "
               "~2.2–2.6e-20 at 1550 nm in fibre). Quoted from secondary summaries, not "
               "re-checked against the originals; the paper uses 1e-20"),
    Assumption("nonlinear_phase", 2 * np.pi, "rad", 0.1, 100.0,
               "paper App. A.2: Φ_NL = 2π, 'a moderate level of nonlinearity'"),
    Assumption("beam_area_fraction", PAPER_BEAM_AREA_FRACTION, "", 0.01, 1.0,
               "effective area A₀/s² of a Gaussian beam with FWHM s/2 (π/(16 ln 2)); "
               "reproduces the paper's peak powers 44 MW / 450 MW / 4.5 GW to 2 % "
               "(Wright et al., arXiv 2604.27911, Table 1 and App. A.2)"),
    Assumption("self_focusing_beam", "matched", "", None, None,
               "matched: 1/e² radius from the beam area (A₀ = πw²/2); footnote: w = s/2 "
               "(paper footnote 35's 'width half the size' read as radius); footnote_diameter: "
               "w = s/4 (read as diameter)", choices=("matched", "footnote", "footnote_diameter")),
    Assumption("index_profile", "graded", "", None, None,
               "index profile of the tube guide: graded (near-parabolic, least modal walk-off; "
               "Gloge and Marcatili, Bell Syst. Tech. J. 52, 1563 (1973)) or step",
               choices=waveguide.INDEX_PROFILES),
    Assumption("index_contrast", 0.014, "", 1e-4, 0.5,
               "core–cladding index difference Δn of the guide: 0.014 gives NA = 0.2, the "
               "graded-index multimode fibre of ITU-T G.651.1 (50 µm core); 0.5 ≈ glass in air"),
    Assumption("waveguide_dispersion", 0.0, "s**2/m", -1e-24, 1e-24,
               "β₂ the nanostructured guide adds to fused silica's own (from Malitson's "
               "Sellmeier fit at the wavelength); fibre design shifts β₂ by tens of ps²/km "
               "(dispersion-shifted fibre: ≈ +28 ps²/km at 1550 nm, Agrawal NFO §1.2.3); 0 = "
               "bulk glass"),
    Assumption("pulse_spreading", "modelled", "", None, None,
               "modelled: dispersion and modal walk-off are margins; neglected: both margins "
               "are −1, as in the paper's App. A.2 ('neglecting for now the effects of "
               "scattering, dispersion, and diffraction'), for reproducing the paper only",
               choices=("modelled", "neglected"), setting=True),
    Assumption("spontaneous_emission_factor", 1.5, "", 1.0, 10.0,
               "n_sp of the distributed amplifiers that replace the propagation loss: 1 is "
               "ideal (3 dB noise figure), Er/Yb-doped fibre amplifiers ~1.2–2 (Desurvire, "
               "Erbium-Doped Fiber Amplifiers, Wiley 1994)"),
    Assumption("max_average_power", 1000.0, "W", 1.0, 1e5,
               "paper App. A.2: 1 kW average optical power, 'commonly reached in fibre "
               "amplifiers'"),
    Assumption("laser_efficiency", 0.3, "", 0.01, 1.0,
               "wall-plug efficiency of ultrafast fibre lasers and amplifiers, ~0.1–0.4 "
               "(our estimate); the paper counts optical pulse energy (1.0)"),
    Assumption("propagation_loss", 2.3e-3, "1/m", 0.0, 1.0,
               "power attenuation α of the nanostructured glass, replaced by distributed gain; "
               "2.3e-3 /m = 0.01 dB/m is speculative (fibre: 0.2 dB/km); the paper assumes "
               "minimal loss (0)"),
    Assumption("damage_fluence", 2e4, "J/m**2", 1e3, 1e5,
               "fused-silica surface damage ~2 J/cm² near 1 ps (Stuart et al., PRB 53, 1749 "
               "(1996); not re-checked here)"),
    IO_FRAME_RATE_ASSUMPTION,
    Assumption("pulse_duty_cycle", 0.5, "", 0.1, 1.0,
               "largest fraction of the I/O frame the pulse's FWHM may fill: return-to-zero "
               "signalling uses 33–67 % (RZ-33, RZ-50, RZ-67; Winzer and Essiambre, Proc. IEEE "
               "94, 952 (2006)); 1 = a pulse as long as its frame"),
    Assumption("pulse_framing", "modelled", "", None, None,
               "modelled: the pulse must fit its I/O frame (margin pulse_in_frame); neglected: "
               "that margin is −1, for reproducing the paper only, whose preset sets a 1 PHz "
               "frame to keep the frame out of time and latency (App. A.2 quotes 100 MHz)",
               choices=("modelled", "neglected"), setting=True),
    Assumption("voxel_size_factor", 1.0, "", 0.25, 10.0,
               "voxel side in units of λ/n; paper App. A.2 takes one wavelength in the medium"),
    Assumption("peripheral_volume", 1e-3, "m**3", 0.0, 10.0,
               "laser, modulator and detector volume: a short-pulse fibre laser needs at least "
               "~10 cm × 10 cm (paper footnote 33); the paper counts glass only (0)"),
    *CONVERTER_ASSUMPTIONS,
)


#: Default design's peak power in units of the critical power (see the module docstring).
DEFAULT_CRITICAL_POWER_MULTIPLE = 30.0
#: Default design's pulse duration over its longest dispersion or walk-off limit.
DEFAULT_PULSE_HEADROOM = 2.0


def _default_assumption(name):
    return next(a.value for a in ASSUMPTIONS if a.name == name)


def _default_side2_per_length():
    """s²/L (m) of the default design: the tube whose peak power is ρ P_cr at the default
    wavelength, index, Kerr phase and beam area."""
    wavelength, n0 = _default_assumption("wavelength"), _default_assumption("refractive_index")
    return DEFAULT_CRITICAL_POWER_MULTIPLE * TOWNES_FACTOR * wavelength / (
        4 * n0 * _default_assumption("nonlinear_phase") * _default_assumption("beam_area_fraction"))


def default_tube_length(params):
    """Tube length (m) of the default design at ``params``: ``sqrt(V / (s²/L))`` ∝ P^(1/2)."""
    voxel = (_default_assumption("voxel_size_factor") * _default_assumption("wavelength")
             / _default_assumption("refractive_index"))
    return np.sqrt(params * voxel**3 / _default_side2_per_length())


def default_aspect_ratio(params):
    """Default L/s at ``params``: ``sqrt(L / (s²/L))`` ∝ P^(1/4) (module docstring)."""
    return float(np.sqrt(default_tube_length(params) / _default_side2_per_length()))


def default_pulse_duration(params):
    """Default τ (s) at ``params``: twice the longest of the default tube's dispersion limits
    and its modal walk-off under the default assumptions."""
    length = default_tube_length(params)
    wavelength, n0 = _default_assumption("wavelength"), _default_assumption("refractive_index")
    beta2, beta3 = waveguide.silica_dispersion(wavelength)
    beta2 = beta2 + _default_assumption("waveguide_dispersion")
    walkoff = waveguide.modal_delay_spread(length, n0, _default_assumption("index_contrast"),
                                           _default_assumption("index_profile"))
    return float(DEFAULT_PULSE_HEADROOM * max(np.sqrt(abs(beta2) * length),
                                              np.cbrt(abs(beta3) * length), walkoff))


class OpticalTube(CostModel):
    name = "optical_tube"
    title = "Optical tube (nanostructured glass, Kerr pulses)"
    description = ("Parameters as λ³ refractive-index voxels in a long glass tube; short laser "
                   "pulses propagate nonlinearly (Kerr); energy set by the pulse and the I/O.")

    design_variables = (
        DesignVariable("aspect_ratio", "", "tube length / side (L/s)",
                       lambda params: default_aspect_ratio(params), low=1.0, high=1e7, log=True),
        io_dimension_variable("input = output vector dimension N (spatial modes used)", low=10),
        io_precision_variable("input and output precision b (converters, detection noise)", 8),
        weight_precision_variable("refractive-index levels per voxel, in bits (enters the "
                                  "model loss only)", 8),
        DesignVariable("pulse_duration", "s", "laser pulse duration τ",
                       lambda params: default_pulse_duration(params), low=1e-14, high=1e-8,
                       log=True),
    )

    assumptions = ASSUMPTIONS

    presets = {
        "paper": Preset(
            "Table 1 and App. A.2 of the paper: λ = 1550 nm, n = 1.5, n₂ = 1e-20 m²/W, Φ = 2π, "
            "τ = 1 ps, 100 pJ per I/O element, 1 kW, glass volume only, N = P^(1/3), L/s = 1000; "
            "the guide the paper leaves open (index profile and contrast) is the model's default. "
            "Dispersion, walk-off and the pulse's fit in its I/O frame are neglected, as in the "
            "paper (diagnostics still show them)",
            assumptions={
                "refractive_index": 1.5, "nonlinear_index": 1e-20, "laser_efficiency": 1.0,
                "propagation_loss": 0.0, "peripheral_volume": 0.0, "max_io_rate": 1e15,
                "self_focusing_beam": "footnote", "pulse_spreading": "neglected",
                "pulse_framing": "neglected",
                "converter_model": "lumped", "lumped_conversion_energy": 100e-12,
            },
            design={"aspect_ratio": 1000.0, "io_dimension": paper_width, "io_precision": 8,
                    "weight_precision": 8, "pulse_duration": 1e-12},
            source="Wright et al., arXiv 2604.27911, Table 1, §III.1, App. A.2",
        ),
    }

    diagnostic_units = {
        "tube_side": "m", "tube_length": "m", "voxel_size": "m", "guided_mode_count": "",
        "peak_power": "W", "pulse_energy": "J", "critical_power": "W",
        "self_focusing_distance": "m", "beam_radius": "m", "peak_fluence": "J/m**2",
        "transit_time": "s", "inference_rate": "Hz", "io_bandwidth": "bit/s",
        "io_energy_per_element": "J", "numerical_aperture": "",
        "group_velocity_dispersion": "s**2/m", "third_order_dispersion": "s**3/m",
        "dispersion_length": "m", "third_order_dispersion_length": "m",
        "modal_delay_spread": "s", "loss_over_tube": "", "spontaneous_photons_per_mode": "",
        "time_by_average_power": "s", "time_by_io_frame": "s", "time_limited_by": "",
        "power_cap": "W", "capped_power": "W",
    }
    margin_descriptions = {
        "guided_modes": "I/O dimension / guided modes of the guide (profile, Δn) − 1",
        "self_focusing": "tube length / Marburger collapse distance − 1",
        "damage_fluence": "peak fluence / damage fluence − 1",
        "detection_noise": "photons needed for b bits at N outputs (shot noise and amplifier "
                           "noise over the tube) / photons in the pulse − 1",
        "dispersion": "tube length / dispersion length (2nd or 3rd order, whichever is shorter) "
                      "− 1; −1 where pulse spreading is neglected",
        "modal_walkoff": "intermodal delay spread over the tube / pulse duration − 1; −1 where "
                         "pulse spreading is neglected",
        "pulse_in_frame": "pulse FWHM / (duty cycle × I/O frame period) − 1; −1 where pulse "
                          "framing is neglected",
    }

    time_terms = ("average optical power", "I/O frame", FACILITY_TERM)

    anchors = tuple(
        Anchor(name=f"paper, P = {params:.0e}", params=params, preset="paper", tolerance=1.1,
               metrics={"energy_per_inference": pulse + 2 * params ** (1 / 3) * 100e-12,
                        "time_per_inference": pulse / 1e3, "volume": params * (1550e-9 / 1.5) ** 3,
                        "latency": 1.5 * length / SPEED_OF_LIGHT},
               diagnostics={"peak_power": peak, "pulse_energy": pulse, "tube_length": length},
               margin_satisfied={"guided_modes": True, "self_focusing": True},
               source="Wright et al., arXiv 2604.27911: App. A.2 peak power and 1 ps pulse "
                      "energy, Table 1 tube length (energy: pulse plus §III.1's 2N × 100 pJ, which "
                      "Table 1 rounds up; time: pulse energy / 1 kW; volume P (λ/n)³; latency "
                      "the transit n L / c); guided modes ≥ N (footnote 34) and no collapse "
                      "within the tube (footnote 35)")
        for params, peak, pulse, length in ((1e12, 44e6, 44e-6, 1.0), (1e15, 450e6, 440e-6, 10.0),
                                            (1e18, 4.5e9, 4.4e-3, 100.0)))

    def _evaluate(self, params, design, a):
        aspect = design["aspect_ratio"]
        n_io = design["io_dimension"]
        bits = design["io_precision"]
        tau = design["pulse_duration"]
        wavelength, n0, n2 = a["wavelength"], a["refractive_index"], a["nonlinear_index"]

        voxel = a["voxel_size_factor"] * wavelength / n0
        volume_glass = params * voxel**3
        side = np.cbrt(volume_glass / aspect)
        length = aspect * side
        profile, contrast = a["index_profile"], a["index_contrast"]
        modes = waveguide.guided_mode_count(side**2, wavelength, n0, contrast, profile)
        beta2, beta3 = waveguide.silica_dispersion(wavelength)
        beta2 = beta2 + a["waveguide_dispersion"]
        dispersion_length, third_order_length = waveguide.dispersion_lengths(tau, beta2, beta3)
        walkoff = waveguide.modal_delay_spread(length, n0, contrast, profile)
        spreading = a["pulse_spreading"] == "modelled"

        beam_area = a["beam_area_fraction"] * side**2
        peak_power = a["nonlinear_phase"] * wavelength * beam_area / (2 * np.pi * n2 * length)
        pulse_energy = peak_power * tau

        critical_power = TOWNES_FACTOR * wavelength**2 / (8 * np.pi * n0 * n2)
        if a["self_focusing_beam"] == "footnote":
            beam_radius = side / 2
        elif a["self_focusing_beam"] == "footnote_diameter":
            beam_radius = side / 4
        else:
            beam_radius = np.sqrt(2 * beam_area / np.pi)
        wavenumber = 2 * np.pi * n0 / wavelength
        power_ratio = peak_power / critical_power
        radicand = np.maximum((np.sqrt(power_ratio) - MARBURGER_SHIFT) ** 2 - MARBURGER_OFFSET, 0.0)
        inverse_collapse = np.where(power_ratio > 1.0, np.sqrt(radicand), 0.0) / (
            MARBURGER_SCALE * wavenumber * beam_radius**2)
        with np.errstate(divide="ignore"):
            collapse_distance = 1.0 / inverse_collapse

        peak_fluence = pulse_energy / beam_area
        photon_energy = PLANCK * SPEED_OF_LIGHT / wavelength
        loss = a["propagation_loss"] * length
        spontaneous_photons = a["spontaneous_emission_factor"] * loss
        detection_energy = n_io * 4.0**bits * (1 + 2 * spontaneous_photons) * photon_energy

        laser_energy = pulse_energy / a["laser_efficiency"]
        gain_energy = laser_energy * loss

        time_by_power = pulse_energy / a["max_average_power"]
        time_by_frame = 1.0 / a["max_io_rate"]
        pace = np.maximum(time_by_power, time_by_frame)
        io_per_element = conversion_pair_energy(bits, 1.0 / pace, a) / 2
        io_energy = 2 * n_io * io_per_element
        breakdown = {"laser": laser_energy, "amplifiers": gain_energy, "io": io_energy}
        energy = sum(breakdown.values())
        time, limited_by = limiting_time(time_by_power, time_by_frame, facility_time(energy, a))
        transit = n0 * length / SPEED_OF_LIGHT
        latency = transit + 1.0 / a["max_io_rate"]
        volume = volume_glass + a["peripheral_volume"]

        margins = {
            "guided_modes": n_io / modes - 1,
            "self_focusing": length * inverse_collapse - 1,
            "damage_fluence": peak_fluence / a["damage_fluence"] - 1,
            "detection_noise": detection_energy / pulse_energy - 1,
            "dispersion": np.where(spreading, np.maximum(length / dispersion_length,
                                                         length / third_order_length) - 1, -1.0),
            "modal_walkoff": np.where(spreading, walkoff / tau - 1, -1.0),
            "pulse_in_frame": np.where(a["pulse_framing"] == "modelled", GAUSSIAN_FWHM_FACTOR * tau
                                       * a["max_io_rate"] / a["pulse_duty_cycle"] - 1, -1.0),
        }
        diagnostics = {
            "tube_side": side, "tube_length": length, "voxel_size": voxel,
            "guided_mode_count": modes, "peak_power": peak_power, "pulse_energy": pulse_energy,
            "critical_power": critical_power, "self_focusing_distance": collapse_distance,
            "beam_radius": beam_radius, "peak_fluence": peak_fluence, "transit_time": transit,
            "inference_rate": 1.0 / time, "io_bandwidth": bits * n_io / time,
            "io_energy_per_element": io_per_element,
            "numerical_aperture": waveguide.numerical_aperture(n0, contrast),
            "group_velocity_dispersion": beta2, "third_order_dispersion": beta3,
            "dispersion_length": dispersion_length,
            "third_order_dispersion_length": third_order_length, "modal_delay_spread": walkoff,
            "loss_over_tube": loss, "spontaneous_photons_per_mode": spontaneous_photons,
            "time_by_average_power": time_by_power, "time_by_io_frame": time_by_frame,
            "time_limited_by": limited_by,
            "power_cap": np.broadcast_to(a["max_average_power"], np.shape(time)),
            "capped_power": pulse_energy / time,
        }
        return Outputs(energy_per_inference=energy, time_per_inference=time,
                       latency=latency, volume=volume, breakdown=breakdown,
                       margins=margins, diagnostics=diagnostics)

