"""Mutation score of chosen modules against chosen tests, with mutmut (``pip install mutmut``;
not a project dependency).

mutmut changes one operator, constant or name at a time (``<`` → ``<=``, ``+`` → ``-``, ``0`` → ``1``,
``not x`` → ``x``…) and runs the tests that reach the mutated function; a mutant the tests do not
fail on survives. The run happens in a throwaway copy of the committed tree (``git archive
HEAD``), so the working tree stays clean. Tests that start ``python -m codesign`` in a subprocess
test the installed copy, not the mutant: deselect them with ``-k``. Example (from the repository
root; minutes on two cores)::

    python scripts/mutation.py codesign/search/pareto.py codesign/outputs/results.py \\
        --tests tests/codesign/test_pareto.py tests/codesign/test_results.py

prints killed / all mutants per module and the surviving mutants (``mutmut show NAME`` in the
printed folder shows one).
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def config(modules: list[str], tests: list[str], keyword: str | None) -> str:
    """The ``[tool.mutmut]`` table for the copy's pyproject.toml."""
    args = ["-p", "no:cacheprovider", "-x", "-q", *(["-k", keyword] if keyword else [])]
    sources = sorted({m.split("/")[0] + "/" for m in modules})
    others = [p for p in ("tests/", "studies/", "cost_models/", "codesign/") if p not in sources]
    return (f"\n[tool.mutmut]\nsource_paths = {json.dumps(sources)}\n"
            f"only_mutate = {json.dumps(modules)}\n"
            f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
            f"pytest_add_cli_args = {json.dumps(args)}\n"
            f"also_copy = {json.dumps(others)}\n")


def scores(results: str) -> dict[str, Counter]:
    """Per module, how many mutants ended in each state, from ``mutmut results --all true``."""
    out: dict[str, Counter] = {}
    for name, state in re.findall(r"^\s*([\w.]+)__mutmut_\d+: (.+)$", results, re.M):
        module = name.rsplit(".", 1)[0]
        out.setdefault(module, Counter())[state.strip()] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", help="files to mutate, relative to the repository")
    parser.add_argument("--tests", nargs="+", required=True, help="test files to run")
    parser.add_argument("-k", dest="keyword", help="pytest -k expression selecting tests")
    parser.add_argument("--rev", default="HEAD", help="commit to test (default HEAD; e.g. main "
                        "for a score before a change)")
    args = parser.parse_args(argv)
    if shutil.which("mutmut") is None:
        parser.error("mutmut is not installed (pip install mutmut)")
    copy = Path(tempfile.mkdtemp(prefix="pfm-mutation-"))
    archive = subprocess.run(["git", "archive", args.rev], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(copy)], input=archive.stdout, check=True)
    with open(copy / "pyproject.toml", "a", encoding="utf-8") as f:
        f.write(config(args.modules, args.tests, args.keyword))
    subprocess.run(["mutmut", "run", "--max-children", "2"], cwd=copy, check=True,
                   stdout=subprocess.DEVNULL)
    results = subprocess.run(["mutmut", "results", "--all", "true"], cwd=copy, text=True,
                             capture_output=True, check=True).stdout
    for module, counts in sorted(scores(results).items()):
        total = sum(counts.values())
        print(f"{module}: {counts['killed']} of {total} mutants killed "
              f"({100 * counts['killed'] / total:.0f} %); {dict(counts)}")
    print(f"survivors (mutmut show NAME, in {copy}):")
    print("\n".join(line for line in results.splitlines() if line.strip().endswith("survived")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
