"""The figures of pfm-codesign, shared by study runs and the app: one module, one look.

Every function takes the tables that :mod:`codesign.outputs.results` builds (column names with
units, ``name [unit]``) and returns a plotly figure drawn for print: titles and axes in words
with units, SI-prefixed ticks where the unit takes a prefix, each platform a colour *and* a
marker shape (Okabe–Ito colours, safe for colour-blind readers and in grey), fronts drawn as
fronts over muted dominated designs. Everything is SVG-drawn (no WebGL), so static export is
fast and vector. :func:`write_figures` saves HTML always and SVG, PDF and PNG through kaleido
when a Chromium is available.
"""
from __future__ import annotations

import os
import shutil
import textwrap
import warnings
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cost_models.paper import TABLE1
from cost_models.units import format_quantity, takes_prefix

from codesign.outputs.labels import axis_title, human_name, split_column, value_text
from codesign.outputs.schema import column
from codesign.platform import Platform

#: Okabe & Ito (2008) colour-blind-safe palette, yellow last (weak on white).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#F0E442")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "pentagon",
           "hexagon", "cross")
#: The marker of each entry of SYMBOLS in 3-D plots (Scatter3d takes only these eight).
SYMBOLS_3D = dict(zip(SYMBOLS, ("circle", "square", "diamond", "cross", "x", "circle-open",
                                "square-open", "diamond-open")))
STATIC_FORMATS = ("svg", "pdf", "png")
INFEASIBLE_COLOUR = "#c8c8c8"
PAPER_PRESET = "paper"
PARAMS_TITLE = "Model size P (parameters)"
_LAYOUT = dict(template="plotly_white", font=dict(size=14),
               legend=dict(title_text="Platform", bgcolor="rgba(255,255,255,0.8)"))
_OUTLINE = dict(width=0.6, color="white")


def _styles(labels: Iterable[str]) -> dict[str, tuple[str, str]]:
    """label → (colour, marker symbol), in first-seen order."""
    return {label: (PALETTE[i % len(PALETTE)], SYMBOLS[i % len(SYMBOLS)])
            for i, label in enumerate(dict.fromkeys(labels))}


def _log_axis(column_name: str, values: Iterable[float] = ()) -> dict:
    """A log axis titled in words with its unit. Ticks at decades of ``values``, labelled with
    their unit and an SI prefix where the unit takes one ("100 µJ", "10 ms", "1 cm³"); powers
    of ten otherwise (m²/W, counts)."""
    unit = split_column(column_name)[1]
    axis = dict(title=axis_title(column_name), type="log", exponentformat="power",
                showexponent="all")
    finite = np.asarray([v for v in values if v is not None and np.isfinite(v) and v > 0])
    if not (takes_prefix(unit) or unit in ("m**3", "m**2")) or not len(finite):
        return axis
    low, high = np.floor(np.log10(finite.min())), np.ceil(np.log10(finite.max()))
    step = max(1, int(np.ceil((high - low) / 6)))  # at most 7 labels: none rotated
    decades = 10.0 ** np.arange(low, high + 1, step)
    return axis | dict(tickvals=decades, ticktext=[format_quantity(d, unit) for d in decades])


def _trace_values(fig: go.Figure, axis: str) -> list[float]:
    values = [getattr(trace, axis) for trace in fig.data]
    return [float(v) for column_values in values if column_values is not None
            for v in np.asarray(column_values, dtype=object).ravel() if v is not None]


def _hover(frame: pd.DataFrame, skip: set[str]) -> tuple[np.ndarray, str]:
    """customdata and a hover template listing every design variable and metric of a row, in
    words with units."""
    shown = [c for c in frame.columns if c not in skip and not c.startswith("margin:")
             and frame[c].notna().any()]
    template = "<br>".join(f"{human_name(split_column(c)[0])}: %{{customdata[{i}]}}"
                           for i, c in enumerate(shown))
    data = np.array([[value_text(v, c) for c, v in zip(shown, row)]
                     for row in frame[shown].itertuples(index=False)], dtype=object)
    return data.reshape(len(frame), len(shown)), template + "<extra>%{fullData.name}</extra>"


