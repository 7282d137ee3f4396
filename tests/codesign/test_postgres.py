"""Scale-out over a real PostgreSQL server (started by .ci/run; see .ci/postgres.sh)."""
import json
import os
import re
import subprocess
import sys
import time
import uuid

import optuna
import pandas as pd
import pytest

URL = os.environ.get("PFM_TEST_POSTGRES_URL")
if not URL:
    if os.environ.get("CI"):
        pytest.fail(".ci/run must start PostgreSQL and set PFM_TEST_POSTGRES_URL", pytrace=False)
    pytest.skip("no PostgreSQL: eval \"$(bash .ci/postgres.sh)\" to start one",
                allow_module_level=True)


def command(study, trials, *extra):
    return [sys.executable, "-m", "codesign", "search", "crossbar", "--params", "1e12",
            "--objectives", "energy_per_inference,latency", "--trials", str(trials),
            "--storage", URL, "--study", study, "--quiet", *extra]


def complete_trials(study):
    return optuna.load_study(study_name=study, storage=URL).get_trials(
        states=(optuna.trial.TrialState.COMPLETE,))


def design(trial):
    return tuple(sorted(trial.params.items()))


@pytest.mark.parametrize("workers", [2, 4])
def test_workers_share_a_study_with_their_own_seeds_and_complete_exactly(workers):
    study = f"shared-{uuid.uuid4().hex[:8]}"
    args = ["search", "optical_tube", "--params", "1e12", "--trials", "400", "--storage", URL,
            "--study", study, "--quiet"]
    running = [subprocess.Popen([sys.executable, "-m", "codesign", *args],
                                stderr=subprocess.PIPE, text=True) for _ in range(workers)]
    outputs = [w.communicate(timeout=600)[1] for w in running]
    assert all(w.returncode == 0 for w in running), outputs
    complete = complete_trials(study)
    assert len(complete) == 400  # exactly, whatever the number of workers
    everything = optuna.load_study(study_name=study, storage=URL).trials
    assert sorted(t.number for t in everything) == list(range(len(everything)))
    new = [int(re.search(r"(\d+) new trials?,", o)[1]) for o in outputs]
    assert sum(new) == 400  # every worker's trials are in the study, none twice
    streams = {}
    for trial in complete:
        streams.setdefault(trial.user_attrs["island"][0], set()).add(design(trial))
    assert len(streams) == sum(n > 0 for n in new)  # one seed stream per worker that searched
    designs = [d for found in streams.values() for d in found]
    assert len(set(designs)) == len(designs)  # no two workers evaluate the same design
    for trial in optuna.load_study(study_name=study, storage=URL).best_trials:
        assert all(v <= 0 for v in trial.constraints.values())


def test_one_worker_on_the_database_gives_the_embedded_stores_trials(tmp_path):
    study = f"same-{uuid.uuid4().hex[:8]}"
    args = ["search", "gpu", "--params", "1e12", "--trials", "120", "--study", study, "--quiet"]
    run = [sys.executable, "-m", "codesign", *args]
    assert subprocess.run(run + ["--storage", URL, "--out", str(tmp_path / "db.csv")],
                          capture_output=True).returncode == 0
    assert subprocess.run(run + ["--storage", str(tmp_path / "s.journal"), "--out",
                                 str(tmp_path / "journal.csv")], capture_output=True,
                          cwd=tmp_path).returncode == 0
    assert (tmp_path / "db.csv").read_text() == (tmp_path / "journal.csv").read_text()


