"""Export a study's trials: CSV with units in the header, and a sidecar ``.meta.json``.

Columns: ``platform, params, trial, feasible, pareto``, every design variable and every metric
as ``name [unit]``, then every margin as ``margin:name [1]``, then ``at_bound`` (free
variables at a bound of their searched range, ``"io_precision=low;tile_size=high"``) and
``binding`` (margins within 1 % of their limit: the constraints a design leans on).
``pareto`` marks feasible trials that no other feasible trial dominates in the study's
objectives, once per distinct design (a sampler may evaluate one design several times: its
first trial is marked). Writes are atomic (temporary file, then rename), so a crash never
leaves a half-written file.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np
import optuna
import pandas as pd
from optuna.trial import TrialState

import cost_models
from cost_models import METRIC_UNITS, InputError

from codesign.outputs.formats import json_safe
from codesign.outputs.provenance import TOOL, provenance
from codesign.outputs.schema import unit_label
from codesign.platform import Platform
from codesign.search.pareto import nondominated
from codesign.search.optimise import SPEC_ATTR
from codesign.search.space import SearchSpace

#: A margin within this distance of 0 (its limit) binds the design.
BINDING_MARGIN = 0.01


def trials_frame(study: optuna.Study) -> pd.DataFrame:
    """One row per complete trial of ``study`` (a pfm-codesign study)."""
    spec = study.user_attrs.get(SPEC_ATTR)
    if spec is None:
        raise InputError(f"study '{study.study_name}' was not made by pfm-codesign")
    model = cost_models.get(spec["model"])
    trials = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    margin_names = list(model.margin_descriptions)
    rows = []
    for t in trials:
        margins = t.constraints
        row = {"platform": model.name, "params": float(spec["params"]), "trial": t.number,
               "feasible": all(v <= 0 for v in margins.values())}
        for v in model.design_variables:
            row[f"{v.name} [{unit_label(v.unit)}]"] = t.params.get(v.name, _fixed(spec, model, v))
        for name, unit in METRIC_UNITS.items():
            row[f"{name} [{unit_label(unit)}]"] = t.user_attrs["metrics"][name]
        for name in margin_names:
            row[f"margin:{name} [1]"] = margins.get(name, np.nan)
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    space = SearchSpace.build(model, spec.get("fixed"), spec.get("ranges"))
    frame["at_bound"] = space.at_bound(
        {v.name: frame[f"{v.name} [{unit_label(v.unit)}]"] for v in space.free}, len(frame))
    frame["binding"] = binding_margins(frame, margin_names)
    objectives = frame[[f"{o} [{unit_label(METRIC_UNITS[o])}]" for o in spec["objectives"]]]
    pareto = np.zeros(len(frame), dtype=bool)
    feasible = frame["feasible"].to_numpy()
    pareto[feasible] = nondominated(objectives.to_numpy()[feasible])
    design = [f"{v.name} [{unit_label(v.unit)}]" for v in model.design_variables]
    pareto &= ~frame.duplicated(subset=design).to_numpy()  # a design evaluated twice counts once
    frame.insert(4, "pareto", pareto)
    return frame


def binding_margins(frame: pd.DataFrame, margin_names: list[str]) -> list[str]:
    """Per row, the margins in [−BINDING_MARGIN, 0] (satisfied, but only just), ";"-joined."""
    near = {name: frame[f"margin:{name} [1]"].between(-BINDING_MARGIN, 0).to_numpy()
            for name in margin_names}
    return [";".join(name for name in margin_names if near[name][i]) for i in range(len(frame))]


def _fixed(spec: dict, model, variable):
    value = spec.get("fixed", {}).get(variable.name)
    return variable.parse(value) if value is not None else None


def metadata(study: optuna.Study, storage_name: str) -> dict:
    """Everything needed to reproduce an export of ``study``: the provenance header, then
    the study's name, settings and number of complete trials."""
    spec = study.user_attrs[SPEC_ATTR]
    platform = Platform(spec["model"], spec.get("preset"),
                        assumptions=spec.get("assumptions") or {})
    return provenance(storage_name, spec["seed"], spec["objectives"], [platform]) | json_safe({
        "study": study.study_name, "spec": spec,
        "trials": len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))),
    })


