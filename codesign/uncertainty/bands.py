"""Bands of one design under the assumptions' uncertainty: 5 / 50 / 95 % of every metric and
margin, and the probability that the design is feasible."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from cost_models import METRIC_UNITS

from codesign.uncertainty.platforms import Uncertain

PERCENTILES = (5, 50, 95)
DEFAULT_SAMPLES = 2000


def band(values: np.ndarray, axis: int = 0) -> dict[str, np.ndarray | float]:
    """``p5``, ``p50``, ``p95`` of ``values`` along ``axis`` (NaN ignored; linear
    interpolation between order statistics)."""
    p5, p50, p95 = np.nanpercentile(values, PERCENTILES, axis=axis)
    return {"p5": p5, "p50": p50, "p95": p95}


def design_bands(platform: Uncertain, params: float, design: Mapping[str, object],
                 samples: int = DEFAULT_SAMPLES, seed: int = 0) -> dict:
    """One design (SI values) of ``platform`` at scale ``params`` under ``samples`` draws of
    its assumptions: ``metrics`` and ``margins`` (name → p5, p50, p95, nominal, unit) and
    ``feasible_probability`` (share of samples in which every margin is ≤ 0)."""
    drawn = platform.draw(samples, seed)
    evaluation = platform.evaluate(params, design, drawn)
    nominal = platform.model.evaluate(params, design, platform.nominal)

    def rows(group: str, units: Mapping[str, str]) -> dict:
        out = {}
        for name, values in getattr(evaluation, group).items():
            quantiles = {k: float(v) for k, v in band(values).items()}
            out[name] = {**quantiles, "nominal": float(getattr(nominal, group)[name]),
                         "unit": units.get(name, "")}
        return out

    return {"metrics": rows("metrics", METRIC_UNITS), "margins": rows("margins", {}),
            "feasible_probability": float(np.mean(evaluation.feasible)), "samples": samples}
