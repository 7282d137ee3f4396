"""The private Optuna names pfm-codesign relies on, all in codesign/search/optuna_adapter.py.

If one of these tests fails after an Optuna upgrade, Optuna changed underneath the adapter:
fix the adapter (and nothing else), then run the PostgreSQL tests.
"""
import re
from pathlib import Path

import optuna
import pytest
from optuna.distributions import FloatDistribution, IntDistribution
from optuna.trial import TrialState

from codesign.search.optuna_adapter import TrialTable, generation_key

ROOT = Path(__file__).resolve().parents[2]
PRIVATE = re.compile(r"\b(_storage|_study_id|_trial_id|_get_generation_key|_get_trials|"
                     r"_CONSTRAINTS_KEY|_GENERATION_KEY|storages\._rdb|samplers\._ga|"
                     r"study\._constrained_optimization|_cached_frozen_trial)\b")


def test_no_private_optuna_name_outside_the_adapter():
    offenders = []
    for path in [*ROOT.glob("codesign/**/*.py"), *ROOT.glob("cost_models/**/*.py")]:
        if path.name == "optuna_adapter.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PRIVATE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("sampler", [optuna.samplers.NSGAIISampler, optuna.samplers.NSGAIIISampler])
def test_generation_key_is_where_the_genetic_samplers_record_generations(sampler):
    study = optuna.create_study(directions=["minimize"] * 2,
                                sampler=sampler(population_size=4, seed=1))
    study.optimize(lambda t: (t.suggest_float("x", 0, 1), t.suggest_float("y", 0, 1)),
                   n_trials=10)
    key = generation_key(study.sampler)
    assert [t.system_attrs[key] for t in study.trials] == [0] * 4 + [1] * 4 + [2] * 2


def test_generation_key_lets_a_population_be_handed_to_nsga():
    """Trials added with generation 0 breed generation 1: the children come from them."""
    sampler = optuna.samplers.NSGAIISampler(population_size=4, seed=3, mutation_prob=0.0)
    study = optuna.create_study(directions=["minimize"] * 2, sampler=sampler)
    distributions = {"x": FloatDistribution(0, 1), "y": FloatDistribution(0, 1)}
    parents = [0.125, 0.25, 0.375, 0.5]
    study.add_trials(optuna.trial.create_trial(
        params={"x": x, "y": x}, distributions=distributions, values=[x, 1 - x],
        system_attrs={generation_key(sampler): 0}) for x in parents)
    for _ in range(4):
        study.ask(distributions)
    children = study.get_trials(states=(TrialState.RUNNING,))
    assert all(t.system_attrs[generation_key(sampler)] == 1 for t in children)
    assert all(t.params["x"] in parents for t in children)  # crossover of parents, no mutation
    assert sampler.get_parent_population(study, 1)  # the public half of the protocol


def test_generation_key_is_none_without_generations():
    assert generation_key(optuna.samplers.TPESampler()) is None


def sqlite_table(tmp_path):
    storage = optuna.storages.RDBStorage(f"sqlite:///{tmp_path / 'a.db'}")
    study = optuna.create_study(storage=storage, study_name="s", directions=["minimize"] * 2)
    return study, TrialTable(storage, storage.get_study_id_from_name("s"))


def test_trial_table_round_trips_through_public_optuna(tmp_path):
    study, table = sqlite_table(tmp_path)
    distributions = {"x": FloatDistribution(1e-3, 1, log=True), "n": IntDistribution(1, 9)}
    ids = table.claim([{"x": 0.5, "n": 3}, {"x": 0.25, "n": 4}, {"x": 1.0, "n": 5}],
                      distributions, limit=2, user_attrs={"island": [0, 0]})
    assert len(ids) == 2  # the limit counts running and complete trials
    running = study.get_trials(states=(TrialState.RUNNING,))
    assert [t.params for t in running] == [{"x": 0.5, "n": 3}, {"x": 0.25, "n": 4}]
    assert [t.number for t in running] == [0, 1]
    table.heartbeat(ids)
    assert table.finish(ids, [[1.0, float("inf")], None], [{"metrics": {"a": 2.0}}, {}],
                        [{"thermal": -0.5, "area": 0.0}, {}]) == 1
    done, failed = study.get_trials()
    assert done.state == TrialState.COMPLETE and failed.state == TrialState.FAIL
    assert done.values == [1.0, float("inf")]
    assert done.constraints == {"thermal": -0.5, "area": 0.0}  # Optuna's public reading
    assert done.user_attrs == {"island": [0, 0], "metrics": {"a": 2.0}}
    assert study.best_trials == [done]
    assert table.counts() == {TrialState.COMPLETE: 1, TrialState.FAIL: 1}
    assert [table.next_stream() for _ in range(3)] == [0, 1, 2]


def test_trial_table_leaves_trials_failed_by_others_alone(tmp_path):
    study, table = sqlite_table(tmp_path)
    distributions = {"x": FloatDistribution(0, 1)}
    ids = table.claim([{"x": 0.5}], distributions, limit=5, user_attrs={})
    study.tell(study.trials[0].number, state=TrialState.FAIL)  # e.g. failed as stale
    assert table.finish(ids, [[1.0, 2.0]], [{}], [{}]) == 0
    assert study.trials[0].state == TrialState.FAIL and study.trials[0].values is None



@pytest.mark.parametrize("sampler", ["nsga2", "tpe"])
def test_designs_added_to_an_island_keep_their_own_margins(sampler):
    """Reference designs join an island's window each with its own named margins (Optuna's
    create_trial keeps the system_attrs dict it is given, so a shared one would give every
    trial the first trial's margins)."""
    import warnings

    from codesign.search.islands import Island, Outcome

    distributions = {"x": FloatDistribution(0, 1)}
    island = Island(sampler, 0, 0, 4, 2, distributions)
    outcomes = [Outcome({"x": x}, [x, 1 - x], {}, {"fits": x - 0.5}) for x in (0.1, 0.9)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        island.add(outcomes)
    stored = island.window.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    assert [t.constraints for t in stored] == [{"fits": -0.4}, {"fits": 0.4}]