def test_a_killed_workers_claimed_trials_are_failed_and_the_count_still_reached():
    """A worker SIGKILLed while holding claimed (RUNNING) trials: Optuna's heartbeat marks
    them failed once stale, and the surviving worker completes the requested count."""
    study = f"killed-{uuid.uuid4().hex[:8]}"
    claim = f"""
import sys, time
from optuna.distributions import IntDistribution
from codesign.search.optimise import DatabaseRecorder, Problem, SearchSpec, open_study
from codesign.search.storage import open_storage
problem = Problem.resolve(SearchSpec("optical_tube", 1e12, ["energy_per_inference", "volume"]))
store = open_storage({URL!r}, writer=True)
study = open_study(problem, store, {study!r})
recorder = DatabaseRecorder(study, store, problem.space.distributions())
designs = problem.space.sobol(32, 0)
kinds = problem.space.distributions()
params = [{{k: (int(round(designs[k][i])) if isinstance(d, IntDistribution) else float(designs[k][i]))
           for k, d in kinds.items()}} for i in range(30)]
print(len(recorder.claim(params, 100, (recorder.stream(), 0))), flush=True)
time.sleep(600)
"""
    doomed = subprocess.Popen([sys.executable, "-c", claim], stdout=subprocess.PIPE, text=True)
    assert doomed.stdout.readline().strip() == "30"
    doomed.kill()
    doomed.wait()
    survivor = subprocess.run([sys.executable, "-m", "codesign", "search", "optical_tube",
                               "--params", "1e12", "--objectives", "energy_per_inference,volume",
                               "--trials", "100", "--storage", URL, "--study", study, "--quiet"],
                              capture_output=True, text=True, timeout=600)
    assert survivor.returncode == 0, survivor.stderr
    assert "marked failed" in survivor.stderr
    trials = optuna.load_study(study_name=study, storage=URL).trials
    states = [t.state for t in trials]
    assert states[:30] == [optuna.trial.TrialState.FAIL] * 30  # the killed worker's claim
    assert states.count(optuna.trial.TrialState.COMPLETE) == 100
    assert optuna.trial.TrialState.RUNNING not in states


