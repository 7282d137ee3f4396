"""Result tables of a study: best designs, equal-loss selection, crossovers, ratios and the
summary and LaTeX that print them, on hand-made trial tables whose answers are known."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from codesign.outputs.results import (TIE, best_designs, crossovers, equal_loss_best, ratios,
                                      summary_markdown, table_tex, tag_counts)
from codesign.studies.studyfile import load_study

E, T, LOSS = "energy_per_inference [J]", "latency [s]", "model_loss [1]"
OBJECTIVES = ["energy_per_inference", "latency"]


def trials(rows) -> pd.DataFrame:
    """rows: (variant, params, trial, feasible, energy, latency, loss)."""
    return pd.DataFrame(rows, columns=["variant", "params", "trial", "feasible", E, T, LOSS])


def best_table(values: dict[tuple[str, float], float], objective="energy_per_inference"):
    """A best-designs table with one value per (variant, scale) for one objective."""
    return pd.DataFrame([{"objective": objective, "variant": v, "params": p,
                          E if objective == "energy_per_inference" else T: value}
                         for (v, p), value in values.items()])


def test_best_design_is_the_lowest_feasible_value_ties_to_the_first_trial():
    frame = trials([
        ("A", 1e12, 0, True, 3.0, 1.0, 2.0),
        ("A", 1e12, 1, False, 0.5, 0.5, 2.0),  # lower but infeasible
        ("A", 1e12, 5, True, 2.0, 4.0, 2.0),
        ("A", 1e12, 2, True, 2.0, 3.0, 2.0),  # ties trial 5 on energy, faster: it wins
        ("A", 1e15, 3, False, 1.0, 1.0, 2.0),  # no feasible design at 1e15: no row
        ("B", 1e12, 4, True, 9.0, 0.1, 2.0),
    ])
    best = best_designs(frame, OBJECTIVES)
    in_order = best_designs(frame.iloc[::-1], OBJECTIVES)  # B appears first: B's rows first
    assert list(in_order["variant"]) == ["B", "B", "A", "A"]
    assert list(best.columns) == ["objective", *frame.columns]
    assert [tuple(r) for r in best[["objective", "variant", "params", "trial"]].itertuples(
        index=False)] == [("energy_per_inference", "A", 1e12, 2), ("latency", "A", 1e12, 0),
                          ("energy_per_inference", "B", 1e12, 4), ("latency", "B", 1e12, 4)]


def test_a_near_tie_on_the_objective_is_settled_by_the_others_then_the_trial():
    """The semiconductor's lowest energy at 1e12 ran at 49 µs while a design 0.004 % above it
    ran at 52 ns: within TIE (0.1 %) the faster design is the best-energy design."""
    frame = trials([
        ("A", 1e12, 0, True, 7.8160, 49.2e-6, 2.0),
        ("A", 1e12, 1, True, 7.8163, 52e-9, 2.0),
        ("A", 1e12, 2, True, 7.8163, 52e-9, 2.0),   # same values: the lower trial number wins
        ("A", 1e12, 3, True, 7.8250, 1e-9, 2.0),    # 0.12 % above: not a tie
        ("A", 1e12, 4, False, 7.0, 1e-12, 2.0),     # infeasible: never a candidate
    ])
    best = best_designs(frame, OBJECTIVES).set_index("objective")["trial"]
    assert best["energy_per_inference"] == 1 and best["latency"] == 3
    alone = best_designs(frame, ["energy_per_inference"]).set_index("objective")["trial"]
    assert alone["energy_per_inference"] == 0  # nothing else to settle the tie: the lowest


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("AB"), st.sampled_from([1e12, 1e15]), st.booleans(),
                          st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=25))
def test_best_designs_match_a_brute_force_search(rows):
    frame = trials([(v, p, i, f, float(e), float(t), 1.0) for i, (v, p, f, e, t) in enumerate(rows)])
    best = best_designs(frame, OBJECTIVES)
    expected = set()
    for (v, p), group in frame[frame["feasible"]].groupby(["variant", "params"]):
        for objective, col, other in zip(OBJECTIVES, (E, T), (T, E)):
            tied = group[group[col] == group[col].min()]  # whole numbers: ties are exact
            first = tied[tied[other] == tied[other].min()]
            expected.add((objective, v, p, int(first["trial"].min())))
    assert set(best[["objective", "variant", "params", "trial"]].itertuples(index=False)) == expected
    assert len(best) == len(expected)


def test_equal_loss_best_keeps_designs_at_most_as_lossy_as_the_limit():
    frame = trials([
        ("A", 1e12, 0, True, 1.0, 1.0, 2.5),  # best energy, but lossier than the limit
        ("A", 1e12, 1, True, 2.0, 1.0, 2.0),  # exactly at the limit: kept
        ("A", 1e12, 2, True, 3.0, 0.5, 1.0),
        ("B", 1e12, 3, True, 1.0, 1.0, 1.0),  # no limit for B: left out
    ])
    best = equal_loss_best(frame, OBJECTIVES, {("A", 1e12): 2.0})
    assert list(best["trial"]) == [1, 2] and set(best["variant"]) == {"A"}


def test_crossover_is_the_log_linear_zero_between_adjacent_scales():
    # log10(a / b): −1 at 1e12, +2 at 1e15 → zero one third of the way, at 10**13
    best = best_table({("A", 1e12): 1.0, ("A", 1e15): 1000.0, ("B", 1e12): 10.0, ("B", 1e15): 10.0})
    row = crossovers(best, ["energy_per_inference"]).iloc[0].to_dict()
    assert row == {"objective": "energy_per_inference", "variant_a": "A", "variant_b": "B",
                   "crossover_params": 1e13, "better_below": "A", "better_above": "B"}
    reversed_roles = best.assign(variant=best["variant"].map({"A": "B", "B": "A"}))
    row = crossovers(reversed_roles.iloc[[2, 3, 0, 1]], ["energy_per_inference"]).iloc[0]
    assert (row["variant_a"], row["better_below"], row["better_above"]) == ("A", "B", "A")


def test_crossover_rounds_to_six_digits_and_needs_a_sign_change():
    best = best_table({("A", 1e12): 1.0, ("A", 1e14): 100.0, ("A", 1e18): 1e5,
                       ("B", 1e12): 3.0, ("B", 1e14): 3.0, ("B", 1e18): 3.0})
    cross = crossovers(best, ["energy_per_inference"])
    x = 12 + 2 * math.log10(3) / 2  # log10 a − log10 b: −log10 3 at 12, 2 − log10 3 at 14
    assert list(cross["crossover_params"]) == [float(f"{10 ** x:.6g}")]  # once: no second change
    touching = best_table({("A", 1e12): 3.0, ("A", 1e15): 1.0, ("B", 1e12): 3.0, ("B", 1e15): 3.0})
    none = crossovers(touching, ["energy_per_inference"])  # equal at one end: no overtaking
    assert none.empty and list(none.columns) == ["objective", "variant_a", "variant_b",
                                                 "crossover_params", "better_below", "better_above"]


def test_ties_within_a_thousandth_are_no_crossover_but_do_not_hide_one():
    """Best model losses of platforms that reach the same precision and shape differ by
    1e-16 … 1e-8 (seen in the scaling study): alternating signs there are not crossovers;
    a tie between two clear sides still leaves the overtaking, interpolated across it."""
    noise = best_table({("A", 1e12): 1.7238, ("A", 1e14): 1.7238 * (1 + 1e-8),
                        ("A", 1e16): 1.7238, ("A", 1e18): 1.7238 * (1 + 9e-4),
                        ("B", 1e12): 1.7238 * (1 + 1e-12), ("B", 1e14): 1.7238,
                        ("B", 1e16): 1.7238 * (1 + 5e-4), ("B", 1e18): 1.7238})
    assert crossovers(noise, ["energy_per_inference"]).empty
    across = best_table({("A", 1e12): 1.0, ("A", 1e14): 10.0, ("A", 1e16): 100.0,
                         ("B", 1e12): 10.0, ("B", 1e14): 10.0 * (1 + 5e-4), ("B", 1e16): 10.0})
    row = crossovers(across, ["energy_per_inference"]).iloc[0]
    assert row["crossover_params"] == pytest.approx(1e14, rel=1e-5)
    assert (row["better_below"], row["better_above"]) == ("A", "B")
    apart = best_table({("A", 1e12): 1.0, ("A", 1e14): 1.0 * (1 + 2e-3),
                        ("B", 1e12): 1.0 * (1 + 2e-3), ("B", 1e14): 1.0})
    assert len(crossovers(apart, ["energy_per_inference"])) == 1  # 0.2 % apart: a finding


@settings(max_examples=100, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(-1, 1), st.floats(-1, 1))
@example(0.0, 1.0, 0.5, 0.0)  # they meet exactly at 1e14, a scale of the table
def test_crossover_of_two_power_laws_is_where_they_meet(log_a0, log_b0, alpha, beta):
    """a = a0 (P/1e12)^alpha and b = b0 (P/1e12)^beta meet at log10 P = 12 + Δ / (β − α)."""
    if abs(alpha - beta) < 1e-3:
        return
    scales = [1e12, 1e14, 1e16, 1e18]
    x = np.log10(scales) - 12
    values = {("A", p): 10 ** (log_a0 + alpha * xi) for p, xi in zip(scales, x)}
    values |= {("B", p): 10 ** (log_b0 + beta * xi) for p, xi in zip(scales, x)}
    cross = crossovers(best_table(values), ["energy_per_inference"])
    meet = (log_a0 - log_b0) / (beta - alpha)
    ends_apart = all(abs(log_a0 - log_b0 + (alpha - beta) * xi) > math.log10(1 + TIE)
                     for xi in (0, 6))  # a tie at either end scale is no side of a crossover
    if 0 < meet < 6 and ends_apart:  # also where they meet at, or within a tie of, 1e14 or 1e16
        assert len(cross) == 1
        assert math.log10(cross["crossover_params"].iloc[0]) == pytest.approx(12 + meet, abs=1e-5)
        assert cross["better_below"].iloc[0] == ("A" if alpha > beta else "B")
    elif not 0 <= meet <= 6:
        assert cross.empty


def test_advantage_is_the_reference_value_over_the_variant_value():
    best = best_table({("GPU", 1e12): 100.0, ("GPU", 1e15): 1e4, ("tube", 1e12): 4.0,
                       ("tube", 1e15): 1.0, ("rom", 1e15): 1e5})
    table = ratios(best, ["energy_per_inference"], "GPU")
    assert [tuple(r) for r in table.itertuples(index=False)] == [
        ("energy_per_inference", "rom", 1e15, 0.1), ("energy_per_inference", "tube", 1e12, 25.0),
        ("energy_per_inference", "tube", 1e15, 1e4)]
    none = ratios(best, ["energy_per_inference"], "nobody")
    assert none.empty and list(none.columns) == ["objective", "variant", "params", "advantage"]


def test_no_advantage_where_the_reference_has_no_design():
    best = best_table({("GPU", 1e12): 100.0, ("tube", 1e12): 4.0, ("tube", 1e15): 1.0})
    table = ratios(best, ["energy_per_inference"], "GPU")
    assert list(table["params"]) == [1e12]


def test_tag_counts_count_pareto_designs_per_tag_and_scale():
    frame = pd.DataFrame({"variant": ["A", "A", "A", "A"], "params": [1e12, 1e15, 1e15, 1e12],
                          "pareto": [True, True, True, False],
                          "at_bound": ["x=low;y=high", "x=low", None, "x=low"]})
    assert tag_counts(frame, "at_bound") == {"A": {"x=low": (2, 3, [1e12, 1e15]),
                                                   "y=high": (1, 3, [1e12])}}
    frame = pd.concat([frame.assign(variant="Z"), frame])  # variants in order of appearance
    assert list(tag_counts(frame, "at_bound")) == ["Z", "A"]
    assert tag_counts(frame.drop(columns="pareto"), "at_bound") == {}  # no front, no tags


STUDY = """
name = "tiny"
description = "two platforms"
scales = [1e12, 1e15]
objectives = ["energy_per_inference", "latency"]
compare_to = "GPU"
equal_loss = { weight_precision = 8, io_precision = 4, tolerance = 0.05 }
[search]
trials = 10
[workload]
batch_size = 8
[[platforms]]
model = "gpu"
label = "GPU"
preset = "paper"
[[platforms]]
model = "digital_rom"
label = "ROM"
"""


@pytest.fixture
def tiny(tmp_path):
    """GPU: two designs at 1e12 (one best in energy, one in latency), one at 1e15; ROM: only an
    infeasible design at 1e12, one at 1e15. Margins, tags and unset variables are no design."""
    (tmp_path / "tiny.toml").write_text(STUDY)
    study = load_study(tmp_path / "tiny.toml")
    frame = trials([("GPU", 1e12, 0, True, 100.0, 2e-3, 2.0), ("GPU", 1e15, 1, True, 1e5, 1.0, 2.0),
                    ("ROM", 1e12, 2, False, 4.0, 1e-3, 2.0), ("ROM", 1e15, 3, True, 1.0, 1.0, 2.0),
                    ("GPU", 1e12, 4, True, 200.0, 1e-3, 2.0)])
    frame["io_dimension [1]"] = [4096, 8192, 1024, 2048, 512]
    frame["weight_precision [bit]"] = [8, 8, 4, 4, 2]
    frame["tile_size [1]"] = np.nan
    frame["margin:heat_flux [1]"] = -0.5
    frame["at_bound"] = frame["binding"] = ""
    frame["pareto"] = frame["feasible"]
    return study, frame, best_designs(frame, study.objectives)


def test_summary_prints_best_values_advantages_and_missing_designs(tiny):
    study, frame, best = tiny
    text = summary_markdown(study, frame, best, crossovers(best, study.objectives),
                            ratios(best, study.objectives, "GPU"),
                            {"trials": 10, "storage": "memory", "studies": 4, "seconds": 1.0})
    lines = text.splitlines()
    assert [line for line in lines if line.startswith("#")] == [
        "# Study `tiny`", "## What was run", "## Best design of each platform at each scale",
        "### Lowest energy_per_inference", "### Lowest latency", "## Advantage over GPU",
        "## Where the fronts stand", "## Crossovers"]
    header = lines.index("| platform | model | preset | overrides |")
    run = lines[lines.index("## What was run") + 2:header]
    assert run[:3] == ["- objectives: energy_per_inference, latency (minimised)",
                       "- scales: 1e+12, 1e+15 parameters",
                       "- search: nsga2, 10 trials per study, seed 0, 50 reference-front seeds"]
    assert run[-2:] == ["- search time: 1.0 s", ""]
    assert lines[header + 2:header + 4] == ["| GPU | gpu | paper | — |",
                                            "| ROM | digital_rom | default | — |"]
    assert "| GPU | 1e+12 | 100 J | 2 ms | io_dimension = 4096, weight_precision = 8 bit |" in lines
    assert "| GPU | 1e+12 | 200 J | 1 ms | io_dimension = 512, weight_precision = 2 bit |" in lines
    assert "| ROM | 1e+15 | 1 J | 1 s | io_dimension = 2048, weight_precision = 4 bit |" in lines
    assert lines.count("No feasible design found for: ROM at 1e+12.") == 2  # once per objective
    assert "| energy_per_inference | ROM | — | 1e+05× |" in lines
    assert "| latency | ROM | — | 1× |" in lines
    assert "- storage: memory; 4 studies, 5 trials in all, 4 on Pareto fronts" in lines
    assert "No platform overtakes another within the scales studied." in lines
    assert "- workload (every platform): tokens_per_inference = 1, context_length = 1024, " \
           "batch_size = 8" in lines
    assert "model_loss is at most that of an 8-bit-weight, 4-bit-I/O network of real-LLM shape " \
           "(d/layers = 128) at the same P, its reducible part L − E allowed 5 % more" in text
    assert "No Pareto design sits on a range bound or leans on a margin." in lines


def test_summary_checks_the_papers_table1(tiny):
    from codesign.points.table1 import table1_records

    study, frame, best = tiny
    records = table1_records()
    records[0] = {**records[0], "rounded_value": records[0]["rounded_value"] * 10}  # one cell off
    text = summary_markdown(study, frame, best, crossovers(best, study.objectives), None,
                            {"trials": 10, "storage": "memory", "studies": 4, "seconds": 1.0},
                            records)
    assert f"**{len(records) - 1} of {len(records)} cells reproduce the paper**" in text
    assert "Every platform here runs the `paper` preset." in text  # GPU: the Table 1 platform


def test_latex_table_has_each_best_value_and_no_row_where_none(tiny):
    study, _, best = tiny
    tex = table_tex(study, best)
    lines = tex.splitlines()
    assert tex.endswith("\\end{table}\n") and lines[:8] == [
        "% generated by pfm-codesign; needs \\usepackage{booktabs}", "\\begin{table}",
        "\\centering",
        "\\caption{two platforms: lowest value of each objective over feasible designs}",
        "\\label{tab:tiny}", "\\begin{tabular}{llrr}", "\\toprule",
        "Platform & $P$ & Energy per inference (J) & Latency (s) \\\\"]
    assert lines[-3:] == ["\\bottomrule", "\\end{tabular}", "\\end{table}"]
    rows = lines[lines.index("\\midrule") + 1:lines.index("\\bottomrule")]
    assert rows == ["GPU & $1\\times10^{12}$ & $1\\times10^{2}$ & $1\\times10^{-3}$ \\\\",
                    " & $1\\times10^{15}$ & $1\\times10^{5}$ & $1\\times10^{0}$ \\\\",
                    "ROM & $1\\times10^{15}$ & $1\\times10^{0}$ & $1\\times10^{0}$ \\\\"]