def _table1_points(platforms: list[Platform] | None, metrics: list[str],
                   params: Iterable[float]) -> list[dict]:
    """The paper's Table 1 points to draw: for each model with Table 1 cells for all of
    ``metrics`` at ``params``, one entry per scale. Drawn in the platform's style when a
    platform runs the ``paper`` preset; otherwise once per model, hollow and labelled as the
    paper's assumptions, so a different preset never reads as a failed reproduction."""
    points = []
    seen = set()
    for platform in platforms or []:
        paper = platform.preset == PAPER_PRESET
        key = platform.label if paper else platform.model
        if key in seen or (not paper and any(p.model == platform.model and p.preset == PAPER_PRESET
                                             for p in platforms)):
            continue
        seen.add(key)
        for p in params:
            cells = {c.metric: c for c in TABLE1 if c.platform == platform.model and c.params == p}
            if all(m in cells for m in metrics):
                points.append({"label": platform.label, "model": platform.model, "paper": paper,
                               "params": p, "values": [cells[m].paper_value for m in metrics],
                               "text": ", ".join(cells[m].paper_text for m in metrics)})
    return points


def _add_table1(fig: go.Figure, points: list[dict], styles: dict, x_params: bool) -> None:
    """Stars at the paper's Table 1 values (``x_params``: x is P, y the metric)."""
    groups: dict[str, list[dict]] = {}
    for point in points:
        groups.setdefault(point["label"] if point["paper"] else point["model"], []).append(point)
    for key, group in groups.items():
        first = group[0]
        if first["paper"]:
            name = f"{first['label']}: paper's Table 1"
            marker = dict(symbol="star", size=16, color=styles[first["label"]][0],
                          line=dict(width=1, color="black"))
        else:
            name = f"{first['label']}: paper's Table 1 (paper preset, not this one)"
            marker = dict(symbol="star-open", size=16, color=styles[first["label"]][0],
                          line=dict(width=2))
        xs = [p["params"] if x_params else p["values"][0] for p in group]
        ys = [p["values"][0] if x_params else p["values"][1] for p in group]
        fig.add_trace(go.Scatter(x=xs, y=ys, name=name, mode="markers", marker=marker,
                                 text=[p["text"] for p in group], legendrank=2000,
                                 hovertemplate="paper: %{text}<extra>%{fullData.name}</extra>"))
    # drawn first, so the computed points stay visible on top of the stars
    fig.data = fig.data[-len(groups):] + fig.data[:-len(groups)] if groups else fig.data


def pareto_scatter(frame: pd.DataFrame, objectives: list[str], title: str = "",
                   show_infeasible: bool = False, reference: pd.DataFrame | None = None,
                   platforms: list[Platform] | None = None) -> go.Figure:
    """Feasible Pareto fronts (log axes) of each variant, drawn as staircases over the muted
    dominated designs; 3D for three objectives. ``frame`` has ``variant``, ``feasible``,
    ``pareto`` and metric columns; ``reference`` (optional) holds an exact reference front with
    the same metric columns and a ``variant`` column; ``platforms`` (optional) adds the
    paper's Table 1 points (see :func:`_table1_points`)."""
    axes = [column(o) for o in objectives]
    three = len(objectives) == 3
    styles = _styles(frame["variant"])
    if three:
        styles = {label: (colour, SYMBOLS_3D[symbol]) for label, (colour, symbol) in styles.items()}
    fig = go.Figure()
    skip = {"platform", "params", "trial", "feasible", "pareto", "variant"}

    def add(rows: pd.DataFrame, name: str, marker: dict, mode: str = "markers", line=None,
            legendgroup=None, showlegend=True, opacity=1.0):
        data, template = _hover(rows, skip)
        coords = {k: rows[a] for k, a in zip("xyz", axes)}
        common = dict(name=name, customdata=data, hovertemplate=template, legendgroup=legendgroup,
                      showlegend=showlegend, mode=mode, marker=marker, opacity=opacity)
        if three:
            fig.add_trace(go.Scatter3d(**coords, **common))
        else:
            fig.add_trace(go.Scatter(**coords, **common, line=line or {}))

    if show_infeasible:
        infeasible = frame[~frame["feasible"]]
        if len(infeasible):
            add(infeasible, "infeasible", dict(color=INFEASIBLE_COLOUR, size=4), opacity=0.6)
    for label, (colour, symbol) in styles.items():  # muted clouds first, fronts on top
        rows = frame[(frame["variant"] == label) & frame["feasible"] & ~frame["pareto"]]
        if len(rows):
            add(rows, f"{label}: dominated", dict(color=colour, size=3 if three else 4,
                                                   symbol=symbol), legendgroup=label,
                showlegend=False, opacity=0.18)
    for label, (colour, symbol) in styles.items():
        front = frame[(frame["variant"] == label) & frame["pareto"]].sort_values(axes[0])
        if len(front):
            add(front, label, dict(color=colour, size=5 if three else 9,  # open: overlaps show
                                   symbol=symbol if three else f"{symbol}-open",
                                   line=dict(width=1.8, color=colour)),
                mode="markers" if three else "lines+markers",
                line=dict(color=colour, shape="hv", width=1.5), legendgroup=label)
    if reference is not None and len(reference):
        for label, rows in reference.groupby("variant", sort=False):
            colour = styles.get(label, ("black", ""))[0]
            add(rows.sort_values(axes[0]), f"{label}: exact reference front",
                dict(color=colour, size=3 if three else 5, symbol="cross" if three else "x-thin",
                     line=dict(width=1, color=colour)), legendgroup=label)
    if three:
        fig.update_layout(scene=dict(xaxis=_log_axis(axes[0], _trace_values(fig, "x")),
                                     yaxis=_log_axis(axes[1], _trace_values(fig, "y")),
                                     zaxis=_log_axis(axes[2], _trace_values(fig, "z"))))
    else:
        scales = frame["params"].unique() if "params" in frame else []
        _add_table1(fig, _table1_points(platforms, objectives, scales), styles, x_params=False)
        fig.update_xaxes(**_log_axis(axes[0], _trace_values(fig, "x")))
        fig.update_yaxes(**_log_axis(axes[1], _trace_values(fig, "y")))
    fig.update_layout(title=title, **_LAYOUT)
    return fig