def atomic_write(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename; missing
    folders are created, and the file gets the mode the user's umask gives a new file."""
    path = Path(path)
    make_folder(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files
        os.replace(tmp, path)
    except PermissionError:
        raise InputError(f"cannot write {path}: permission denied", field="out") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder; give a file name", field="out") from None
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}", field="out") from None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def make_folder(folder: str | os.PathLike) -> None:
    """Create ``folder`` and its missing parents (``mkdir -p``); one line when impossible."""
    folder = Path(folder)
    check_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        raise InputError(f"cannot create folder {folder}: permission denied",
                         field="out") from None


def check_folder(folder: str | os.PathLike) -> None:
    """Fail early if ``folder`` could not be created or written: its nearest existing ancestor
    must be a folder in which a temporary file can be created (permissions alone do not tell:
    root may write anywhere except in read-only file systems such as /proc)."""
    folder = Path(folder).absolute()
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not existing.is_dir():
        raise InputError(f"{existing} is a file, so folder {folder} cannot be created",
                         field="out")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        reason = "permission denied" if isinstance(exc, PermissionError) else \
            f"creating a file there fails ({exc.strerror or exc})"
        raise InputError(f"cannot write in {existing}: {reason}", field="out") from None


def check_writable(path: str | os.PathLike, storage: str | None = None) -> None:
    """Fail early (before a long search) if ``path`` cannot be written, or if writing it would
    replace a file pfm-codesign did not write as an output: the study store ``storage``, any
    other journal or database, or a file that is not an earlier export (no ``.meta.json``
    of ours beside it)."""
    if not str(path).strip():
        raise InputError("give a file name, e.g. front.csv", field="out")
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file name", field="out")
    check_folder(path.parent)
    for target in (path, meta_path(path)):
        if _same_file(target, store_path(storage)) or _is_store(target):
            raise InputError(f"{target} is a study store; writing there would destroy it "
                             f"(choose another file name)", field="out")
        if target.exists() and target.stat().st_size and not _written_by_us(path):
            raise InputError(f"{target} exists and was not written by pfm-codesign; remove it "
                             f"or choose another file name", field="out")
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError(f"cannot write {path}: permission denied", field="out")


def store_path(storage: str | None) -> Path | None:
    """The file behind a storage URL (journal or SQLite), if any."""
    from codesign.search.storage import DEFAULT_STORE, is_journal

    storage = storage or DEFAULT_STORE
    if is_journal(storage):
        return Path(storage.removeprefix("journal:"))
    if storage.partition("://")[0].split("+")[0] == "sqlite":
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            database = make_url(storage).database
        except (ArgumentError, ValueError):
            return None
        return Path(database) if database and database != ":memory:" else None
    return None


def _same_file(a: Path, b: Path | None) -> bool:
    return b is not None and a.resolve() == b.resolve()


def _is_store(path: Path) -> bool:
    from codesign.search.storage import JOURNAL_START

    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return False
    return head.startswith(JOURNAL_START) or head.startswith(b"SQLite format 3")


def _written_by_us(out: Path) -> bool:
    try:
        meta = json.loads(meta_path(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("tool") == TOOL


def export_study(study: optuna.Study, storage_name: str, out: str | os.PathLike,
                 pareto_only: bool = False) -> pd.DataFrame:
    """Write ``out`` (CSV) and ``out`` with ``.meta.json``; return the written rows."""
    frame = trials_frame(study)
    if pareto_only and not frame.empty:
        frame = frame[frame["pareto"]]
    atomic_write(out, frame.to_csv(index=False))
    meta = metadata(study, storage_name) | {"pareto_only": pareto_only, "rows": len(frame)}
    atomic_write(meta_path(out), json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return frame


def meta_path(out: str | os.PathLike) -> Path:
    out = Path(out)
    return out.with_name(out.stem + ".meta.json")
