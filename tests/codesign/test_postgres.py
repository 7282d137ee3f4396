"""Scale-out over a real PostgreSQL server (started by .ci/run; see .ci/postgres.sh)."""
import json
import os
import subprocess
import sys
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


def test_two_workers_share_one_study_and_lose_nothing(tmp_path):
    study = f"shared-{uuid.uuid4().hex[:8]}"
    workers = [subprocess.Popen(command(study, 300), stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    outputs = [w.communicate(timeout=600)[1] for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    stored = optuna.load_study(study_name=study, storage=URL)
    complete = stored.get_trials(states=(optuna.trial.TrialState.COMPLETE,))
    assert 300 <= len(complete) <= 300 + 2 * 50
    new = [int(o.split(" new trials")[0].rsplit(" ", 1)[1]) for o in outputs]
    assert sum(new) == len(complete)  # every worker's trials are in the study
    assert new[0] > 0 and new[1] > 0  # both worked on it
    for trial in stored.best_trials:
        assert all(v <= 0 for v in trial.user_attrs["margins"].values())


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
    code = f"from codesign.search.storage import open_storage; open_storage({fresh!r})"
    workers = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
               for _ in range(3)]
    errors = [w.communicate(timeout=120)[1] for w in workers]
    assert all(w.returncode == 0 for w in workers), errors
