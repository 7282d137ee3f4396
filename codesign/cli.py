"""The ``pfm-codesign`` command line. Every user error ends in one line on stderr and exit 2."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from pathlib import Path

import cost_models
from cost_models import METRIC_DESCRIPTIONS, METRIC_UNITS, InputError

from codesign import __version__
from codesign.outputs.formats import FORMATS, render, to_json
from codesign.points.evaluate import (describe_point, evaluate_point, parse_assignments, parse_params,
                     parse_params_list)
from codesign.points.table1 import render_table1, table1_records

PROG = "pfm-codesign"


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag in one line (exit 2) instead of the usage block."""

    def error(self, message):
        raise InputError(f"{message} (see '{self.prog} --help')")


def cmd_table1(args) -> int:
    sys.stdout.write(render_table1(table1_records(appendix=args.appendix), args.format))
    return 0


def cmd_models(args) -> int:
    records = [model_record(cost_models.get(name)) for name in cost_models.available()]
    errors = cost_models.plugin_errors()
    if args.json:
        sys.stdout.write(to_json({"models": records, "plugin_errors": errors}) + "\n")
        return 0
    for record in records:
        sys.stdout.write(_describe_model(record))
    for name, error in errors.items():
        print(f"{PROG}: warning: plug-in '{name}' was not loaded: {error}", file=sys.stderr)
    return 0


def model_record(model) -> dict:
    """A model's declarations as a JSON-ready dict (units SI)."""
    return {
        "name": model.name, "title": model.title, "description": model.description,
        "design_space": [
            {"name": v.name, "unit": v.unit, "kind": v.kind, "low": v.low, "high": v.high,
             "log": v.log, "choices": list(v.choices), "description": v.description,
             "default_at_1e12": v.default_at(1e12)}
            for v in model.design_variables],
        "assumptions": [
            {"name": a.name, "value": a.value, "unit": a.unit, "low": a.low, "high": a.high,
             "choices": list(a.choices), "source": a.source, "note": a.note}
            for a in model.assumptions],
        "presets": {name: {"description": p.description, "assumptions": dict(p.assumptions),
                           "source": p.source} for name, p in model.presets.items()},
        "metrics": {name: {"unit": unit, "description": METRIC_DESCRIPTIONS[name]}
                    for name, unit in METRIC_UNITS.items()},
        "margins": dict(model.margin_descriptions),
        "diagnostics": dict(model.diagnostic_units),
    }


def _describe_model(record: dict) -> str:
    from cost_models.units import format_quantity as fq

    model = cost_models.get(record["name"])
    lines = [f"{record['name']}: {record['title']}", f"  {record['description']}",
             "  design space:"]
    for v in model.design_variables:
        lines.append(f"    {v.name:<26} {v.describe_range():<40} {v.description}")
    lines.append("  assumptions:")
    for a in model.assumptions:
        value = a.value if a.choices else fq(a.value, a.unit, 4)
        lines.append(f"    {a.name:<26} {str(value):<12} [{a.describe_range()}]")
        lines.append(f"    {'':<26} source: {a.source}")
    if model.presets:
        lines.append("  presets:")
        for name, preset in model.presets.items():
            lines.append(f"    {name:<26} {preset.description}")
    return "\n".join(lines) + "\n\n"


def cmd_evaluate(args) -> int:
    model = cost_models.get(args.model)
    record = evaluate_point(model, parse_params(args.params), args.preset,
                            parse_assignments("--design", args.design),
                            parse_assignments("--set", args.set))
    sys.stdout.write(to_json(record) + "\n" if args.json else describe_point(record))
    return 0


def cmd_compare(args) -> int:
    from codesign.points.compare import compare_records, render_compare

    scales = parse_params_list(args.params)
    sys.stdout.write(render_compare(compare_records(scales, args.preset), scales, args.format))
    return 0


def cmd_search(args) -> int:
    from codesign.outputs.export import check_writable, export_study, trials_frame
    from codesign.search.optimise import SearchSpec, run_search, tqdm_progress

    spec = SearchSpec(model=args.model, params=parse_params(args.params),
                      objectives=[o.strip() for o in args.objectives.split(",") if o.strip()],
                      sampler=args.sampler, seed=args.seed, preset=args.preset,
                      assumptions=parse_assignments("--set", args.set),
                      fixed=parse_assignments("--fix", args.fix),
                      reference_seeds=args.reference_seeds)
    if args.out:
        check_writable(args.out)
    progress, close = tqdm_progress(args.quiet)
    try:
        result = run_search(spec, args.trials, args.storage, args.study, progress=progress)
    finally:
        close()
    study = result.study
    front = int(trials_frame(study)["pareto"].sum()) if study.trials else 0
    print(f"{PROG}: study '{study.study_name}' in {result.store.name}: "
          f"{result.new_trials} new trials, {len(study.trials)} in all, "
          f"{front} distinct designs on the feasible Pareto front", file=sys.stderr)
    if args.out:
        frame = export_study(study, result.store.name, args.out, args.pareto_only)
        _report_export(frame, args.out, args.pareto_only)
    if result.interrupted:
        print(f"{PROG}: interrupted; completed trials are saved, rerun to continue",
              file=sys.stderr)
        return 130
    return 0


