"""End-to-end tests of table1, models and evaluate through the installed console script."""
import json
import subprocess
import sys

import pytest

import cost_models
from codesign.cli import main
from codesign.points.evaluate import evaluate_point
from cost_models import METRIC_UNITS


def run(*args):
    """The CLI in a fresh process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "codesign", *args], capture_output=True,
                          text=True, timeout=120)


def test_table1_json_reproduces_all_18_cells():
    result = run("table1", "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) == 18
    assert {r["platform"] for r in records} == {"optical_tube", "gpu"}
    assert {r["metric"] for r in records} == {"volume", "energy_per_inference", "time_per_inference"}
    for r in records:
        assert r["rounded_value"] == pytest.approx(r["paper_value"], rel=1e-9), r
        assert set(r) >= {"platform", "metric", "params", "value", "unit", "paper_value",
                          "rounded_value"}


def test_table1_appendix_and_formats(capsys):
    assert main(["table1", "--appendix", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    peaks = [r for r in records if r["metric"] == "peak_power"]
    assert [r["paper_value"] for r in peaks] == [44e6, 450e6, 4.5e9]
    for r in peaks:
        assert r["value"] == pytest.approx(r["paper_value"], rel=0.05)
    for fmt, marker in [("text", "✓"), ("markdown", "| "), ("latex", "\\toprule"),
                        ("csv", "platform,metric")]:
        assert main(["table1", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert marker in out
        assert "✗" not in out


def test_models_json_lists_design_space_and_assumptions(capsys):
    assert main(["models", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = {m["name"]: m for m in data["models"]}
    assert {"optical_tube", "gpu"} <= set(names)
    wavelength = next(a for a in names["optical_tube"]["assumptions"] if a["name"] == "wavelength")
    assert wavelength["unit"] == "m" and wavelength["value"] == 1550e-9 and wavelength["source"]
    assert {"io_dimension", "weight_precision", "io_precision"} <= {v["name"] for v in names["gpu"]["design_space"]}


def test_evaluate_json_with_units():
    result = run("evaluate", "optical_tube", "--params", "1e12", "--preset", "paper",
                 "--set", "wavelength=1030 nm", "--design", "pulse_duration=2 ps", "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert set(record) == {"model", "params", "preset", "design", "assumptions", "metrics",
                           "breakdown", "margins", "diagnostics", "time_limited_by",
                           "feasible"}
    assert record["assumptions"]["wavelength"] == pytest.approx(1.03e-6)
    assert record["design"]["pulse_duration"] == pytest.approx(2e-12)
    assert record["metrics"]["energy_per_inference"] > 0


def test_absurd_width_is_infeasible_on_the_shape_margin():
    """Issue 11: a 1e10-wide network at 1e12 parameters has far less than one layer."""
    result = run("evaluate", "gpu", "--params", "1e12", "--design", "io_dimension=1e10", "--json")
    record = json.loads(result.stdout)
    assert record["feasible"] is False
    assert record["margins"]["shape"] > 0
    assert all(v <= 0 for k, v in record["margins"].items() if k != "shape")
    assert record["diagnostics"]["layers"] == pytest.approx(1e12 / 1e20 / 12)


@pytest.mark.parametrize("args, message", [
    (["evaluate", "optical_tube", "--params", "0"], "positive"),
    (["evaluate", "optical_tube", "--params", "nan"], "positive finite"),
    (["evaluate", "optical_tube", "--params", "lots"], "not a number"),
    (["evaluate", "optcal_tube", "--params", "1e12"], "did you mean 'optical_tube'"),
    (["evaluate", "optical_tube", "--params", "1e12", "--set", "wavelength=5 kg"], "wavelength"),
    (["evaluate", "optical_tube", "--params", "1e12", "--set", "wavelenght=1 um"], "did you mean 'wavelength'"),
    (["evaluate", "optical_tube", "--params", "1e12", "--design", "io_precision=99"], "io_precision"),
    (["evaluate", "optical_tube", "--params", "1e12", "--design", "colour=red"], "unknown design variable"),
    (["evaluate", "optical_tube", "--params", "1e12", "--preset", "papr"], "did you mean 'paper'"),
    (["evaluate", "optical_tube", "--params", "1e12", "--set", "wavelength"], "name=value"),
    (["table1", "--format", "docx"], "invalid choice"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_compare_prints_all_six_platforms(capsys):
    assert main(["compare", "--params", "1e12,1e15", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["platform"] for r in records} == {"optical_tube", "crossbar", "resistor_network",
                                                "semiconductor", "digital_rom", "gpu"}
    assert len(records) == 6 * 2 * len(METRIC_UNITS)
    assert main(["compare", "--params", "1e12"]) == 0
    assert "digital_rom" in capsys.readouterr().out
    assert run("compare", "--params", "1e12,-3").returncode == 2


def test_compare_shows_the_shared_frame_rate_and_what_sets_each_time(capsys):
    assert main(["compare", "--params", "1e9", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    for r in records:
        model = cost_models.get(r["platform"])
        assert r["time_limited_by"] in model.time_terms
        declared = {a.name for a in model.assumptions}
        assert (r["max_io_rate"] == 1e8) if "max_io_rate" in declared else r["max_io_rate"] is None
        assert r["max_facility_power"] == 1e9  # every platform is throttled by the site
    assert main(["compare", "--params", "1e9"]) == 0
    out = capsys.readouterr().out
    framed = ", ".join(sorted({r["platform"] for r in records if r["max_io_rate"]},
                              key=cost_models.available().index))
    assert f"I/O frame rate (max_io_rate): 100 MHz ({framed})" in out
    assert "facility power cap (max_facility_power): 1 GW, shared by every platform" in out
    assert "time limited by" in out and "I/O frame" in out


def test_compare_says_which_platforms_assume_a_differing_shared_setting(capsys):
    assert main(["compare", "--params", "1e12", "--preset", "paper", "--format", "json"]) == 0
    rates = {r["max_io_rate"] for r in json.loads(capsys.readouterr().out) if r["max_io_rate"]}
    assert len(rates) > 1  # the paper's optical tube runs at its own frame rate
    assert main(["compare", "--params", "1e12", "--preset", "paper"]) == 0
    out = capsys.readouterr().out
    assert "I/O frame rate shared" not in out
    assert "I/O frame rate (max_io_rate): 100 MHz (crossbar, " in out and "(optical_tube)" in out


def test_compare_names_the_violated_margins(capsys):
    args = ["compare", "--params", "1e9,1e12", "--preset", "paper"]
    assert main(args + ["--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    for r in records:
        preset = None if r["preset"] == "default" else r["preset"]
        margins = evaluate_point(cost_models.get(r["platform"]), r["params"], preset)["margins"]
        assert r["violated"] == ";".join(m for m, v in margins.items() if v > 0)
        assert (r["violated"] == "") == r["feasible"]
    infeasible = {(r["platform"], r["params"]): r["violated"] for r in records if r["violated"]}
    assert infeasible  # the paper's optical tube, scaled down to 1e9
    assert main(args) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()
            if " violated " in line}
    assert set(rows) == {platform for platform, _ in infeasible}  # one row per platform
    for (platform, _), violated in infeasible.items():
        assert violated in rows[platform]


def test_bench_reports_rates_and_search_figures(capsys):
    assert main(["bench", "--models", "gpu", "--designs", "10000", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["evaluation"][0]["designs_per_second"] > 0
    search = data["search"][0]
    assert search["trials_per_second_default_storage"] > 0
    seeded = next(r for r in search["runs"] if "reference seeds" in r["method"])
    assert seeded["hv_ratio_2000"] > 0  # a figure measured, never asserted (README: benchmarks)


def test_help_teaches_every_command_and_option():
    from codesign.cli import build_parser

    parser = build_parser()
    top = parser.format_help()
    assert "energy_per_inference" in top and "pfm-codesign models" in top and "examples:" in top
    commands = parser._subparsers._group_actions[0].choices
    assert len(commands) >= 10
    for name, command in commands.items():
        text = command.format_help()
        assert command.description and text.count("  pfm-codesign ") >= 2, name
        for action in command._actions:
            assert action.help, f"{name} {action.option_strings or action.dest}: no help text"
    for name in ("evaluate", "search", "models"):
        assert "optical_tube" in commands[name].format_help()
    objectives = next(a for a in commands["search"]._actions if a.dest == "objectives")
    assert f"default {objectives.default})" in objectives.help


def test_readme_lists_every_model_with_its_presets():
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Models and presets", 1)[1].split("\n\n")[1]
    rows = {line.split("|")[1].strip(" `"): line.split("|")[3] for line in table.splitlines()[2:]}
    assert set(rows) == set(cost_models.available())
    for name, presets in rows.items():
        named = {p.split("`")[1] for p in presets.split(",") if "`" in p}
        assert named == set(cost_models.get(name).presets), name


def test_counts_and_articles_read_as_english():
    from codesign.outputs.labels import count_text, reference_network

    assert count_text(1, "distinct design") == "1 distinct design"
    assert count_text(0, "trial") == "0 trials" and count_text(3, "trial") == "3 trials"
    assert reference_network(8, 8) == "an 8-bit-weight, 8-bit-I/O network"
    assert reference_network(11, 4).startswith("an ") and reference_network(16, 4).startswith("a ")
    assert reference_network(4, 8) == "a 4-bit-weight, 8-bit-I/O network"
