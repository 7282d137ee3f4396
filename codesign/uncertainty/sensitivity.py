"""Which assumption moves a design's metrics most: one-at-a-time swings (tornado) and global
Sobol indices.

Tornado: each varying assumption alone at the low and the high end of its spread (every
choice of a categorical one), all others at their nominal values. A record holds the metric
at each end and the *swing*: for a positive metric, in decades, ``|log10(high / low)|`` (the
factor the assumption alone can move it by, independent of units); for a quantity that can
change sign (a margin), ``|high − low|``. For a categorical assumption ``low`` and ``high`` are
the smallest and largest value over its choices.

Global: first-order and total Sobol indices of log10(metric) (Saltelli 2010 estimators,
``scipy.stats.sobol_indices``) over the assumptions' quantiles, every assumption varying at
once with its own spread (independent: shared names do not matter within one model). The
total index counts interactions; assumptions with a large total and small first-order index
act through others (a ``max`` that one of them switches on).
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy import stats

from cost_models import METRIC_UNITS

from codesign.uncertainty.platforms import Uncertain

SOBOL_SAMPLES = 512  # base samples n; the model is evaluated n (d + 2) times


def swing(low: float, high: float) -> float:
    """Decades between two positive values, else their absolute difference."""
    if low > 0 and high > 0:
        return float(abs(np.log10(high / low)))
    return float(abs(high - low))


def tornado(platform: Uncertain, params: float, design: Mapping[str, object],
            metrics: list[str] | None = None) -> list[dict]:
    """One-at-a-time swing of every varying assumption on each metric (default: all five),
    sorted largest swing first (ties: declaration order). Records: ``assumption``,
    ``metric``, ``low``, ``high`` (metric values), ``at_low``, ``at_high`` (assumption values),
    ``nominal`` (metric at nominal assumptions), ``swing``."""
    metrics = list(metrics or METRIC_UNITS)
    nominal = platform.model.evaluate(params, design, platform.nominal)
    records = []
    for name in platform.varying:
        ends = platform.spreads[name].ends
        values = [platform.model.evaluate(params, design, {**platform.nominal, name: end})
                  for end in ends]
        for metric in metrics:
            outcome = [float(v.metrics[metric]) for v in values]
            if isinstance(ends[0], str):
                lo, hi = int(np.argmin(outcome)), int(np.argmax(outcome))
            else:
                lo, hi = 0, len(ends) - 1
            records.append({"assumption": name, "metric": metric, "low": outcome[lo],
                            "high": outcome[hi], "at_low": ends[lo], "at_high": ends[hi],
                            "nominal": float(nominal.metrics[metric]),
                            "swing": swing(outcome[lo], outcome[hi])})
    order = sorted(range(len(records)), key=lambda i: -records[i]["swing"])
    return [records[i] for i in order]


def sobol(platform: Uncertain, params: float, design: Mapping[str, object],
          metrics: list[str] | None = None, n: int = SOBOL_SAMPLES, seed: int = 0) -> list[dict]:
    """Sobol indices of log10 of each metric (default: all five) for every varying assumption.
    Records ``assumption``, ``metric``, ``first_order``, ``total``, ranked per metric by total
    index (largest first). ``n`` must be a power of 2."""
    metrics = list(metrics or METRIC_UNITS)
    names = platform.varying
    if not names:
        return []

    def func(u: np.ndarray) -> np.ndarray:
        samples = {**platform.nominal,
                   **{name: platform.spreads[name].values(u[i]) for i, name in enumerate(names)}}
        evaluation = platform.evaluate(params, design, samples)
        return np.log10(np.vstack([np.reshape(evaluation.metrics[m], -1) for m in metrics]))

    result = stats.sobol_indices(func=func, n=n, dists=[stats.uniform()] * len(names),
                                 rng=np.random.default_rng(seed))
    shape = (len(metrics), len(names))  # scipy drops the first axis for one metric
    first = np.nan_to_num(np.reshape(result.first_order, shape))  # NaN: the metric is constant
    total = np.nan_to_num(np.reshape(result.total_order, shape))
    records = []
    for k, metric in enumerate(metrics):
        rows = [{"assumption": name, "metric": metric, "first_order": float(first[k, i]),
                 "total": float(total[k, i])} for i, name in enumerate(names)]
        records.extend(sorted(rows, key=lambda r: -r["total"]))
    return records
