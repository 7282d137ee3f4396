"""Tables drawn from a study's trials: best designs, crossovers, ratios, summary and LaTeX."""
from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd

from cost_models import METRIC_UNITS
from cost_models.units import format_quantity

from codesign.outputs.schema import column
from codesign.outputs.formats import latex_escape
from codesign.outputs.labels import axis_title, reference_network, value_text


#: Values within this relative difference are a tie, below what any of these estimates can
#: tell apart: a "crossover" between them is the search's rounding noise (best model losses of
#: different platforms differ by 1e-16 … 1e-8 where they reach the same precision and shape),
#: and a best design among them is chosen on the other objectives.
TIE = 1e-3


def best_designs(trials: pd.DataFrame, objectives: list[str]) -> pd.DataFrame:
    """For every (variant, scale, objective) the feasible trial with the lowest value of that
    objective. Values within :data:`TIE` of the lowest are a tie, settled by the other
    objectives in the study's order, then the lowest trial number: a design 0.004 % above the
    lowest energy but 1000× faster is the best-energy design (seen on the semiconductor
    front). Empty groups are left out."""
    feasible = trials[trials["feasible"]]
    rows = []
    for _, group in feasible.groupby(["variant", "params"], sort=False):
        for objective in objectives:
            values = group[column(objective)]
            low = values.min()
            tied = group[values <= low + TIE * abs(low)]
            order = [column(o) for o in objectives if o != objective]
            best = tied.sort_values([*order, column(objective), "trial"]).iloc[0]
            rows.append({"objective": objective, **best.to_dict()})
    columns = ["objective", *trials.columns]
    return pd.DataFrame(rows, columns=columns)


def equal_loss_best(trials: pd.DataFrame, objectives: list[str],
                    limits: dict[tuple[str, float], float]) -> pd.DataFrame:
    """As :func:`best_designs`, over the feasible trials whose ``model_loss`` is at most the
    limit of their (variant, scale): every platform compared at equal model quality."""
    limit = np.array([limits.get((v, p), np.nan) for v, p in zip(trials["variant"],
                                                                  trials["params"])])
    return best_designs(trials[trials[column("model_loss")].to_numpy() <= limit], objectives)


def crossovers(best: pd.DataFrame, objectives: list[str]) -> pd.DataFrame:
    """Scales at which one variant's best design overtakes another's, per objective:
    the zero of log10(a) − log10(b), interpolated linearly in log10 P between adjacent scales
    at which the two are not tied (:data:`TIE`); a tie is never a side of a crossover."""
    rows = []
    variants = list(dict.fromkeys(best["variant"]))
    for objective in objectives:
        table = best[best["objective"] == objective].pivot_table(
            index="params", columns="variant", values=column(objective), aggfunc="first")
        for a, b in combinations(variants, 2):
            if a not in table or b not in table:
                continue
            pair = table[[a, b]].dropna()
            logp = np.log10(pair.index.to_numpy(dtype=float))
            diff = np.log10(pair[a].to_numpy()) - np.log10(pair[b].to_numpy())
            apart = np.abs(diff) > np.log10(1 + TIE)
            logp, diff = logp[apart], diff[apart]
            for i in range(len(diff) - 1):
                if np.sign(diff[i]) == np.sign(diff[i + 1]):
                    continue
                t = diff[i] / (diff[i] - diff[i + 1])
                crossing = 10 ** (logp[i] + t * (logp[i + 1] - logp[i]))
                below, above = (a, b) if diff[i] < 0 else (b, a)
                rows.append({"objective": objective, "variant_a": a, "variant_b": b,
                             "crossover_params": float(f"{crossing:.6g}"),
                             "better_below": below, "better_above": above})
    return pd.DataFrame(rows, columns=["objective", "variant_a", "variant_b", "crossover_params",
                                       "better_below", "better_above"])


def ratios(best: pd.DataFrame, objectives: list[str], compare_to: str) -> pd.DataFrame:
    """Advantage of every variant over ``compare_to``: its best value / the variant's best, per
    objective and scale (> 1: the variant is better by that factor)."""
    rows = []
    for objective in objectives:
        table = best[best["objective"] == objective].pivot_table(
            index="params", columns="variant", values=column(objective), aggfunc="first")
        if compare_to not in table:
            continue
        for variant in table.columns:
            if variant == compare_to:
                continue
            for params, value in table[variant].dropna().items():
                reference = table.loc[params, compare_to]
                if not math.isnan(reference):
                    rows.append({"objective": objective, "variant": variant, "params": params,
                                 "advantage": float(reference / value)})
    return pd.DataFrame(rows, columns=["objective", "variant", "params", "advantage"])


def _design_text(row: pd.Series, skip: set[str]) -> str:
    parts = []
    for name, value in row.items():
        if name in skip or name.startswith("margin:") or " [" not in name or pd.isna(value):
            continue
        base = name.split(" [")[0]
        if base in METRIC_UNITS:
            continue
        parts.append(f"{base} = {value_text(value, name)}")
    return ", ".join(parts)


