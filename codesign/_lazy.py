"""Package faces that import nothing until used: ``codesign.search.run_search`` resolves on first
access, so importing one light module of a package never loads Optuna, pandas or plotly."""
from __future__ import annotations

from importlib import import_module


def lazy_exports(package: str, exports: dict[str, str]):
    """``(__getattr__, __all__)`` for ``package``: ``exports`` maps a public name to the
    submodule (relative to ``package``) that defines it."""

    def __getattr__(name: str):
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{exports[name]}"), name)

    return __getattr__, sorted(exports)
