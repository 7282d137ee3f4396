"""Inputs that used to crash, hang or pass silently: each is one line on stderr and exit 2."""
import json
import subprocess
import sys

import pytest

from codesign.cli import main
from tests.cost_models.plugins import install

STUDY = """name = "s"
scales = [1e12]
objectives = ["energy_per_inference", "time_per_inference"]
[search]
trials = 10
reference_seeds = 0
[[platforms]]
model = "gpu"
"""


def one_line(capsys, args, expect):
    code = main(args)
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and expect in lines[0], lines


SEARCH = ["search", "gpu", "--params", "1e12", "--trials", "10", "--storage", "memory",
          "--quiet"]


@pytest.mark.parametrize("args, expect", [
    (SEARCH + ["--seed", "-1"], "--seed: expected a whole number from 0 to 4294967295"),
    (SEARCH + ["--seed", str(2**40)], "--seed"),
    (SEARCH + ["--reference-seeds", "-5"], "--reference-seeds"),
    (["search", "gpu", "--params", "1e3", "--storage", "memory"], "outside the scales"),
    (["evaluate", "gpu", "--params", "1e300"], "outside the scales"),
    (SEARCH + ["--out", ""], "--out: give a file name"),
    (["compare", "--preset", "nosuch"], "no model has a preset 'nosuch'"),
    (["evaluate", "optical_tube", "--params", "1e12", "--set", "wavelength=9**9**9 nm"],
     "powers must be small literal numbers"),
    (["evaluate", "optical_tube", "--params", "1e12", "--set", "wavelength=2**10000 nm"],
     "powers must be small literal numbers"),
    (["evaluate", "optical_tube", "--params", "1e12", "--set", "wavelength=" + "1" * 300 + " nm"],
     "longer than"),
    (["app", "--host", "no.such.host.invalid"], "--host: cannot resolve"),
    (["run", "s.toml", "--workers", "2", "--out", "o"], "--workers: several workers need a database"),
    (["worker", "s.toml", "--storage", "x.journal"], "a worker joins a database"),
    (SEARCH + ["--out", "/proc/x.csv"], "--out: cannot write in /proc"),  # before any search
    (["bench", "--designs", "-5", "--no-search"], "--designs: expected a positive whole number"),
    (["bench", "--designs", "0", "--no-search"], "--designs: expected a positive whole number"),
    (["compare", "--params", "1e12,,1e15"], "--params: empty entry in '1e12,,1e15'"),
    (["compare", "--params", "1e12,1000000000000"], "--params: 1e+12 given more than once"),
    (["uncertainty", "gpu", "--params", "1e12", "--equal-loss", "8,8"],
     "--equal-loss: applies only with --platforms"),
    (["uncertainty", "gpu", "--params", "1e12", "--objectives", "latency"],
     "--objectives: applies only with --platforms"),
    (SEARCH + ["--pareto-only"], "--pareto-only: applies only with --out"),
    (["uncertainty", "gpu:b200", "--preset", "h100", "--params", "1e12"],
     "--preset: 'gpu:b200' already selects preset 'b200'"),
    (["uncertainty", "gpu", "--params", "1e12", "--set", "utilisation=0.5", "--vary",
      "utilisation=0.3..0.6"], "--set/--vary: utilisation both fixed by --set and varied"),
    (["run", "."], "is a folder; give a study file (.toml) (in it: s.toml)"),
])
def test_bad_command_line(capsys, tmp_path, monkeypatch, args, expect):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text(STUDY)
    one_line(capsys, args, expect)


@pytest.mark.parametrize("change, expect", [
    (("model = \"gpu\"", "model = \"gpu\"\npreset = 3"), "preset: expected a preset name"),
    (("model = \"gpu\"", "model = \"gpu\"\npreset = \"nosuch\""), "has no preset 'nosuch'"),
    (("scales = [1e12]", "scales = {start = 1e9, stop = 1e12, per_decade = 1000000000}"),
     "per_decade from 1 to 100"),
    (("scales = [1e12]", "scales = {start = 1e9, stop = 1e12, per_decade = 100000}"),
     "per_decade from 1 to 100"),
    (("scales = [1e12]", "scales = [1e300]"), "outside the scales"),
    (("scales = [1e12]", "scales = [1e12]\ndescription = 1979-05-27"), "TOML date"),
    (("model = \"gpu\"", "model = \"gpu\"\nassumptions = {power_per_gpu = 07:32:00}"), "TOML date"),
    (("model = \"gpu\"", "model = \"gpu\"\nfix = {batch_size = [1, 2]}"),
     "fix.batch_size: expected one number"),
    (("seed", "seed"), None),  # placeholder replaced below
])
def test_bad_study_file(capsys, tmp_path, monkeypatch, change, expect):
    if expect is None:
        text, expect = STUDY.replace("trials = 10", "trials = 10\nseed = 4294967296"), \
            "search.seed: must be at most 4294967295"
    else:
        text = STUDY.replace(*change)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text(text)
    one_line(capsys, ["run", "s.toml", "--out", "o", "--quiet"], expect)
    assert not (tmp_path / "o").exists()  # refused before anything was written


def test_a_plugin_that_exits_or_prints_at_import_breaks_nothing(tmp_path):
    """Through real entry points, in a fresh interpreter: models --json stays JSON."""
    env = install(tmp_path, "noisy_plugins", "import sys\nprint('hello from a plug-in')\n"
                  "def leaving():\n    sys.exit(3)\n",
                  {"exits": "sys:exit", "prints": "noisy_plugins:leaving"})
    result = subprocess.run([sys.executable, "-m", "codesign", "models", "--json"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    errors = json.loads(result.stdout)["plugin_errors"]
    assert set(errors) == {"exits", "prints"} and "SystemExit" in errors["prints"]
    assert "hello from a plug-in" in result.stderr


def test_storage_is_checked_before_the_output_folder_is_made(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text(STUDY)
    one_line(capsys, ["run", "s.toml", "--out", "bad/o3", "--storage", "bad", "--quiet"],
             "--storage: 'bad' is neither a .journal file nor a database URL")
    assert not (tmp_path / "bad").exists()


def test_a_write_failing_after_the_search_says_the_trials_are_kept(capsys, tmp_path,
                                                                   monkeypatch):
    """The folder passed the pre-check but the write fails (it became unwritable meanwhile)."""
    from codesign.outputs import export

    monkeypatch.setattr(export, "check_writable", lambda path, storage=None: None)
    store = tmp_path / "s.journal"
    code = main(SEARCH[:-3] + ["--storage", str(store), "--quiet", "--out", "/proc/x.csv"])
    study, error = capsys.readouterr().err.strip().splitlines()  # the search's line, then one
    assert code == 2 and error.startswith("pfm-codesign: error: --out: cannot write in /proc")
    assert f"the trials are kept in {store} as study 'gpu-P1e+12-" in error
    assert f"in {store}: 10 new trials" in study and store.stat().st_size > 0
    assert main(SEARCH + ["--out", "/proc/x.csv"]) == 2
    assert "the trials are not kept (--storage memory)" in capsys.readouterr().err
