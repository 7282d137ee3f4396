"""Run a study file: every (platform variant, scale) search, then tables, figures and metadata."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pandas as pd

import cost_models
from cost_models import InputError

from codesign.outputs.export import atomic_write, check_folder, make_folder, trials_frame
from codesign.outputs.figures import parallel_coordinates, pareto_scatter, scaling_lines, write_figures
from codesign.outputs.formats import json_safe
from codesign.outputs.labels import ascii_slug, human_name
from codesign.outputs.provenance import provenance
from codesign.outputs.results import (best_designs, crossovers, equal_loss_best, ratios,
                                      summary_markdown, table_tex)
from codesign.outputs.schema import unit_label
from codesign.search.optimise import Problem, SearchSpec, run_search
from codesign.search.storage import check_storage, open_storage, redact
from codesign.platform import Platform
from codesign.points.table1 import reproduced, table1_records
from codesign.studies.studyfile import DEFAULT_VALUE, Study

STUDY_STORE = "study.journal"
WORKER_STORAGE_VARIABLE = "PFM_CODESIGN_STORAGE"  # a worker's storage URL when not given


def spec_for(study: Study, variant: Platform, params: float) -> SearchSpec:
    """The search of one variant at one scale; ``"default"`` fixed values become the design
    point of the variant's preset at that scale."""
    model = cost_models.get(variant.model)
    fixed = dict(variant.fixed)
    defaults = [k for k, v in fixed.items() if v == DEFAULT_VALUE]
    if defaults:
        point = model.default_design(params, variant.preset)
        fixed.update({k: point[k] for k in defaults})
    return SearchSpec(model=variant.model, params=params, objectives=study.objectives,
                      sampler=study.sampler, seed=study.seed, preset=variant.preset,
                      assumptions=variant_assumptions(study, variant), fixed=fixed,
                      ranges=variant.ranges, reference_seeds=study.reference_seeds)


def loss_limits(study: Study) -> dict[tuple[str, float], float]:
    """(variant label, P) → the highest model loss that counts as equal to the study's
    ``equal_loss`` reference network, under that variant's assumptions."""
    from cost_models.quality import equal_loss_limit

    ref = study.equal_loss
    limits = {}
    for variant in study.variants:
        model = cost_models.get(variant.model)
        values = model.resolve_assumptions(variant.preset, variant_assumptions(study, variant))
        for params in study.scales:
            limits[variant.label, params] = float(equal_loss_limit(
                params, ref["weight_precision"], ref["io_precision"], ref["tolerance"], values))
    return limits


def variant_assumptions(study: Study, variant: Platform) -> dict[str, object]:
    """Assumption overrides of one variant: the study's ``[workload]``, then its own."""
    return {**study.workload, **variant.assumptions}


def search_study(study: Study, storage: str, trials: int | None = None,
                 progress=None) -> list[tuple[Platform, float, object]]:
    """Run (resuming) every search of ``study`` into ``storage``: one worker's part when
    several share a database. Returns (variant, scale, search result) per search."""
    trials = trials or study.trials
    jobs = [(v, p) for v in study.variants for p in study.scales]
    results = []
    with open_storage(storage, writer=True) as store:  # a journal is read once, not per search
        for index, (variant, params) in enumerate(jobs):
            if progress:
                progress(index, len(jobs), f"{variant.label} at P = {params:.3g}")
            result = run_search(spec_for(study, variant, params), trials, store,
                                f"{study.name}/{variant.label}/P{params:.6g}")
            results.append((variant, params, result))
            if result.interrupted:
                raise KeyboardInterrupt
    return results


