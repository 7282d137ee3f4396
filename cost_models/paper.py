"""The paper's Table 1 and Appendix A.2 figures, and the rounding the paper applies to them.

Source: Wright, Wang, Onodera, McMahon, "Physical Foundation Models", arXiv 2604.27911,
Table 1, §III.1 and Appendix A.2. Values are SI (m³, J, s, W, Hz).

Rounding rules, read off the table:

* optical energy and time per inference: rounded *up* to the next power of ten
  (44 µJ → ~100 µJ; A.2: "rounded up to the nearest factor of 10");
* optical volume: tube side and length each to one significant figure,
  ((1.03 mm)² × 1.03 m → (1 mm)² × 1 m);
* GPU volume: side of the perfectly packed cube to two significant figures (17.3 cm → 17 cm);
* GPU energy: one significant figure; GPU time: nearest 5 in the second significant
  figure (24 ms → 25 ms).
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .base import Evaluation
from .waveguide import contrast_for_mode_count

SCALES = (1e12, 1e15, 1e18)


def ceil_decade(x: float) -> float:
    """Next power of ten at or above x."""
    return 10.0 ** math.ceil(math.log10(x) - 1e-12)


def significant(x: float, digits: int) -> float:
    """x rounded to ``digits`` significant figures."""
    return float(f"{x:.{digits - 1}e}")


def nearest_half_step(x: float) -> float:
    """x rounded to the nearest 5 in its second significant figure (0.024 → 0.025)."""
    step = 5 * 10.0 ** (math.floor(math.log10(x)) - 1)
    return round(x / step) * step


def _tube_volume(e: Evaluation) -> float:
    side = significant(float(e.diagnostics["tube_side"]), 1)
    length = significant(float(e.diagnostics["tube_length"]), 1)
    return side**2 * length


def _cube_volume(e: Evaluation) -> float:
    return significant(float(e.metrics["volume"]) ** (1 / 3), 2) ** 3


@dataclass(frozen=True)
class Cell:
    """One Table 1 cell: the paper's value and how the paper rounds the computed one."""

    platform: str
    metric: str
    params: float
    paper_value: float
    paper_text: str
    scaling: str
    rounding: Callable[[Evaluation], float]


def _metric(name: str, rule: Callable[[float], float]) -> Callable[[Evaluation], float]:
    return lambda e: rule(float(e.metrics[name]))


_ROWS = {
    ("optical_tube", "volume"): ("P", _tube_volume,
                                 [(1e-6, "(1 mm)² × 1 m"), (1e-3, "(1 cm)² × 10 m"),
                                  (1.0, "(10 cm)² × 100 m")]),
    ("optical_tube", "energy_per_inference"): ("P^(1/3)", _metric("energy_per_inference", ceil_decade),
                                               [(1e-4, "100 µJ"), (1e-3, "1 mJ"), (1e-2, "10 mJ")]),
    ("optical_tube", "time_per_inference"): ("P^(1/3)", _metric("time_per_inference", ceil_decade),
                                             [(1e-7, "100 ns"), (1e-6, "1 µs"), (1e-5, "10 µs")]),
    ("gpu", "volume"): ("P", _cube_volume,
                        [(0.17**3, "(17 cm)³"), (1.7**3, "(1.7 m)³"), (17.0**3, "(17 m)³")]),
    ("gpu", "energy_per_inference"): ("P", _metric("energy_per_inference", lambda x: significant(x, 1)),
                                      [(1.0, "1 J"), (1e3, "1 kJ"), (1e6, "1 MJ")]),
    ("gpu", "time_per_inference"): ("1", _metric("time_per_inference", nearest_half_step),
                                    [(0.025, "25 ms"), (0.025, "25 ms"), (0.025, "25 ms")]),
}

TABLE1: tuple[Cell, ...] = tuple(
    Cell(platform, metric, scale, value, text, scaling, rule)
    for (platform, metric), (scaling, rule, cells) in _ROWS.items()
    for scale, (value, text) in zip(SCALES, cells)
)