def test_a_killed_search_on_the_database_resumes_to_the_exact_count():
    study = f"resume-kill-{uuid.uuid4().hex[:8]}"
    worker = subprocess.Popen(command(study, 3000), stderr=subprocess.DEVNULL)
    while worker.poll() is None and len(complete_trials(study) if has_study(study) else []) < 200:
        time.sleep(0.2)
    worker.kill()
    worker.wait()
    kept = len(complete_trials(study))
    assert 200 <= kept < 3000
    rerun = subprocess.run(command(study, kept + 200), capture_output=True, text=True,
                           timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert len(complete_trials(study)) == kept + 200


def has_study(name):
    try:
        return name in optuna.get_all_study_names(URL)
    except Exception:
        return False


def test_a_database_that_goes_away_is_one_line_and_keeps_what_was_stored():
    import psycopg

    name = f"gone_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(URL, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    url = URL.rsplit("/", 1)[0] + f"/{name}"
    args = [sys.executable, "-m", "codesign", "search", "crossbar", "--params", "1e12",
            "--trials", "100000", "--storage", url, "--study", "g", "--quiet"]
    worker = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
    while worker.poll() is None and len(stored_in(url)) < 200:
        time.sleep(0.2)
    with psycopg.connect(URL, autocommit=True) as connection:
        connection.execute(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false")
        connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = %s", (name,))
    _, err = worker.communicate(timeout=120)
    with psycopg.connect(URL, autocommit=True) as connection:
        connection.execute(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")
    lines = err.strip().splitlines()
    assert worker.returncode == 2 and len(lines) == 1, err
    assert "lost the database" in lines[0] and "rerun" in lines[0]
    kept = stored_in(url)
    assert len(kept) >= 200 and all(len(t.values) == 2 for t in kept)


def stored_in(url):
    try:
        return optuna.load_study(study_name="g", storage=url).get_trials(
            states=(optuna.trial.TrialState.COMPLETE,))
    except Exception:
        return []


def test_resume_export_and_listing_on_postgres(tmp_path):
    study = f"resume-{uuid.uuid4().hex[:8]}"
    assert subprocess.run(command(study, 100), capture_output=True).returncode == 0
    assert subprocess.run(command(study, 200), capture_output=True).returncode == 0
    exported = subprocess.run([sys.executable, "-m", "codesign", "export", "--storage", URL,
                               "--study", study, "--out", str(tmp_path / "s.csv")],
                              capture_output=True, text=True)
    assert exported.returncode == 0, exported.stderr
    assert len(pd.read_csv(tmp_path / "s.csv")) == 200
    listing = subprocess.run([sys.executable, "-m", "codesign", "studies", "--storage", URL,
                              "--json"], capture_output=True, text=True)
    rows = {r["study"]: r for r in json.loads(listing.stdout)}
    assert rows[study]["trials"] == 200 and rows[study]["model"] == "crossbar"


def test_unreachable_server_is_one_line():
    bad = URL.rsplit(":", 1)[0] + ":1/pfm"
    result = subprocess.run(command("x", 10)[:-4] + ["--storage", bad, "--quiet"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "--storage" in result.stderr


def test_workers_starting_together_on_a_fresh_database_all_connect():
    """The first connections to an empty database race to create Optuna's tables."""
    import psycopg

    name = f"fresh_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(URL, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    fresh = URL.rsplit("/", 1)[0] + f"/{name}"
    code = (f"from codesign.search.storage import open_storage; "
            f"open_storage({fresh!r}, writer=True)")
    workers = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
               for _ in range(3)]
    errors = [w.communicate(timeout=120)[1] for w in workers]
    assert all(w.returncode == 0 for w in workers), errors


def test_scale_out_benchmark_measures_the_journal_and_each_worker_count():
    from codesign.bench import scale_out_benchmark

    figures = scale_out_benchmark(URL, [1, 2], trials=200, long_study=400)
    rows = figures["rows"]
    assert [(r["storage"], r["workers"]) for r in rows] == [
        ("embedded journal", 1), (URL, 1), (URL, 2)]  # URL without password: printed as is
    assert [r["trials"] for r in rows] == [200, 200, 200]  # exact counts with any workers
    assert all(r["trials_per_second"] > 0 and r["per_worker"] > 0 for r in rows)
    growth = figures["growth"]
    assert growth["trials"] == 400 and growth["window"] == 200
    assert growth["first_per_second"] > 0 and growth["last_per_second"] > 0


def test_scale_out_benchmark_on_an_unreachable_database_is_one_line_before_measuring():
    bad = URL.rsplit(":", 1)[0] + ":1/pfm"
    result = subprocess.run([sys.executable, "-m", "codesign", "bench", "--storage", bad,
                             "--workers", "1"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "--storage" in result.stderr


def test_run_with_workers_completes_every_search_exactly_and_writes_the_outputs(tmp_path):
    """``run --workers 3``: this process and two ``worker`` helpers share the study file's
    searches on the database; each search ends with exactly its trials, each design searched
    once, and the outputs are written once, after the searches."""
    name = f"workers-{uuid.uuid4().hex[:8]}"
    (tmp_path / "w.toml").write_text(
        f'name = "{name}"\nscales = [1e12, 1e15]\n'
        'objectives = ["energy_per_inference", "latency"]\n'
        '[search]\ntrials = 300\nreference_seeds = 0\n'
        '[[platforms]]\nmodel = "crossbar"\n[[platforms]]\nmodel = "gpu"\n'
        '[outputs]\nstatic_images = false\n')
    result = subprocess.run([sys.executable, "-m", "codesign", "run", "w.toml", "--storage", URL,
                             "--workers", "3", "--out", "out", "--quiet"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    trials = pd.read_csv(tmp_path / "out" / "trials.csv")
    assert len(trials) == 4 * 300
    searches = [s for s in optuna.get_all_study_names(URL) if s.startswith(f"{name}/")]
    assert len(searches) == 4
    for search in searches:
        stored = optuna.load_study(study_name=search, storage=URL).trials
        complete = [t for t in stored if t.state == optuna.trial.TrialState.COMPLETE]
        assert len(complete) == 300
        assert optuna.trial.TrialState.RUNNING not in {t.state for t in stored}
        streams = {}
        for trial in complete:
            streams.setdefault(trial.user_attrs["island"][0], set()).add(design(trial))
        designs = [d for found in streams.values() for d in found]
        assert len(set(designs)) == len(designs)  # no design searched by two workers