def cmd_export(args) -> int:
    import optuna

    from codesign.explore import load_trials
    from codesign.outputs.export import check_writable, export_study
    from codesign.search.storage import open_storage

    check_writable(args.out)
    load_trials(args.storage, args.study)  # one-line error with suggestions if it is missing
    store = open_storage(args.storage, create=False)
    study = optuna.load_study(study_name=args.study, storage=store.storage)
    frame = export_study(study, store.name, args.out, args.pareto_only)
    _report_export(frame, args.out, args.pareto_only)
    return 0


def _report_export(frame, out: str, pareto_only: bool) -> None:
    if pareto_only:
        what = f"the {len(frame)} distinct designs of the feasible Pareto front"
    else:
        front = int(frame["pareto"].sum()) if len(frame) else 0
        what = f"all {len(frame)} trials ({front} distinct Pareto designs in column 'pareto')"
    print(f"{PROG}: wrote {what} to {out} (+ {Path(out).stem}.meta.json)", file=sys.stderr)


def cmd_studies(args) -> int:
    from codesign.explore import list_studies

    table, store_name = list_studies(args.storage)
    if args.json:
        sys.stdout.write(to_json(table.to_dict(orient="records")) + "\n")
    elif len(table):
        sys.stdout.write(render(table.to_dict(orient="records"), "text",
                                caption=f"Studies in {store_name}"))
    else:
        print(f"no studies in {store_name}")
    return 0


def cmd_run(args) -> int:
    import time

    from codesign.studies.runner import check_output_folder, run_study
    from codesign.studies.studyfile import load_study

    started = time.perf_counter()
    study = load_study(args.study_file)
    out = Path(args.out or Path("results") / study.name)
    check_output_folder(out)
    if args.trials is not None and args.trials < 1:
        raise InputError(f"--trials: expected a positive number of trials, got {args.trials}")
    progress, close = _progress_bar(args.quiet, unit="step")
    try:
        report = run_study(study, out, args.storage, args.trials, progress,
                           log=lambda line: print(f"{PROG}: {line}", file=sys.stderr))
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; completed trials are saved in the study's storage, rerun to "
              f"continue", file=sys.stderr)
        return 130
    finally:
        close()
    print(f"{PROG}: study '{study.name}': {report['trials']} trials, {report['pareto']} distinct "
          f"Pareto designs, {report['figures']} figures in {time.perf_counter() - started:.1f} s "
          f"(searches {report['search_seconds']:.1f} s) -> {out}", file=sys.stderr)
    if report["table1"]:
        matched, cells = sum(report["table1"]), len(report["table1"])
        print(f"{PROG}: the paper's Table 1: {matched} of {cells} cells reproduced by the paper "
              f"presets (see summary.md)", file=sys.stderr)
        if matched < cells:
            return 1
    return 0


def _progress_bar(quiet: bool, unit: str):
    """``(progress(done, total, what), close())`` drawing one tqdm bar on stderr that follows
    each phase (searches, tables, static images); no-ops when ``quiet``."""
    if quiet:
        return (lambda done, total, what: None), (lambda: None)
    from tqdm import tqdm

    bar = tqdm(total=1, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True)

    def progress(done, total, what):
        if bar.total != total:
            bar.reset(total=total)
        bar.set_description(what)
        bar.update(done - bar.n)

    return progress, bar.close


