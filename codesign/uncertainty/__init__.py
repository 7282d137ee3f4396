"""Uncertainty: which conclusions survive the assumptions' plausible ranges.

Bands of a design's metrics and margins and its feasible probability (``bands``), bands of a
Pareto front (``fronts``), win probabilities of one platform over another under shared samples
(``wins``), and one-at-a-time and Sobol sensitivity (``sensitivity``). The distributions and
the vectorised sampling live in :mod:`cost_models.sampling`."""
from codesign._lazy import lazy_exports

__getattr__, __all__ = lazy_exports(__name__, {
    "Uncertain": "platforms", "check_overrides": "platforms", "design_bands": "bands",
    "tornado": "sensitivity", "sobol": "sensitivity", "win_probabilities": "wins",
    "advantage_tornado": "wins", "best_designs": "wins", "uncertainty_record": "report",
})
