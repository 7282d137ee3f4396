"""Find cost models: the built-ins plus any package's ``pfm_codesign.cost_models`` entry points.

A third-party package adds a platform with, in its ``pyproject.toml``::

    [project.entry-points."pfm_codesign.cost_models"]
    my_platform = "my_package.my_module:MyModel"

The entry point may name a :class:`~cost_models.base.CostModel` instance, subclass or factory. A plug-in
that fails to import or is not a cost model is reported by name in :func:`plugin_errors` and
the other models still load. Setting :data:`NO_PLUGINS_VARIABLE` (``PFM_CODESIGN_NO_PLUGINS=1``)
loads the built-ins only: the test suite sets it, so installed plug-ins cannot change its outcome.
"""
from __future__ import annotations

import contextlib
import os
import sys
from functools import lru_cache
from importlib.metadata import entry_points

from .base import CostModel
from .units import InputError, unknown_name

ENTRY_POINT_GROUP = "pfm_codesign.cost_models"
NO_PLUGINS_VARIABLE = "PFM_CODESIGN_NO_PLUGINS"  # set, and not "0": built-in models only


def _builtins() -> list[CostModel]:
    from .crossbar import Crossbar
    from .digital_rom import DigitalROM
    from .gpu import GPU
    from .optical_tube import OpticalTube
    from .resistor_network import ResistorNetwork
    from .semiconductor import Semiconductor

    return [OpticalTube(), Crossbar(), ResistorNetwork(), Semiconductor(), DigitalROM(), GPU()]


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, CostModel], dict[str, str]]:
    models = {model.name: model for model in _builtins()}
    errors: dict[str, str] = {}
    for entry in _plugin_entry_points():
        try:
            # a plug-in's prints go to stderr (stdout may be JSON); sys.exit() is a failure
            with contextlib.redirect_stdout(sys.stderr):
                loaded = entry.load()
                model = loaded if isinstance(loaded, CostModel) else loaded()
            if not isinstance(model, CostModel):
                raise TypeError(f"{entry.value} did not give a CostModel")
            if model.name in models:
                raise ValueError(f"name '{model.name}' is already taken by another model")
        except (Exception, SystemExit) as exc:  # a broken plug-in must not take the others down
            errors[entry.name] = f"{type(exc).__name__}: {exc}"
            continue
        models[model.name] = model
    return models, errors


def _plugin_entry_points():
    """The installed plug-ins' entry points, none under :data:`NO_PLUGINS_VARIABLE`."""
    if os.environ.get(NO_PLUGINS_VARIABLE, "") not in ("", "0"):
        return []
    return entry_points(group=ENTRY_POINT_GROUP)


#: The platforms a first comparison shows (model, preset): the paper's two plus the crossbar
#: under the paper's most likely parasitic scaling. Front ends use it as their default.
FEATURED: tuple[tuple[str, str | None], ...] = (
    ("optical_tube", None), ("crossbar", "parasitic_n4"), ("gpu", None))


def available() -> list[str]:
    """Registry names of every loadable model, built-ins first."""
    return list(_load()[0])


def get(name: str) -> CostModel:
    """The model registered as ``name``; an :class:`InputError` suggesting close names otherwise."""
    models, errors = _load()
    if name in models:
        return models[name]
    if name in errors:
        raise InputError(f"cost model '{name}' failed to load: {errors[name]}")
    raise unknown_name("cost model", name, models)


def plugin_errors() -> dict[str, str]:
    """Entry-point name → why that plug-in could not be loaded."""
    return dict(_load()[1])


def reload() -> None:
    """Forget the cached registry (after installing a plug-in in a running process)."""
    _load.cache_clear()