def scaling_lines(best: pd.DataFrame, metric: str, title: str = "",
                  platforms: list[Platform] | None = None) -> go.Figure:
    """``metric`` of each variant's best design against P (log–log); ``platforms`` (optional)
    adds the paper's Table 1 values (see :func:`_table1_points`). ``best`` has ``variant``,
    ``params``, ``objective`` and metric columns (see :func:`codesign.outputs.results.best_designs`)."""
    rows = best[best["objective"] == metric]
    styles = _styles(best["variant"])
    fig = go.Figure()
    for label, (colour, symbol) in styles.items():
        line = rows[rows["variant"] == label].sort_values("params")
        fig.add_trace(go.Scatter(
            x=line["params"], y=line[column(metric)], name=label, mode="lines+markers",
            line=dict(color=colour, width=2), marker=dict(symbol=symbol, size=9, color=colour,
                                                          line=_OUTLINE),
            text=[value_text(v, column(metric)) for v in line[column(metric)]],
            hovertemplate="P = %{x:.3g}<br>%{text}<extra>%{fullData.name}</extra>"))
    _add_table1(fig, _table1_points(platforms, [metric], sorted(best["params"].unique())),
                styles, x_params=True)
    fig.update_xaxes(title=PARAMS_TITLE, type="log", exponentformat="power", showexponent="all")
    fig.update_yaxes(**_log_axis(column(metric), _trace_values(fig, "y")))
    fig.update_layout(title=title or f"Lowest {human_name(metric).lower()} against model size",
                      **_LAYOUT)
    return fig


