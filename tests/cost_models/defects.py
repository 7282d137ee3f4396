"""Five deliberate defects, each a plausible plug-in author's mistake (issue 10).

Each toy is a built-in model with one thing wrong; ``test_defects.py`` runs the shipped
conformance suite on it and expects a failure that names the defect.
"""
import dataclasses

from cost_models.gpu import GPU
from cost_models.optical_tube import OpticalTube


class PicoJouleTube(OpticalTube):
    """Returns energies in pJ (its author's docstring says so): 1e12× too large in SI."""

    name = "picojoule_tube"

    def _evaluate(self, params, design, a):
        out = super()._evaluate(params, design, a)
        return dataclasses.replace(
            out, energy_per_inference=out.energy_per_inference * 1e12,
            breakdown={k: v * 1e12 for k, v in out.breakdown.items()})


class MillimetreTube(OpticalTube):
    """Returns the tube side and length in mm while declaring m."""

    name = "millimetre_tube"

    def _evaluate(self, params, design, a):
        out = super()._evaluate(params, design, a)
        diagnostics = dict(out.diagnostics)
        for name in ("tube_side", "tube_length"):
            diagnostics[name] = diagnostics[name] * 1e3
        return dataclasses.replace(out, diagnostics=diagnostics)


class FlippedMarginTube(OpticalTube):
    """Margins positive when satisfied (the opposite of the contract)."""

    name = "flipped_margin_tube"

    def _evaluate(self, params, design, a):
        out = super()._evaluate(params, design, a)
        return dataclasses.replace(out, margins={k: -v for k, v in out.margins.items()})


class MillisecondGPU(GPU):
    """Latency in ms: 1000× too large in SI."""

    name = "millisecond_gpu"

    def _evaluate(self, params, design, a):
        out = super()._evaluate(params, design, a)
        return dataclasses.replace(out, latency=out.latency * 1e3)


#: Source of the two defects the class definition itself refuses (a class statement that
#: raises cannot live in an importable module): a diagnostic declared in mm, and a preset
#: value above its declared range.
DECLARED_IN_MM = '''
from cost_models.optical_tube import OpticalTube

class DeclaredInMillimetres(OpticalTube):
    name = "declared_mm_tube"
    diagnostic_units = {**OpticalTube.diagnostic_units, "tube_side": "mm"}
'''

PRESET_ABOVE_RANGE = '''
from cost_models.base import Preset
from cost_models.gpu import GPU

class OverclockedGPU(GPU):
    name = "overclocked_gpu"
    presets = {**GPU.presets,
               "overclocked": Preset("a GPU at 2 × its utilisation", assumptions={"utilisation": 2.0})}
'''