def workload_text(workload: dict) -> str:
    """The serving scenario every platform of a study runs: the workload settings (study
    values, else the defaults) and any other shared assumption the study sets."""
    from cost_models.workload import SERVING_ASSUMPTIONS

    shown = {a.name: f"{a.value:g}" for a in SERVING_ASSUMPTIONS} | workload
    return ", ".join(f"{name} = {value}" for name, value in shown.items())


def tag_counts(trials: pd.DataFrame, column_name: str) -> dict[str, dict[str, tuple[int, list]]]:
    """Per variant, how many of its Pareto designs carry each ";"-joined tag of a column
    (``at_bound`` or ``binding``), out of how many, and at which scales."""
    out = {}
    front = trials[trials["pareto"]] if "pareto" in trials else trials.iloc[0:0]
    for variant, group in front.groupby("variant", sort=False):
        counts: dict[str, list] = {}
        for tags, params in zip(group[column_name].fillna(""), group["params"]):
            for tag in filter(None, str(tags).split(";")):
                entry = counts.setdefault(tag, [0, set()])
                entry[0] += 1
                entry[1].add(params)
        out[variant] = {tag: (n, len(group), sorted(scales)) for tag, (n, scales) in counts.items()}
    return out


def front_limits_markdown(trials: pd.DataFrame) -> list[str]:
    """Warning lines for Pareto fronts that sit on a bound of a searched range, and the margins
    they lean on: a front against a bound is a finding about the model or the range."""
    if "at_bound" not in trials:
        return []
    lines = ["## Where the fronts stand", ""]
    for column_name, lead in (("at_bound", "⚠ {variant}: Pareto designs at a range bound: "),
                              ("binding", "{variant}: Pareto designs on a margin (within 1 %): ")):
        for variant, tags in tag_counts(trials, column_name).items():
            if not tags:
                continue
            parts = [f"{tag} in {n} of {total} (P = {', '.join(f'{p:.3g}' for p in scales)})"
                     for tag, (n, total, scales) in sorted(tags.items(), key=lambda kv: -kv[1][0])]
            lines.append("- " + lead.format(variant=variant) + "; ".join(parts))
    if len(lines) == 2:
        lines.append("No Pareto design sits on a range bound or leans on a margin.")
    return lines + [""]


def equal_loss_lines(equal_loss: dict | None) -> list[str]:
    """The "What was run" line of a study compared at equal model loss (none otherwise)."""
    if not equal_loss:
        return []
    return [f"- compared at equal model loss: every best value, ratio and crossover below is over "
            f"feasible designs whose model_loss is at most that of "
            f"{reference_network(equal_loss['weight_precision'], equal_loss['io_precision'])} "
            f"of real-LLM shape (d/layers = 128) at the same P, its reducible part "
            f"L − E allowed {100 * equal_loss['tolerance']:g} % more"]


