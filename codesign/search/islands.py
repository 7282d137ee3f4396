"""Islands: one seed stream's search state, kept apart from where its trials are stored.

Every worker searches its own island: its sampler is seeded from (study seed, stream, step),
so K workers explore K different sequences, and an island rebuilt from its stored trials
continues exactly where it stopped. A genetic island (NSGA-II/III) keeps only the current
parents and their children in a small in-memory study, rebuilt at every generation, so an ask
costs the same at trial 20 000 as at trial 100 (Optuna's NSGA-II scans every trial of its
study on each ask). Other samplers learn from their island's whole history.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import optuna
from optuna.distributions import BaseDistribution
from optuna.trial import FrozenTrial, TrialState

from cost_models import InputError

from codesign.search.optuna_adapter import generation_key

GENETIC = ("nsga2", "nsga3")
ISLAND_ATTR = "island"  # trial user attribute: [stream, generation]


def stream_seed(seed: int, stream: int, step: int) -> int:
    """A 32-bit sampler seed for ``step`` (a generation, or the trials already searched) of
    seed stream ``stream`` of a study seeded with ``seed``."""
    return int(np.random.SeedSequence([seed, stream, step]).generate_state(1)[0])


def make_sampler(name: str, seed: int, population: int) -> optuna.samplers.BaseSampler:
    if name == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed, population_size=population)
    if name == "nsga3":
        return _quietly(optuna.samplers.NSGAIIISampler, seed=seed, population_size=population)
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


@dataclass
class Outcome:
    """One evaluated design: objective values (None: the evaluation failed), all metrics and
    the named margins (≤ 0 satisfied)."""

    params: dict
    values: list[float] | None
    metrics: dict[str, float] = field(default_factory=dict)
    margins: dict[str, float] = field(default_factory=dict)


class Island:
    """The search state of seed stream ``stream``."""

    def __init__(self, sampler: str, seed: int, stream: int, population: int,
                 objectives: int, distributions: Mapping[str, BaseDistribution]):
        self.sampler_name = sampler
        self.seed = seed
        self.stream = stream
        self.population = population
        self.directions = ["minimize"] * objectives
        self.distributions = dict(distributions)
        self.genetic = sampler in GENETIC
        self.generation = 0  # genetic: the generation being searched
        self.parents: list[FrozenTrial] = []  # genetic: the elite that breeds this generation
        self.searched = 0  # complete trials of this island so far
        self.window: optuna.Study | None = None

    # -- rebuilding from storage ---------------------------------------------------------

    def resume(self, stored: Sequence[FrozenTrial]) -> None:
        """Continue after ``stored``: this island's complete trials, oldest first."""
        if not stored:
            return
        self.searched = len(stored)
        if not self.genetic:
            self.window = self._study(stream_seed(self.seed, self.stream, len(stored)))
            self.window.add_trials(self._copy(t) for t in stored)
            return
        generations: dict[int, list[FrozenTrial]] = {}
        for trial in stored:
            generations.setdefault(trial.user_attrs[ISLAND_ATTR][1], []).append(trial)
        last = max(generations)
        for generation in range(last + 1):
            children = generations.get(generation, [])
            self.generation = generation
            if generation == last and len(children) < self.population:
                self._replay_partial(children)
                return
            self.parents = self._elite(self._window_with(children))
        self.generation = last + 1
        self.window = None

    def _replay_partial(self, children: list[FrozenTrial]) -> None:
        """Rebuild the window of an unfinished generation by asking again for the designs it
        already holds (the sampler is deterministic) and telling their stored outcomes."""
        self.window = self._new_window()
        for stored in children:
            trial = self.window.ask(self.distributions)
            self._tell_one(trial, Outcome(stored.params, stored.values, {}, stored.constraints))

    # -- searching -------------------------------------------------------------------------

    def wanted(self, batch: int) -> int:
        """How many designs to ask next: the rest of the generation for a genetic island."""
        if not self.genetic:
            return batch
        if self.window is None:
            self.window = self._new_window()
        told = self._children(self.window)
        return max(1, self.population - len(told))

    def ask(self, n: int) -> list[optuna.Trial]:
        if self.window is None:
            self.window = self._new_window() if self.genetic else \
                self._study(stream_seed(self.seed, self.stream, 0))
        return [self.window.ask(self.distributions) for _ in range(n)]

    def drop(self, trials: Sequence[optuna.Trial]) -> None:
        """Forget asked designs that were not searched (no room left in the study)."""
        for trial in trials:
            self.window.tell(trial, state=TrialState.FAIL)

    def tell(self, trials: Sequence[optuna.Trial], outcomes: Sequence[Outcome]) -> None:
        for trial, outcome in zip(trials, outcomes):
            self._tell_one(trial, outcome)
        self.searched += sum(o.values is not None for o in outcomes)
        self._next_generation_if_full()

    def add(self, outcomes: Sequence[Outcome]) -> None:
        """Designs evaluated elsewhere (e.g. from the reference front) join this generation."""
        if self.window is None:
            self.window = self._new_window() if self.genetic else \
                self._study(stream_seed(self.seed, self.stream, 0))
        key = generation_key(self.window.sampler)
        generation = {key: 1 if self.parents else 0} if key else {}
        self.window.add_trials(  # a dict of its own per trial: create_trial stores it as given
            optuna.trial.create_trial(params=o.params, distributions=self.distributions,
                                      values=o.values, constraints=o.margins,
                                      system_attrs=dict(generation))
            for o in outcomes if o.values is not None)
        self.searched += sum(o.values is not None for o in outcomes)
        self._next_generation_if_full()

    # -- generations ---------------------------------------------------------------------

    def _tell_one(self, trial: optuna.Trial, outcome: Outcome) -> None:
        if outcome.values is None:
            self.window.tell(trial, state=TrialState.FAIL)
            return
        for name, value in outcome.margins.items():
            trial.set_constraint(name, value)
        self.window.tell(trial, outcome.values)

    def _next_generation_if_full(self) -> None:
        if self.genetic and len(self._children(self.window)) >= self.population:
            self.parents = self._elite(self.window)
            self.generation += 1
            self.window = None

    def _children(self, window: optuna.Study) -> list[FrozenTrial]:
        key = generation_key(window.sampler)
        child = 1 if self.parents else 0
        return [t for t in window.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
                if t.system_attrs.get(key) == child]

    def _elite(self, window: optuna.Study) -> list[FrozenTrial]:
        """The sampler's choice of parents for the next generation from this window."""
        sampler = window.sampler
        if self.parents:
            sampler.get_parent_population(window, 1)  # as cached by the window's first ask
            return sampler.select_parent(window, 2)
        return sampler.select_parent(window, 1)

    def _new_window(self) -> optuna.Study:
        """A study holding this generation's parents (sampler generation 0), whose asks
        breed their children (sampler generation 1)."""
        return self._window_with([])

    def _window_with(self, children: Sequence[FrozenTrial]) -> optuna.Study:
        window = self._study(stream_seed(self.seed, self.stream, self.generation))
        key = generation_key(window.sampler)
        child = 1 if self.parents else 0
        window.add_trials([self._copy(t, {key: 0}) for t in self.parents]
                          + [self._copy(t, {key: child}) for t in children])
        return window

    def _study(self, seed: int) -> optuna.Study:
        return optuna.create_study(directions=self.directions,
                                   sampler=make_sampler(self.sampler_name, seed, self.population))

    def _copy(self, trial: FrozenTrial, system_attrs: dict | None = None) -> FrozenTrial:
        return optuna.trial.create_trial(params=trial.params, distributions=trial.distributions,
                                         values=trial.values, constraints=trial.constraints,
                                         system_attrs=system_attrs or {})


def _quietly(factory, **kwargs):
    """``factory(**kwargs)`` without Optuna's "experimental" warning (one per window)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return factory(**kwargs)
