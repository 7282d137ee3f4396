"""The ``pfm-codesign`` command line. Every user error ends in one line on stderr and exit 2."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import traceback
from pathlib import Path

import cost_models
from cost_models import METRIC_DESCRIPTIONS, METRIC_UNITS, InputError

from codesign import __version__
from codesign.outputs.formats import FORMATS, render, to_json
from codesign.outputs.labels import count_text
from codesign.points.evaluate import (describe_point, evaluate_point, parse_assignments, parse_params,
                     parse_params_list)
from codesign.points.table1 import render_table1, table1_records

PROG = "pfm-codesign"
#: The metrics ``search`` minimises and ``uncertainty --platforms`` compares unless
#: --objectives says otherwise.
DEFAULT_OBJECTIVES = "energy_per_inference,time_per_inference"

#: The flag that gives each library input (:attr:`InputError.field`); error lines name it.
FLAGS = {"assumptions": "--set", "design": "--design", "equal_loss": "--equal-loss",
         "fixed": "--fix", "objectives": "--objectives", "out": "--out", "params": "--params",
         "preset": "--preset", "reference_seeds": "--reference-seeds", "samples": "--samples",
         "seed": "--seed", "storage": "--storage", "trials": "--trials", "vary": "--vary",
         "workers": "--workers"}


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag in one line (exit 2) instead of the usage block, and
    whose help ends with text computed only when it is printed (``epilog_text``)."""

    epilog_text = None

    def format_help(self) -> str:
        if self.epilog_text is not None:
            self.epilog = self.epilog_text()
        return super().format_help()

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
             "choices": list(a.choices), "source": a.source}
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
                            parse_assignments("design", args.design),
                            parse_assignments("assumptions", args.set))
    sys.stdout.write(to_json(record) + "\n" if args.json else describe_point(record))
    return 0


def cmd_uncertainty(args) -> int:
    from codesign.uncertainty.platforms import parse_vary
    from codesign.uncertainty.report import (describe_record, parse_equal_loss, parse_platform,
                                             uncertainty_record)

    for flag, given in (("--objectives", args.objectives), ("--equal-loss", args.equal_loss)):
        if given is not None and not args.platforms:
            raise InputError(f"{flag}: applies only with --platforms (the platforms to compare)")
    others = [parse_platform(p) for p in args.platforms.split(",") if p.strip()] \
        if args.platforms else []
    platform = parse_platform(args.model)
    if args.preset:
        if platform.preset:
            raise InputError(f"--preset: {args.model!r} already selects preset "
                             f"{platform.preset!r}; give the preset either as MODEL:PRESET or "
                             f"with --preset, not both")
        platform = type(platform)(platform.model, args.preset)
    platform.assumptions = parse_assignments("assumptions", args.set)
    vary = parse_vary(args.vary)
    both = [name for name, spread in vary.items()
            if name in platform.assumptions and spread != "fixed"]
    if both:
        raise InputError(f"--set/--vary: {', '.join(both)} both fixed by --set and varied by "
                         f"--vary; give one")
    objectives = [o.strip() for o in (args.objectives or DEFAULT_OBJECTIVES).split(",")
                  if o.strip()]
    equal_loss = parse_equal_loss(args.equal_loss) if args.equal_loss else None
    record = uncertainty_record(platform, parse_params(args.params),
                                parse_assignments("design", args.design),
                                vary, args.samples, args.seed, others,
                                objectives, equal_loss)
    sys.stdout.write(to_json(record) + "\n" if args.json else describe_record(record))
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
                      assumptions=parse_assignments("assumptions", args.set),
                      fixed=parse_assignments("fixed", args.fix),
                      reference_seeds=args.reference_seeds)
    if args.out is not None:
        check_writable(args.out, args.storage)
    elif args.pareto_only:
        raise InputError("--pareto-only: applies only with --out (the file to write)")
    progress, close = tqdm_progress(args.quiet)
    try:
        result = run_search(spec, args.trials, args.storage, args.study, progress=progress)
    finally:
        close()
    study = result.study
    front = int(trials_frame(study)["pareto"].sum()) if study.trials else 0
    print(f"{PROG}: study '{study.study_name}' in {result.store.name}: "
          f"{count_text(result.new_trials, 'new trial')}, {len(study.trials)} in all, "
          f"{count_text(front, 'distinct design')} on the feasible Pareto front", file=sys.stderr)
    if result.store.stale_failed:
        print(f"{PROG}: {len(result.store.stale_failed)} trials of stopped workers were marked "
              f"failed (no heartbeat) and searched again", file=sys.stderr)
    if args.out is not None:
        try:
            frame = export_study(study, result.store.name, args.out, args.pareto_only)
        except InputError as exc:
            kept = "not kept (--storage memory)" if result.store.name == "memory" else \
                f"kept in {result.store.name} as study '{study.study_name}' ('{PROG} export' " \
                f"writes them)"
            raise InputError(f"{exc.message}; the trials are {kept}", field=exc.field) from None
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

    check_writable(args.out, args.storage)
    load_trials(args.storage, args.study)  # one-line error with suggestions if it is missing
    store = open_storage(args.storage)
    study = optuna.load_study(study_name=args.study, storage=store.storage)
    frame = export_study(study, store.name, args.out, args.pareto_only)
    _report_export(frame, args.out, args.pareto_only)
    return 0