def parallel_coordinates(frame: pd.DataFrame, title: str = "") -> go.Figure:
    """Parallel coordinates of the Pareto designs of ``frame`` (one variant's, typically): one
    vertical axis per design variable and metric that varies, labelled in words with its
    unit and its real range at both ends (log scale for quantities spanning more than a
    hundredfold), one line per design coloured by energy per inference."""
    rows = frame[frame["pareto"]]
    axes = []
    for name in rows.columns:
        if name == "trial" or name.startswith("margin:") or rows[name].dtype == bool \
                or not pd.api.types.is_numeric_dtype(rows[name]) or rows[name].isna().any():
            continue
        values = rows[name].to_numpy(dtype=float)
        if len(values) and values.min() != values.max():
            axes.append((name, values))
    fig = go.Figure()
    if not axes:
        fig.update_layout(title=title, **_LAYOUT)
        return fig
    energy = column("energy_per_inference")
    colour_by = np.log10(rows[energy].to_numpy(dtype=float))
    positions = np.array([_unit_position(values) for _, values in axes]).T  # designs × axes
    bins = np.linspace(colour_by.min(), colour_by.max() + 1e-12, 7)
    scale = [[0, "#440154"], [0.25, "#3b528b"], [0.5, "#21918c"], [0.75, "#5ec962"], [1, "#fde725"]]
    xs = np.arange(len(axes), dtype=float)
    for k in range(len(bins) - 1):
        members = np.where((colour_by >= bins[k]) & (colour_by < bins[k + 1]))[0]
        if not len(members):
            continue
        x = np.concatenate([np.append(xs, np.nan) for _ in members])
        y = np.concatenate([np.append(positions[i], np.nan) for i in members])
        shade = (bins[k] + bins[k + 1]) / 2
        fig.add_trace(go.Scatter(
            x=x, y=y, mode="lines", showlegend=False, hoverinfo="skip", opacity=0.7,
            line=dict(width=1.5, color=_sample(scale, (shade - bins[0]) / (bins[-1] - bins[0])))))
    ticks = np.linspace(colour_by.min(), colour_by.max(), 4)
    fig.add_trace(go.Scatter(  # carries the colour bar only
        x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
        marker=dict(color=[colour_by.min()], cmin=colour_by.min(), cmax=colour_by.max(),
                    colorscale=scale, showscale=True,
                    colorbar=dict(title=axis_title(energy).replace(" (", "<br>("), tickvals=ticks,
                                  ticktext=[value_text(10 ** t, energy, 2) for t in ticks]))))
    shapes, notes = [], []
    crowded = len(axes) > 6
    for i, (name, values) in enumerate(axes):
        shapes.append(dict(type="line", x0=i, x1=i, y0=0, y1=1, line=dict(color="#444", width=1)))
        lift = 0.13 if crowded and i % 2 else 0.0  # stagger titles that would touch
        notes.append(dict(x=i, y=1.04 + lift, text="<br>".join(textwrap.wrap(axis_title(name), 13)),
                          showarrow=False, yanchor="bottom", font=dict(size=12)))
        for y, value, anchor in ((1, values.max(), "bottom"), (0, values.min(), "top")):
            notes.append(dict(x=i, y=y, text=value_text(value, name, 3), showarrow=False,
                              yanchor=anchor, xanchor="left", xshift=3, font=dict(size=11)))
        if _is_log(values):
            notes.append(dict(x=i, y=-0.07, text="log scale", showarrow=False,
                              font=dict(size=10, color="#777")))
    fig.update_layout(shapes=shapes, annotations=notes)
    fig.update_xaxes(visible=False, range=[-0.3, len(axes) - 0.4])
    fig.update_yaxes(visible=False, range=[-0.12, 1.42 if crowded else 1.3])
    fig.update_layout(title=title, **_LAYOUT, margin=dict(t=80))
    return fig


def _is_log(values: np.ndarray) -> bool:
    return bool(np.all(values > 0) and values.max() / values.min() > 100)


def _unit_position(values: np.ndarray) -> np.ndarray:
    """Values mapped onto [0, 1] along their axis (log10 when :func:`_is_log`)."""
    v = np.log10(values) if _is_log(values) else values
    return (v - v.min()) / (v.max() - v.min())


def _sample(scale: list, t: float) -> str:
    """The colour at ``t`` in [0, 1] of a plotly colour scale (linear between its stops)."""
    from plotly.colors import find_intermediate_color, hex_to_rgb, label_rgb

    t = min(max(t, 0.0), 1.0)
    for (t0, c0), (t1, c1) in zip(scale, scale[1:]):
        if t <= t1:
            f = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            return label_rgb(find_intermediate_color(hex_to_rgb(c0), hex_to_rgb(c1), f))
    return scale[-1][1]


# -- uncertainty (issue 13): bands, win probabilities, tornado ------------------------------
# Inputs are the tables of :mod:`codesign.outputs.uncertainty` (long format, SI values).

