"""An export's FILE.meta.json and a study run's meta.json share one provenance header, and
neither holds a password."""
import json
import sys

import numpy as np
import optuna

from codesign.outputs.export import export_study
from codesign.outputs.provenance import provenance
from codesign.search.storage import open_storage
from codesign.studies.runner import run_study
from codesign.studies.studyfile import load_study

STUDY = """
name = "tiny"
scales = [1e12]
objectives = ["energy_per_inference", "volume"]
[search]
trials = 12
seed = 5
[outputs]
static_images = false
[workload]
batch_size = 4
[[platforms]]
model = "crossbar"
label = "crossbar"
assumptions = { parasitic_regime = "widened_wires" }
"""
SECRET_URL = "postgresql://alice:s3cret@db.example/pfm"


def test_export_and_study_run_share_one_header_without_passwords(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["pfm-codesign", "run", "--storage", SECRET_URL])
    (tmp_path / "tiny.toml").write_text(STUDY)
    store = tmp_path / "tiny.journal"
    run_study(load_study(tmp_path / "tiny.toml"), tmp_path / "out", storage=str(store),
              log=lambda *a: None)
    with open_storage(str(store)) as opened:
        [summary] = optuna.get_all_study_summaries(opened.storage)
        study = optuna.load_study(study_name=summary.study_name, storage=opened.storage)
        export_study(study, SECRET_URL, tmp_path / "front.csv")
    texts = [(tmp_path / name).read_text() for name in ("out/meta.json", "front.meta.json")]
    assert all("s3cret" not in text for text in texts)
    run, export = (json.loads(text) for text in texts)
    header = set(provenance(str(store), 5, ["volume"], []))
    assert header <= set(run) and header <= set(export)
    for key in ("tool", "version", "git_commit", "python_version", "optuna_version",
                "numpy_version", "command_line", "seed", "objectives", "platforms"):
        assert run[key] == export[key], key
    assert export["storage"] == "postgresql://alice:***@db.example/pfm"
    assert run["storage"] == str(store)
    assert run["command_line"][-1] == export["storage"]
    assert run["seed"] == 5 and run["numpy_version"] == np.__version__
    assert [o["unit"] for o in run["objectives"]] == ["J", "m**3"]
    crossbar = run["platforms"]["crossbar"]
    values = {a["name"]: a["value"] for a in crossbar["assumptions"]}
    assert values["batch_size"] == 4 and values["parasitic_regime"] == "widened_wires"
    assert {v["name"] for v in crossbar["design_space"]} >= {"io_dimension", "tile_size"}
