"""Glass dispersion, modal walk-off and mode counts against published numbers."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cost_models import waveguide

PS2_PER_KM = 1e-27  # s²/m
FS2_PER_MM = 1e-27
FS3_PER_MM = 1e-42


@pytest.mark.parametrize("wavelength, index", [(1550e-9, 1.4440), (1030e-9, 1.4500),
                                               (632.8e-9, 1.4570)])
def test_malitson_index_of_fused_silica(wavelength, index):
    """Malitson, JOSA 55, 1205 (1965): n = 1.4440 at 1.55 µm, 1.4570 at 632.8 nm."""
    assert waveguide.silica_index(wavelength) == pytest.approx(index, abs=2e-4)


@pytest.mark.parametrize("wavelength, beta2", [(1550e-9, -28 * PS2_PER_KM),
                                               (1030e-9, 19 * PS2_PER_KM),
                                               (800e-9, 36.16 * FS2_PER_MM)])
def test_group_velocity_dispersion_of_fused_silica(wavelength, beta2):
    """Agrawal, Nonlinear Fiber Optics §1.2.3: β₂ ≈ −28 ps²/km at 1.55 µm (bulk silica),
    ≈ +19 ps²/km near 1 µm; 36.16 fs²/mm at 800 nm (Malitson's fit, as tabulated for
    ultrafast optics)."""
    assert waveguide.silica_dispersion(wavelength)[0] == pytest.approx(beta2, rel=0.03)


def test_third_order_dispersion_at_800_nm():
    """27.5 fs³/mm for fused silica at 800 nm (Malitson's fit)."""
    assert waveguide.silica_dispersion(800e-9)[1] == pytest.approx(27.5 * FS3_PER_MM, rel=0.03)


def test_zero_dispersion_wavelength_is_near_1270_nm():
    """Bulk silica's β₂ changes sign at λ_D ≈ 1.27 µm (Agrawal, NFO §1.2.3)."""
    beta2 = waveguide.silica_dispersion(np.array([1.26e-6, 1.28e-6]))[0]
    assert beta2[0] > 0 > beta2[1]


def test_dispersion_length_of_a_picosecond_pulse_at_1550_nm_is_36_m():
    beta2, beta3 = waveguide.silica_dispersion(1550e-9)
    second, third = waveguide.dispersion_lengths(1e-12, beta2, beta3)
    assert second == pytest.approx(36, rel=0.02)
    assert third > 100 * second  # third order matters only near λ_D
    assert waveguide.dispersion_lengths(10e-15, beta2, beta3)[0] == pytest.approx(3.6e-3, rel=0.02)


def test_modal_walkoff_per_metre_at_index_contrast_1e_3():
    """Δτ/L = n Δ / c ≈ Δn / c = 3.3 ps/m (step); n Δ² / (8c) ≈ 0.3 fs/m (graded)."""
    step = waveguide.modal_delay_spread(1.0, 1.444, 1e-3, "step")
    graded = waveguide.modal_delay_spread(1.0, 1.444, 1e-3, "graded")
    assert step == pytest.approx(3.3e-12, rel=0.02)
    assert graded == pytest.approx(0.29e-15, rel=0.03)


def test_numerical_aperture_of_standard_multimode_fibre():
    """Δn = 0.014 at n = 1.444 gives NA ≈ 0.20 (ITU-T G.651.1 graded-index fibre)."""
    assert waveguide.numerical_aperture(1.444, 0.014) == pytest.approx(0.20, abs=0.005)


def test_step_index_mode_count_is_v_squared_over_two():
    """Gloge 1971: M ≈ V²/2 for a circular core, V = 2π ρ NA / λ; parabolic core V²/4."""
    radius, wavelength, index, contrast = 25e-6, 850e-9, 1.46, 0.01
    v = 2 * np.pi * radius * waveguide.numerical_aperture(index, contrast) / wavelength
    area = np.pi * radius**2
    step = waveguide.guided_mode_count(area, wavelength, index, contrast, "step")
    graded = waveguide.guided_mode_count(area, wavelength, index, contrast, "graded")
    assert step == pytest.approx(v**2 / 2)
    assert graded == pytest.approx(v**2 / 4)


def test_paper_footnote_34_mode_count_needs_a_numerical_aperture_of_0_6():
    """Footnote 34's rule M = A n²/λ² for A = (5 cm)², n = 1.5, λ = 1 µm gives 5.6e9 (the paper
    prints 3.75e9 = A n/λ²); as a step-index guide it has NA = n/√(2π) = 0.60."""
    contrast = waveguide.contrast_for_mode_count(1.5**2, 1.5, "step")
    modes = waveguide.guided_mode_count(0.05**2, 1e-6, 1.5, contrast, "step")
    assert modes == pytest.approx(5.625e9)
    assert waveguide.numerical_aperture(1.5, contrast) == pytest.approx(1.5 / np.sqrt(2 * np.pi))


@settings(max_examples=100, deadline=None)
@given(contrast=st.floats(1e-4, 0.5), length=st.floats(1e-3, 1e6))
def test_graded_index_walks_off_less_and_guides_half_the_modes(contrast, length):
    step = waveguide.modal_delay_spread(length, 1.45, contrast, "step")
    graded = waveguide.modal_delay_spread(length, 1.45, contrast, "graded")
    assert graded < step
    modes = [waveguide.guided_mode_count(1e-6, 1e-6, 1.45, contrast, p) for p in ("step", "graded")]
    assert modes[1] == pytest.approx(modes[0] / 2)