def band_lines(bands: pd.DataFrame, metric: str, title: str = "") -> go.Figure:
    """Median of ``metric`` for each variant's best design (for that metric) against P, with
    the 5–95 % band under the assumptions' ranges shaded (log–log)."""
    rows = bands[(bands["kind"] == "metric") & (bands["quantity"] == metric)
                 & (bands["design_for"] == metric)]
    styles = _styles(bands["variant"])
    fig = go.Figure()
    for label, (colour, symbol) in styles.items():
        line = rows[rows["variant"] == label].sort_values("params")
        if line.empty:
            continue
        x = line["params"].tolist()
        fig.add_trace(go.Scatter(x=x + x[::-1], y=line["p95"].tolist() + line["p5"].tolist()[::-1],
                                 fill="toself", fillcolor=colour, opacity=0.18, line=dict(width=0),
                                 name=f"{label} 5–95 %", legendgroup=label, showlegend=False,
                                 hoverinfo="skip"))
        fig.add_trace(go.Scatter(
            x=x, y=line["p50"], name=label, legendgroup=label, mode="lines+markers",
            line=dict(color=colour, width=2),
            marker=dict(symbol=symbol, size=9, color=colour, line=_OUTLINE),
            customdata=line[["p5", "p95", "nominal", "feasible_probability"]].to_numpy(),
            hovertemplate="P = %{x:.3g}<br>median %{y:.4g}<br>5–95 %: %{customdata[0]:.3g} … "
                          "%{customdata[1]:.3g}<br>nominal %{customdata[2]:.4g}<br>feasible "
                          "%{customdata[3]:.0%}<extra>%{fullData.name}</extra>"))
    fig.update_xaxes(title=PARAMS_TITLE, type="log", exponentformat="power", showexponent="all")
    fig.update_yaxes(**_log_axis(column(metric), _trace_values(fig, "y")))
    fig.update_layout(title=title or f"{human_name(metric)}: median and 5–95 % band", **_LAYOUT)
    return fig


def win_heatmap(wins: pd.DataFrame, objective: str, title: str = "") -> go.Figure:
    """Probability that the first platform of each pair beats the second on ``objective`` (a
    win needs the first feasible; :mod:`codesign.uncertainty.wins`), per scale (columns),
    with the 95 % interval in the cell text and the share of samples where both are feasible
    in the hover."""
    rows = wins[wins["objective"] == objective].copy()
    rows["pair"] = rows["platform"] + " beats " + rows["other"]
    pairs = list(dict.fromkeys(rows["pair"]))
    scales = sorted(rows["params"].unique())
    z = np.full((len(pairs), len(scales)), np.nan)
    text = np.full(z.shape, "", dtype=object)
    both = np.full(z.shape, np.nan)
    for _, row in rows.iterrows():
        i, j = pairs.index(row["pair"]), scales.index(row["params"])
        z[i, j], both[i, j] = row["probability"], row["both_feasible"]
        text[i, j] = f"{row['probability']:.2f}<br>[{row['low']:.2f}, {row['high']:.2f}]"
    fig = go.Figure(go.Heatmap(
        z=z, x=[f"{p:.0e}" for p in scales], y=pairs, zmin=0, zmax=1, colorscale="RdBu",
        text=text, texttemplate="%{text}", colorbar=dict(title="P(win)"), customdata=both,
        hovertemplate="%{y}<br>P = %{x}<br>probability %{z:.3f}<br>both feasible "
                      "%{customdata:.3f}<extra></extra>"))
    fig.update_xaxes(title=PARAMS_TITLE, type="category")
    fig.update_layout(title=title or f"Win probability on {human_name(objective).lower()}",
                      **_LAYOUT)
    return fig


def front_band_scatter(fronts: pd.DataFrame, objectives: list[str], title: str = "") -> go.Figure:
    """Each variant's front at median assumptions (two objectives, log axes; the
    ``front_bands`` table of :mod:`codesign.outputs.uncertainty`) with 5–95 % error bars on
    both objectives; marker opacity is the design's probability of staying on the
    front (in the hover with its feasible probability)."""
    x, y = (column(o) for o in objectives)
    styles = _styles(fronts["variant"])
    fig = go.Figure()
    for label, (colour, symbol) in styles.items():
        rows = fronts[fronts["variant"] == label].sort_values(x)

        def bars(name):
            low, high = (name.replace(" [", f"_{k} [", 1) for k in ("p5", "p95"))
            return dict(type="data", symmetric=False, array=rows[high] - rows[name],
                        arrayminus=rows[name] - rows[low], color=colour, thickness=1)

        fig.add_trace(go.Scatter(
            x=rows[x], y=rows[y], name=label, mode="lines+markers", line=dict(color=colour),
            error_x=bars(x), error_y=bars(y),
            marker=dict(symbol=symbol, color=colour, size=9,
                        opacity=rows["pareto_probability"].clip(0.15, 1)),
            customdata=rows[["pareto_probability", "feasible_probability"]].to_numpy(),
            hovertemplate="%{x:.4g}, %{y:.4g}<br>stays on the front %{customdata[0]:.0%}<br>"
                          "feasible %{customdata[1]:.0%}<extra>%{fullData.name}</extra>"))
    fig.update_xaxes(**_log_axis(x, _trace_values(fig, "x")))
    fig.update_yaxes(**_log_axis(y, _trace_values(fig, "y")))
    fig.update_layout(title=title, **_LAYOUT)
    return fig