@dataclass(frozen=True)
class AppendixFigure:
    """A figure quoted in the paper's Appendix A.2 or §III.1 (or derived from its inputs)."""

    platform: str
    quantity: str
    source: str  # "diagnostic", "metric" or "margin"
    unit: str
    paper_values: tuple[float | None, float | None, float | None]
    paper_note: str


APPENDIX: tuple[AppendixFigure, ...] = (
    AppendixFigure("optical_tube", "peak_power", "diagnostic", "W", (44e6, 450e6, 4.5e9),
                   "App. A.2"),
    AppendixFigure("optical_tube", "pulse_energy", "diagnostic", "J", (44e-6, 440e-6, 4.4e-3),
                   "App. A.2, 1 ps pulses"),
    AppendixFigure("optical_tube", "inference_rate", "diagnostic", "Hz", (1e7, 1e6, 1e5),
                   "App. A.2: 1 kW divided by the energy rounded up (1 kW / 100 µJ); "
                   "1 kW over the unrounded pulse gives 2.2×"),
    AppendixFigure("optical_tube", "critical_power", "diagnostic", "W", (None, None, None),
                   "App. A.2: peak powers 'exceed the critical power'"),
    AppendixFigure("optical_tube", "self_focusing_distance", "diagnostic", "m", (None, None, None),
                   "footnote 35: longer than the tube in each case (beam width s/2)"),
    AppendixFigure("optical_tube", "tube_length", "diagnostic", "m", (1.0, 10.0, 100.0),
                   "Table 1"),
    AppendixFigure("gpu", "gpu_count", "diagnostic", "", (5.2, 5208.0, 5.2e6),
                   "§III.1: P bytes / 192 GB"),
)


@dataclass(frozen=True)
class PaperMargin:
    """How the paper treats one feasibility margin of its designs: ``checked`` where it argues
    the constraint holds, otherwise neglected (or not discussed), with where it says so;
    ``restore`` holds the assumption values that put back physics the paper preset leaves out
    with the paper, so that the margin is shown with its real value."""

    platform: str
    margin: str
    checked: bool
    note: str
    restore: tuple[tuple[str, str | float], ...] = ()


PULSE_SPREADING = (("pulse_spreading", "modelled"),)


PAPER_MARGINS: tuple[PaperMargin, ...] = (
    PaperMargin("optical_tube", "guided_modes", True,
                "App. A.2: modes M ~ A n²/λ² 'equal to or larger than' N (footnote 34)"),
    PaperMargin("optical_tube", "self_focusing", True,
                "footnote 35: Marburger distance longer than each tube (beam 'width' s/2)"),
    PaperMargin("optical_tube", "dispersion", False,
                "App. A.2: 'neglecting for now the effects of scattering, dispersion, and "
                "diffraction'", PULSE_SPREADING),
    PaperMargin("optical_tube", "modal_walkoff", False,
                "App. A.2 neglects dispersion and names no index profile for its multimode tube",
                PULSE_SPREADING),
    PaperMargin("optical_tube", "detection_noise", False,
                "not discussed: §III.1 assumes a fixed output precision"),
    PaperMargin("optical_tube", "damage_fluence", False, "not discussed"),
    PaperMargin("optical_tube", "pulse_in_frame", False,
                "not discussed; shown at App. A.2's 100 MHz I/O example (the preset's 1 PHz frame "
                "only keeps the frame out of the time and latency the paper quotes)",
                (("pulse_framing", "modelled"), ("max_io_rate", 1e8))),
)


def paper_margin(platform: str, margin: str) -> PaperMargin:
    """The paper's treatment of ``margin``; margins it never mentions count as neglected."""
    for entry in PAPER_MARGINS:
        if (entry.platform, entry.margin) == (platform, margin):
            return entry
    return PaperMargin(platform, margin, False, "not discussed")


