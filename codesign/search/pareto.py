"""Non-dominated filtering and hypervolume in log10-normalised objective space (minimisation)."""
from __future__ import annotations

import moocore
import numpy as np

REFERENCE_MARGIN = 1.1  # reference point in normalised space, just beyond the nadir
MIN_SPAN = 0.01  # decades: an objective that varies less along the front is normalised by this


def nondominated(points: np.ndarray) -> np.ndarray:
    """Boolean mask of the rows of ``points`` (n × k, minimised) that no other row dominates.
    Duplicated rows are all kept."""
    points = np.asarray(points, dtype=float)
    if len(points) == 0:
        return np.zeros(0, dtype=bool)
    return np.asarray(moocore.is_nondominated(points, keep_weakly=True), dtype=bool)


def log_bounds(reference: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ideal and nadir of a (reference) front in log10 space."""
    logs = np.log10(reference)
    return logs.min(axis=0), logs.max(axis=0)


def log_hypervolume(points: np.ndarray, ideal: np.ndarray, nadir: np.ndarray) -> float:
    """Hypervolume of ``points`` after log10 and normalisation of [ideal, nadir] to [0, 1]
    per objective (spans below :data:`MIN_SPAN` decades count as that span, so differences of
    a few parts per million on a degenerate front do not decide the score), against the
    reference point 1.1 in every objective."""
    points = np.asarray(points, dtype=float)
    if len(points) == 0:
        return 0.0
    span = np.maximum(nadir - ideal, MIN_SPAN)
    normalised = (np.log10(points) - ideal) / span
    inside = np.all(normalised < REFERENCE_MARGIN, axis=1)
    if not inside.any():
        return 0.0
    reference = np.full(points.shape[1], REFERENCE_MARGIN)
    return float(moocore.hypervolume(normalised[inside], ref=reference))


def hypervolume_ratio(front: np.ndarray, reference_front: np.ndarray) -> float:
    """HV(front) / HV(reference front), both in the reference front's log-normalised space (the
    reference front lies in [0, 1] there, so its HV is at least 0.1 per objective, multiplied)."""
    ideal, nadir = log_bounds(reference_front)
    return log_hypervolume(front, ideal, nadir) / log_hypervolume(reference_front, ideal, nadir)
