"""Search: the design space of a model, Optuna studies over it, the exact reference front,
Pareto filtering and hypervolume, and where studies are stored."""
from codesign._lazy import lazy_exports

__getattr__, __all__ = lazy_exports(__name__, {
    "SAMPLERS": "samplers", "SearchSpec": "optimise", "Problem": "optimise",
    "SearchResult": "optimise", "run_search": "optimise", "validate_objectives": "optimise",
    "SearchSpace": "space", "reference_front": "reference", "nondominated": "pareto",
    "hypervolume_ratio": "pareto", "open_storage": "storage", "DEFAULT_STORE": "storage",
})
