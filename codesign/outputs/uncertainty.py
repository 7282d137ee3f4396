"""A robustness run (:class:`codesign.uncertainty.robustness.Robustness`) as tables, the
``summary.md`` paragraph and the study's uncertainty figures."""
from __future__ import annotations

import pandas as pd

import cost_models
from cost_models import METRIC_UNITS

from codesign.outputs.schema import column, unit_label
from codesign.uncertainty.robustness import Robustness

SHOWN_ASSUMPTIONS = 3  # per compared pair and objective in the summary
FRAGILE = 0.5  # best designs feasible in fewer samples than this are named in the summary


def robustness_tables(run: Robustness) -> dict[str, pd.DataFrame]:
    """File stem → table: ``uncertainty`` (bands of every metric and margin of each best
    design), ``win_probability``, ``sensitivity`` (tornado), ``advantage_sensitivity``,
    ``sobol``, ``front_bands`` (each platform's front at median assumptions)."""
    return {"uncertainty": pd.DataFrame(run.bands), "win_probability": pd.DataFrame(run.wins),
            "sensitivity": pd.DataFrame(run.tornado),
            "advantage_sensitivity": pd.DataFrame(run.advantage), "sobol": pd.DataFrame(run.sobol),
            "front_bands": _with_units(pd.DataFrame(run.fronts))}


def band_column(metric: str, key: str) -> str:
    """``energy_per_inference_p95 [J]``: a band's column, unit last as in every header."""
    return column(metric).replace(" [", f"_{key} [", 1)


def _with_units(fronts: pd.DataFrame) -> pd.DataFrame:
    """Front records with ``name [unit]`` headers for design variables and metrics."""
    names = {}
    for model in fronts.get("platform", pd.Series(dtype=object)).unique():
        for v in cost_models.get(model).design_variables:
            names[v.name] = f"{v.name} [{unit_label(v.unit)}]"
    for metric in METRIC_UNITS:
        names[metric] = column(metric)
        names.update({f"{metric}_{k}": band_column(metric, k) for k in ("p5", "p50", "p95")})
    return fronts.rename(columns=names)