def cmd_recover(args) -> int:
    from codesign.search.storage import recover_journal

    try:
        kept, original = recover_journal(args.journal)
    except InputError as exc:  # the journal is this command's argument, not --storage
        raise InputError(exc.message) from None
    print(f"{PROG}: kept the {kept} entries before the corrupted line in {args.journal}; the "
          f"original file is saved as {original}", file=sys.stderr)
    return 0


def _report_export(frame, out: str, pareto_only: bool) -> None:
    if pareto_only:
        what = f"the {count_text(len(frame), 'distinct design')} of the feasible Pareto front"
    else:
        front = int(frame["pareto"].sum()) if len(frame) else 0
        designs = count_text(front, "distinct Pareto design")
        what = f"all {count_text(len(frame), 'trial')} ({designs} in column 'pareto')"
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

    from codesign.search.storage import check_storage
    from codesign.studies.runner import check_output_folder, run_study
    from codesign.studies.studyfile import load_study

    started = time.perf_counter()
    study = load_study(args.study_file)
    out = Path(args.out or Path("results") / study.name)
    check_output_folder(out)
    if args.storage:
        check_storage(args.storage)
    if args.trials is not None and args.trials < 1:
        raise InputError(f"--trials: expected a positive number of trials, got {args.trials}")
    if args.workers < 1:
        raise InputError(f"--workers: expected a positive whole number, got {args.workers}")
    if args.workers > 1 and not is_database(args.storage):
        raise InputError("--workers: several workers need a database in --storage (e.g. "
                         "postgresql://user@host/db); a journal file has one writer")
    progress, close = _progress_bar(args.quiet, unit="step")
    try:
        report = run_study(study, out, args.storage, args.trials, progress,
                           log=lambda line: print(f"{PROG}: {line}", file=sys.stderr),
                           workers=args.workers, study_file=args.study_file)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; completed trials are saved in the study's storage, rerun to "
              f"continue", file=sys.stderr)
        return 130
    finally:
        close()
    print(f"{PROG}: study '{study.name}': {count_text(report['trials'], 'trial')}, "
          f"{count_text(report['pareto'], 'distinct Pareto design')}, "
          f"{count_text(report['figures'], 'figure')} in {time.perf_counter() - started:.1f} s "
          f"(searches {report['search_seconds']:.1f} s) -> {out}", file=sys.stderr)
    if report["table1"]:
        matched, cells = sum(report["table1"]), len(report["table1"])
        print(f"{PROG}: the paper's Table 1: {matched} of {cells} cells reproduced by the paper "
              f"presets (see summary.md)", file=sys.stderr)
        if matched < cells:
            return 1
    return 0


def cmd_worker(args) -> int:
    from codesign.studies.runner import WORKER_STORAGE_VARIABLE, search_study
    from codesign.studies.studyfile import load_study

    storage = args.storage or os.environ.get(WORKER_STORAGE_VARIABLE)
    if not is_database(storage):
        raise InputError(f"--storage: a worker joins a database (postgresql://user@host/db); "
                         f"give its URL with --storage or in ${WORKER_STORAGE_VARIABLE}")
    study = load_study(args.study_file)
    if args.trials is not None and args.trials < 1:
        raise InputError(f"--trials: expected a positive number of trials, got {args.trials}")
    def progress(done, total, what):
        print(f"{PROG}: worker: {what} ({done + 1}/{total})", file=sys.stderr)

    try:
        results = search_study(study, storage, args.trials, None if args.quiet else progress)
    except KeyboardInterrupt:
        print(f"{PROG}: worker interrupted; its trials are saved", file=sys.stderr)
        return 130
    added = sum(result.new_trials for _, _, result in results)
    print(f"{PROG}: worker: {added} trials added to the {len(results)} searches of "
          f"'{study.name}'", file=sys.stderr)
    return 0