def tornado_chart(records: pd.DataFrame, value: str = "metric", top: int = 12,
                  title: str = "") -> go.Figure:
    """One-at-a-time swings: a bar from the nominal value to the value at each end of every
    assumption's spread, largest swing on top (log axis). ``records`` hold ``assumption``,
    ``low``, ``high``, ``swing`` and (optionally) ``nominal`` for one ``value`` (a metric, or
    an advantage)."""
    rows = records.sort_values("swing", ascending=False, kind="stable").head(top).iloc[::-1]
    nominal = rows["nominal"] if "nominal" in rows else pd.Series(1.0, index=rows.index)
    fig = go.Figure()
    for end, colour in (("low", PALETTE[0]), ("high", PALETTE[1])):
        fig.add_trace(go.Bar(
            y=rows["assumption"], x=rows[end] - nominal, base=nominal, orientation="h",
            name=f"assumption at its {end} end", marker=dict(color=colour),
            customdata=rows[["swing"]].to_numpy(),
            hovertemplate=f"%{{y}} at its {end} end: %{{x:.4g}}<br>swing %{{customdata[0]:.2f}} "
                          f"decades<extra></extra>"))
    fig.update_xaxes(title=value, type="log", exponentformat="power")
    fig.update_layout(barmode="overlay", title=title, **(_LAYOUT | dict(legend=dict())))
    return fig


def browser_for_static_images() -> str | None:
    """Path of a Chromium that kaleido can drive, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def write_figures(figures: dict[str, go.Figure], folder: Path, static: bool = True,
                  progress: Callable[[int, int, str], None] | None = None) -> str | None:
    """Write ``name.html`` for every figure (offline: one ``plotly.min.js`` beside them), and
    SVG/PDF/PNG when ``static`` and a browser is found, all through one browser process.
    ``progress(done, total, what)`` follows the static images. Returns a one-line reason when
    static images were skipped."""
    folder.mkdir(parents=True, exist_ok=True)
    write_plotlyjs(folder)
    for name, fig in figures.items():
        fig.write_html(folder / f"{name}.html", include_plotlyjs="directory", full_html=True)
    if not static:
        return "static images are turned off in the study file"
    browser = browser_for_static_images()
    if browser is None:
        return ("static images skipped: no Chromium found for kaleido (install Debian's "
                "'chromium'); HTML figures were written")
    jobs = [(name, fmt) for fmt in STATIC_FORMATS for name in figures]
    try:
        with static_image_server(browser):
            import plotly.io as pio

            for done, (name, fmt) in enumerate(jobs):
                if progress:
                    progress(done, len(jobs), f"static images: {name}.{fmt}")
                pio.write_image(figures[name], folder / f"{name}.{fmt}", format=fmt,
                                width=FIGURE_SIZE[0], height=FIGURE_SIZE[1])
    except Exception as exc:  # kaleido/browser failures must not lose the run's results
        return f"static images skipped: kaleido failed ({type(exc).__name__}: {str(exc)[:160]})"
    if progress:
        progress(len(jobs), len(jobs), "static images written")
    return None


FIGURE_SIZE = (900, 600)  # pixels; PDF and SVG keep this aspect ratio


@contextmanager
def static_image_server(browser: str):
    """One kaleido browser for every image written inside the block (kaleido otherwise starts
    Chromium for each call: ~3 s, against ~0.3 s per image on a running one)."""
    import kaleido

    os.environ.setdefault("BROWSER_PATH", browser)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        kaleido.start_sync_server(silence_warnings=True)
        try:
            yield
        finally:
            kaleido.stop_sync_server(silence_warnings=True)


def write_plotlyjs(folder: Path) -> None:
    """``folder/plotly.min.js``: the bundle of the installed plotly, which the HTML figures
    load from beside them (they work offline)."""
    from plotly.offline import get_plotlyjs

    path = folder / "plotly.min.js"
    bundle = get_plotlyjs()
    if not path.exists() or path.read_text(encoding="utf-8") != bundle:
        path.write_text(bundle, encoding="utf-8")
