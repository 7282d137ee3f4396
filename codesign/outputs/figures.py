"""The figures of pfm-codesign, shared by study runs and the app: one module, one look.

Every function takes the tables that :mod:`codesign.outputs.results` builds (column names with units,
``name [unit]``) and returns a plotly figure; :func:`write_figures` saves HTML always and SVG,
PDF and PNG through kaleido when a Chromium is available.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cost_models import METRIC_UNITS
from cost_models.paper import TABLE1

from codesign.outputs.schema import column, unit_label

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
           "#e377c2", "#7f7f7f", "#bcbd22")
STATIC_FORMATS = ("svg", "pdf", "png")
INFEASIBLE_COLOUR = "#c8c8c8"


def _colours(labels) -> dict[str, str]:
    return {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(dict.fromkeys(labels))}


def _hover(frame: pd.DataFrame, skip: set[str]) -> tuple[np.ndarray, str]:
    """customdata and a hover template listing every design variable and metric of a row."""
    shown = [c for c in frame.columns if c not in skip and not c.startswith("margin:")
             and frame[c].notna().any()]
    template = "<br>".join(f"{c}: %{{customdata[{i}]}}" for i, c in enumerate(shown))
    data = frame[shown].map(lambda v: f"{v:.4g}" if isinstance(v, float) else str(v)).to_numpy()
    return data, template + "<extra>%{fullData.name}</extra>"


def pareto_scatter(frame: pd.DataFrame, objectives: list[str], title: str = "",
                   show_infeasible: bool = False, reference: pd.DataFrame | None = None) -> go.Figure:
    """Pareto fronts (log axes), one colour per variant; 3D for three objectives. ``frame`` has
    ``variant``, ``feasible``, ``pareto`` and metric columns; ``reference`` (optional) holds an
    exact reference front with the same metric columns and a ``variant`` column."""
    axes = [column(o) for o in objectives]
    three = len(objectives) == 3
    colours = _colours(frame["variant"])
    fig = go.Figure()
    skip = {"platform", "params", "trial", "feasible", "pareto", "variant"}

    def add(rows: pd.DataFrame, name: str, colour: str, mode: str, size: int, symbol="circle",
            legendgroup=None, showlegend=True):
        data, template = _hover(rows, skip)
        coords = {k: rows[a] for k, a in zip("xyz", axes)}
        common = dict(name=name, customdata=data, hovertemplate=template, legendgroup=legendgroup,
                      showlegend=showlegend, mode=mode,
                      marker=dict(color=colour, size=size, symbol=symbol))
        fig.add_trace(go.Scatter3d(**coords, **common) if three else go.Scatter(**coords, **common))

    if show_infeasible:
        infeasible = frame[~frame["feasible"]]
        if len(infeasible):
            add(infeasible, "infeasible", INFEASIBLE_COLOUR, "markers", 3 if three else 5)
    for label, colour in colours.items():
        rows = frame[frame["variant"] == label]
        feasible = rows[rows["feasible"] & ~rows["pareto"]]
        front = rows[rows["pareto"]].sort_values(axes[0])
        if len(feasible):
            add(feasible, f"{label} (feasible)", colour, "markers", 2 if three else 4,
                legendgroup=label, showlegend=False)
        add(front, label, colour, "markers" if three else "lines+markers", 4 if three else 8,
            legendgroup=label)
    if reference is not None and len(reference):
        for label, rows in reference.groupby("variant", sort=False):
            add(rows.sort_values(axes[0]), f"{label} reference front", colours.get(label, "black"),
                "markers", 3 if three else 5, symbol="x" if not three else "cross")
    if three:
        fig.update_layout(scene=dict(xaxis=dict(title=axes[0], type="log"),
                                     yaxis=dict(title=axes[1], type="log"),
                                     zaxis=dict(title=axes[2], type="log")))
    else:
        fig.update_xaxes(title=axes[0], type="log", exponentformat="power")
        fig.update_yaxes(title=axes[1], type="log", exponentformat="power")
    fig.update_layout(title=title, template="plotly_white", legend_title_text="platform")
    return fig


def scaling_lines(best: pd.DataFrame, metric: str, title: str = "") -> go.Figure:
    """``metric`` of each variant's best design against P (log–log), with the paper's Table 1
    values for the same platform and metric overlaid. ``best`` has ``variant``, ``platform``,
    ``params``, ``objective`` and metric columns (see :func:`codesign.results.best_designs`)."""
    rows = best[best["objective"] == metric]
    colours = _colours(best["variant"])
    fig = go.Figure()
    for label, colour in colours.items():
        line = rows[rows["variant"] == label].sort_values("params")
        fig.add_trace(go.Scatter(x=line["params"], y=line[column(metric)], name=label,
                                 mode="lines+markers", line=dict(color=colour),
                                 hovertemplate="P = %{x:.3g}<br>%{y:.4g}<extra>%{fullData.name}</extra>"))
    first_variant = dict(zip(best["platform"][::-1], best["variant"][::-1]))
    for platform in sorted(first_variant):
        cells = [c for c in TABLE1 if c.platform == platform and c.metric == metric]
        if cells:
            fig.add_trace(go.Scatter(
                x=[c.params for c in cells], y=[c.paper_value for c in cells],
                name=f"paper Table 1: {platform}", mode="markers",
                marker=dict(symbol="star", size=13, color=colours[first_variant[platform]],
                            line=dict(width=1, color="black")),
                text=[c.paper_text for c in cells],
                hovertemplate="P = %{x:.3g}<br>paper: %{text}<extra></extra>"))
    fig.update_xaxes(title="parameters P", type="log", exponentformat="power")
    fig.update_yaxes(title=column(metric), type="log", exponentformat="power")
    fig.update_layout(title=title or f"best {metric} against scale", template="plotly_white")
    return fig


def parallel_coordinates(frame: pd.DataFrame, title: str = "") -> go.Figure:
    """Parallel coordinates of Pareto designs: every numeric design variable and metric of the
    given rows (one variant's, typically), log10 for quantities spanning decades."""
    rows = frame[frame["pareto"]]
    skip = {"params", "trial"}
    dims = []
    for name in rows.columns:
        if name in skip or name.startswith("margin:") or not pd.api.types.is_numeric_dtype(rows[name]) \
                or rows[name].dtype == bool or rows[name].isna().all():
            continue
        values = rows[name].to_numpy(dtype=float)
        positive = np.all(values > 0)
        if positive and values.max() / values.min() > 100:
            dims.append(dict(label=f"log10 {name}", values=np.log10(values)))
        else:
            dims.append(dict(label=name, values=values))
    energy = column("energy_per_inference")
    colour = np.log10(rows[energy].to_numpy(dtype=float)) if energy in rows else None
    fig = go.Figure(go.Parcoords(dimensions=dims,
                                 line=dict(color=colour, colorscale="Viridis", showscale=True,
                                           colorbar=dict(title="log10 energy [J]"))
                                 if colour is not None else {}))
    fig.update_layout(title=title, template="plotly_white")
    return fig


def browser_for_static_images() -> str | None:
    """Path of a Chromium that kaleido can drive, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def write_figures(figures: dict[str, go.Figure], folder: Path, static: bool = True) -> str | None:
    """Write ``name.html`` for every figure, and SVG/PDF/PNG when ``static`` and a browser is
    found; returns a one-line reason when static images were skipped."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, fig in figures.items():
        fig.write_html(folder / f"{name}.html", include_plotlyjs="cdn", full_html=True)
    if not static:
        return "static images are turned off in the study file"
    browser = browser_for_static_images()
    if browser is None:
        return ("static images skipped: no Chromium found for kaleido (install Debian's "
                "'chromium'); HTML figures were written")
    import os

    import plotly.io as pio

    os.environ.setdefault("BROWSER_PATH", browser)
    names = list(figures)
    try:
        for fmt in STATIC_FORMATS:
            pio.write_images([figures[n] for n in names], [folder / f"{n}.{fmt}" for n in names],
                             format=fmt, width=900, height=600)
    except Exception as exc:  # kaleido/browser failures must not lose the run's results
        return f"static images skipped: kaleido failed ({type(exc).__name__}: {str(exc)[:160]})"
    return None