def cmd_app(args) -> int:
    import subprocess

    from codesign import app

    if not 1 <= args.port <= 65535:
        raise InputError(f"--port: {args.port} is not a TCP port (1–65535)")
    script = Path(app.__file__).with_name("streamlit_app.py")
    command = [sys.executable, "-m", "streamlit", "run", str(script),
               "--server.address", args.host, "--server.port", str(args.port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    print(f"{PROG}: serving the app at http://{args.host}:{args.port} (Ctrl-C to stop)",
          file=sys.stderr)
    server = subprocess.Popen(command)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # SIGTERM stops the server too
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def cmd_bench(args) -> int:
    from codesign.bench import BENCH_OBJECTIVES, evaluation_rate, search_benchmark

    names = [cost_models.get(n.strip()).name for n in args.models.split(",")] if args.models \
        else cost_models.available()
    objectives = args.objectives.split(",") if args.objectives else BENCH_OBJECTIVES
    rates = [evaluation_rate(name, n=args.designs) for name in names]
    searches = [] if args.no_search else [search_benchmark(name, objectives) for name in names]
    if args.json:
        sys.stdout.write(to_json({"evaluation": rates, "search": searches}) + "\n")
        return 0
    shown = [{**r, "seconds": f"{r['seconds'] * 1e3:.1f} ms",
              "designs_per_second": f"{r['designs_per_second']:.3g}"} for r in rates]
    sys.stdout.write(render(shown, "text", caption="Vectorised evaluation (P = 1e12)") + "\n")
    rows = []
    for s in searches:
        for run in s["runs"]:
            rows.append({"model": s["model"], "method": run["method"],
                         "trials/s": f"{run['trials_per_second']:.0f}",
                         "HV@500": _ratio(run["hv_ratio_500"]), "HV@2000": _ratio(run["hv_ratio_2000"]),
                         "s to 99 %": "not reached" if run["seconds_to_99"] is None
                         else f"{run['seconds_to_99']:.3f}"})
        rows.append({"model": s["model"], "method": "optuna nsga2, default storage",
                     "trials/s": f"{s['trials_per_second_default_storage']:.0f}"})
    if rows:
        sys.stdout.write(render(rows, "text", caption=f"Search at P = 1e12, objectives "
                                f"{', '.join(objectives)}; HV = hypervolume / reference front's "
                                f"(log10-normalised)"))
    return 0


def _ratio(value) -> str:
    return "" if value is None else f"{value:.4f}"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Cost models and co-design search for neural networks "
                     "fixed in physical hardware.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("table1", help="the paper's Table 1 recomputed, with its rounding")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--appendix", action="store_true", help="add the App. A.2 figures")
    p.set_defaults(func=cmd_table1)

    p = sub.add_parser("models", help="every registered cost model, its design space and assumptions")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("evaluate", help="evaluate one design point of a model")
    p.add_argument("model")
    p.add_argument("--params", required=True, help="model scale P in parameters, e.g. 1e12")
    p.add_argument("--preset", default=None, help="named preset of the model, e.g. paper")
    p.add_argument("--design", action="append", metavar="NAME=VALUE",
                   help="override a design variable (units allowed: pulse_duration='1 ps')")
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="override an assumption (units allowed: wavelength='1030 nm')")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("compare", help="every platform side by side at its default design point")
    p.add_argument("--params", default="1e12,1e15,1e18", help="comma-separated scales")
    p.add_argument("--preset", default=None,
                   help="preset applied to every model that has it (e.g. paper)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.set_defaults(func=cmd_compare)

    from codesign.search.optimise import SAMPLERS

    p = sub.add_parser("search", help="multi-objective co-design search of one model at one scale")
    p.add_argument("model")
    p.add_argument("--params", required=True, help="model scale P in parameters, e.g. 1e12")
    p.add_argument("--objectives", default="energy_per_inference,time_per_inference",
                   help="2 or 3 comma-separated metrics to minimise")
    p.add_argument("--trials", type=int, default=1000, help="total complete trials in the study")
    p.add_argument("--sampler", choices=SAMPLERS, default="nsga2")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--preset", default=None)
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="override an assumption")
    p.add_argument("--fix", action="append", metavar="NAME=VALUE",
                   help="fix a design variable instead of searching it")
    p.add_argument("--reference-seeds", type=int, default=0, metavar="N",
                   help="start from N designs of the exact reference front")
    p.add_argument("--storage", default=None,
                   help="journal file or database URL (default: ./pfm-codesign.journal)")
    p.add_argument("--study", default=None, help="study name (default: derived from the settings)")
    p.add_argument("--out", help="CSV of the trials (plus FILE.meta.json)")
    p.add_argument("--pareto-only", action="store_true", help="export only the Pareto designs")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("run", help="run a study file: searches, tables, figures, LaTeX")
    p.add_argument("study_file", metavar="STUDY.toml")
    p.add_argument("--out", help="output folder (default: results/<study name>)")
    p.add_argument("--storage", default=None,
                   help="journal file or database URL (default: <out>/study.journal)")
    p.add_argument("--trials", type=int, default=None, help="trials per search (overrides the file)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("export", help="write a stored study's trials as CSV")
    p.add_argument("--storage", default=None)
    p.add_argument("--study", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--pareto-only", action="store_true")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("studies", help="list the studies in a storage")
    p.add_argument("--storage", default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_studies)

    p = sub.add_parser("app", help="start the Streamlit app (localhost by default)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8501)
    p.set_defaults(func=cmd_app)

    p = sub.add_parser("bench", help="benchmarks: evaluation rate and search quality per model")
    p.add_argument("--models", help="comma-separated model names (default: all)")
    p.add_argument("--objectives", help="two metrics (default: energy_per_inference,latency)")
    p.add_argument("--designs", type=int, default=1_000_000, help="designs per evaluate call")
    p.add_argument("--no-search", action="store_true", help="only the evaluation rates")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except InputError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback to a user unless asked for
        if os.environ.get("PFM_CODESIGN_DEBUG"):
            traceback.print_exc()
        print(f"{PROG}: internal error: {type(exc).__name__}: {exc} "
              f"(set PFM_CODESIGN_DEBUG=1 for the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