def is_database(storage: str | None) -> bool:
    from codesign.search.storage import is_journal

    return bool(storage) and "://" in storage and not is_journal(storage)


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
    check_listen(args.host, args.port)
    from codesign.explore import APP_ROOTS_VARIABLE

    roots = [Path(folder).resolve() for folder in (args.allow_storage or ["."])]
    for root in roots:
        if not root.is_dir():
            raise InputError(f"--allow-storage: {root} is not a folder")
    os.environ[APP_ROOTS_VARIABLE] = os.pathsep.join(map(str, roots))
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


def check_listen(host: str, port: int) -> None:
    """One line if the app could not listen on ``host``:``port`` (unknown host, port taken)."""
    import socket

    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"--host: cannot resolve {host!r} ({getattr(exc, 'strerror', exc)})") \
            from None
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise InputError(f"--host/--port: cannot listen on {host}:{port} "
                             f"({exc.strerror or exc})") from None


def cmd_bench(args) -> int:
    from codesign.bench import BENCH_OBJECTIVES, evaluation_rate, search_benchmark

    if args.designs < 1:
        raise InputError(f"--designs: expected a positive whole number, got {args.designs}")
    if args.storage:
        return bench_scale_out(args)

    names = [cost_models.get(n.strip()).name for n in args.models.split(",")] if args.models \
        else cost_models.available()
    objectives = args.objectives.split(",") if args.objectives else BENCH_OBJECTIVES
    steps = len(names) * (1 if args.no_search else 2)
    progress, close = _progress_bar(False, unit="model")
    try:
        rates, searches = [], []
        for name in names:
            progress(len(rates), steps, f"evaluation rate: {name}")
            rates.append(evaluation_rate(name, n=args.designs))
        for name in [] if args.no_search else names:
            progress(len(rates) + len(searches), steps, f"search benchmark: {name}")
            searches.append(search_benchmark(name, objectives))
    finally:
        close()
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


def bench_scale_out(args) -> int:
    from codesign.bench import scale_out_benchmark

    if not is_database(args.storage):
        raise InputError("--storage: the scale-out benchmark needs a database URL")
    try:
        workers = [int(k) for k in args.workers.split(",")]
    except ValueError:
        raise InputError(f"--workers: expected counts such as 1,2,4, got {args.workers!r}") \
            from None
    if not workers or min(workers) < 1:
        raise InputError(f"--workers: expected positive counts, got {args.workers!r}")
    from codesign.search.storage import open_storage

    with open_storage(args.storage, writer=True):  # reachable, with Optuna's tables, first
        pass
    figures = scale_out_benchmark(args.storage, workers)
    if args.json:
        sys.stdout.write(to_json(figures) + "\n")
        return 0
    shown = [{**r, "trials_per_second": f"{r['trials_per_second']:.0f}",
              "per_worker": f"{r['per_worker']:.0f}"} for r in figures["rows"]]
    sys.stdout.write(render(shown, "text", caption="NSGA-II trials/s (crossbar, P = 1e12), from "
                            "the first trial's start to the last one's end"))
    growth = figures["growth"]
    print(f"embedded journal, {growth['trials']}-trial study: "
          f"{growth['first_per_second']:.0f} trials/s over its first {growth['window']} trials, "
          f"{growth['last_per_second']:.0f} over its last {growth['window']} "
          f"({growth['last_per_second'] / growth['first_per_second']:.0%})")
    return 0


def _ratio(value) -> str:
    return "" if value is None else f"{value:.4f}"


def _metrics_text() -> str:
    return "\n".join(f"  {name:<22} {METRIC_DESCRIPTIONS[name]} ({unit_text(unit)})"
                     for name, unit in METRIC_UNITS.items())


def unit_text(unit: str) -> str:
    from cost_models.units import pretty_unit

    return pretty_unit(unit) if unit else "dimensionless"


