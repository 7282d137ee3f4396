"""What the app (and any notebook) calls: searches over platform variants, scaling tables,
the assumption catalogue and stored studies, as pandas tables in the CSV export format."""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import numpy as np
import optuna
import pandas as pd

import cost_models
from cost_models import InputError
from cost_models.units import unknown_name

from codesign.outputs.export import store_path, trials_frame
from codesign.outputs.schema import column
from codesign.search.reference import reference_front, spread_indices
from codesign.outputs.results import best_designs, crossovers
from codesign.search.optimise import SPEC_ATTR, Problem, SearchSpec, run_search
from codesign.search.storage import open_storage
from codesign.platform import Platform


def available_platforms() -> list[Platform]:
    """Every registered model under its defaults and each of its presets."""
    choices = []
    for name in cost_models.available():
        choices.append(Platform(name))
        choices.extend(Platform(name, preset) for preset in cost_models.get(name).presets)
    return choices


def featured_platforms() -> list[Platform]:
    """The registry's featured platforms that are loaded (the app's default selection)."""
    from cost_models.registry import FEATURED

    loaded = set(cost_models.available())
    return [Platform(model, preset) for model, preset in FEATURED if model in loaded]


@dataclass
class Explored:
    trials: pd.DataFrame  # CSV export format plus a ``variant`` column
    reference: pd.DataFrame  # reference-front objectives per variant (metric columns)
    best: pd.DataFrame
    errors: dict[str, str] = field(default_factory=dict)


def explore(choices: list[Platform], params: float, objectives: list[str],
            overrides: dict[str, dict[str, object]] | None = None, sampler: str = "nsga2",
            trials: int = 1000, seed: int = 0, reference_seeds: int = 50,
            progress: Callable[[float, str], None] | None = None) -> Explored:
    """Search every choice at scale ``params`` in memory. ``overrides``: label → assumption
    overrides (text with units). A choice whose settings are invalid is reported in
    ``errors`` and the others still run."""
    frames, references, errors = [], [], {}
    for index, choice in enumerate(choices):
        spec = SearchSpec(choice.model, params, objectives, sampler=sampler, seed=seed,
                          preset=choice.preset, assumptions=dict((overrides or {}).get(choice.label, {})),
                          reference_seeds=reference_seeds)
        try:
            problem = Problem.resolve(spec)
        except InputError as exc:
            errors[choice.label] = str(exc)
            continue

        def step(done, total, index=index, label=choice.label):
            if progress:
                progress((index + done / total) / len(choices), f"{label}: {done}/{total}")

        result = run_search(spec, trials, storage="memory", progress=step)
        frame = trials_frame(result.study)
        frame.insert(1, "variant", choice.label)
        frames.append(frame)
        references.append(_reference_table(problem, choice.label, seed))
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    reference = pd.concat(references, ignore_index=True) if references else pd.DataFrame()
    best = best_designs(table, objectives) if len(table) else pd.DataFrame()
    return Explored(table, reference, best, errors)


REFERENCE_POINTS = 500  # per platform, spread along the front: enough to draw it


def _reference_table(problem: Problem, label: str, seed: int) -> pd.DataFrame:
    spec = problem.spec
    front = reference_front(problem.space, spec.params, spec.objectives, problem.assumptions,
                            seed=seed)
    values = front.objectives[spread_indices(front.objectives, REFERENCE_POINTS)]
    return pd.DataFrame({column(o): values[:, i]
                         for i, o in enumerate(spec.objectives)}).assign(variant=label)


def reference_fronts(choices: list[Platform], params: float, objectives: list[str],
                     overrides: dict[str, dict[str, object]] | None = None,
                     seed: int = 0) -> tuple[pd.DataFrame, dict[str, str]]:
    """The exact reference front of every choice (no Optuna: dense vectorised sampling), as
    metric columns plus ``variant``; choices with invalid settings are reported instead."""
    tables, errors = [], {}
    for choice in choices:
        spec = SearchSpec(choice.model, params, objectives, seed=seed, preset=choice.preset,
                          assumptions=dict((overrides or {}).get(choice.label, {})))
        try:
            tables.append(_reference_table(Problem.resolve(spec), choice.label, seed))
        except InputError as exc:
            errors[choice.label] = str(exc)
    return (pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()), errors


