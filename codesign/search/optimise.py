"""Multi-objective co-design search: one Optuna study per (platform, scale).

Designs are asked in batches (one NSGA generation at a time), evaluated in one vectorised
call, and told back with their objectives; every margin becomes an Optuna constraint, stored
in the legacy ``constraints`` list attribute that both Optuna 5 (``best_trials``, NSGA's
constrained domination) and optuna-dashboard 0.21 read, so infeasible designs never reach a
front. Metrics and named margins are kept as user attributes for export.
"""
from __future__ import annotations

import hashlib
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field

import numpy as np
import optuna
from optuna.trial import TrialState

import cost_models
from cost_models import METRIC_UNITS, InputError
from cost_models.units import unknown_name

from codesign.search.samplers import SAMPLERS
from codesign.search.reference import SEED_SAMPLES, reference_front, spread_sample
from codesign.search.space import SearchSpace
from codesign.search.storage import Store, open_storage

optuna.logging.set_verbosity(optuna.logging.WARNING)

CONSTRAINTS_ATTR = "constraints"  # legacy list format: read by Optuna 5 and optuna-dashboard
SPEC_ATTR = "pfm_codesign_spec"


@dataclass
class SearchSpec:
    """Everything that defines a study; its hash names the study unless a name is given."""

    model: str
    params: float
    objectives: list[str]
    sampler: str = "nsga2"
    seed: int = 0
    preset: str | None = None
    assumptions: dict[str, object] = field(default_factory=dict)  # user text or SI values
    fixed: dict[str, object] = field(default_factory=dict)
    ranges: dict[str, list] = field(default_factory=dict)
    reference_seeds: int = 0

    def key(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:10]

    def default_study_name(self) -> str:
        return f"{self.model}-P{self.params:.3g}-{self.key()}"


@dataclass
class Problem:
    """A resolved spec: the model, its SI assumptions and its search space."""

    spec: SearchSpec
    model: cost_models.CostModel
    assumptions: dict
    space: SearchSpace

    @classmethod
    def resolve(cls, spec: SearchSpec) -> "Problem":
        validate_objectives(spec.objectives)
        if spec.sampler not in SAMPLERS:
            raise InputError(f"unknown sampler '{spec.sampler}'; expected one of {', '.join(SAMPLERS)}")
        model = cost_models.get(spec.model)
        assumptions = model.resolve_assumptions(spec.preset, spec.assumptions)
        space = SearchSpace.build(model, spec.fixed, spec.ranges)
        return cls(spec, model, assumptions, space)

    def evaluate(self, designs: Mapping[str, list], n: int):
        arrays = self.space.complete({k: np.asarray(v, dtype=object if isinstance(v[0], str)
                                                    else float) for k, v in designs.items()}, n)
        return self.model.evaluate(self.spec.params, arrays, self.assumptions)


def validate_objectives(objectives: list[str]) -> None:
    if len(objectives) not in (2, 3):
        raise InputError(f"--objectives: give 2 or 3 metrics, got {len(objectives)} "
                         f"({', '.join(objectives) or 'none'}); choose from {', '.join(METRIC_UNITS)}")
    for name in objectives:
        if name not in METRIC_UNITS:
            raise InputError(f"--objectives: {unknown_name('metric', name, METRIC_UNITS)}")
    if len(set(objectives)) != len(objectives):
        raise InputError("--objectives: a metric is listed twice")


def make_sampler(name: str, seed: int, population: int) -> optuna.samplers.BaseSampler:
    if name == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed, population_size=population)
    if name == "nsga3":
        return optuna.samplers.NSGAIIISampler(seed=seed, population_size=population)
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if name == "qmc":
        return optuna.samplers.QMCSampler(seed=seed, scramble=True, warn_independent_sampling=False)
    try:
        import torch  # noqa: F401
    except ImportError:
        raise InputError("sampler 'gp' needs PyTorch (pip install torch); choose another "
                         "sampler") from None
    return optuna.samplers.GPSampler(seed=seed)


