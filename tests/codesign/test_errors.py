"""Library errors describe the value and name the input as the API and study files do
(``InputError.field``); only the command line names its flag."""
import ast
import re
from pathlib import Path

import pytest

from codesign.cli import FLAGS, PROG, build_parser, main
from codesign.explore import explore
from codesign.outputs.export import check_writable
from codesign.platform import Platform
from codesign.points.compare import compare_records
from codesign.points.evaluate import parse_assignments, parse_params, parse_params_list
from codesign.search.optimise import Problem, SearchSpec, run_search, validate_objectives
from codesign.search.storage import JournalError, open_storage
from codesign.studies.runner import check_output_folder, start_workers
from codesign.uncertainty.platforms import parse_vary
from codesign.uncertainty.report import parse_equal_loss, uncertainty_record
from cost_models import InputError

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted(p for folder in ("codesign", "cost_models") for p in (ROOT / folder).rglob("*.py")
                 if p != ROOT / "codesign" / "cli.py")
SPEC = dict(model="gpu", params=1e12, objectives=["energy_per_inference", "latency"])


def _not_a_journal(tmp_path):
    (tmp_path / "notes.journal").write_text("my notes\n")
    return open_storage(str(tmp_path / "notes.journal"))


LIBRARY_CALLS = {
    "storage, a folder": (lambda t: open_storage(f"journal:{t}"), "storage", "is a folder"),
    "storage, no URL": (lambda t: open_storage("nosuch"), "storage", "neither a .journal file"),
    "storage, not a journal": (_not_a_journal, "storage", "is not an Optuna journal"),
    "storage, no file": (lambda t: open_storage(str(t / "new.journal")), "storage",
                         "no journal file"),
    "out, empty": (lambda t: check_writable(""), "out", "give a file name, e.g. front.csv"),
    "out, a folder": (lambda t: check_writable(t), "out", "is a folder; give a file name"),
    "out, a file as folder": (lambda t: check_output_folder(Path(__file__)), "out",
                              "exists and is not a folder"),
    "objectives, one": (lambda t: validate_objectives(["latency"]), "objectives",
                        "give 2 or 3 metrics"),
    "objectives, unknown": (lambda t: validate_objectives(["latency", "colour"]), "objectives",
                            "unknown metric 'colour'"),
    "seed": (lambda t: Problem.resolve(SearchSpec(**SPEC, seed=-1)), "seed",
             "expected a whole number from 0 to"),
    "params, out of range": (lambda t: Problem.resolve(SearchSpec(**{**SPEC, "params": 1e3})),
                             "params", "outside the scales"),
    "params, text": (lambda t: parse_params("big"), "params", "'big' is not a number"),
    "params, empty list": (lambda t: parse_params_list(","), "params", "expected one or more"),
    "reference_seeds": (lambda t: Problem.resolve(SearchSpec(**SPEC, reference_seeds=-1)),
                        "reference_seeds", "expected a whole number ≥ 0, got -1"),
    "trials": (lambda t: run_search(SearchSpec(**SPEC), 0, "memory"), "trials",
               "expected a positive whole number, got 0"),
    "preset": (lambda t: compare_records([1e12], "nosuch"), "preset",
               "no model has a preset 'nosuch'"),
    "design": (lambda t: parse_assignments("design", ["x"]), "design", "expected name=value"),
    "equal_loss": (lambda t: parse_equal_loss("8,40"), "equal_loss", "I/O bits must be 1 … 16"),
    "vary": (lambda t: parse_vary(["utilisation=normal"]), "vary",
             "'normal' for utilisation is not fixed"),
    "samples": (lambda t: uncertainty_record(Platform("gpu"), 1e12, samples=1), "samples",
                "expected at least 2 samples"),
    "workers": (lambda t: start_workers(None, "postgresql://h/db", 10, 2), "workers",
                "extra workers need the study file's path"),
}


@pytest.mark.parametrize("call, field, expect", LIBRARY_CALLS.values(), ids=LIBRARY_CALLS)
def test_library_errors_name_the_field_not_a_flag(tmp_path, call, field, expect):
    with pytest.raises(InputError) as caught:
        call(tmp_path)
    error = caught.value
    assert error.field == field and expect in error.message
    assert str(error) == f"{field}: {error.message}" and "--" not in str(error)