def robustness_markdown(tables: dict[str, pd.DataFrame], scales: list[float], samples: int,
                        seed: int, overrides: dict, compare_to: str | None, seconds: float,
                        workload: dict | None = None, equal_loss: bool = False) -> str:
    """The ``## Robustness`` section of ``summary.md``; ``workload`` is the study's
    ``[workload]`` table, ``equal_loss`` whether its best designs are at equal model loss."""
    from codesign.outputs.results import workload_text

    lines = ["## Robustness under the assumptions' ranges", "",
             f"Each best design above{' (at equal model loss)' if equal_loss else ''} was "
             f"evaluated under {samples} samples of its platform's "
             f"assumptions (seed {seed}, {seconds:.1f} s): each assumption the platform does not "
             f"set itself varies over its declared plausible range (log-uniform for positive "
             f"ranges wider than 3×, uniform otherwise, choices equally weighted), and an "
             f"assumption of the same name takes the same sample on every platform. Settings "
             f"are chosen, not uncertain: every sample keeps the serving scenario "
             f"({workload_text(workload or {})}), the criteria of a plausible or supported "
             f"design (network-shape limits, precision floors) and the power budgets at their "
             f"values (`cost_models/sampling.py` lists them).",
             ""]
    if overrides:
        lines += ["Overridden spreads: " + "; ".join(f"{k} = {_spread_text(v)}"
                                                     for k, v in overrides.items()) + ".", ""]
    wins = tables["win_probability"]
    if len(wins):
        if compare_to:
            wins = wins[(wins["other"] == compare_to) | (wins["platform"] == compare_to)]
        lines += ["Probability that the first platform's best design beats the second's "
                  "(95 % Wilson interval; a sample counts only when the first is feasible in "
                  "it and the second is infeasible or worse, so a design that breaks a margin "
                  "wins nothing; `both` is the share of samples in which both are feasible):",
                  "",
                  "| objective | platform | other | " + " | ".join(f"P = {p:.3g}" for p in scales)
                  + " |", "|---|---|---|" + "---|" * len(scales)]
        for (objective, first, second), group in wins.groupby(["objective", "platform", "other"],
                                                              sort=False):
            cells = {row["params"]: f"{row['probability']:.3f} [{row['low']:.3f}, "
                                    f"{row['high']:.3f}], both {row['both_feasible']:.3f}"
                     for _, row in group.iterrows()}
            lines.append(f"| {objective} | {first} | {second} | "
                         + " | ".join(cells.get(p, "—") for p in scales) + " |")
        lines.append("")
    advantage = tables["advantage_sensitivity"]
    if len(advantage):
        lines += ["Assumptions that move each comparison most (one at a time, low to high end on "
                  "both platforms; largest swing of the advantage over all scales, in decades):", ""]
        for (objective, first, second), group in advantage.groupby(
                ["objective", "platform", "other"], sort=False):
            top = group.groupby("assumption", sort=False)["swing"].max() \
                .sort_values(ascending=False, kind="stable").head(SHOWN_ASSUMPTIONS)
            lines.append(f"- {objective}, {first} vs {second}: "
                         + ", ".join(f"{name} ({swing:.2f})" for name, swing in top.items()))
        lines.append("")
    bands = tables["uncertainty"]
    if len(bands):
        designs = bands.drop_duplicates(["variant", "params", "design_for"])
        fragile = designs[designs["feasible_probability"] < FRAGILE]
        if len(fragile):
            lines += [f"Best designs feasible in fewer than {FRAGILE:.0%} of samples (they sit "
                      f"on margins that the ranges move):", ""]
            for variant, group in fragile.groupby("variant", sort=False):
                share = group["feasible_probability"]
                total = int((designs["variant"] == variant).sum())
                lines.append(f"- {variant}: {len(group)} of {total}, feasible in "
                             f"{share.min():.0%} … {share.max():.0%} of samples")
            lines.append("")
    lines += ["Files: `uncertainty.csv` (5/50/95 % of every metric and margin of each best "
              "design), `win_probability.csv`, `sensitivity.csv`, `advantage_sensitivity.csv`, "
              "`sobol.csv`, `front_bands.csv` (each front at median assumptions: bands of its "
              "designs, their probability of staying feasible and on the front); figures "
              "`band_*`, `wins_*`, `tornado_*`, `front_band_*`.", ""]
    return "\n".join(lines)


def _spread_text(override) -> str:
    if isinstance(override, dict):
        return ", ".join(f"{k} {_spread_text(v)}" for k, v in override.items())
    return str(override)


def robustness_figures(tables: dict[str, pd.DataFrame], objectives: list[str],
                       tornado_scale: float, study_name: str) -> dict:
    """Band lines and win-probability heatmaps per objective; a tornado of each platform's
    first objective at ``tornado_scale``."""
    from codesign.outputs.figures import band_lines, front_band_scatter, tornado_chart, win_heatmap
    from codesign.outputs.labels import ascii_slug, human_name
    from codesign.outputs.schema import column

    figures = {}
    for objective in objectives:
        name = human_name(objective).lower()
        figures[f"band_{objective}"] = band_lines(tables["uncertainty"], objective,
                                                  title=f"{study_name}: {name}, median and "
                                                        f"5–95 % band")
        if len(tables["win_probability"]):
            figures[f"wins_{objective}"] = win_heatmap(tables["win_probability"], objective,
                                                       title=f"{study_name}: win probability "
                                                             f"on {name}")
    fronts = tables["front_bands"]
    if len(fronts) and len(objectives) == 2:
        for params, group in fronts.groupby("params", sort=True):
            figures[f"front_band_{params:.0e}".replace("+", "")] = front_band_scatter(
                group, objectives, title=f"{study_name}: fronts at median assumptions, "
                                         f"P = {params:.3g}")
    tornado = tables["sensitivity"]
    if len(tornado):
        first = objectives[0]
        rows = tornado[(tornado["params"] == tornado_scale) & (tornado["metric"] == first)
                       & (tornado["design_for"] == first)]
        for label, group in rows.groupby("variant", sort=False):
            figures[f"tornado_{ascii_slug(label)}"] = tornado_chart(
                group, column(first), title=f"{label} at P = {tornado_scale:.3g}: "
                                            f"{human_name(first).lower()}, one assumption at a time")
    return figures