def batch_size(sampler: str, population: int) -> int:
    """Designs asked before telling: a whole generation for NSGA, one at a time for model-based
    samplers that learn from every trial."""
    return population if sampler in ("nsga2", "nsga3", "random", "qmc") else 1


@dataclass
class SearchResult:
    study: optuna.Study
    problem: Problem
    store: Store
    new_trials: int  # complete trials this call added
    interrupted: bool = False


def open_study(problem: Problem, store: Store, study_name: str | None,
               population: int = 50) -> optuna.Study:
    spec = problem.spec
    name = study_name or spec.default_study_name()
    sampler = make_sampler(spec.sampler, spec.seed, population)
    try:
        study = optuna.create_study(storage=store.storage, study_name=name, sampler=sampler,
                                    directions=["minimize"] * len(spec.objectives),
                                    load_if_exists=True)
    except ValueError as exc:  # e.g. an existing study with other directions
        raise InputError(f"study '{name}': {exc}") from None
    stored = study.user_attrs.get(SPEC_ATTR)
    if stored is None:
        study.set_user_attr(SPEC_ATTR, json.loads(json.dumps(asdict(spec), default=str)))
        study.set_metric_names(list(spec.objectives))  # optuna-dashboard's axis titles
    elif stored != json.loads(json.dumps(asdict(spec), default=str)):
        raise InputError(f"study '{name}' in {store.name} was created with other settings "
                         f"(model, scale, objectives, sampler, seed or assumptions); choose "
                         f"another --study name")
    return study


def completed(study: optuna.Study) -> int:
    return len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)))


def run_search(spec: SearchSpec, trials: int, storage: str | Store | None = None,
               study_name: str | None = None, population: int = 50,
               progress: Callable[[int, int], None] | None = None,
               checkpoint_seconds: float = 2.0,
               observe: Callable[[optuna.Study], None] | None = None) -> SearchResult:
    """Run (or continue) the study of ``spec`` until it holds ``trials`` complete trials.
    ``storage`` is a URL (see :func:`~codesign.search.storage.open_storage`) or a store opened
    once for many searches (a journal is then read once, not once per search).

    The search itself runs in an in-memory study (Optuna's fastest storage); finished trials
    are copied to the persistent study in bulk every ``checkpoint_seconds`` and at the end,
    also on Ctrl-C or SIGTERM, so an interruption loses at most one checkpoint's trials.
    On a shared database the search runs on it directly so that several workers (processes
    or machines running the same command) cooperate; each stops once the study holds
    ``trials`` complete trials (together they may overshoot by up to one batch each).
    ``progress(done, total)`` and ``observe(study)`` (the study being searched) are called
    after the seeding and after every batch.
    """
    if trials < 1:
        raise InputError(f"--trials: expected a positive number of trials, got {trials}")
    problem = Problem.resolve(spec)
    make_sampler(spec.sampler, spec.seed, population)  # a sampler that cannot run fails here,
    store = storage if isinstance(storage, Store) else open_storage(storage)  # before a store
    persistent = open_study(problem, store, study_name, population)
    stored = persistent.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if store.name == "memory" or store.shared:
        study = persistent
    else:
        study = optuna.create_study(sampler=make_sampler(spec.sampler, spec.seed, population),
                                    directions=["minimize"] * len(spec.objectives))
        study.add_trials(stored)
    start = done = len(stored)
    distributions = problem.space.distributions()
    if spec.reference_seeds and done == 0 and distributions:
        done = _seed_from_reference(study, problem, min(spec.reference_seeds, trials), population)
        _report(progress, observe, study, done, trials)
    if not distributions:  # every variable fixed: one evaluation is the whole study
        trials = 1
    step = batch_size(spec.sampler, population)
    pending: list[optuna.Trial] = []
    copied = start
    told = 0
    last_checkpoint = time.monotonic()
    interrupted = False
    previous = _catch_sigterm()
    try:
        while done < trials:
            pending = batch = [study.ask(distributions) for _ in range(min(step, trials - done))]
            evaluation = problem.evaluate({k: [t.params[k] for t in batch] for k in distributions},
                                          len(batch))
            _tell(study, batch, evaluation, spec.objectives)
            pending = []
            told += len(batch)
            done = completed(study) if store.shared else done + len(batch)
            _report(progress, observe, study, done, trials)
            if study is not persistent and time.monotonic() - last_checkpoint > checkpoint_seconds:
                copied = _checkpoint(study, persistent, store, copied)
                last_checkpoint = time.monotonic()
    except KeyboardInterrupt:
        interrupted = True
        for trial in pending:
            study.tell(trial, state=TrialState.FAIL, skip_if_finished=True)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if study is not persistent:
            _checkpoint(study, persistent, store, copied)
    return SearchResult(persistent, problem, store, told, interrupted)


