"""Study files end to end: validation, outputs, determinism, resume, the paper's Table 1 ratios."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from cost_models import METRIC_UNITS
from codesign.outputs import figures
from codesign.outputs.results import TIE
from codesign.outputs.schema import column
from codesign.studies.studyfile import load_study

STUDIES = Path(__file__).resolve().parents[2] / "studies"

SMALL = """
name = "small"
description = "two platforms, two scales"
scales = [1e12, 1e15]
objectives = ["energy_per_inference", "volume"]
compare_to = "GPU"
[search]
trials = 60
seed = 3
reference_seeds = 10
[outputs]
static_images = false
[workload]
batch_size = 8
[[platforms]]
model = "crossbar"
label = "crossbar"
ranges = { tile_size = [64, 1024] }
[[platforms]]
model = "gpu"
label = "GPU"
preset = "paper"
fix = { weight_precision = 8 }
"""


UNCERTAINTY = """
[uncertainty]
samples = 200
seed = 2
assumptions = { utilisation = { low = 0.3, high = 0.6 }, cell_conductance = "fixed" }
"""


def cli(*args, cwd, umask=None):
    return subprocess.run([sys.executable, "-m", "codesign", *args], capture_output=True,
                          text=True, timeout=600, cwd=cwd, umask=-1 if umask is None else umask)


@pytest.mark.parametrize("path", sorted(STUDIES.glob("*.toml")), ids=lambda p: p.stem)
def test_builtin_studies_validate(path):
    study = load_study(path)
    assert study.variants and study.scales and len(study.objectives) in (2, 3)


def test_builtin_study_set_is_complete():
    assert {p.stem for p in STUDIES.glob("*.toml")} >= {
        "overview", "table1", "scaling", "crossbar_parasitics", "precision", "optical_geometry"}
    assert load_study(STUDIES / "scaling.toml").scales == [10.0**k for k in range(9, 22)]
    parasitics = load_study(STUDIES / "crossbar_parasitics.toml")
    assert [v.assumptions["parasitic_regime"] for v in parasitics.variants] == [
        "noise_limited", "fixed_conductance", "widened_wires", "wire_joule"]


def test_small_study_outputs_and_byte_identical_rerun(tmp_path):
    (tmp_path / "small.toml").write_text(SMALL + UNCERTAINTY)
    for out in ("a", "b"):
        result = cli("run", "small.toml", "--out", f"deep/{out}", "--quiet", cwd=tmp_path,
                     umask=0o022)
        assert result.returncode == 0, result.stderr
    a, b = tmp_path / "deep" / "a", tmp_path / "deep" / "b"
    for name in ("pareto.csv", "trials.csv", "crossovers.csv", "meta.json", "summary.md",
                 "table.tex"):
        assert (a / name).exists(), name
    for name in ("pareto.csv", "uncertainty.csv", "win_probability.csv", "sensitivity.csv",
                 "advantage_sensitivity.csv", "sobol.csv", "front_bands.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    trials = pd.read_csv(a / "trials.csv")
    pareto = pd.read_csv(a / "pareto.csv")
    assert len(trials) == 2 * 2 * 60 and set(trials["variant"]) == {"crossbar", "GPU"}
    assert pareto["pareto"].all() and pareto["feasible"].all()
    assert {"at_bound", "binding"} <= set(pareto.columns)
    assert "## Where the fronts stand" in (a / "summary.md").read_text()
    assert "\\toprule" in (a / "table.tex").read_text()
    meta = json.loads((a / "meta.json").read_text())
    assert meta["study_file"]["name"] == "small" and meta["trials_per_study"] == 60
    gpu = meta["platforms"]["GPU"]
    gpu_batch = next(a for a in gpu["assumptions"] if a["name"] == "batch_size")
    assert gpu_batch["value"] == 8  # the study's [workload] beats the paper preset's batch of 1
    assert "workload (every platform): tokens_per_inference = 1, context_length = 1024, " \
           "batch_size = 8" in (a / "summary.md").read_text()
    assert len(meta["studies"]) == 4
    html = sorted(p.name for p in (a / "figures").glob("*.html"))
    assert "scaling_energy_per_inference.html" in html and "pareto_1e12.html" in html
    assert any(name.startswith("parallel_") for name in html)
    # robustness: bands of every best design, the pair's win probability with its band
    bands = pd.read_csv(a / "uncertainty.csv")
    assert set(bands["variant"]) == {"crossbar", "GPU"} and (bands["p5"] <= bands["p95"]).all()
    # the robustness run keeps the study's [workload] (batch_size = 8): its nominal values are
    # the searched best designs' values
    energy = column("energy_per_inference")
    for (variant, params), group in trials[trials["feasible"]].groupby(["variant", "params"]):
        [nominal] = bands[(bands["variant"] == variant) & (bands["params"] == params)
                          & (bands["design_for"] == "energy_per_inference")
                          & (bands["quantity"] == "energy_per_inference")]["nominal"]
        low = group[energy].min()  # the best design: the lowest, or a faster one within TIE
        assert low * (1 - 1e-12) <= nominal <= low * (1 + TIE), variant
    assert "every sample keeps the serving scenario (tokens_per_inference = 1, context_length " \
           "= 1024, batch_size = 8)" in (a / "summary.md").read_text()
    wins = pd.read_csv(a / "win_probability.csv")
    assert len(wins) == 2 * 2 and ((wins["low"] <= wins["probability"])
                                   & (wins["probability"] <= wins["high"])).all()
    # a win needs the winner feasible; where only it is feasible, it wins
    assert (wins["platform_feasible"] - wins["both_feasible"] - 1e-12 <= wins["probability"]).all()
    assert (wins["probability"] <= wins["platform_feasible"]).all()
    assert "## Robustness" in (a / "summary.md").read_text()
    fronts = pd.read_csv(a / "front_bands.csv")
    crossbar = fronts[fronts["variant"] == "crossbar"]  # the study's narrowed range holds
    assert len(crossbar) and crossbar["tile_size [1]"].between(64, 1024).all()
    assert (fronts["pareto_probability"] <= fronts["feasible_probability"]).all()
    assert "front_band_1e12.html" in html
    assert {"band_energy_per_inference.html", "wins_volume.html", "tornado_GPU.html"} <= set(html)
    assert_fit_for_a_paper(a)


def assert_fit_for_a_paper(out: Path) -> None:
    """What every study's outputs promise: files readable by others (0644 under umask 022),
    ASCII names, figures that work offline, ASCII LaTeX, one row per distinct Pareto design."""
    for path in out.rglob("*"):
        assert path.name.isascii(), path
        if path.is_file():
            assert path.stat().st_mode & 0o777 == 0o644, path
    for page in (out / "figures").glob("*.html"):
        sources = re.findall(r"<script[^>]*\bsrc=[\"']([^\"']+)", page.read_text(encoding="utf-8"))
        assert sources == ["plotly.min.js"], (page.name, sources)
    assert (out / "figures" / "plotly.min.js").stat().st_size > 1_000_000
    assert (out / "table.tex").read_bytes().isascii()
    pareto = pd.read_csv(out / "pareto.csv")
    design = [c for c in pareto.columns if "[" in c and not c.startswith("margin:")
              and c.split(" [")[0] not in METRIC_UNITS]
    assert not pareto.duplicated(subset=["variant", "params", *design]).any()


def test_three_objective_fronts_of_eight_platforms_each_get_their_own_3d_marker():
    # Scatter3d knows only 8 marker symbols: a 3-objective study of 4+ platforms (the
    # scaling study has 6) must not ask it for a 2-D one such as 'triangle-up'
    objectives = ["energy_per_inference", "time_per_inference", "model_loss"]
    rows = [{"variant": f"platform {i}", "params": 1e12, "feasible": True, "pareto": pareto,
             **{column(o): 1.0 + i + pareto for o in objectives}}
            for i in range(8) for pareto in (False, True)]
    fig = figures.pareto_scatter(pd.DataFrame(rows), objectives)
    fronts = [t for t in fig.data if not t.name.endswith("dominated")]
    assert all(isinstance(t, go.Scatter3d) for t in fig.data) and len(fronts) == 8
    assert len({t.marker.symbol for t in fronts}) == 8


def test_rerun_resumes_to_more_trials(tmp_path):
    (tmp_path / "small.toml").write_text(SMALL)
    assert cli("run", "small.toml", "--out", "o", "--trials", "30", "--quiet", cwd=tmp_path).returncode == 0
    assert cli("run", "small.toml", "--out", "o", "--trials", "60", "--quiet", cwd=tmp_path).returncode == 0
    assert len(pd.read_csv(tmp_path / "o" / "trials.csv")) == 4 * 60


def test_table1_study_shows_the_papers_advantages_and_static_figures(tmp_path):
    result = cli("run", str(STUDIES / "table1.toml"), "--out", "t1", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = (tmp_path / "t1" / "summary.md").read_text()
    rows = {m.group(1): [float(x) for x in re.findall(r"([\d.e+]+)×", m.group(2))]
            for m in re.finditer(r"\| (energy_per_inference|time_per_inference) \| optical tube \|(.*)",
                                 summary)}
    energy, time = rows["energy_per_inference"], rows["time_per_inference"]
    # paper: energy advantage 1e4 … 1e8, time advantage roughly 1e3 … 1e5 (Table 1)
    assert [round(__import__("math").log10(x)) for x in energy] == [4, 6, 8]
    assert all(1e3 <= x <= 1e6 for x in time) and time[0] > time[-1]
    folder = tmp_path / "t1" / "figures"
    if figures.browser_for_static_images():
        for fmt in ("svg", "pdf", "png"):
            assert (folder / f"scaling_energy_per_inference.{fmt}").stat().st_size > 1000


def test_without_a_browser_html_is_written_and_the_reason_given(tmp_path, monkeypatch):
    monkeypatch.setattr(figures, "browser_for_static_images", lambda: None)
    reason = figures.write_figures({"f": go.Figure(go.Scatter(x=[1], y=[2]))}, tmp_path)
    assert (tmp_path / "f.html").exists() and not (tmp_path / "f.png").exists()
    assert "no Chromium" in reason


MALFORMED = [
    ('name = "x"\nscales = [1e12]\nobjectives = ["energy_per_inference", "volume"]\n'
     'platforms = [{model = "gpu"}]\nsampler = "nsga2"\n', "sampler: unknown key; did you mean 'scales'"),
    ('name = "x"\nscales = [1e12]\nobjectives = ["energy_per_inference", "volume"]\n'
     '[[platforms]]\nmodel = "gpu"\nassumptions = { memory_per_gpu = "5 kg" }\n',
     "platforms[0]: assumption 'memory_per_gpu'"),
    ('name = "x"\nscales = []\nobjectives = ["energy_per_inference", "volume"]\n'
     '[[platforms]]\nmodel = "gpu"\n', "scales: empty list"),
    ('name = "x"\nscales = [1e12]\nobjectives = ["energy_per_inference", "volume"]\n'
     'platforms = []\n', "platforms: empty list"),
    ('name = "x"\nscales = [1e12]\nobjectives = ["energy_per_inference"]\n'
     '[[platforms]]\nmodel = "gpu"\n', "objectives: give 2 or 3 metrics"),
    ('name = "x"\nscales = [1e12]\nobjectives = ["energy_per_inference", "volume"]\n'
     '[search]\ntrials = "many"\n[[platforms]]\nmodel = "gpu"\n', "search.trials: expected a whole number"),
    ('name = "x"\nscales = [1e12]\nobjectives = ["energy_per_inference", "volume"]\n'
     '[[platforms]]\nmodle = "gpu"\n', "platforms[0].modle: unknown key; did you mean 'model'"),
    ('name = "x"\nscales = [1e12]\nobjectives = ["energy_per_inference", "volume"]\n'
     '[[platforms]]\nmodel = "gpu"\nfix = { io_precision = 99 }\n', "io_precision"),
    ('name = "x"\nscales = {start = 1e9, stop = 1e12}\nobjectives = ["energy_per_inference", "volume"]\n'
     '[[platforms]]\nmodel = "gpu"\n', "scales.per_decade: missing"),
    ('name = "x"\nscales = [1e12\n', "not valid TOML"),
    ('name = "x"\nscales = [1e12]\nobjectives = ["energy_per_inference", "volume"]\n'
     '[[platforms]]\nmodel = "gpu"\nassumptions = { memory_per_gpus = "80 GB" }\n',
     "unknown assumption 'memory_per_gpus' for model 'gpu'; did you mean 'memory_per_gpu'"),
    ('name = "x"\nscales = [1e12]\nobjectives = ["energy_per_inference", "volume"]\n'
     '[[platforms]]\nmodel = "gpu"\nfix = { weight_precison = 8 }\n',
     "unknown design variable 'weight_precison' for model 'gpu'; did you mean 'weight_precision'"),
    ('name = "x"\nscales = [1e12]\nobjectives = ["energy_per_inference", "volume"]\n'
     '[workload]\nbatch = 1\n[[platforms]]\nmodel = "gpu"\n',
     "workload.batch: unknown key; did you mean 'batch_size'"),
    ('name = "x"\nscales = [1e12]\nobjectives = ["energy_per_inference", "volume"]\n'
     '[workload]\ncontext_length = "long"\n[[platforms]]\nmodel = "gpu"\n', "workload.context_length"),
    ('name = "x"\nscales = [1e12]\nobjectives = ["energy_per_inference", "volume"]\n'
     '[[platforms]]\nmodel = "gpu"\n[uncertainty]\nsample = 10\n',
     "uncertainty.sample: unknown key; did you mean 'samples'"),
    ('name = "x"\nscales = [1e12]\nobjectives = ["energy_per_inference", "volume"]\n'
     '[[platforms]]\nmodel = "gpu"\n[uncertainty]\nassumptions = { utilisaton = "fixed" }\n',
     "uncertainty.assumptions: unknown assumption 'utilisaton' for model(s) gpu; did you mean 'utilisation'"),
]


@pytest.mark.parametrize("text, message", MALFORMED)
def test_malformed_study_is_one_line_naming_file_and_key(tmp_path, text, message):
    (tmp_path / "bad.toml").write_text(text)
    result = cli("run", "bad.toml", "--out", "o", "--quiet", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("pfm-codesign: error: bad.toml: ") and message in lines[0], lines[0]


def test_missing_study_file(tmp_path):
    result = cli("run", "nope.toml", cwd=tmp_path)
    assert result.returncode == 2 and "no such study file" in result.stderr


def test_readme_study_example_is_valid(tmp_path):
    readme = (STUDIES.parent / "README.md").read_text()
    block = re.search(r"```toml\n(name = .*?)```", readme, re.S).group(1)
    (tmp_path / "example.toml").write_text(block)
    study = load_study(tmp_path / "example.toml")
    assert [v.label for v in study.variants] == ["optical, 1 µm", "crossbar N³"]
    assert study.scales[0] == 1e12 and len(study.scales) == 13  # 1e12 … 1e18, two per decade


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no pdflatex installed")
def test_table_tex_compiles_with_pdflatex(tmp_path):
    text = SMALL.replace('label = "crossbar"', 'label = "crossbar (N⁴, 1 µm wires) & 100 %"')
    (tmp_path / "small.toml").write_text(text.replace("trials = 60", "trials = 20"))
    assert cli("run", "small.toml", "--out", "o", "--quiet", cwd=tmp_path).returncode == 0
    table = (tmp_path / "o" / "table.tex").read_text(encoding="ascii")
    booktabs = (r"\IfFileExists{booktabs.sty}{\usepackage{booktabs}}{\newcommand\toprule{\hline}"
                r"\newcommand\midrule{\hline}\newcommand\bottomrule{\hline}}")  # basic TeX installs
    (tmp_path / "doc.tex").write_text(f"\\documentclass{{article}}\n{booktabs}\n"
                                      f"\\begin{{document}}\n{table}\\end{{document}}\n")
    result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:]
    assert (tmp_path / "doc.pdf").stat().st_size > 1000