def _models_text() -> str:
    """The registered platforms, one line each (read when a help page is printed)."""
    lines = []
    for name in cost_models.available():
        model = cost_models.get(name)
        presets = f"  [presets: {', '.join(model.presets)}]" if model.presets else ""
        lines.append(f"  {name:<22} {model.title}{presets}")
    return "\n".join(lines)


def _command(sub, name: str, summary: str, examples: list[str], func, epilog=None):
    """A subcommand with a one-line description, examples, and optionally more help text
    computed when the help page is printed (``epilog()``)."""
    def text() -> str:
        parts = [epilog()] if epilog else []
        parts.append("examples:\n" + "\n".join(f"  {PROG} {e}" for e in examples))
        return "\n\n".join(parts)

    p = sub.add_parser(name, help=summary, description=summary[:1].upper() + summary[1:] + ".",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.epilog_text = text
    p.set_defaults(func=func)
    return p


def build_parser() -> argparse.ArgumentParser:
    from codesign.search.samplers import SAMPLERS

    parser = _Parser(prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
                     description="Cost models and co-design search for neural networks fixed in "
                     "physical hardware (optical, analogue, digital ROM) against GPUs.")
    parser.epilog_text = lambda: (
        f"metrics (objectives of search and studies; minimised):\n{_metrics_text()}\n\n"
        f"platforms: '{PROG} models' lists each one's design space, assumptions and sources;\n"
        f"'{PROG} COMMAND --help' explains a command.\n\n"
        f"examples:\n  {PROG} run studies/overview.toml --out results/overview\n"
        f"  {PROG} evaluate optical_tube --params 1e15 --preset paper\n"
        f"  {PROG} search gpu --params 1e12 --trials 500 --out front.csv")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                metavar="COMMAND")
    scale_help = "model size P in parameters, e.g. 1e12"

    p = _command(sub, "table1", "the paper's Table 1 recomputed by the paper presets, cell by cell",
                 ["table1", "table1 --appendix", "table1 --format latex > table1.tex"], cmd_table1)
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    p.add_argument("--appendix", action="store_true",
                   help="add the App. A.2 figures (peak power, tube geometry …)")

    p = _command(sub, "models", "every platform: design space, assumptions with sources, presets",
                 ["models", "models --json"], cmd_models, epilog=lambda: "platforms:\n" + _models_text())
    p.add_argument("--json", action="store_true", help="machine-readable, SI units")

    platform_help = "platform name (see the list below or 'pfm-codesign models')"
    p = _command(sub, "evaluate", "evaluate one design of one platform at one scale",
                 ["evaluate optical_tube --params 1e15 --preset paper",
                  "evaluate optical_tube --params 1e12 --set wavelength='1030 nm' "
                  "--design pulse_duration='200 fs' --json",
                  "evaluate gpu --params 1e12 --preset h100 --set batch_size=64 "
                  "--design weight_precision=4"],
                 cmd_evaluate, epilog=lambda: "platforms:\n" + _models_text())
    p.add_argument("model", help=platform_help)
    p.add_argument("--params", required=True, help=scale_help)
    p.add_argument("--preset", default=None, help="named preset of the platform, e.g. paper")
    p.add_argument("--design", action="append", metavar="NAME=VALUE",
                   help="set a design variable (units allowed: pulse_duration='1 ps'); repeatable")
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="override an assumption (units allowed: wavelength='1030 nm'); repeatable")
    p.add_argument("--json", action="store_true", help="machine-readable, SI units")

    p = _command(sub, "uncertainty", "bands, feasible probability, sensitivity and win "
                 "probabilities under the assumptions' plausible ranges",
                 ["uncertainty optical_tube --params 1e12 --samples 10000",
                  "uncertainty optical_tube --params 1e15 --platforms gpu --equal-loss 8,8 --json",
                  "uncertainty gpu --params 1e12 --vary utilisation=0.3..0.7 --seed 3"],
                 cmd_uncertainty, epilog=lambda: "platforms:\n" + _models_text())
    p.add_argument("model", help=platform_help + "; MODEL:PRESET selects a preset")
    p.add_argument("--params", required=True, help=scale_help)
    p.add_argument("--samples", type=int, default=2000, help="assumption samples (default 2000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--preset", default=None, help="named preset of the platform (held fixed)")
    p.add_argument("--design", action="append", metavar="NAME=VALUE",
                   help="set a design variable of the default design point; repeatable")
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="set an assumption (held fixed: it is no longer uncertain); repeatable")
    p.add_argument("--vary", action="append", metavar="NAME=SPEC",
                   help="an assumption's spread: fixed, uniform, loguniform, LOW..HIGH (units "
                        "allowed) or choice:weight,choice:weight; repeatable. Settings (the "
                        "serving scenario, shape limits, precision floors, power budgets) are "
                        "fixed unless varied here")
    p.add_argument("--platforms", metavar="A,B", help="other platforms (MODEL or MODEL:PRESET) "
                   "for win probabilities at each one's nominal best design: a sample is a win "
                   "when the design is feasible and the other's is infeasible or worse "
                   "(JSON: probability, platform_feasible, other_feasible, both_feasible)")
    p.add_argument("--objectives", default=None,
                   help=f"with --platforms: the metrics compared (comma-separated; default "
                        f"{DEFAULT_OBJECTIVES})")
    p.add_argument("--equal-loss", metavar="W,IO[,TOL]",
                   help="with --platforms: compare best designs at most as lossy (model_loss) "
                        "as a W-bit-weight, IO-bit-I/O network, reducible loss +TOL (default "
                        "0.05), as a study's equal_loss does")
    p.add_argument("--json", action="store_true", help="machine-readable, SI units")

    p = _command(sub, "compare", "every platform side by side at its default design point",
                 ["compare", "compare --params 1e12,1e15,1e18 --preset paper",
                  "compare --format markdown"], cmd_compare)
    p.add_argument("--params", default="1e12,1e15,1e18",
                   help="comma-separated distinct model sizes (default 1e12,1e15,1e18)")
    p.add_argument("--preset", default=None,
                   help="preset applied to every platform that has it (e.g. paper)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")

    p = _command(sub, "search", "multi-objective co-design search of one platform at one scale",
                 ["search optical_tube --params 1e12 --trials 1000 --out front.csv",
                  "search gpu --params 1e15 --objectives energy_per_inference,latency,volume "
                  "--pareto-only --out gpu.csv",
                  "search crossbar --params 1e12 --fix tile_size=256 --reference-seeds 50"],
                 cmd_search, epilog=lambda: f"metrics:\n{_metrics_text()}\n\n"
                 f"platforms:\n{_models_text()}")
    p.add_argument("model", help=platform_help)
    p.add_argument("--params", required=True, help=scale_help)
    p.add_argument("--objectives", default=DEFAULT_OBJECTIVES,
                   help=f"2 or 3 comma-separated metrics to minimise (listed below; default "
                        f"{DEFAULT_OBJECTIVES})")
    p.add_argument("--trials", type=int, default=1000,
                   help="complete trials the study should hold; a rerun continues (default 1000)")
    p.add_argument("--sampler", choices=SAMPLERS, default="nsga2",
                   help="Optuna sampler (default nsga2; gp needs torch)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--preset", default=None, help="named preset of the platform, e.g. paper")
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="override an assumption (units allowed); repeatable")
    p.add_argument("--fix", action="append", metavar="NAME=VALUE",
                   help="hold a design variable at a value instead of searching it; repeatable")
    p.add_argument("--reference-seeds", type=int, default=0, metavar="N",
                   help="start from N designs of the exact reference front (default 0)")
    p.add_argument("--storage", default=None,
                   help="journal file or database URL (default ./pfm-codesign.journal; "
                        "'memory' keeps nothing)")
    p.add_argument("--study", default=None, help="study name (default: derived from the settings)")
    p.add_argument("--out", metavar="FILE.csv",
                   help="write every trial of the study (column 'pareto' marks the front) to "
                        "FILE.csv, plus FILE.meta.json")
    p.add_argument("--pareto-only", action="store_true",
                   help="with --out: write only the distinct designs of the feasible front")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = _command(sub, "run", "run a study file: searches, summary, CSVs, LaTeX table, figures",
                 ["run studies/overview.toml --out results/overview",
                  "run studies/table1.toml --out results/table1",
                  "run studies/scaling.toml --trials 1000",
                  "run studies/overview.toml --storage postgresql://user@host/db --workers 4"],
                 cmd_run)
    p.add_argument("study_file", metavar="STUDY.toml", help="study file (see studies/)")
    p.add_argument("--out", help="output folder, created if missing (default results/<study name>)")
    p.add_argument("--storage", default=None,
                   help="journal file or database URL (default <out>/study.journal)")
    p.add_argument("--trials", type=int, default=None,
                   help="trials per search (overrides the study file)")
    p.add_argument("--workers", type=int, default=1, metavar="K",
                   help="worker processes sharing the searches (needs a database --storage; "
                        "default 1)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = _command(sub, "worker", "join the searches of a study file on a shared database "
                 "(then 'run' writes the outputs)",
                 ["worker studies/overview.toml --storage postgresql://user@host/db",
                  "worker studies/scaling.toml --trials 2000 --quiet  # URL in "
                  "$PFM_CODESIGN_STORAGE"],
                 cmd_worker)
    p.add_argument("study_file", metavar="STUDY.toml", help="study file (see studies/)")
    p.add_argument("--storage", default=None,
                   help="database URL (default $PFM_CODESIGN_STORAGE)")
    p.add_argument("--trials", type=int, default=None,
                   help="trials per search (overrides the study file)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")

    storage_help = "journal file or database URL to read (default ./pfm-codesign.journal)"
    p = _command(sub, "export", "write a stored study's trials (or its front) as CSV",
                 ["export --study tube --out tube.csv",
                  "export --study tube --out front.csv --pareto-only",
                  "export --storage sqlite:///runs.db --study tube --out tube.csv"], cmd_export)
    p.add_argument("--storage", default=None, help=storage_help)
    p.add_argument("--study", required=True, help="study name (see 'pfm-codesign studies')")
    p.add_argument("--out", required=True, metavar="FILE.csv",
                   help="CSV to write (plus FILE.meta.json); folders are created")
    p.add_argument("--pareto-only", action="store_true",
                   help="only the distinct designs of the feasible front")

    p = _command(sub, "studies", "list the studies in a store (never creates one)",
                 ["studies", "studies --storage results/overview/study.journal",
                  "studies --storage sqlite:///runs.db --json"], cmd_studies)
    p.add_argument("--storage", default=None, help=storage_help)
    p.add_argument("--json", action="store_true", help="machine-readable")

    p = _command(sub, "recover", "keep the entries of a corrupted journal that precede its "
                 "first bad line (the original is saved beside it)",
                 ["recover results/overview/study.journal", "recover pfm-codesign.journal"],
                 cmd_recover)
    p.add_argument("journal", metavar="JOURNAL", help="the journal file to repair")

    p = _command(sub, "app", "start the Streamlit app (Ctrl-C stops it)",
                 ["app", "app --port 8600", "app --host 0.0.0.0  # reachable from other machines"],
                 cmd_app)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8501, help="TCP port (default 8501)")
    p.add_argument("--allow-storage", action="append", metavar="FOLDER",
                   help="a folder whose stores the Studies page may open (repeatable; "
                        "default: the working folder only)")

    p = _command(sub, "bench", "benchmarks: evaluation rate and search quality of each platform",
                 ["bench", "bench --models optical_tube,gpu --no-search", "bench --json",
                  "bench --storage postgresql://user@host/db --workers 1,2,4"],
                 cmd_bench)
    p.add_argument("--models", help="comma-separated platform names (default: all)")
    p.add_argument("--objectives", help="two metrics (default energy_per_inference,latency)")
    p.add_argument("--designs", type=int, default=1_000_000,
                   help="designs per vectorised evaluation (default 1000000)")
    p.add_argument("--no-search", action="store_true", help="only the evaluation rates")
    p.add_argument("--storage", help="database URL: measure 1, 2 and 4 workers sharing a study "
                   "there against the embedded journal (instead of the search figures)")
    p.add_argument("--workers", default="1,2,4",
                   help="comma-separated worker counts for --storage (default 1,2,4)")
    p.add_argument("--json", action="store_true", help="machine-readable")
    return parser


def _drop_driver_log_records() -> None:
    """Database drivers log their clean-up failures while a lost connection unwinds (psycopg:
    "error ignored terminating <Pipeline>…"), which Python would print beside the one error
    line that already says what happened and what is kept; drop them unless debugging."""
    if not os.environ.get("PFM_CODESIGN_DEBUG"):
        for name in ("psycopg", "sqlalchemy"):
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def main(argv: list[str] | None = None) -> int:
    _drop_driver_log_records()
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except InputError as exc:
        print(f"{PROG}: error: {exc.headed(FLAGS.get(exc.field, exc.field))}", file=sys.stderr)
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
