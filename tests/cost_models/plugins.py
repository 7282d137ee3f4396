"""Plug-ins used by the registry tests, loaded through real entry points, and a way to install
one for a subprocess."""
import os
import sys
from pathlib import Path

from cost_models import registry
from cost_models.gpu import GPU


class GoodPlugin(GPU):
    name = "good_plugin"
    title = "A third-party platform"


NOT_A_MODEL = object()


def broken():
    raise RuntimeError("import-time failure")


def install(folder: Path, module: str, source: str, entries: dict[str, str]) -> dict[str, str]:
    """A throwaway distribution in ``folder``: ``module``.py holding ``source`` and a dist-info
    declaring ``entries`` (name → ``module:object``) in the project's entry-point group.
    Returns the environment of a subprocess that has it installed, with plug-ins enabled."""
    (folder / f"{module}.py").write_text(source)
    info = folder / f"{module}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        f"[{registry.ENTRY_POINT_GROUP}]\n" + "".join(f"{k} = {v}\n" for k, v in entries.items()))
    env = {k: v for k, v in os.environ.items() if k != registry.NO_PLUGINS_VARIABLE}
    return env | {"PYTHONPATH": os.pathsep.join([str(folder), *sys.path])}
