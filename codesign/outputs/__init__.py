"""Outputs: column schema (names and units), CSV export with provenance, result tables and
summaries, LaTeX, and the figures shared by study runs and the app.

``schema`` and ``formats`` are leaves (no Optuna, pandas or plotly); ``results`` needs pandas
only; ``export`` reads Optuna studies; ``figures`` draws with plotly."""
from codesign._lazy import lazy_exports

__getattr__, __all__ = lazy_exports(__name__, {
    "column": "schema", "unit_label": "schema", "render": "formats",
    "trials_frame": "export", "export_study": "export", "best_designs": "results",
    "crossovers": "results", "summary_markdown": "results", "table_tex": "results",
    "pareto_scatter": "figures", "scaling_lines": "figures", "parallel_coordinates": "figures",
    "write_figures": "figures",
})
