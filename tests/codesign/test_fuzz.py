"""Fuzzing with hypothesis: study files, command lines, assumption text and storage URLs end in
a valid result or one line with exit code 2 (an InputError) — never a traceback, never a
changed file that is not a store. A few hundred examples per target, kept quick."""
import string
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cost_models
from cost_models import InputError

FUZZ = settings(max_examples=300, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

MODELS = cost_models.available()
NAMES = sorted({v.name for m in MODELS for v in cost_models.get(m).design_variables}
               | {a.name for m in MODELS for a in cost_models.get(m).assumptions})
UNITS = ["", " nm", " m", " s", " ps", " W", " J", " m^2/W", " K", " Hz", " bit", " kg", " %"]

scalars = st.one_of(st.integers(-2**70, 2**70), st.floats(allow_nan=True, allow_infinity=True),
                    st.booleans(), st.text(max_size=12), st.dates(), st.times())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(NAMES + ["x"]), inner,
                                                 max_size=3)), max_leaves=6)
quantities = st.one_of(
    st.builds(lambda n, u: f"{n}{u}", st.floats(allow_nan=True, allow_infinity=True),
              st.sampled_from(UNITS)),
    st.builds(lambda a, op, b, u: f"{a}{op}{b}{u}", st.integers(-99, 10**6),
              st.sampled_from(["**", "^", "*", "/", " ** ", "e", "**-"]),
              st.integers(-10**6, 10**6), st.sampled_from(UNITS)),
    st.text(alphabet=string.digits + string.ascii_letters + " .*^/()-+e_", max_size=40))


def study_tables():
    platform = st.fixed_dictionaries({"model": st.sampled_from(MODELS + ["nosuch", 3])}, optional={
        "label": st.one_of(st.text(max_size=8), st.integers()),
        "preset": st.one_of(st.sampled_from(["paper", "parasitic_n4", "h100", "nosuch"]),
                            st.integers()),
        "assumptions": st.dictionaries(st.sampled_from(NAMES), st.one_of(quantities, values),
                                       max_size=2),
        "fix": st.dictionaries(st.sampled_from(NAMES), st.one_of(quantities, values,
                                                                 st.just("default")), max_size=2),
        "ranges": st.dictionaries(st.sampled_from(NAMES), values, max_size=2)})
    scales = st.one_of(
        st.lists(st.one_of(st.floats(), st.integers(-10, 10**25), st.sampled_from([1e12, 1e15])),
                 max_size=3),
        st.fixed_dictionaries({}, optional={
            "start": st.one_of(st.floats(), st.sampled_from([1e9, 1e12])),
            "stop": st.one_of(st.floats(), st.sampled_from([1e15, 1e21, 1e300])),
            "per_decade": st.one_of(st.integers(-5, 10**10), st.floats())}),
        values)
    return st.fixed_dictionaries({}, optional={
        "name": st.one_of(st.text(max_size=8), st.just("s"), values),
        "scales": scales,
        "objectives": st.one_of(st.lists(st.sampled_from(
            ["energy_per_inference", "time_per_inference", "latency", "volume", "power", "x"]),
            max_size=4), values),
        "search": st.fixed_dictionaries({}, optional={
            "sampler": st.sampled_from(["nsga2", "tpe", "nope", 1]),
            "trials": st.one_of(st.integers(-5, 10**12), values),
            "seed": st.integers(-2**40, 2**40), "reference_seeds": st.integers(-5, 10**9)}),
        "platforms": st.one_of(st.lists(platform, max_size=3), values),
        "compare_to": st.one_of(st.sampled_from(MODELS), values),
        "outputs": st.dictionaries(st.sampled_from(["static_images", "x"]), values, max_size=1),
        "extra": values})


@FUZZ
@given(data=study_tables())
def test_study_files_parse_or_name_the_problem(data):
    from codesign.studies.runner import spec_for
    from codesign.search.optimise import Problem
    from codesign.studies.studyfile import _Context, parse_study

    try:
        study = parse_study(data, _Context("fuzz.toml"))
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    for variant in study.variants:
        for params in study.scales:
            Problem.resolve(spec_for(study, variant, params))  # a valid study resolves


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text_as_a_study_file(tmp_path, text):
    from codesign.studies.studyfile import load_study

    path = tmp_path / "fuzz.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_study(path)
    except InputError as exc:
        assert "\n" not in str(exc) or isinstance(exc.__context__, tomllib.TOMLDecodeError)


@FUZZ
@given(text=quantities, model=st.sampled_from(MODELS), which=st.integers(0, 50))
def test_assumption_text_parses_or_names_the_field(text, model, which):
    assumptions = cost_models.get(model).assumptions
    assumption = assumptions[which % len(assumptions)]
    try:
        value = assumption.parse(text)
    except InputError as exc:
        assert assumption.name in str(exc)
        return
    assert value in assumption.choices or assumption.low <= value <= assumption.high


