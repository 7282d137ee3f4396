"""Multi-objective co-design search: one Optuna study per (platform, scale).

A worker searches its own island (:mod:`codesign.search.islands`): it asks a whole generation
of designs, claims room for them in the study, evaluates them in one vectorised call and
records them, with every margin as an Optuna constraint (``Trial.set_constraint``; feasible
when ≤ 0, so infeasible designs never reach a front) and every metric as the ``metrics`` user
attribute. On the embedded journal or in memory, one process writes and the journal is
written at checkpoints; on a database, any number of workers share the study and together
stop at exactly the requested number of complete trials.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import math
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import optuna
from optuna.trial import TrialState

import cost_models
from cost_models import METRIC_UNITS, InputError
from cost_models.units import unknown_name

from codesign.points.evaluate import check_scale
from codesign.search.islands import ISLAND_ATTR, Island, Outcome, make_sampler, stream_seed
from codesign.search.samplers import SAMPLERS
from codesign.search.reference import SEED_SAMPLES, reference_front, spread_sample
from codesign.search.space import SearchSpace
from codesign.search.storage import HEARTBEAT_SECONDS, Store, database_errors, open_storage

optuna.logging.set_verbosity(optuna.logging.WARNING)

SPEC_ATTR = "pfm_codesign_spec"
MAX_SEED = 2**32 - 1
POPULATION = 50
FAILING_BATCHES = 20  # batches without one number for the objectives: give up


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
        validate_seed(spec.seed)
        check_scale(spec.params, "params")
        validate_count("reference_seeds", spec.reference_seeds, 0)
        model = cost_models.get(spec.model)
        assumptions = model.resolve_assumptions(spec.preset, spec.assumptions)
        space = SearchSpace.build(model, spec.fixed, spec.ranges)
        return cls(spec, model, assumptions, space)

    def evaluate(self, designs: Mapping[str, list], n: int):
        arrays = self.space.complete({k: np.asarray(v, dtype=object if isinstance(v[0], str)
                                                    else float) for k, v in designs.items()}, n)
        return self.model.evaluate(self.spec.params, arrays, self.assumptions)

    def outcomes(self, designs: Sequence[dict]) -> list[Outcome]:
        """Evaluate ``designs`` (parameter dicts) in one call; a design whose objectives or
        margins are not numbers is an outcome without values (a failed trial)."""
        names = list(self.space.distributions())
        evaluation = self.evaluate({k: [d[k] for d in designs] for k in names}, len(designs))
        metrics = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in evaluation.metrics.items()}
        margins = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in evaluation.margins.items()}
        outcomes = []
        for i, design in enumerate(designs):
            values = [float(metrics[o][i]) for o in self.spec.objectives]
            named = {k: float(v[i]) for k, v in margins.items()}
            ok = all(math.isfinite(v) for v in values) and not any(map(math.isnan, named.values()))
            outcomes.append(Outcome(design, values if ok else None,
                                    {k: float(v[i]) for k, v in metrics.items()}, named))
        return outcomes


def validate_objectives(objectives: list[str]) -> None:
    if len(objectives) not in (2, 3):
        raise InputError(f"give 2 or 3 metrics, got {len(objectives)} "
                         f"({', '.join(objectives) or 'none'}); choose from "
                         f"{', '.join(METRIC_UNITS)}", field="objectives")
    for name in objectives:
        if name not in METRIC_UNITS:
            raise unknown_name("metric", name, METRIC_UNITS, field="objectives")
    if len(set(objectives)) != len(objectives):
        raise InputError("a metric is listed twice", field="objectives")


def validate_seed(seed) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise InputError(f"expected a whole number from 0 to {MAX_SEED}, got {seed!r}",
                         field="seed")


def validate_count(field: str, value, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        kind = "a positive whole number" if low == 1 else f"a whole number ≥ {low}"
        raise InputError(f"expected {kind}, got {value!r}", field=field)


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
    stream: int = 0


def open_study(problem: Problem, store: Store, study_name: str | None) -> optuna.Study:
    spec = problem.spec
    name = study_name or spec.default_study_name()
    try:
        study = optuna.create_study(storage=store.storage, study_name=name,
                                    directions=["minimize"] * len(spec.objectives),
                                    load_if_exists=True)
    except ValueError as exc:  # e.g. an existing study with other directions
        raise InputError(f"study '{name}': {exc}") from None
    stored = study.user_attrs.get(SPEC_ATTR)
    settings = json.loads(json.dumps(asdict(spec), default=str))
    if stored is None:
        study.set_user_attr(SPEC_ATTR, settings)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            study.set_metric_names(list(spec.objectives))
    elif stored != settings:
        raise InputError(f"study '{name}' in {store.name} was created with other settings "
                         f"(model, scale, objectives, sampler, seed or assumptions); choose "
                         f"another study name")
    return study


def completed(study: optuna.Study) -> int:
    return len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)))


def run_search(spec: SearchSpec, trials: int, storage: str | Store | None = None,
               study_name: str | None = None, population: int = POPULATION,
               progress: Callable[[int, int], None] | None = None,
               observe: Callable[[optuna.Study], None] | None = None) -> SearchResult:
    """Run (or continue) the study of ``spec`` until it holds ``trials`` complete trials.
    ``storage`` is a URL (see :func:`~codesign.search.storage.open_storage`) or a store opened
    once for many searches (a journal is then read once, not once per search).

    On the embedded journal (or in memory) this process is the one writer: it continues its
    island from the stored trials and checkpoints the journal every
    :data:`~codesign.search.storage.CHECKPOINT_SECONDS` and at the end, also on Ctrl-C or
    SIGTERM, so an interruption loses at most one checkpoint. On a database, every call is a
    worker with its own seed stream; workers (processes or machines running the same search)
    together complete exactly ``trials``. ``progress(done, total)`` and ``observe(study)``
    (the stored study) are called after every generation.
    """
    validate_count("trials", trials, 1)
    problem = Problem.resolve(spec)
    make_sampler(spec.sampler, spec.seed, population)  # a sampler that cannot run fails here,
    owned = not isinstance(storage, Store)                 # before a store is opened
    store = open_storage(storage, writer=True) if owned else storage
    recorder = None
    try:
        study = open_study(problem, store, study_name)
        distributions = problem.space.distributions()
        recorder = (DatabaseRecorder if store.shared else LocalRecorder)(study, store,
                                                                         distributions)
        with database_errors(store, lambda: recorder.added):
            return _search(problem, study, store, recorder, trials, population, progress,
                           observe)
    finally:
        if recorder is not None:
            recorder.close()
        if owned:
            store.close()
        else:
            store.checkpoint(force=True)


def _search(problem, study, store, recorder, trials, population, progress, observe):
    spec = problem.spec
    distributions = problem.space.distributions()
    if not distributions:  # every variable fixed: one evaluation is the whole study
        trials = 1
    stream = recorder.stream()
    island = Island(spec.sampler, spec.seed, stream, population, len(spec.objectives),
                    distributions)
    island.resume(recorder.island_trials(stream))
    with stop_requests() as stop:
        try:
            _generations(problem, recorder, island, stream, trials, stop,
                         lambda: _report(progress, observe, study, recorder.done, trials))
        except KeyboardInterrupt:  # a second Ctrl-C or SIGTERM: stop at once
            recorder.abandon()
            return SearchResult(study, problem, store, recorder.added, True, stream)
    interrupted = recorder.done < trials  # stopped early, every searched generation recorded
    return SearchResult(study, problem, store, recorder.added, interrupted, stream)


def _generations(problem, recorder, island, stream, trials, stop: threading.Event,
                 report: Callable[[], None]) -> None:
    """Claim, evaluate and record generation after generation of ``island`` until the study
    holds ``trials`` complete trials or ``stop`` is set; ``report()`` after each."""
    spec = problem.spec
    step = batch_size(spec.sampler, island.population)
    if spec.reference_seeds and island.searched == 0 and island.distributions:
        designs = _reference_designs(problem, min(spec.reference_seeds, trials), stream)
        where = (stream, island.generation)
        claimed = recorder.claim(designs, trials, where)
        outcomes = problem.outcomes(designs[:len(claimed)])
        recorder.finish(claimed, outcomes, where)
        island.add(outcomes)
        report()
    failing = 0  # batches in a row without one complete trial
    while recorder.done < trials and not stop.is_set():
        asked = island.ask(island.wanted(step))
        where = (stream, island.generation)
        claimed = recorder.claim([t.params for t in asked], trials, where)
        island.drop(asked[len(claimed):])
        if not claimed:
            recorder.wait_for_others()
            continue
        asked = asked[:len(claimed)]
        outcomes = problem.outcomes([t.params for t in asked])
        island.tell(asked, outcomes)
        recorder.finish(claimed, outcomes, where)
        failing = 0 if any(o.values is not None for o in outcomes) else failing + 1
        if failing == FAILING_BATCHES:
            raise InputError(f"{spec.model}: {failing} batches of designs in a row gave "
                             f"objectives that are not numbers; check the assumptions")
        report()


class LocalRecorder:
    """Trials of the one writing process (embedded journal or memory), added with Optuna's
    public ``add_trials``; the journal is written at checkpoints."""

    def __init__(self, study: optuna.Study, store: Store, distributions: dict):
        self.study = study
        self.store = store
        self.distributions = distributions
        self.done = self.start = completed(study)

    @property
    def added(self) -> int:
        """Complete trials this process stored (counted in the study: an interruption may
        stop in the middle of adding a generation)."""
        return completed(self.study) - self.start

    def stream(self) -> int:
        return 0

    def island_trials(self, stream: int) -> list[optuna.trial.FrozenTrial]:
        return [t for t in self.study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
                if t.user_attrs.get(ISLAND_ATTR, [0])[0] == stream]

    def claim(self, params: list[dict], limit: int, island) -> list:
        return params[:max(0, limit - self.done)]

    def finish(self, claimed: list, outcomes: Sequence[Outcome], island) -> None:
        self.study.add_trials(
            optuna.trial.create_trial(
                state=TrialState.COMPLETE if o.values is not None else TrialState.FAIL,
                params=o.params, distributions=self.distributions, values=o.values,
                user_attrs={"metrics": o.metrics, ISLAND_ATTR: list(island)},
                constraints=o.margins if o.values is not None else None)
            for o in outcomes)
        self.done += sum(o.values is not None for o in outcomes)
        self.store.checkpoint()

    def wait_for_others(self) -> None:
        raise AssertionError("a study this process alone writes has no room left")

    def abandon(self) -> None:
        """Nothing is claimed ahead on a local store."""

    def close(self) -> None:
        """Nothing to stop."""


class DatabaseRecorder:
    """Trials of one worker among many on a database: each generation is claimed (as
    RUNNING trials, while the study holds fewer than the requested running or complete
    trials), kept alive by Optuna's heartbeat and finished in one transaction each. A worker
    that finds no room waits for the others, failing stale trials of workers that died
    (Optuna's ``fail_stale_trials``) so that their room is searched again."""

    def __init__(self, study: optuna.Study, store: Store, distributions: dict):
        from codesign.search.optuna_adapter import TrialTable

        self.study = study
        self.store = store
        self.distributions = distributions
        self.table = TrialTable(store.storage, store.storage.get_study_id_from_name(
            study.study_name))
        self.done = self.table.counts().get(TrialState.COMPLETE, 0)
        self.added = 0
        self._running: list[int] = []
        self._beat = threading.Event()
        self._heart = threading.Thread(target=self._heartbeat, daemon=True)
        self._heart.start()

    def stream(self) -> int:
        return self.table.next_stream()

    def island_trials(self, stream: int) -> list:
        return []  # a new stream each time: nothing to continue

    def claim(self, params: list[dict], limit: int, island) -> list[int]:
        self._running = self.table.claim(params, self.distributions, limit,
                                         {ISLAND_ATTR: list(island)})
        return self._running

    def finish(self, claimed: list[int], outcomes: Sequence[Outcome], island) -> None:
        done = self.table.finish(claimed, [o.values for o in outcomes],
                                 [{"metrics": o.metrics} for o in outcomes],
                                 [o.margins for o in outcomes])
        self._running = []
        self.added += done
        self.done = self.table.counts().get(TrialState.COMPLETE, 0)

    def wait_for_others(self) -> None:
        time.sleep(HEARTBEAT_SECONDS / 2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            optuna.storages.fail_stale_trials(self.study)
        self.done = self.table.counts().get(TrialState.COMPLETE, 0)

    def abandon(self) -> None:
        """Fail this worker's claimed trials (interrupted before they were evaluated)."""
        running, self._running = self._running, []
        try:
            self.table.finish(running, [None] * len(running), [{}] * len(running),
                              [{}] * len(running))
        except Exception:  # the database may be what failed: the heartbeat expires them
            pass

    def close(self) -> None:
        self._beat.set()

    def _heartbeat(self) -> None:
        while not self._beat.wait(HEARTBEAT_SECONDS):
            running = list(self._running)
            if running:
                try:
                    self.table.heartbeat(running)
                except Exception:  # the main thread reports database failures
                    pass


def _reference_designs(problem: Problem, count: int, stream: int) -> list[dict]:
    """Up to ``count`` designs spread along the exact reference front (a different sample of
    it for each seed stream)."""
    spec = problem.spec
    seed = spec.seed if stream == 0 else stream_seed(spec.seed, stream, 0)
    front = reference_front(problem.space, spec.params, spec.objectives, problem.assumptions,
                            samples=SEED_SAMPLES, seed=seed)
    distributions = problem.space.distributions()
    return [{k: _param(distributions[k], d[k]) for k in distributions}
            for d in spread_sample(front, count)]


def _param(distribution, value):
    if isinstance(distribution, optuna.distributions.IntDistribution):
        return int(round(value))
    return value


def _report(progress, observe, study, done, trials) -> None:
    if progress:
        progress(done, trials)
    if observe:
        observe(study)


@contextlib.contextmanager
def stop_requests():
    """An event set by Ctrl-C or SIGTERM while a search runs, instead of an interruption at
    whatever line the search is on (half a generation added to the store, a journal write
    cut in the middle): the search stops after the generation it is recording, then the store
    is checkpointed. A second signal interrupts at once (KeyboardInterrupt). Signals can be
    caught on the main thread only; elsewhere (the app) the event is never set."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def request(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {number: signal.signal(number, request)
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


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
