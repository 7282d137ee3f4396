"""Benchmarks reported by ``pfm-codesign bench``: figures to quote, never asserted in tests."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
from optuna.trial import TrialState

import cost_models
from cost_models import InputError
from cost_models.space import random_designs

from codesign.search.pareto import hypervolume_ratio, nondominated
from codesign.search.reference import reference_front
from codesign.search.optimise import Problem, SearchSpec, run_search

BENCH_PARAMS = 1e12
BENCH_OBJECTIVES = ["energy_per_inference", "latency"]
TARGET = 0.99  # fraction of the reference hypervolume
BENCH_SEEDS = 100  # reference-front designs that start the seeded search


def evaluation_rate(name: str, n: int = 1_000_000, params: float = 1e12, repeats: int = 3) -> dict:
    """Designs per second of one vectorised ``evaluate`` call on ``n`` random designs (best of
    ``repeats``), with the model's default assumptions."""
    model = cost_models.get(name)
    designs = random_designs(model, n, seed=0)
    assumptions = model.resolve_assumptions()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        model.evaluate(params, designs, assumptions)
        best = min(best, time.perf_counter() - start)
    return {"model": name, "designs": n, "seconds": best, "designs_per_second": n / best}


def _front_ratio(values: np.ndarray, feasible: np.ndarray, reference: np.ndarray) -> float:
    front = values[feasible]
    return hypervolume_ratio(front[nondominated(front)], reference) if len(front) else 0.0


class _Tracker:
    """Observer recording, after every batch, the search's own wall time (the time spent
    measuring is excluded) and its hypervolume ratio to the reference front."""

    def __init__(self, reference: np.ndarray):
        self.reference = reference
        self.points: list[tuple[int, float, float]] = []  # (trials, seconds, ratio)
        self.excluded = 0.0
        self.start = time.perf_counter()

    def __call__(self, study) -> None:
        paused = time.perf_counter()
        trials = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
        done = len(trials)
        values = np.array([t.values for t in trials])
        feasible = np.array([all(v <= 0 for v in t.constraints.values())
                             for t in trials])
        ratio = _front_ratio(values, feasible, self.reference)
        self.points.append((done, paused - self.start - self.excluded, ratio))
        self.excluded += time.perf_counter() - paused


def _summarise(points, label: str) -> dict:
    at = {mark: next((r for n, _, r in points if n >= mark), None) for mark in (500, 2000)}
    reached = next((t for _, t, r in points if r >= TARGET), None)
    total = points[-1][1] if points else float("nan")
    return {"method": label, "hv_ratio_500": at.get(500), "hv_ratio_2000": at.get(2000),
            "seconds_to_99": reached, "seconds_2000": total,
            "trials_per_second": (points[-1][0] / total) if points else None}


def optuna_figures(name: str, objectives: list[str], trials: int = 2000,
                   reference_seeds: int = 0, storage: str = "memory") -> dict:
    """Optuna NSGA-II on ``name`` at P = 1e12; with seeds, the reference front's time counts."""
    spec = SearchSpec(name, BENCH_PARAMS, objectives, reference_seeds=reference_seeds)
    problem = Problem.resolve(spec)
    start = time.perf_counter()
    reference = reference_front(problem.space, BENCH_PARAMS, objectives, problem.assumptions)
    reference_seconds = time.perf_counter() - start
    # seeding computes its own reference front inside the search, so its time is counted there
    tracker = _Tracker(reference.objectives)
    run_search(spec, trials, storage=storage, observe=tracker)
    label = "optuna nsga2" + (f" + {reference_seeds} reference seeds" if reference_seeds else "")
    return {**_summarise(tracker.points, label), "reference_seconds": reference_seconds,
            "reference_front_size": len(reference.objectives)}