def scaling(choices: list[Platform], scales: list[float], objectives: list[str],
            samples: int = 2**14, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Best value of each objective for each choice at each scale, from the dense reference
    sampling (no Optuna), and the crossovers between choices."""
    rows = []
    for choice in choices:
        model = cost_models.get(choice.model)
        problem = Problem.resolve(SearchSpec(choice.model, scales[0], objectives,
                                             preset=choice.preset))
        designs = problem.space.sobol(samples, seed)
        for params in scales:
            evaluation = model.evaluate(params, designs, problem.assumptions)
            feasible = np.asarray(evaluation.feasible)
            if not feasible.any():
                continue
            for objective in objectives:
                values = np.where(feasible, evaluation.metrics[objective], np.inf)
                i = int(np.argmin(values))
                row = {"objective": objective, "platform": model.name, "variant": choice.label,
                       "params": params, "feasible": True, "pareto": True, "trial": i}
                row.update({column(m): float(evaluation.metrics[m][i]) for m in evaluation.metrics})
                rows.append(row)
    best = pd.DataFrame(rows)
    return best, (crossovers(best, objectives) if len(best) else pd.DataFrame())


@dataclass
class Robust:
    """Robustness tables (see :mod:`codesign.outputs.uncertainty`): ``bands`` of every metric
    and margin of each best design, ``wins``, ``tornado``, ``advantage`` (which assumptions
    move each comparison)."""

    bands: pd.DataFrame
    wins: pd.DataFrame
    tornado: pd.DataFrame
    advantage: pd.DataFrame
    fronts: pd.DataFrame


def robustness(choices: list[Platform], scales: list[float], objectives: list[str],
               samples: int = 1000, seed: int = 0,
               spreads: dict[str, object] | None = None,
               equal_loss: dict[str, float] | None = None) -> Robust:
    """Each choice's best design for each objective at each scale (exact reference optimum at
    nominal assumptions; with ``equal_loss`` — ``weight_precision``, ``io_precision``,
    ``tolerance`` as in a study file — among designs at most as lossy as that reference
    network) under ``samples`` shared samples of the assumptions: bands, win probabilities of
    every pair, one-at-a-time sensitivity, front bands. ``spreads``: assumption name →
    spread override (``"fixed"``, ``{"low": …, "high": …}``, ``{"weights": …}``)."""
    from codesign.outputs.uncertainty import robustness_tables
    from codesign.uncertainty.platforms import Uncertain, check_overrides
    from codesign.uncertainty.robustness import robustness as run_robustness
    from codesign.uncertainty.wins import best_designs as nominal_best_designs
    from codesign.uncertainty.wins import equal_loss_limits

    spreads = dict(spreads or {})
    platforms = [Uncertain.of(choice, spreads) for choice in choices]
    check_overrides(spreads, [p.model for p in platforms])
    best = nominal_best_designs(platforms, scales, objectives, seed,
                                loss_limit=equal_loss_limits(equal_loss) if equal_loss else None)
    tables = robustness_tables(run_robustness(platforms, scales, objectives, best, samples, seed))
    return Robust(tables["uncertainty"], tables["win_probability"], tables["sensitivity"],
                  tables["advantage_sensitivity"], tables["front_bands"])


def assumption_catalog() -> pd.DataFrame:
    """Every assumption of every registered model: value (SI, as text so that numbers and
    choices share a column), unit, range, source."""
    rows = []
    for name in cost_models.available():
        model = cost_models.get(name)
        for a in model.assumptions:
            rows.append({"model": name, "assumption": a.name,
                         "value": a.value if a.choices else f"{a.value:.6g}", "unit": a.unit,
                         "range": a.describe_range(), "source": a.source})
    return pd.DataFrame(rows)


APP_ROOTS_VARIABLE = "PFM_CODESIGN_APP_STORAGE"  # folders the app may open stores in


def storage_roots() -> list[Path]:
    """The folders whose stores the app may open: ``$PFM_CODESIGN_APP_STORAGE`` (set by
    ``pfm-codesign app --allow-storage``), else the working folder."""
    text = os.environ.get(APP_ROOTS_VARIABLE, "")
    return [Path(p).resolve() for p in text.split(os.pathsep) if p] or [Path.cwd().resolve()]


def check_app_storage(storage: str | None, password: str = "") -> str:
    """The storage URL a user typed in the app, if the app may open it: a journal or SQLite
    file inside :func:`storage_roots` that exists (the app never creates one), or a database
    URL (``password``, if given, is put into it). :class:`InputError` otherwise."""
    storage = (storage or "").strip() or None
    if storage == "memory":
        raise InputError("'memory' holds no stored studies")
    path = store_path(storage)
    if path is None:
        if password and storage and "://" in storage:
            scheme, _, rest = storage.partition("://")
            user, at, host = rest.rpartition("@")
            if at:
                storage = f"{scheme}://{user.split(':', 1)[0]}:{quote(password, safe='')}@{host}"
        return storage
    resolved = path.resolve()
    roots = storage_roots()
    if not any(resolved.is_relative_to(root) for root in roots):
        raise InputError(f"{path} is outside the folders this app may open "
                         f"({', '.join(map(str, roots))}); start the app with "
                         f"--allow-storage FOLDER to open stores elsewhere")
    if not resolved.is_file():
        raise InputError(f"no store {path} (the app opens existing stores only)")
    return storage


def list_studies(storage: str | None) -> tuple[pd.DataFrame, str]:
    """The studies in ``storage`` (default: the embedded journal) and its display name."""
    store = open_storage(storage)
    rows = []
    for summary in optuna.get_all_study_summaries(store.storage, include_best_trial=False):
        spec = summary.user_attrs.get(SPEC_ATTR, {})
        rows.append({"study": summary.study_name, "model": spec.get("model", ""),
                     "params": spec.get("params"),
                     "objectives": ",".join(spec.get("objectives", [])),
                     "sampler": spec.get("sampler", ""), "trials": summary.n_trials})
    return pd.DataFrame(rows, columns=["study", "model", "params", "objectives", "sampler",
                                       "trials"]), store.name


def load_trials(storage: str | None, study_name: str) -> tuple[pd.DataFrame, list[str]]:
    """A stored study's trials in the export format (with ``variant``) and its objectives."""
    store = open_storage(storage)
    names = optuna.get_all_study_names(store.storage)
    if study_name not in names:
        raise unknown_name("study", study_name, names, f"in {store.name}")
    study = optuna.load_study(study_name=study_name, storage=store.storage)
    frame = trials_frame(study)
    if len(frame):
        frame.insert(1, "variant", frame["platform"])
    return frame, list(study.user_attrs.get(SPEC_ATTR, {}).get("objectives", []))


def to_csv(frame: pd.DataFrame) -> str:
    """The CSV text the command line writes for the same rows (no ``variant`` column when it
    only repeats the platform)."""
    if "variant" in frame and (frame["variant"] == frame["platform"]).all():
        frame = frame.drop(columns=["variant"])
    return frame.to_csv(index=False)