def run_study(study: Study, out: Path, storage: str | None = None, trials: int | None = None,
              progress=None, log=print, workers: int = 1, study_file: str | None = None) -> dict:
    """Run (resuming) every search of ``study`` into ``storage`` (default ``out/study.journal``)
    and write the outputs to ``out``. With ``workers`` > 1 (a database ``storage`` only), that
    many worker processes share the searches (this one and ``workers - 1`` running
    ``pfm-codesign worker study_file``). Returns what was written, for the caller to report."""
    if storage:
        check_storage(storage)  # before the output folder is created
    make_folder(out)
    storage = storage or str(out / STUDY_STORE)
    trials = trials or study.trials
    started = time.perf_counter()
    helpers = start_workers(study_file, storage, trials, workers - 1)
    try:
        results = search_study(study, storage, trials, progress)
    except BaseException:
        stop_workers(helpers, terminate=True)
        raise
    stop_workers(helpers)
    frames, studies = [], []
    jobs = [(v, p) for v in study.variants for p in study.scales]
    for variant, params, result in results:
        frame = trials_frame(result.study)
        frame.insert(1, "variant", variant.label)
        frames.append(frame)
        studies.append({"study": result.study.study_name, "variant": variant.label,
                        "params": params, "trials": len(frame), "spec": asdict(result.problem.spec)})
    if progress:
        progress(len(jobs), len(jobs), "writing tables")
    trials_table = pd.concat(frames, ignore_index=True)
    pareto_table = trials_table[trials_table["pareto"]]
    best = best_designs(trials_table, study.objectives)
    cross = crossovers(best, study.objectives)
    if study.equal_loss:
        best = equal_loss_best(trials_table, study.objectives, loss_limits(study))
    advantage = ratios(best, study.objectives, study.compare_to) if study.compare_to else None
    seconds = time.perf_counter() - started
    run_info = {"trials": trials, "storage": redact(storage), "studies": len(studies),
                "seconds": seconds}

    with staged(out) as stage:
        atomic_write(stage / "trials.csv", trials_table.to_csv(index=False))
        atomic_write(stage / "pareto.csv", pareto_table.to_csv(index=False))
        atomic_write(stage / "crossovers.csv", cross.to_csv(index=False))
        table1 = table1_check(study)
        summary = summary_markdown(study, trials_table, best, cross, advantage, run_info, table1)
        figures = study_figures(study, trials_table, best)
        if study.uncertainty is not None:
            if progress:
                progress(len(jobs), len(jobs), "robustness under the assumptions' ranges")
            section, uncertainty_figures = run_robustness(study, best, stage)
            summary += "\n" + section
            figures.update(uncertainty_figures)
        atomic_write(stage / "summary.md", summary)
        atomic_write(stage / "table.tex", table_tex(study, best))
        skipped = write_figures(figures, stage / "figures", static=study.static_images,
                                progress=progress)
        platforms = [replace(v, assumptions=variant_assumptions(study, v))
                     for v in study.variants]
        meta = provenance(storage, study.seed, study.objectives, platforms) | json_safe({
            "study_file": study.source, "study": asdict(study) | {"source": None},
            "trials_per_study": trials, "studies": studies, "seconds": seconds,
            "static_images": skipped or "written",
            "table1_cells_reproduced": f"{sum(map(reproduced, table1))} of {len(table1)}",
            "rerun": f"pfm-codesign run STUDY.toml --out DIR --trials {trials}",
        })
        atomic_write(stage / "meta.json", json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    if skipped:
        log(skipped)
    return {"search_seconds": seconds, "trials": len(trials_table), "pareto": len(pareto_table),
            "table1": [reproduced(r) for r in table1],
            "figures": len(figures), "static_skipped": skipped}


@contextlib.contextmanager
def staged(out: Path):
    """A hidden folder inside ``out`` to write the outputs in; on success its files replace
    those in ``out`` (renames, which need no space), on failure it is removed, so a full or
    read-only disk never leaves half-written outputs."""
    try:
        stage = Path(tempfile.mkdtemp(dir=out, prefix=".writing-"))
    except OSError as exc:
        raise InputError(f"cannot write in {out} ({exc.strerror or exc})", field="out") from None
    try:
        yield stage
        for path in sorted(stage.rglob("*")):
            target = out / path.relative_to(stage)
            if path.is_dir():
                target.mkdir(exist_ok=True)
            else:
                os.replace(path, target)
    except OSError as exc:
        raise InputError(f"cannot write the outputs in {out} ({exc.strerror or exc}); the "
                         f"earlier outputs there are unchanged", field="out") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def start_workers(study_file: str | None, storage: str, trials: int, count: int) -> list:
    """``count`` helper processes joining the searches of ``study_file`` on ``storage`` (the
    URL goes through the environment, so a password never shows in the process list)."""
    if count <= 0:
        return []
    if study_file is None:
        raise InputError("extra workers need the study file's path", field="workers")
    command = [sys.executable, "-m", "codesign", "worker", str(study_file), "--trials",
               str(trials), "--quiet"]
    environment = {**os.environ, WORKER_STORAGE_VARIABLE: storage}
    return [subprocess.Popen(command, env=environment, stdin=subprocess.DEVNULL)
            for _ in range(count)]


def stop_workers(helpers: list, terminate: bool = False) -> None:
    """Wait for the helpers, which stop by themselves once every search is complete (or stop
    them first with SIGTERM, so that they checkpoint and exit)."""
    for helper in helpers:
        if terminate and helper.poll() is None:
            helper.send_signal(signal.SIGTERM)
    for helper in helpers:
        helper.wait()


def table1_check(study: Study) -> list[dict]:
    """The paper's Table 1 cells of the study's models, recomputed by their ``paper`` presets
    (empty when no model of the study has Table 1 cells)."""
    models = {v.model for v in study.variants}
    return [r for r in table1_records() if r["platform"] in models]


def run_robustness(study: Study, best: pd.DataFrame, out: Path) -> tuple[str, dict]:
    """The ``[uncertainty]`` section: bands, win probabilities and sensitivity of every best
    design (the CSVs are written here); returns the summary section and the figures."""
    from codesign.outputs.uncertainty import (robustness_figures, robustness_markdown,
                                              robustness_tables)
    from codesign.uncertainty.platforms import Uncertain
    from codesign.uncertainty.robustness import robustness

    settings = study.uncertainty
    started = time.perf_counter()
    platforms = [Uncertain.of(replace(v, assumptions=variant_assumptions(study, v)),
                              settings.assumptions) for v in study.variants]
    middle = study.scales[len(study.scales) // 2]
    by_label = {v.label: v for v in study.variants}

    def space_for(platform, params):
        return Problem.resolve(spec_for(study, by_label[platform.label], params)).space

    run = robustness(platforms, study.scales, study.objectives, best_design_values(study, best),
                     settings.samples, settings.seed, study.compare_to, sobol_scale=middle,
                     space_for=space_for)
    tables = robustness_tables(run)
    for stem, table in tables.items():
        atomic_write(out / f"{stem}.csv", table.to_csv(index=False))
    section = robustness_markdown(tables, study.scales, settings.samples, settings.seed,
                                  settings.assumptions, study.compare_to,
                                  time.perf_counter() - started, study.workload,
                                  bool(study.equal_loss))
    return section, robustness_figures(tables, study.objectives, middle, study.name)


def best_design_values(study: Study, best: pd.DataFrame) -> dict[tuple[str, float, str], dict]:
    """(variant, scale, objective) → the design (SI) of each row of :func:`best_designs`."""
    models = {v.label: cost_models.get(v.model) for v in study.variants}
    designs = {}
    for _, row in best.iterrows():
        variables = models[row["variant"]].design_variables
        designs[(row["variant"], float(row["params"]), row["objective"])] = {
            v.name: row[f"{v.name} [{unit_label(v.unit)}]"] if v.kind == "categorical"
            else float(row[f"{v.name} [{unit_label(v.unit)}]"]) for v in variables}
    return designs


def study_figures(study: Study, trials: pd.DataFrame, best: pd.DataFrame) -> dict:
    """Pareto fronts at each scale, each objective's best against P, and the parallel
    coordinates of each variant's Pareto designs; names are ASCII (``pareto_1e12``)."""
    figures = {}
    for params, group in trials.groupby("params", sort=True):
        figures[f"pareto_{params:.0e}".replace("+", "")] = pareto_scatter(
            group, study.objectives, platforms=study.variants,
            title=f"Feasible Pareto fronts at P = {_power_of_ten(params)} parameters")
    for objective in study.objectives:
        figures[f"scaling_{objective}"] = scaling_lines(
            best, objective, platforms=study.variants,
            title=f"Lowest {human_name(objective).lower()} against model size")
    for label, group in trials.groupby("variant", sort=False):
        if group["pareto"].any():
            figures[f"parallel_{ascii_slug(label)}"] = parallel_coordinates(
                group.dropna(axis=1, how="all"), title=f"{label}: Pareto designs, every scale")
    return figures


def _power_of_ten(value: float) -> str:
    """``1e12`` → ``10¹²`` (plotly titles take HTML: ``10<sup>12</sup>``)."""
    exponent = np.log10(value)
    if exponent == round(exponent):
        return f"10<sup>{int(round(exponent))}</sup>"
    return f"{value:.3g}"


def check_output_folder(out: Path) -> None:
    """Fail before the searches if ``out`` cannot become the output folder (missing parents are
    created when the outputs are written)."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} exists and is not a folder", field="out")
    check_folder(out)