FLAGS = {
    "evaluate": [["--params", st.sampled_from(["1e12", "1e3", "x", "-1", "inf", "1e21"])],
                 ["--preset", st.sampled_from(["paper", "nosuch", ""])],
                 ["--set", quantities.map(lambda q: f"{NAMES[len(q) % len(NAMES)]}={q}")],
                 ["--design", quantities.map(lambda q: f"{NAMES[len(q) % len(NAMES)]}={q}")],
                 ["--json"]],
    "search": [["--params", st.sampled_from(["1e12", "1e3", "1e15", "nan"])],
               ["--trials", st.sampled_from(["1", "7", "0", "-3", "x", "60"])],
               ["--seed", st.sampled_from(["0", "-1", str(2**40), "7"])],
               ["--sampler", st.sampled_from(["nsga2", "random", "tpe", "qmc", "x"])],
               ["--objectives", st.sampled_from(["energy_per_inference,latency", "volume",
                                                 "latency,latency", "power,volume,latency"])],
               ["--reference-seeds", st.sampled_from(["0", "10", "-5"])],
               ["--set", quantities.map(lambda q: f"{NAMES[len(q) % len(NAMES)]}={q}")],
               ["--fix", quantities.map(lambda q: f"{NAMES[len(q) % len(NAMES)]}={q}")]],
    "compare": [["--params", st.sampled_from(["1e12", "1e12,1e15", ",", "1e3"])],
                ["--preset", st.sampled_from(["paper", "nosuch"])],
                ["--format", st.sampled_from(["text", "json", "csv", "xml"])]],
}


@st.composite
def command_lines(draw):
    command = draw(st.sampled_from(sorted(FLAGS)))
    args = [command]
    if command != "compare":
        args.append(draw(st.sampled_from(MODELS + ["nosuch"])))
    if command == "search":
        args += ["--storage", "memory", "--quiet", "--trials", "5"]
    if command != "compare":
        args += ["--params", "1e12"]
    for flag in draw(st.lists(st.sampled_from(FLAGS[command]), max_size=4)):
        args.append(flag[0])
        if len(flag) > 1:
            args.append(draw(flag[1]))
    return args


@settings(FUZZ, max_examples=200)
@given(args=command_lines())
def test_command_lines_end_in_a_result_or_one_line(capsys, args):
    from codesign.cli import main

    code = main(args)
    err = capsys.readouterr().err
    assert code in (0, 2), (args, err)
    if code == 2:
        assert len(err.strip().splitlines()) == 1, (args, err)


URLS = st.one_of(
    st.builds(lambda s, rest: s + rest,
              st.sampled_from(["journal:", "sqlite:///", "postgresql://u:secret@127.0.0.1:1/",
                               "mysql://", "memory", "", "nosuch://", "file://"]),
              st.text(alphabet=string.ascii_letters + string.digits + "./_-:@?%", max_size=20)),
    st.text(max_size=30))


@settings(FUZZ, max_examples=200)
@given(url=URLS, content=st.one_of(st.none(), st.binary(max_size=200),
                                   st.sampled_from([b'{"op_code":0}\n', b"{}\n", b"keep me"])))
def test_storage_urls_open_or_name_the_problem_and_change_no_file(tmp_path, monkeypatch, url,
                                                                  content):
    from codesign.search.storage import open_storage

    monkeypatch.chdir(tmp_path)
    target = tmp_path / "f.journal"
    if content is not None:
        target.write_bytes(content)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    for candidate in (url, "f.journal"):
        try:
            open_storage(candidate).close()
        except InputError as exc:
            assert "\n" not in str(exc) and "secret" not in str(exc)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # reading never creates nor changes a file


@pytest.mark.parametrize("tail", [b"", b'{"op_code":4,"worker_id":"w","study_id":0,'])
@settings(FUZZ, max_examples=100)
@given(garbage=st.binary(min_size=1, max_size=60))
def test_a_writer_changes_a_journal_only_by_dropping_its_torn_end(tmp_path, tail, garbage):
    from codesign.search.optimise import SearchSpec, run_search
    from codesign.search.storage import JournalError

    path = tmp_path / "w.journal"
    if not path.exists():
        run_search(SearchSpec("gpu", 1e12, ["energy_per_inference", "latency"]), 5, str(path))
        (tmp_path / "good").write_bytes(path.read_bytes())
    good = (tmp_path / "good").read_bytes()
    path.write_bytes(good + garbage + tail)
    try:
        run_search(SearchSpec("gpu", 1e12, ["energy_per_inference", "latency"]), 5, str(path))
    except InputError as exc:
        assert isinstance(exc, JournalError) and "\n" not in str(exc)
        assert path.read_bytes() == good + garbage + tail  # refused: untouched
        return
    written = path.read_bytes()  # the torn end is gone, what came before is kept
    assert written.startswith(good) and written[len(good):].startswith(b'{"op_code":')
    assert b"\n" not in garbage + tail
