"""What the base class adds to every platform: the workload's assumptions, margins and
diagnostics, the ``model_loss`` metric, and the scaling of per-token costs to an inference.

A platform's ``_evaluate`` returns the costs of one token of the shared workload network
(:mod:`cost_models.workload`); :func:`finish` turns them into the costs of one inference
(``tokens_per_inference`` tokens decoded one after another) and adds, for every platform
alike, the predicted loss (:mod:`cost_models.quality`) and the margins of shape and
precision floors, and the facility's power (:mod:`cost_models.facility`).
"""
from __future__ import annotations

import numpy as np

from .facility import FACILITY_MARGIN_DESCRIPTION, FACILITY_POWER_ASSUMPTION, facility_margin
from .quality import LOSS_ASSUMPTIONS, PRECISION_MARGIN_DESCRIPTIONS, effective_parameters
from .quality import chinchilla_loss, precision_margins
from .workload import SHAPE_MARGIN_DESCRIPTION, WORKLOAD_ASSUMPTIONS, Network

SHARED_ASSUMPTIONS = (*WORKLOAD_ASSUMPTIONS, *LOSS_ASSUMPTIONS, FACILITY_POWER_ASSUMPTION)
SHARED_MARGIN_DESCRIPTIONS = {"shape": SHAPE_MARGIN_DESCRIPTION, **PRECISION_MARGIN_DESCRIPTIONS,
                              "facility_power": FACILITY_MARGIN_DESCRIPTION}
SHARED_DIAGNOSTIC_UNITS = {
    "stages": "", "layers": "", "network_aspect_ratio": "", "effective_parameters": "",
    "facility_load": "",
}
#: Metrics that scale with the tokens of an inference.
PER_TOKEN_METRICS = ("energy_per_inference", "time_per_inference", "latency")


def declare(cls) -> None:
    """Append the shared assumptions, margin descriptions and diagnostic units to a model
    class's own declarations (once; a subclass of a model inherits them). A class without
    ``assumptions`` is left for the declaration checks to report."""
    if not hasattr(cls, "assumptions"):
        return
    names = {a.name for a in cls.assumptions}
    cls.assumptions = (*cls.assumptions, *(a for a in SHARED_ASSUMPTIONS if a.name not in names))
    cls.margin_descriptions = {**cls.margin_descriptions, **SHARED_MARGIN_DESCRIPTIONS}
    cls.diagnostic_units = {**cls.diagnostic_units, **SHARED_DIAGNOSTIC_UNITS}


def finish(params, design, a, metrics: dict, breakdown: dict, margins: dict,
           diagnostics: dict) -> tuple[dict, dict, dict, dict]:
    """Per-token costs → per-inference costs, plus the shared metric, margins and
    diagnostics (SI arrays)."""
    network = Network.of(params, design, a)
    tokens = network.tokens
    # per token, before scaling, so a rate throttled to the facility gives exactly 0
    facility = facility_margin(metrics["energy_per_inference"], metrics["time_per_inference"], a)
    metrics = {name: value * tokens if name in PER_TOKEN_METRICS else value
               for name, value in metrics.items()}
    breakdown = {name: value * tokens for name, value in breakdown.items()}
    n_eff = effective_parameters(params, design["weight_precision"], design["io_precision"],
                                 network.aspect_ratio, a)
    metrics["model_loss"] = chinchilla_loss(n_eff, a)
    margins = {**margins, "shape": network.shape_margin(a),
               **precision_margins(design["weight_precision"], design["io_precision"], a),
               "facility_power": facility}
    diagnostics = {**diagnostics, "stages": network.stages, "layers": network.layers,
                   "network_aspect_ratio": network.aspect_ratio,
                   "effective_parameters": np.asarray(n_eff), "facility_load": facility + 1.0}
    return metrics, breakdown, margins, diagnostics
