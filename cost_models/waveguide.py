r"""Pulse propagation in a multimode glass guide: material dispersion, modal walk-off, mode count.

Plain-numpy functions on SI floats (arrays broadcast). Formulas and sources:

* Fused-silica index from Malitson's three-term Sellmeier equation (I. H. Malitson, "Interspecimen
  comparison of the refractive index of fused silica", JOSA 55, 1205 (1965); fitted 0.21–3.71 µm)
  ``n² − 1 = Σᵢ Bᵢ λ² / (λ² − Cᵢ²)``, with its derivatives taken analytically.
* Group-velocity dispersion and third-order dispersion of the glass (G. P. Agrawal, *Nonlinear
  Fiber Optics*, 5th ed., §1.2.3): ``β₂ = λ³ n''(λ) / (2π c²)``,
  ``β₃ = −λ⁴ (3 n'' + λ n''') / (4π² c³)``. Malitson's fit gives β₂ = −27.9 ps²/km at 1550 nm,
  +19.0 ps²/km at 1030 nm, +36.2 fs²/mm at 800 nm, and zero near 1.27 µm.
* Dispersion lengths (Agrawal, NFO §3.2–3.3): ``L_D = T₀² / |β₂|`` (a Gaussian pulse broadens by
  √2 over L_D) and ``L_D' = T₀³ / |β₃|`` (third order, which takes over near the zero-dispersion
  wavelength).
* Guide with core index n and cladding n − Δn: numerical aperture ``NA = sqrt(n² − (n − Δn)²)``
  (≈ sqrt(2 n Δn)), relative index difference ``Δ = NA² / (2 n²)`` (≈ Δn / n).
* Guided modes of a core of area A (both polarisations), V = (2π/λ) ρ NA for the circle of
  the same area (ρ = sqrt(A/π)): step index ``M ≈ V²/2 = 2π A NA² / λ²`` (D. Gloge, "Weakly
  guiding fibers", Appl. Opt. 10, 2252 (1971)); parabolic (graded) index ``M ≈ V²/4``
  (D. Gloge and E. A. J. Marcatili, "Multimode theory of graded-core fibers", Bell Syst.
  Tech. J. 52, 1563 (1973): M = V²/2 · α/(α + 2)).
* Intermodal delay spread over a length L (uncoupled modes; J. M. Senior, *Optical Fiber
  Communications*, 3rd ed., §3.10): step index ``Δτ = L n Δ / c`` (= L NA² / (2 n c));
  graded index with the optimum near-parabolic profile ``Δτ = L n Δ² / (8 c)`` (Gloge and
  Marcatili 1973). An exactly parabolic profile spreads 4× more (L n Δ²/(2c)), so the graded
  figure is the best case. Strong random mode coupling would shrink the spread to ∝ sqrt(L)
  (Ho and Kahn, J. Lightwave Technol. 29, 3119 (2011)); not modelled, so walk-off is an upper
  bound for a guide whose modes do not mix.
"""
from __future__ import annotations

import numpy as np

SPEED_OF_LIGHT = 299_792_458.0  # m/s, exact (SI)

#: Malitson 1965 Sellmeier coefficients of fused silica: (B, C in m).
MALITSON_B = (0.6961663, 0.4079426, 0.8974794)
MALITSON_C = (0.0684043e-6, 0.1162414e-6, 9.896161e-6)
MALITSON_RANGE = (0.21e-6, 3.71e-6)  # m, wavelengths of the fit

#: Mode-count factor k in M = k A NA² / λ², per index profile.
MODE_COUNT_FACTOR = {"step": 2 * np.pi, "graded": np.pi}
INDEX_PROFILES = tuple(MODE_COUNT_FACTOR)


def _silica_index_derivatives(wavelength):
    """n, n', n'', n''' of fused silica at ``wavelength`` (m), derivatives per metre."""
    lam = np.asarray(wavelength, dtype=float)
    u = lam**2
    f, f1, f2, f3 = 1.0, 0.0, 0.0, 0.0  # f(u) = n² and its derivatives in u = λ²
    for b, c in zip(MALITSON_B, MALITSON_C):
        d = u - c**2
        f = f + b * u / d
        f1 = f1 - b * c**2 / d**2
        f2 = f2 + 2 * b * c**2 / d**3
        f3 = f3 - 6 * b * c**2 / d**4
    g1 = 2 * lam * f1  # g(λ) = f(λ²)
    g2 = 2 * f1 + 4 * u * f2
    g3 = 12 * lam * f2 + 8 * lam**3 * f3
    n = np.sqrt(f)
    n1 = g1 / (2 * n)
    n2 = (g2 - 2 * n1**2) / (2 * n)
    n3 = (g3 - 6 * n1 * n2) / (2 * n)
    return n, n1, n2, n3


def silica_index(wavelength):
    """Refractive index of fused silica (Malitson 1965) at ``wavelength`` (m)."""
    return _silica_index_derivatives(wavelength)[0]


def silica_dispersion(wavelength):
    """(β₂ in s²/m, β₃ in s³/m) of bulk fused silica at ``wavelength`` (m)."""
    lam = np.asarray(wavelength, dtype=float)
    _, _, n2, n3 = _silica_index_derivatives(lam)
    beta2 = lam**3 * n2 / (2 * np.pi * SPEED_OF_LIGHT**2)
    beta3 = -lam**4 * (3 * n2 + lam * n3) / (4 * np.pi**2 * SPEED_OF_LIGHT**3)
    return beta2, beta3


def dispersion_lengths(duration, beta2, beta3):
    """(L_D = T₀²/|β₂|, L_D' = T₀³/|β₃|) in m for a pulse of duration T₀ (s); inf where β is 0."""
    with np.errstate(divide="ignore"):
        return duration**2 / np.abs(beta2), duration**3 / np.abs(beta3)


def numerical_aperture(index, contrast):
    """NA of a guide of core index ``index`` and cladding ``index − contrast``."""
    return np.sqrt(index**2 - (index - contrast) ** 2)


def relative_index_difference(index, contrast):
    """Δ = (n₁² − n₂²) / (2 n₁²)."""
    return numerical_aperture(index, contrast) ** 2 / (2 * index**2)


def guided_mode_count(area, wavelength, index, contrast, profile):
    """Guided modes (both polarisations) of a core of ``area`` (m²) for the index profile."""
    return MODE_COUNT_FACTOR[profile] * area * numerical_aperture(index, contrast) ** 2 / wavelength**2


def modal_delay_spread(length, index, contrast, profile):
    """Intermodal group-delay spread (s) after ``length`` (m) of uncoupled modes."""
    delta = relative_index_difference(index, contrast)
    per_metre = index * delta / SPEED_OF_LIGHT if profile == "step" else (
        index * delta**2 / (8 * SPEED_OF_LIGHT))
    return length * per_metre


def contrast_for_mode_count(modes_per_area_wavelength2, index, profile):
    """Index contrast Δn at which M = ``modes_per_area_wavelength2`` · A / λ² (inverse of
    :func:`guided_mode_count`); e.g. the paper's footnote-34 count A n²/λ² is a step-index guide
    with NA² = n² / (2π)."""
    na2 = modes_per_area_wavelength2 / MODE_COUNT_FACTOR[profile]
    return index - np.sqrt(index**2 - na2)