def pymoo_figures(name: str, objectives: list[str], evaluations: int = 2000) -> dict | None:
    """pymoo's NSGA-II on the same problem (unit-cube encoding of the same design space)."""
    try:
        from pymoo.algorithms.moo.nsga2 import NSGA2
        from pymoo.core.callback import Callback
        from pymoo.core.problem import Problem as PymooProblem
        from pymoo.optimize import minimize
    except ImportError:
        return None
    problem = Problem.resolve(SearchSpec(name, BENCH_PARAMS, objectives))
    reference = reference_front(problem.space, BENCH_PARAMS, objectives, problem.assumptions)
    free = problem.space.free
    n_constraints = len(problem.model.margin_descriptions)

    class Wrapped(PymooProblem):
        def __init__(self):
            super().__init__(n_var=len(free), n_obj=len(objectives), n_ieq_constr=n_constraints,
                             xl=0.0, xu=1.0 - 1e-12)

        def _evaluate(self, x, out, *args, **kwargs):
            designs = problem.space.from_unit(x)
            result = problem.model.evaluate(BENCH_PARAMS, designs, problem.assumptions)
            out["F"] = np.column_stack([result.metrics[o] for o in objectives])
            if n_constraints:
                out["G"] = np.column_stack([result.margins[m] for m in problem.model.margin_descriptions])

    history: list = []

    class Record(Callback):
        def notify(self, algorithm):
            paused = time.perf_counter()
            pop = algorithm.pop
            feasible = (pop.get("CV") <= 0).reshape(-1) if n_constraints else np.ones(len(pop), bool)
            ratio = _front_ratio(pop.get("F"), feasible, reference.objectives)
            history.append([algorithm.evaluator.n_eval, paused, ratio, time.perf_counter() - paused])

    start = time.perf_counter()
    minimize(Wrapped(), NSGA2(pop_size=50), ("n_eval", evaluations), seed=0, callback=Record(),
             verbose=False)
    points, excluded = [], 0.0
    for n_eval, stamp, ratio, cost in history:
        points.append((n_eval, stamp - start - excluded, ratio))
        excluded += cost
    return _summarise(points, "pymoo nsga2")


def search_benchmark(name: str, objectives: list[str] | None = None) -> dict:
    """Every search figure of ``pfm-codesign bench`` for one model."""
    objectives = objectives or BENCH_OBJECTIVES
    runs = [optuna_figures(name, objectives),
            optuna_figures(name, objectives, reference_seeds=BENCH_SEEDS)]
    with tempfile.TemporaryDirectory() as folder:
        stored = optuna_figures(name, objectives, storage=str(Path(folder) / "bench.journal"))
    pymoo = pymoo_figures(name, objectives)
    if pymoo:
        runs.append(pymoo)
    return {"model": name, "params": BENCH_PARAMS, "objectives": objectives,
            "trials_per_second_memory": runs[0]["trials_per_second"],
            "trials_per_second_default_storage": stored["trials_per_second"],
            "runs": runs}


def stored_rate(trials) -> float:
    """Trials per second of stored ``trials``, from the first start to the last completion
    (process start-up excluded)."""
    start = min(t.datetime_start for t in trials)
    end = max(t.datetime_complete for t in trials)
    return len(trials) / max((end - start).total_seconds(), 1e-9)


def scale_out_benchmark(storage: str, workers: list[int], trials: int = 4000,
                        long_study: int = 20_000, model: str = "crossbar") -> dict:
    """Trials/s of ``workers`` processes (``pfm-codesign search``) sharing one new study on
    database ``storage``, against one process on the embedded journal (the first ``trials``
    of a ``long_study``-trial study), and that study's rate over its first and last 1 000
    trials (whether the rate holds as the study grows)."""
    import subprocess
    import sys
    import uuid

    import optuna

    from codesign.search.storage import open_storage, redact

    def search(url: str, study: str, count: int) -> list[str]:
        return [sys.executable, "-m", "codesign", "search", model, "--params", "1e12",
                "--objectives", ",".join(BENCH_OBJECTIVES), "--trials", str(count),
                "--storage", url, "--study", study, "--quiet"]

    def complete(url: str, study: str) -> list:
        with open_storage(url) as store:
            return sorted(optuna.load_study(study_name=study, storage=store.storage).get_trials(
                states=(TrialState.COMPLETE,)), key=lambda t: t.number)

    with tempfile.TemporaryDirectory() as folder:
        journal = str(Path(folder) / "bench.journal")
        subprocess.run(search(journal, "embedded", long_study), check=True, capture_output=True)
        done = complete(journal, "embedded")
    window = min(1000, len(done) // 2)
    rate = stored_rate(done[:trials])
    rows = [{"storage": "embedded journal", "workers": 1, "trials": min(trials, len(done)),
             "trials_per_second": rate, "per_worker": rate}]
    growth = {"trials": len(done), "window": window,
              "first_per_second": stored_rate(done[:window]),
              "last_per_second": stored_rate(done[-window:])}
    for count in workers:
        study = f"bench-{uuid.uuid4().hex[:8]}"
        running = [subprocess.Popen(search(storage, study, trials), stderr=subprocess.PIPE,
                                    text=True) for _ in range(count)]
        errors = [process.communicate()[1] for process in running]
        for process, error in zip(running, errors):
            if process.returncode != 0:
                raise InputError(f"bench: a worker on {redact(storage)} failed: "
                                 f"{(error.strip().splitlines() or ['no message'])[-1]}")
        done = complete(storage, study)
        rate = stored_rate(done)
        rows.append({"storage": redact(storage), "workers": count, "trials": len(done),
                     "trials_per_second": rate, "per_worker": rate / count})
    return {"rows": rows, "growth": growth}
