"""Search end to end: feasible non-dominated fronts, determinism, resume, exports, bad input."""
import json
import subprocess
import sys

import numpy as np
import optuna
import pandas as pd
import pytest

from codesign.search.pareto import hypervolume_ratio, nondominated
from codesign.search.reference import reference_front
from codesign.search.optimise import Problem, SearchSpec, run_search

OBJECTIVES = ["energy_per_inference", "volume"]


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "codesign", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


def pareto_rows(path):
    frame = pd.read_csv(path)
    return frame[frame["pareto"]].drop(columns=["trial"]).reset_index(drop=True)


def test_cli_search_writes_feasible_nondominated_front_and_is_deterministic(tmp_path):
    args = ["search", "optical_tube", "--params", "1e12", "--objectives",
            "energy_per_inference,time_per_inference", "--trials", "1000", "--seed", "0",
            "--quiet"]
    first = cli(*args, "--out", "f.csv", "--storage", "a.journal", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    second = cli(*args, "--out", "g.csv", "--storage", "b.journal", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    frame = pd.read_csv(tmp_path / "f.csv")
    assert len(frame) == 1000
    assert list(frame.columns[:5]) == ["platform", "params", "trial", "feasible", "pareto"]
    assert "energy_per_inference [J]" in frame.columns and "pulse_duration [s]" in frame.columns
    front = frame[frame["pareto"]]
    assert len(front) >= 1 and front["feasible"].all()
    values = front[["energy_per_inference [J]", "time_per_inference [s]"]].to_numpy()
    assert nondominated(values).all()
    pd.testing.assert_frame_equal(pareto_rows(tmp_path / "f.csv"), pareto_rows(tmp_path / "g.csv"))
    meta = json.loads((tmp_path / "f.meta.json").read_text())
    assert meta["spec"]["seed"] == 0 and meta["spec"]["sampler"] == "nsga2"
    assert meta["optuna_version"] == optuna.__version__
    tube = meta["platforms"]["optical_tube"]
    assert any(a["name"] == "wavelength" and a["source"] for a in tube["assumptions"])


def test_rerun_continues_to_the_requested_total(tmp_path):
    args = ["search", "crossbar", "--params", "1e12", "--objectives",
            "energy_per_inference,volume", "--storage", "s.journal", "--quiet", "--study", "cb"]
    assert cli(*args, "--trials", "500", cwd=tmp_path).returncode == 0
    assert cli(*args, "--trials", "1000", cwd=tmp_path).returncode == 0
    study = optuna.load_study(study_name="cb", storage=optuna.storages.JournalStorage(
        optuna.storages.journal.JournalFileBackend(str(tmp_path / "s.journal"))))
    assert len(study.trials) == 1000
    listed = cli("studies", "--storage", "s.journal", "--json", cwd=tmp_path)
    assert json.loads(listed.stdout)[0]["trials"] == 1000
    exported = cli("export", "--storage", "s.journal", "--study", "cb", "--out", "cb.csv",
                   "--pareto-only", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert pd.read_csv(tmp_path / "cb.csv")["pareto"].all()


def test_best_trials_are_feasible_with_named_constraints_stored_once(tmp_path):
    result = run_search(SearchSpec("optical_tube", 1e12, OBJECTIVES), 300, storage="memory")
    model_margins = set(result.problem.model.margin_descriptions)
    assert result.study.best_trials and result.study.metric_names == OBJECTIVES
    for trial in result.study.trials:
        assert set(trial.constraints) == model_margins  # named, through Trial.set_constraint
        assert "margins" not in trial.user_attrs  # stored once
    for trial in result.study.best_trials:
        assert all(v <= 0 for v in trial.constraints.values())


def test_reference_front_seeding_reaches_the_reference_hypervolume():
    # the crossbar: the optical tube's volume at 1e12 is its fixed 1 L periphery, so its
    # energy–volume front is a single point and a hypervolume ratio says nothing
    spec = SearchSpec("crossbar", 1e12, OBJECTIVES, reference_seeds=50)
    problem = Problem.resolve(spec)
    reference = reference_front(problem.space, 1e12, OBJECTIVES, problem.assumptions)
    result = run_search(spec, 200, storage="memory")
    front = np.array([t.values for t in result.study.best_trials])
    assert hypervolume_ratio(front, reference.objectives) >= 0.99


@pytest.mark.parametrize("args, message", [
    (["--objectives", "energy_per_inference,colour"], "unknown metric 'colour'"),
    (["--objectives", "energy_per_inference"], "2 or 3 metrics"),
    (["--sampler", "annealing"], "invalid choice"),
    (["--storage", "nosuchscheme://x/y"], "--storage"),
    (["--storage", "sqlite:////no/such/folder/x.db"], "--storage"),
    (["--out", "a_file/f.csv"], "is a file, so folder"),
    (["--trials", "0"], "positive"),
])
def test_bad_search_input_is_one_line_and_exit_2(tmp_path, args, message):
    (tmp_path / "a_file").write_text("")
    result = cli("search", "optical_tube", "--params", "1e12", "--quiet", *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_bad_input_keeps_what_is_stored(tmp_path):
    args = ["search", "gpu", "--params", "1e12", "--storage", "k.journal", "--study", "g",
            "--quiet", "--objectives", "energy_per_inference,time_per_inference"]
    assert cli(*args, "--trials", "100", cwd=tmp_path).returncode == 0
    (tmp_path / "a_file").write_text("")
    assert cli(*args, "--trials", "200", "--out", "a_file/x.csv", cwd=tmp_path).returncode == 2
    assert cli(*args[:-2], "--objectives", "energy_per_inference,volume", "--trials", "200",
               cwd=tmp_path).returncode == 2  # same study name, other settings
    listed = json.loads(cli("studies", "--storage", "k.journal", "--json", cwd=tmp_path).stdout)
    assert listed[0]["trials"] == 100


@pytest.mark.parametrize("args", [
    ["studies"], ["studies", "--storage", "typo.journal"],
    ["studies", "--storage", "sqlite:///typo.db"],
    ["export", "--storage", "typo.journal", "--study", "x", "--out", "x.csv"],
], ids=["default store", "journal", "sqlite", "export"])
def test_reading_commands_never_create_a_store(tmp_path, args):
    result = cli(*args, cwd=tmp_path)
    assert result.returncode == 2 and "nothing is stored there" in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_sampler_that_cannot_run_creates_no_store(tmp_path):
    try:
        import torch  # noqa: F401
        pytest.skip("torch is installed: the gp sampler runs")
    except ImportError:
        pass
    result = cli("search", "gpu", "--params", "1e12", "--sampler", "gp", "--quiet", cwd=tmp_path)
    assert result.returncode == 2 and "torch" in result.stderr
    assert list(tmp_path.iterdir()) == []
