"""The provenance header of every metadata file pfm-codesign writes (an export's
``FILE.meta.json``, a study run's ``meta.json``): what ran, on which versions, when, on which
store, and every platform's assumptions and design space with their units. Passwords never
appear: the storage URL and the command line are redacted."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import optuna

import cost_models
from cost_models import METRIC_UNITS

from codesign import __version__
from codesign.outputs.formats import json_safe
from codesign.platform import Platform
from codesign.search.storage import redact

TOOL = "pfm-codesign"


def provenance(storage: str, seed: int, objectives: Sequence[str],
               platforms: Sequence[Platform]) -> dict:
    """The common header: tool, versions, command line, time, store (redacted), seed,
    objectives with units, and per platform label its model, preset, every assumption (SI
    value, unit, range, source) and its design space. ``platforms`` carry their complete
    assumption overrides."""
    return json_safe({
        "tool": TOOL, "version": __version__, "git_commit": git_commit(),
        "python_version": sys.version.split()[0], "optuna_version": optuna.__version__,
        "numpy_version": np.__version__,
        "command_line": [redact(arg) for arg in sys.argv],
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "storage": redact(storage), "seed": seed,
        "objectives": [{"name": o, "unit": METRIC_UNITS[o], "direction": "minimize"}
                       for o in objectives],
        "platforms": {p.label: platform_record(p) for p in platforms},
    })


def platform_record(platform: Platform) -> dict:
    """``platform``'s model, preset, resolved assumptions and declared design space."""
    model = cost_models.get(platform.model)
    values = model.resolve_assumptions(platform.preset, platform.assumptions)
    return {
        "model": model.name, "preset": platform.preset,
        "assumptions": [{"name": a.name, "value": values[a.name], "unit": a.unit,
                         "low": a.low, "high": a.high, "source": a.source}
                        for a in model.assumptions],
        "design_space": [{"name": v.name, "unit": v.unit, "kind": v.kind, "low": v.low,
                          "high": v.high, "log": v.log, "choices": list(v.choices),
                          "description": v.description} for v in model.design_variables],
    }


def git_commit() -> str | None:
    """The checked-out commit of the source tree, if it is a git work tree."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None
