"""Golden result of the search layer: a fixed seed gives exactly the committed CSV.

The search: the optical tube at P = 1e12, energy per inference against latency, seed 0, NSGA-II
with a population of 10 whose first generation is 10 designs of the exact reference front
(``reference_seeds``), then three generations: 40 trials, exported as ``pfm-codesign search
--out`` writes them (every design variable, metric and margin of every trial, feasibility, the
Pareto mark, ``at_bound``, ``binding``). The text must equal ``tests/golden/search_optical_tube.csv``
character for character: floats are written at full precision (shortest round-trip form), so a
change of the tube's physics, the reference front, the sampler or its seeding, the Pareto filter
or the export shows here. When the change is intended, regenerate the file from the repository
root and commit it with the change:

    PYTHONPATH=. python -m tests.codesign.test_golden
"""
import csv
import io
import itertools
import os
import subprocess
import sys
from pathlib import Path

from codesign.outputs import trials_frame
from codesign.search import SearchSpec, run_search

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "search_optical_tube.csv"
REGENERATE = "PYTHONPATH=. python -m tests.codesign.test_golden"
SPEC = SearchSpec("optical_tube", 1e12, ["energy_per_inference", "latency"], sampler="nsga2",
                  seed=0, reference_seeds=10)
TRIALS = 40
POPULATION = 10


def golden_csv(spec: SearchSpec = SPEC) -> str:
    """The CSV of the golden search (in memory; nothing is stored)."""
    result = run_search(spec, TRIALS, storage="memory", population=POPULATION)
    return trials_frame(result.study).to_csv(index=False, lineterminator="\n")


def mismatch(expected: str, actual: str) -> str:
    """The first differing cells of the golden and the new CSV, and how to regenerate."""
    old, new = (list(csv.reader(io.StringIO(text))) for text in (expected, actual))
    if old[:1] != new[:1]:
        changes = [f"columns: {old[0] if old else []} -> {new[0] if new else []}"]
    else:
        changes = [f"row {i}, {name}: {a!r} -> {b!r}" for i, (row_a, row_b) in
                   enumerate(itertools.zip_longest(old[1:], new[1:], fillvalue=[]))
                   for name, a, b in itertools.zip_longest(old[0], row_a, row_b) if a != b]
    shown = "\n  ".join(changes[:8]) + (f"\n  ... {len(changes) - 8} more" if len(changes) > 8 else "")
    return (f"the golden search no longer reproduces {GOLDEN.relative_to(ROOT)}:\n  {shown}\n"
            f"If the change is intended, regenerate it from the repository root with\n"
            f"    {REGENERATE}\nand commit the new file with the change.")


def test_seeded_search_reproduces_the_golden_csv():
    expected, actual = GOLDEN.read_text(encoding="utf-8"), golden_csv()
    assert actual == expected, mismatch(expected, actual)


def test_golden_csv_holds_a_feasible_front_and_infeasible_children():
    import pandas as pd

    frame = pd.read_csv(GOLDEN)
    assert len(frame) == TRIALS and list(frame["trial"]) == list(range(TRIALS))
    assert frame["pareto"].sum() >= 3 and frame.loc[frame["pareto"], "feasible"].all()
    assert (~frame["feasible"]).any()  # the constraints are exercised, not only the objectives


def test_golden_is_independent_of_the_hash_seed():
    """Another interpreter with another string-hash seed writes the same text (no set or dict
    order of strings leaks into the search or the export)."""
    env = {**os.environ, "PYTHONHASHSEED": "1", "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run([sys.executable, "-m", "tests.codesign.test_golden", "--stdout"],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    expected = GOLDEN.read_text(encoding="utf-8")
    assert run.stdout == expected, mismatch(expected, run.stdout)


def test_a_change_of_one_part_per_million_in_the_physics_shows():
    """The comparison is exact: the tube's nonlinear index moved by 1 ppm changes the CSV."""
    import cost_models

    n2 = cost_models.get("optical_tube").resolve_assumptions(None)["nonlinear_index"]
    nudged = SearchSpec(**{**SPEC.__dict__, "assumptions": {"nonlinear_index": n2 * (1 + 1e-6)}})
    assert golden_csv(nudged) != GOLDEN.read_text(encoding="utf-8")


if __name__ == "__main__":
    text = golden_csv()
    if "--stdout" in sys.argv[1:]:
        sys.stdout.write(text)
    else:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
        print(f"wrote {GOLDEN.relative_to(ROOT)} ({text.count(chr(10)) - 1} trials)")