@dataclass(frozen=True)
class PaperCheck:
    """A number the paper states, recomputed from its own inputs where the two disagree."""

    platform: str
    quantity: str
    params: float | None
    value: float
    paper_value: float
    unit: str
    note: str


#: evaluate(platform, params, assumption overrides) → the paper preset's Evaluation there.
PaperEvaluator = Callable[[str, float, dict], Evaluation]

FOOTNOTE_34_AREA = 0.05**2  # m², "5 cm × 5 cm"
FOOTNOTE_34_INDEX = 1.5
FOOTNOTE_34_WAVELENGTH = 1e-6  # m
PAPER_IO_ENERGY = 100e-12  # J per input and per output element, §III.1
BEAM_READINGS = (("footnote", "w = s/2 (1/e² radius)"),
                 ("footnote_diameter", "w = s/4 (1/e² diameter)"),
                 ("matched", "w from the beam that gives 44 MW"))


def paper_checks(evaluate: PaperEvaluator) -> list[PaperCheck]:
    """Statements of the paper that its own inputs contradict, recomputed (optical tube)."""
    checks = []
    for params in SCALES:
        e = evaluate("optical_tube", params, {})
        io = 2 * params ** (1 / 3) * PAPER_IO_ENERGY
        checks.append(PaperCheck(
            "optical_tube", "pulse_energy / (2N × 100 pJ)", params,
            float(e.diagnostics["pulse_energy"]) / io, 1.0, "",
            "§III.1: the lumped 100 pJ per element 'includes … the energy in the laser pulse'; "
            "App. A.2's pulse is this many times larger"))
    footnote_modes = FOOTNOTE_34_AREA * FOOTNOTE_34_INDEX**2 / FOOTNOTE_34_WAVELENGTH**2
    checks.append(PaperCheck(
        "optical_tube", "modes in (5 cm)² at 1 µm", None, footnote_modes, 3.75e9, "",
        "footnote 34: A n²/λ² with n = 1.5; the printed 3.75e9 is A n/λ²"))
    for wavelength in (None, FOOTNOTE_34_WAVELENGTH):
        e = evaluate("optical_tube", 1e18, {"wavelength": wavelength} if wavelength else {})
        at = f"λ = {float(e.diagnostics['voxel_size']) * FOOTNOTE_34_INDEX * 1e9:.0f} nm"
        checks.append(PaperCheck(
            "optical_tube", f"tube length at (5 cm)², {at}", 1e18,
            float(e.metrics["volume"]) / FOOTNOTE_34_AREA, 50.0, "m",
            "App. A.2: '50 m' for 1e18 parameters at 5 cm × 5 cm; V = P (λ/n)³ needs this, "
            "and Table 1 has (10 cm)² × 100 m"))
    index = FOOTNOTE_34_INDEX
    footnote_guide = {**dict(PULSE_SPREADING), "index_profile": "step",
                      "index_contrast": float(contrast_for_mode_count(index**2, index, "step"))}
    for params in SCALES:
        e = evaluate("optical_tube", params, footnote_guide)
        checks.append(PaperCheck(
            "optical_tube", "modal walk-off / pulse, footnote-34 guide", params,
            float(e.margins["modal_walkoff"]) + 1, 1.0, "",
            "the count A n²/λ² is a step-index guide of NA = n/√(2π) = 0.6, whose modes "
            "spread a 1 ps pulse this many times over the tube"))
    for params in SCALES:
        for beam, reading in BEAM_READINGS:
            e = evaluate("optical_tube", params, {"self_focusing_beam": beam})
            checks.append(PaperCheck(
                "optical_tube", f"tube / collapse distance, {reading}", params,
                float(e.margins["self_focusing"]) + 1, 1.0, "",
                "footnote 35: 'Gaussian beam of width half the size of the cross-sectional "
                "area'; the tube is shorter than the collapse distance where this is < 1"))
    return checks