def test_a_journal_error_keeps_its_field_and_a_plain_error_its_message():
    error = JournalError("x is damaged", field="storage")
    assert isinstance(error, InputError) and str(error) == "storage: x is damaged"
    plain = InputError("unknown model 'x'")
    assert plain.field is None and str(plain) == "unknown model 'x'" == plain.headed(None)


@pytest.mark.parametrize("args, line", [
    (["studies", "--storage", "nosuch"], "--storage: 'nosuch' is neither a .journal file"),
    (["compare", "--preset", "nosuch"], "--preset: no model has a preset 'nosuch'"),
    (["evaluate", "gpu", "--params", "big"], "--params: 'big' is not a number"),
    (["evaluate", "gpu", "--params", "1e12", "--set", "x"], "--set: expected name=value, got 'x'"),
    (["evaluate", "gpu", "--params", "1e12", "--design", "x"], "--design: expected name=value"),
    (["search", "gpu", "--params", "1e12", "--fix", "x"], "--fix: expected name=value"),
    (["search", "gpu", "--params", "1e12", "--objectives", "latency", "--storage", "memory"],
     "--objectives: give 2 or 3 metrics"),
    (["search", "gpu", "--params", "1e12", "--trials", "0", "--storage", "memory"],
     "--trials: expected a positive whole number, got 0"),
    (["uncertainty", "gpu", "--params", "1e12", "--platforms", "gpu:h100",
      "--equal-loss", "8"],
     "--equal-loss: expected WEIGHT_BITS,IO_BITS"),
    (["uncertainty", "gpu", "--params", "1e12", "--vary", "utilisation=normal"],
     "--vary: 'normal' for utilisation is not fixed"),
    (["uncertainty", "gpu", "--params", "1e12", "--samples", "1"],
     "--samples: expected at least 2 samples"),
])
def test_the_command_line_names_the_flag(capsys, tmp_path, monkeypatch, args, line):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{PROG}: error: {line}"), lines


def test_every_field_a_library_error_names_has_a_flag_the_command_line_takes():
    fields = {m for path in LIBRARY for m in re.findall(r"\bfield=\"(\w+)\"", path.read_text())}
    fields |= {call[1] for call in LIBRARY_CALLS.values()}
    assert fields <= set(FLAGS), sorted(fields - set(FLAGS))
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices.values()
    options = {o for command in commands for a in command._actions for o in a.option_strings}
    assert set(FLAGS.values()) <= options, sorted(set(FLAGS.values()) - options)


def flag_texts(path: Path) -> list[tuple[int, str]]:
    """Texts starting with a command-line flag (``--name``) passed straight to a call in
    ``path``: an error's message or the name a helper puts at the head of one."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                head = arg.values[0] if isinstance(arg, ast.JoinedStr) and arg.values else arg
                if isinstance(head, ast.Constant) and isinstance(head.value, str) \
                        and re.match(r"--[a-z]", head.value):
                    found.append((node.lineno, head.value))
    return found


def test_no_library_error_starts_with_a_flag():
    assert [(str(path.relative_to(ROOT)), *hit) for path in LIBRARY
            for hit in flag_texts(path)] == []


def test_the_flag_scan_finds_a_flag_headed_error(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('raise InputError(f"--out: {path} is a folder")\n'
                       'check_scale(1.0, "--params")\n'
                       'command = ["search", "--params", "1e12"]\n')
    assert flag_texts(planted) == [(1, "--out: "), (2, "--params")]


def test_study_file_errors_name_the_key_once(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    study = ('name = "s"\nscales = [1e300]\nobjectives = ["latency", "colour"]\n'
             '[[platforms]]\nmodel = "gpu"\n')
    (tmp_path / "s.toml").write_text(study)
    assert main(["run", "s.toml", "--out", "o", "--quiet"]) == 2
    assert capsys.readouterr().err.startswith(
        f"{PROG}: error: s.toml: objectives: unknown metric 'colour'")
    (tmp_path / "s.toml").write_text(study.replace('"colour"', '"volume"'))
    assert main(["run", "s.toml", "--out", "o", "--quiet"]) == 2
    assert capsys.readouterr().err.startswith(
        f"{PROG}: error: s.toml: scales[0]: 1e+300 parameters is outside the scales")


def test_the_app_search_reports_the_field():
    result = explore([Platform("gpu")], 1e12, ["latency"], trials=10)
    assert result.errors["gpu"].startswith("objectives: give 2 or 3 metrics")
