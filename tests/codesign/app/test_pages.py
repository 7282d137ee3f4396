"""Every page through Streamlit's AppTest: widgets set, Run clicked, figure data and rows checked."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from codesign.platform import Platform
from codesign.explore import explore, robustness, to_csv
from codesign.uncertainty.report import parse_equal_loss

PAGES = Path(__file__).resolve().parents[3] / "codesign" / "app" / "pages"
TIMEOUT = 240


def page(name):
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=TIMEOUT)
    return at.run()


def explore_page(platforms, trials=None, objectives=None):
    """The Explore page with these platforms (and trial count, objectives) set, not yet run."""
    at = page("explore")
    at.sidebar.multiselect(key="platforms").set_value(platforms)
    if objectives:
        at.sidebar.multiselect(key="objectives").set_value(objectives)
    if trials:
        at.sidebar.number_input(key="trials").set_value(trials)
    return at.run()


def click_run(at):
    return at.button(key="run").click().run()


def figure(at, index=0):
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def values(array):
    """Plotly 7 stores arrays as base64 {"dtype", "bdata"}; decode either form."""
    if isinstance(array, dict) and "bdata" in array:
        import base64

        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
    return np.asarray(array, dtype=float)


def test_explore_runs_and_shows_the_same_front_as_codesign():
    at = explore_page(["optical_tube", "gpu"], 200)
    click_run(at)
    assert not at.exception and not at.error
    fig = figure(at)
    names = [trace["name"] for trace in fig["data"]]
    assert "optical_tube" in names and "gpu" in names
    assert fig["layout"]["xaxis"]["type"] == "log"
    expected = explore([Platform("optical_tube"), Platform("gpu")], 1e12,
                       ["energy_per_inference", "latency"], trials=200)
    front = expected.trials[expected.trials["pareto"]]
    table = at.dataframe[0].value
    assert len(table) == len(front)
    optical = next(t for t in fig["data"] if t["name"] == "optical_tube")
    np.testing.assert_allclose(np.sort(values(optical["x"])),
                               np.sort(front[front["variant"] == "optical_tube"]
                                       ["energy_per_inference [J]"].to_numpy()))
    assert at.download_button(key="download_trials").label.startswith("Download all trials")
    assert pd.read_csv(__import__("io").StringIO(to_csv(expected.trials)))["pareto"].sum() == len(front)


def test_explore_rerun_with_unchanged_inputs_reuses_the_result():
    at = click_run(explore_page(["gpu"], 100))
    first = figure(at)
    at.run()  # no click: the cached result is drawn again
    assert figure(at) == first


@pytest.mark.parametrize("text, message", [("5 kg", "dimension"), ("fast", "cannot read"),
                                           ("1 m", "outside its plausible range")])
def test_bad_assumption_value_shows_next_to_its_field_and_blocks_run(text, message):
    at = explore_page(["optical_tube"])
    at.text_input(key="assume:optical_tube:wavelength").set_value(text).run()
    assert not at.exception
    assert any(message in e.value for e in at.error)
    assert at.button(key="run").disabled
    at.text_input(key="assume:optical_tube:wavelength").set_value("1030 nm").run()
    assert not at.error and not at.button(key="run").disabled


def test_assumption_override_reaches_the_search():
    at = explore_page(["optical_tube"], 100)
    at.text_input(key="assume:optical_tube:max_io_rate").set_value("1 kHz").run()
    click_run(at)
    front = at.dataframe[0].value
    assert (front["time_per_inference [s]"] >= 1e-3 * (1 - 1e-9)).all()


def test_workload_setting_reaches_every_platform_and_the_table_says_where_fronts_stand():
    at = explore_page(["gpu (b200)"], 60)
    at.text_input(key="workload:tokens_per_inference").set_value("10").run()
    click_run(at)
    front = at.dataframe[0].value
    single = explore([Platform("gpu", "b200")], 1e12, ["energy_per_inference", "latency"],
                     trials=60, seed=0).trials
    ratio = front["latency [s]"].min() / single[single["pareto"]]["latency [s]"].min()
    assert 5 < ratio < 20  # ten tokens one after another
    assert "at_bound" in front.columns


def test_scaling_page_draws_each_objective_with_paper_points():
    at = page("scaling")
    at.sidebar.multiselect(key="scaling_platforms").set_value(["optical_tube (paper)", "gpu (paper)"])
    at.run()
    assert not at.exception
    fig = figure(at)
    names = [trace["name"] for trace in fig["data"]]
    assert "optical_tube (paper)" in names and "gpu (paper): paper's Table 1" in names
    assert len(at.get("plotly_chart")) == 2


def test_robustness_page_draws_bands_win_heatmap_and_tornado():
    at = page("robustness")
    at.sidebar.multiselect(key="robust_platforms").set_value(["optical_tube", "gpu (b200)"])
    at.sidebar.multiselect(key="robust_scales").set_value([12, 15])
    at.sidebar.number_input(key="robust_samples").set_value(200)
    at.run()
    assert not at.exception and not at.error
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    kinds = [{trace["type"] for trace in chart["data"]} for chart in charts]
    assert sum("heatmap" in k for k in kinds) == 2 and any("bar" in k for k in kinds)
    wins = at.dataframe[0].value  # the win table comes first
    expected = robustness([Platform("optical_tube"), Platform("gpu", "b200")], [1e12, 1e15],
                          ["energy_per_inference", "time_per_inference"], samples=200)
    pd.testing.assert_frame_equal(wins.reset_index(drop=True), expected.wins)
    band = charts[0]["data"][1]  # optical tube's median line, after its shaded band
    assert band["name"] == "optical_tube" and len(values(band["y"])) == 2
    at.sidebar.checkbox(key="robust_equal_loss").check().run()
    assert not at.exception and not at.error
    matched = robustness([Platform("optical_tube"), Platform("gpu", "b200")], [1e12, 1e15],
                         ["energy_per_inference", "time_per_inference"], samples=200,
                         equal_loss=parse_equal_loss("8,8"))
    pd.testing.assert_frame_equal(at.dataframe[0].value.reset_index(drop=True), matched.wins)


def test_assumptions_page_lists_sources():
    at = page("assumptions")
    table = at.dataframe[0].value
    assert {"optical_tube", "gpu", "crossbar"} <= set(table["model"])
    assert table["source"].str.len().min() > 0
    at.selectbox(key="assumption_model").set_value("gpu").run()
    assert set(at.dataframe[0].value["model"]) == {"gpu"}


def test_studies_page_opens_a_journal_and_shows_a_front(tmp_path, monkeypatch):
    from codesign.search.optimise import SearchSpec, run_search

    monkeypatch.setenv("PFM_CODESIGN_APP_STORAGE", str(tmp_path))
    store = str(tmp_path / "s.journal")
    run_search(SearchSpec("crossbar", 1e12, ["energy_per_inference", "volume"]), 100, store, "cb")
    at = page("studies")
    at.text_input(key="storage_url").set_value(store).run()
    assert not at.exception
    assert list(at.dataframe[0].value["study"]) == ["cb"]
    assert figure(at)["data"]
    assert at.download_button(key="download_study")
    at.text_input(key="storage_url").set_value("nosuchscheme://x").run()
    assert at.error and not at.exception


@pytest.mark.parametrize("typed, expect", [
    ("journal:/etc/passwd", "outside the folders this app may open"),
    ("sqlite:////etc/passwd", "outside the folders this app may open"),
    ("sqlite+pysqlite:////tmp/elsewhere.db", "outside the folders this app may open"),
    ("../outside.journal", "outside the folders this app may open"),
    ("new.journal", "opens existing stores only"),
    ("postgresql://user:hunter2@127.0.0.1:1/db", "user:***@127.0.0.1:1/db"),
])
def test_studies_page_opens_no_file_outside_its_folders_and_shows_no_password(
        tmp_path, monkeypatch, typed, expect):
    monkeypatch.setenv("PFM_CODESIGN_APP_STORAGE", str(tmp_path / "allowed"))
    (tmp_path / "allowed").mkdir()
    monkeypatch.chdir(tmp_path / "allowed")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    at = page("studies")
    at.text_input(key="storage_url").set_value(typed).run()
    shown = " ".join(e.value for e in at.error)
    assert expect in shown and "hunter2" not in shown and not at.exception
    at.text_input(key="storage_url").set_value("postgresql://user@127.0.0.1:1/db")
    at.text_input(key="storage_password").set_value("hunter2").run()
    assert "hunter2" not in " ".join(e.value for e in at.error) and at.error
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing created


def test_studies_page_names_the_field_not_the_command_line_flag(tmp_path, monkeypatch):
    monkeypatch.setenv("PFM_CODESIGN_APP_STORAGE", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.journal").write_text("my notes\n")
    at = page("studies")
    for typed, expect in [("notes.journal", "storage: notes.journal is not an Optuna journal"),
                          ("nosuch", "storage: 'nosuch' is neither a .journal file")]:
        at.text_input(key="storage_url").set_value(typed).run()
        shown = [e.value for e in at.error]
        assert len(shown) == 1 and shown[0].startswith(expect) and "--" not in shown[0], shown


def test_parallel_coordinates_on_request():
    at = click_run(explore_page(["crossbar (parasitic_n4)", "gpu"], 100))
    assert len(at.get("plotly_chart")) == 1
    at.toggle(key="show_parallel").set_value(True).run()
    charts = at.get("plotly_chart")
    assert len(charts) == 3
    layout = json.loads(charts[1].proto.spec)["layout"]
    titles = [a["text"].replace("<br>", " ") for a in layout["annotations"]]
    assert "Tile size" in titles


def test_app_csv_is_byte_identical_to_the_command_line_export(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "codesign", "search", "optical_tube", "--params", "1e12",
         "--objectives", "energy_per_inference,latency", "--trials", "200", "--seed", "0",
         "--reference-seeds", "50", "--storage", "memory", "--out", str(tmp_path / "cli.csv"),
         "--quiet"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    app = explore([Platform("optical_tube")], 1e12, ["energy_per_inference", "latency"],
                  trials=200, seed=0, reference_seeds=50)
    assert to_csv(app.trials) == (tmp_path / "cli.csv").read_text()


def test_three_objectives_draw_a_3d_front():
    at = click_run(explore_page(["crossbar (parasitic_n4)"], 100,
                                ["energy_per_inference", "latency", "volume"]))
    fig = figure(at)
    assert {trace["type"] for trace in fig["data"]} == {"scatter3d"}
    assert fig["layout"]["scene"]["zaxis"]["type"] == "log"


def test_reference_front_preview_before_any_run():
    at = explore_page(["gpu", "crossbar (parasitic_n4)"])
    assert not at.exception
    fig = figure(at)
    assert {t["name"] for t in fig["data"]} == {"gpu", "crossbar (parasitic_n4)"}
    assert "reference" in fig["layout"]["title"]["text"]