def _checkpoint(study: optuna.Study, persistent: optuna.Study, store: Store, copied: int) -> int:
    """Copy the complete trials after the first ``copied`` to the persistent study; flush."""
    finished = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    persistent.add_trials(finished[copied:])
    store.flush()
    return len(finished)


def _report(progress, observe, study, done, trials) -> None:
    if progress:
        progress(done, trials)
    if observe:
        observe(study)


def _seed_from_reference(study: optuna.Study, problem: Problem, count: int,
                         population: int) -> int:
    """Add up to ``count`` designs spread along the exact reference front as complete trials
    (already evaluated, so no per-trial objective call); for the genetic samplers they form
    the first generation. Returns the number added."""
    spec = problem.spec
    front = reference_front(problem.space, spec.params, spec.objectives, problem.assumptions,
                            samples=SEED_SAMPLES, seed=spec.seed)
    designs = spread_sample(front, count)
    if not designs:
        return 0
    distributions = problem.space.distributions()
    evaluation = problem.evaluate({k: [d[k] for d in designs] for k in distributions}, len(designs))
    generation_key = getattr(study.sampler, "_get_generation_key", None)  # NSGA-II/III only
    system = {generation_key(): 0} if generation_key and len(designs) >= population else {}
    metrics = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in evaluation.metrics.items()}
    margins = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in evaluation.margins.items()}
    trials = []
    for i, design in enumerate(designs):
        named = {k: float(v[i]) for k, v in margins.items()}
        trials.append(optuna.trial.create_trial(
            params={k: _param(distributions[k], design[k]) for k in distributions},
            distributions=distributions,
            values=[float(metrics[o][i]) for o in spec.objectives],
            user_attrs={"metrics": {k: float(v[i]) for k, v in metrics.items()},
                        **({"margins": named} if named else {})},
            system_attrs={**system, **({CONSTRAINTS_ATTR: list(named.values())} if named else {})},
        ))
    study.add_trials(trials)
    return len(trials)


def _param(distribution, value):
    if isinstance(distribution, optuna.distributions.IntDistribution):
        return int(round(value))
    return value


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _catch_sigterm():
    """Turn SIGTERM into KeyboardInterrupt (so the run checkpoints) when on the main thread;
    returns the previous handler, or None where signals cannot be set (e.g. in the app)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _raise_interrupt)


def _tell(study, trials, evaluation, objectives) -> None:
    metrics = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in evaluation.metrics.items()}
    margins = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in evaluation.margins.items()}
    storage = study._storage
    for i, trial in enumerate(trials):
        trial.set_user_attr("metrics", {k: float(v[i]) for k, v in metrics.items()})
        if margins:
            named = {k: float(v[i]) for k, v in margins.items()}
            trial.set_user_attr("margins", named)
            storage.set_trial_system_attr(trial._trial_id, CONSTRAINTS_ATTR, list(named.values()))
        study.tell(trial, [float(metrics[name][i]) for name in objectives])


def tqdm_progress(quiet: bool) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """A progress callback drawing a bar on stderr (none when quiet, none before the first
    trial) and its closer."""
    if quiet:
        return None, lambda: None
    from tqdm import tqdm

    bars = []

    def update(done: int, total: int) -> None:
        if not bars:
            bars.append(tqdm(total=total, initial=0, unit="trial", file=sys.stderr, leave=False,
                             dynamic_ncols=True))
        bars[0].total = total
        bars[0].update(done - bars[0].n)

    return update, lambda: [bar.close() for bar in bars]