def summary_markdown(study, trials: pd.DataFrame, best: pd.DataFrame, cross: pd.DataFrame,
                     advantage: pd.DataFrame | None, run_info: dict,
                     table1: list[dict] | None = None) -> str:
    """``summary.md``: what was run, best designs, ratios, crossovers and (``table1``: records
    of :func:`codesign.points.table1.table1_records`) the check of the paper's Table 1."""
    lines = [f"# Study `{study.name}`", ""]
    if study.description:
        lines += [study.description, ""]
    lines += ["## What was run", "",
              f"- objectives: {', '.join(study.objectives)} (minimised)",
              f"- scales: {', '.join(f'{p:.3g}' for p in study.scales)} parameters",
              f"- search: {study.sampler}, {run_info['trials']} trials per study, seed {study.seed}, "
              f"{study.reference_seeds} reference-front seeds",
              f"- storage: {run_info['storage']}; {run_info['studies']} studies, "
              f"{len(trials)} trials in all, {int(trials['pareto'].sum())} on Pareto fronts",
              f"- workload (every platform): {workload_text(study.workload)}",
              *equal_loss_lines(study.equal_loss),
              f"- search time: {run_info['seconds']:.1f} s", ""]
    lines += ["| platform | model | preset | overrides |", "|---|---|---|---|"]
    for v in study.variants:
        overrides = ", ".join(f"{k} = {val}" for k, val in {**v.assumptions, **v.fixed}.items())
        lines.append(f"| {v.label} | {v.model} | {v.preset or 'default'} | {overrides or '—'} |")
    lines += ["", "## Best design of each platform at each scale", ""]
    for objective in study.objectives:
        lines += [f"### Lowest {objective}", "", "| platform | P | " +
                  " | ".join(study.objectives) + " | design |",
                  "|---|---|" + "---|" * len(study.objectives) + "---|"]
        rows = best[best["objective"] == objective]
        for _, row in rows.iterrows():
            values = " | ".join(format_quantity(row[column(o)], METRIC_UNITS[o])
                                for o in study.objectives)
            design = _design_text(row, {"platform", "params", "trial", "feasible", "pareto",
                                        "variant", "objective"})
            lines.append(f"| {row['variant']} | {row['params']:.3g} | {values} | {design} |")
        missing = [(v.label, p) for v in study.variants for p in study.scales
                   if rows[(rows["variant"] == v.label) & (rows["params"] == p)].empty]
        if missing:
            lines += ["", "No feasible design found for: " +
                      ", ".join(f"{label} at {p:.3g}" for label, p in missing) + "."]
        lines.append("")
    if advantage is not None and len(advantage):
        lines += [f"## Advantage over {study.compare_to}", "",
                  f"{study.compare_to}'s best value divided by each platform's best "
                  f"(> 1: better by that factor).", "",
                  "| objective | platform | " + " | ".join(f"P = {p:.3g}" for p in study.scales) + " |",
                  "|---|---|" + "---|" * len(study.scales)]
        for (objective, variant), group in advantage.groupby(["objective", "variant"], sort=False):
            by_scale = dict(zip(group["params"], group["advantage"]))
            cells = " | ".join(f"{by_scale[p]:.3g}×" if p in by_scale else "—" for p in study.scales)
            lines.append(f"| {objective} | {variant} | {cells} |")
        lines.append("")
    lines += front_limits_markdown(trials)
    lines += ["## Crossovers", ""]
    if len(cross):
        lines += ["| objective | better below | better above | crossover at P |", "|---|---|---|---|"]
        for _, row in cross.iterrows():
            lines.append(f"| {row['objective']} | {row['better_below']} | {row['better_above']} | "
                         f"{row['crossover_params']:.3g} |")
    else:
        lines.append("No platform overtakes another within the scales studied.")
    if table1:
        lines += table1_section(study, table1)
    lines += ["", "Files: `trials.csv`, `pareto.csv`, `crossovers.csv`, `meta.json`, "
              "`table.tex`, `figures/`.", ""]
    return "\n".join(lines)


def table1_section(study, records: list[dict]) -> list[str]:
    """Markdown lines: the paper's Table 1 recomputed by the models' ``paper`` presets, and
    what the stars in the figures mean for this study's platforms."""
    from codesign.points.table1 import render_table1, reproduced

    matched = sum(reproduced(r) for r in records)
    presets = {v.label: v.preset or "default" for v in study.variants
               if v.model in {r["platform"] for r in records}}
    lines = ["", "## The paper's Table 1, checked", "",
             f"Each model's `paper` preset at the paper's design point, rounded as the paper "
             f"rounds: **{matched} of {len(records)} cells reproduce the paper**.", ""]
    lines += render_table1(records, "markdown").splitlines()
    lines += ["", "Stars marked *Table 1* in the figures are the paper's values. "
              + ("This study's platforms run the presets " +
                 ", ".join(f"{label}: `{preset}`" for label, preset in presets.items()) +
                 "; where a preset is not `paper`, its front differs from the paper's point "
                 "by design (other assumptions), not by a failed reproduction."
                 if any(p != "paper" for p in presets.values()) else
                 "Every platform here runs the `paper` preset."), ""]
    return lines


def table_tex(study, best: pd.DataFrame) -> str:
    """``table.tex``: each platform's best value of each objective at each scale (booktabs)."""
    header = ["Platform", "$P$", *(latex_escape(axis_title(column(o))) for o in study.objectives)]
    lines = ["% generated by pfm-codesign; needs \\usepackage{booktabs}", "\\begin{table}",
             "\\centering", f"\\caption{{{latex_escape(study.description or study.name)}: lowest "
             f"value of each objective over feasible designs}}",
             f"\\label{{tab:{study.name}}}",
             f"\\begin{{tabular}}{{ll{'r' * len(study.objectives)}}}", "\\toprule",
             " & ".join(header) + " \\\\", "\\midrule"]
    previous = None
    for variant in dict.fromkeys(best["variant"]):
        for params in study.scales:
            cells = []
            for objective in study.objectives:
                row = best[(best["variant"] == variant) & (best["params"] == params)
                           & (best["objective"] == objective)]
                cells.append(_sci(row[column(objective)].iloc[0]) if len(row) else "--")
            if all(c == "--" for c in cells):
                continue
            name = latex_escape(variant) if variant != previous else ""
            previous = variant
            lines.append(f"{name} & {_sci(params)} & " + " & ".join(cells) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}", "\\end{table}", ""]
    return "\n".join(lines)


def _sci(value: float) -> str:
    mantissa, exponent = f"{value:.3e}".split("e")
    return f"${float(mantissa):.3g}\\times10^{{{int(exponent)}}}$"
