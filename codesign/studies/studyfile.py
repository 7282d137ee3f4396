"""Study files (``studies/*.toml``): parse and validate, with errors naming the file and key.

A study file::

    name = "scaling"
    description = "All platforms from 1e9 to 1e21 parameters"
    scales = {start = 1e9, stop = 1e21, per_decade = 1}   # or a list: [1e12, 1e15]
    objectives = ["energy_per_inference", "time_per_inference"]
    compare_to = "GPU"                                     # optional: label for ratio tables
    equal_loss = { weight_precision = 8, io_precision = 8, tolerance = 0.05 }
        # optional: compare platforms on designs whose model loss matches that of an
        # 8-bit-weight, 8-bit-I/O network of real-LLM shape (reducible loss within 5 %)

    [search]
    sampler = "nsga2"        # nsga2 | nsga3 | tpe | random | qmc | gp
    trials = 500
    seed = 0
    reference_seeds = 50     # designs of the exact reference front to start from

    [[platforms]]
    model = "crossbar"
    label = "crossbar N⁴"                     # optional, defaults to the model name
    preset = "parasitic_n4"                    # optional
    assumptions = { read_voltage = "0.1 V" }   # optional overrides, units allowed
    fix = { io_precision = 8, io_dimension = "default" }  # "default": the design point at each P
    ranges = { tile_size = [64, 4096] }        # narrow a range (or list categorical choices)

    [workload]               # the network's serving scenario, the same for every platform
    tokens_per_inference = 1 # (any shared workload or model-loss assumption; a platform's own
    context_length = 4096    #  ``assumptions`` may still override it)
    batch_size = 64

    [outputs]
    static_images = true                        # SVG, PDF, PNG beside the HTML figures

    [uncertainty]            # optional: bands, win probabilities, sensitivity (uncertainty.csv)
    samples = 2000
    seed = 0
    assumptions = { nonlinear_index = { low = "2.2e-20 m^2/W", high = "2.7e-20 m^2/W" },
                    wavelength = "fixed", energy_model = { weights = { board_power = 3, per_operation = 1 } } }
"""
from __future__ import annotations

import datetime as dt
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import cost_models
from cost_models import InputError
from cost_models.units import did_you_mean, unknown_name

from codesign.platform import Platform
from codesign.points.evaluate import check_scale
from codesign.search.optimise import MAX_SEED, SAMPLERS, validate_objectives

TOP_KEYS = {"name", "description", "scales", "objectives", "compare_to", "search", "platforms",
            "outputs", "workload", "equal_loss", "uncertainty"}
EQUAL_LOSS_KEYS = {"weight_precision", "io_precision", "tolerance"}
SEARCH_KEYS = {"sampler", "trials", "seed", "reference_seeds"}
PLATFORM_KEYS = {"model", "label", "preset", "assumptions", "fix", "ranges"}
SWEEP_KEYS = {"start", "stop", "per_decade"}
OUTPUT_KEYS = {"static_images"}
UNCERTAINTY_KEYS = {"samples", "seed", "assumptions"}
DEFAULT_VALUE = "default"
MAX_PER_DECADE = 100  # scales per decade of a sweep


@dataclass
class UncertaintySettings:
    """A study's ``[uncertainty]`` section: samples per design, seed, and spread overrides by
    assumption name (applied to every platform that declares the name)."""

    samples: int = 2000
    seed: int = 0
    assumptions: dict[str, object] = field(default_factory=dict)


@dataclass
class Study:
    name: str
    description: str
    scales: list[float]
    objectives: list[str]
    variants: list[Platform]
    sampler: str = "nsga2"
    trials: int = 500
    seed: int = 0
    reference_seeds: int = 50
    compare_to: str | None = None
    static_images: bool = True
    workload: dict[str, object] = field(default_factory=dict)  # shared assumptions, user text
    equal_loss: dict[str, float] | None = None  # weight_precision, io_precision, tolerance
    uncertainty: UncertaintySettings | None = None
    source: dict = field(default_factory=dict)  # the file as read, for metadata


class _Context:
    def __init__(self, path: str):
        self.path = path

    def fail(self, key: str, message: str):
        raise InputError(f"{self.path}: {key}: {message}")

    def unknown(self, where: str, table: dict, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                self.fail(f"{where}{key}", f"unknown key{did_you_mean(key, sorted(allowed))} "
                                           f"(allowed: {', '.join(sorted(allowed))})")

    def typed(self, key: str, value, kind, what: str):
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            self.fail(key, f"expected {what}, got {type(value).__name__} {value!r}")
        return value


def load_study(path: str | Path) -> Study:
    """Read and validate a study file; :class:`InputError` naming the file and key otherwise."""
    path = Path(path)
    ctx = _Context(str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such study file") from None
    except IsADirectoryError:
        found = ", ".join(sorted(p.name for p in path.glob("*.toml"))) or "none"
        raise InputError(f"{path} is a folder; give a study file (.toml) (in it: {found})") \
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    return parse_study(data, ctx)


def parse_study(data: dict, ctx: _Context) -> Study:
    _no_dates(data, ctx, "")
    ctx.unknown("", data, TOP_KEYS)
    for required in ("name", "scales", "objectives", "platforms"):
        if required not in data:
            ctx.fail(required, "missing (every study needs name, scales, objectives, platforms)")
    name = ctx.typed("name", data["name"], str, "a string")
    if not name.strip() or "/" in name:
        ctx.fail("name", "must be a non-empty string without '/'")
    objectives = ctx.typed("objectives", data["objectives"], list, "a list of metric names")
    try:
        validate_objectives([str(o) for o in objectives])
    except InputError as exc:
        ctx.fail("objectives", exc.message)
    study = Study(name=name, description=str(data.get("description", "")),
                  scales=_scales(data["scales"], ctx), objectives=[str(o) for o in objectives],
                  variants=[], source=data)
    search = ctx.typed("search", data.get("search", {}), dict, "a table")
    ctx.unknown("search.", search, SEARCH_KEYS)
    if "sampler" in search:
        study.sampler = ctx.typed("search.sampler", search["sampler"], str, "a string")
        if study.sampler not in SAMPLERS:
            ctx.fail("search.sampler", str(unknown_name("sampler", study.sampler, SAMPLERS)))
    for key in ("trials", "seed", "reference_seeds"):
        if key in search:
            value = ctx.typed(f"search.{key}", search[key], int, "a whole number")
            if value < (1 if key == "trials" else 0):
                ctx.fail(f"search.{key}", f"must be {'positive' if key == 'trials' else '≥ 0'}")
            if key == "seed" and value > MAX_SEED:
                ctx.fail("search.seed", f"must be at most {MAX_SEED}")
            setattr(study, key, value)
    study.workload = _workload(data.get("workload", {}), ctx)
    if "equal_loss" in data:
        study.equal_loss = _equal_loss(data["equal_loss"], ctx)
    outputs = ctx.typed("outputs", data.get("outputs", {}), dict, "a table")
    ctx.unknown("outputs.", outputs, OUTPUT_KEYS)
    if "static_images" in outputs:
        study.static_images = ctx.typed("outputs.static_images", outputs["static_images"], bool,
                                        "true or false")
    platforms = ctx.typed("platforms", data["platforms"], list, "a list of [[platforms]] tables")
    if not platforms:
        ctx.fail("platforms", "empty list: name at least one platform")
    for index, table in enumerate(platforms):
        study.variants.append(_variant(table, ctx, f"platforms[{index}]"))
    labels = [v.label for v in study.variants]
    for label in labels:
        if labels.count(label) > 1:
            ctx.fail("platforms", f"label '{label}' is used twice; give each variant its own label")
    if "uncertainty" in data:
        study.uncertainty = _uncertainty(data["uncertainty"], study.variants, ctx)
    if "compare_to" in data:
        study.compare_to = ctx.typed("compare_to", data["compare_to"], str, "a platform label")
        if study.compare_to not in labels:
            ctx.fail("compare_to", f"'{study.compare_to}' is not a platform label "
                                   f"(labels: {', '.join(labels)})")
    return study


def _workload(table, ctx: _Context) -> dict[str, object]:
    """The ``[workload]`` table: values of assumptions every model shares, each checked."""
    from cost_models.shared import SHARED_ASSUMPTIONS

    ctx.typed("workload", table, dict, "a table of name = value")
    shared = {a.name: a for a in SHARED_ASSUMPTIONS}
    ctx.unknown("workload.", table, set(shared))
    for key, value in table.items():
        try:
            shared[key].parse(value)
        except InputError as exc:
            ctx.fail(f"workload.{key}", str(exc))
    return dict(table)


def _equal_loss(table, ctx: _Context) -> dict[str, float]:
    """``equal_loss = {weight_precision, io_precision, tolerance}``: the reference network
    whose loss defines "equal", and the allowed excess of its reducible loss (a fraction)."""
    ctx.typed("equal_loss", table, dict, "a table {weight_precision, io_precision, tolerance}")
    ctx.unknown("equal_loss.", table, EQUAL_LOSS_KEYS)
    out = {"weight_precision": 8.0, "io_precision": 8.0, "tolerance": 0.05}
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0 \
                or not math.isfinite(value):
            ctx.fail(f"equal_loss.{key}", f"expected a non-negative number, got {value!r}")
        out[key] = float(value)
    for key in ("weight_precision", "io_precision"):
        if not 1 <= out[key] <= 16:
            ctx.fail(f"equal_loss.{key}", f"expected bits in 1 … 16, got {out[key]:g}")
    return out


def _uncertainty(table, variants: list[Platform], ctx: _Context) -> UncertaintySettings:
    from codesign.uncertainty.platforms import check_overrides

    ctx.typed("uncertainty", table, dict, "a table")
    ctx.unknown("uncertainty.", table, UNCERTAINTY_KEYS)
    settings = UncertaintySettings()
    for key, least in (("samples", 2), ("seed", 0)):
        if key in table:
            value = ctx.typed(f"uncertainty.{key}", table[key], int, "a whole number")
            if value < least:
                ctx.fail(f"uncertainty.{key}", f"must be ≥ {least}")
            setattr(settings, key, value)
    settings.assumptions = dict(ctx.typed("uncertainty.assumptions", table.get("assumptions", {}),
                                          dict, "a table of assumption = spread"))
    try:
        check_overrides(settings.assumptions, [cost_models.get(v.model) for v in variants])
    except InputError as exc:
        ctx.fail("uncertainty.assumptions", str(exc))
    return settings


def _scales(value, ctx: _Context) -> list[float]:
    if isinstance(value, dict):
        ctx.unknown("scales.", value, SWEEP_KEYS)
        for key in SWEEP_KEYS:
            if key not in value:
                ctx.fail(f"scales.{key}", "missing (a sweep is {start, stop, per_decade})")
        start, stop = (_positive(value[k], ctx, f"scales.{k}") for k in ("start", "stop"))
        per_decade = ctx.typed("scales.per_decade", value["per_decade"], int, "a whole number")
        if not 1 <= per_decade <= MAX_PER_DECADE or stop < start:
            ctx.fail("scales", f"needs per_decade from 1 to {MAX_PER_DECADE} and stop ≥ start")
        count = int(round(math.log10(stop / start) * per_decade)) + 1
        return [float(f"{x:.6g}") for x in np.logspace(math.log10(start), math.log10(stop), count)]
    if isinstance(value, list):
        if not value:
            ctx.fail("scales", "empty list: give at least one scale")
        scales = [_positive(v, ctx, f"scales[{i}]") for i, v in enumerate(value)]
        if len(set(scales)) != len(scales):
            ctx.fail("scales", "a scale is listed twice")
        return sorted(scales)
    ctx.fail("scales", f"expected a list of parameter counts or {{start, stop, per_decade}}, "
                       f"got {type(value).__name__}")


def _positive(value, ctx: _Context, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value <= 0:
        ctx.fail(key, f"expected a positive parameter count such as 1e12, got {value!r}")
    try:
        return check_scale(float(value), key)
    except InputError as exc:
        ctx.fail(key, exc.message)


def _no_dates(value, ctx: _Context, where: str) -> None:
    """TOML dates and times have no meaning in a study file: name the first one found."""
    if isinstance(value, (dt.date, dt.time)):
        ctx.fail(where or "study", f"a TOML date or time ({value}) has no meaning here; "
                                   f"quote it if it is text")
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        _no_dates(item, ctx, f"{where}[{key}]" if isinstance(key, int) else
                  f"{where}.{key}" if where else key)


def _variant(table, ctx: _Context, where: str) -> Platform:
    ctx.typed(where, table, dict, "a [[platforms]] table")
    ctx.unknown(f"{where}.", table, PLATFORM_KEYS)
    if "model" not in table:
        ctx.fail(f"{where}.model", "missing: name a cost model (see 'pfm-codesign models')")
    name = ctx.typed(f"{where}.model", table["model"], str, "a model name")
    try:
        model = cost_models.get(name)
    except InputError as exc:
        ctx.fail(f"{where}.model", str(exc))
    label = ctx.typed(f"{where}.label", table.get("label", name), str, "a string")
    preset = table.get("preset")
    if preset is not None:
        ctx.typed(f"{where}.preset", preset, str, "a preset name")
        if preset not in model.presets:
            ctx.fail(f"{where}.preset", f"model '{name}' has no preset '{preset}' (presets: "
                                        f"{', '.join(model.presets) or 'none'})")
    variant = Platform(label=label, model=name, preset=preset)
    for key in ("assumptions", "fix", "ranges"):
        ctx.typed(f"{where}.{key}", table.get(key, {}), dict, "a table of name = value")
    for key in ("assumptions", "fix"):
        for item, value in table.get(key, {}).items():
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                ctx.fail(f"{where}.{key}.{item}", f"expected one number or text such as "
                                                  f"\"1030 nm\", got {value!r}")
    for item, value in table.get("ranges", {}).items():
        ctx.typed(f"{where}.ranges.{item}", value, list, "a list [low, high] or of choices")
    variant.assumptions = dict(table.get("assumptions", {}))
    variant.fixed = dict(table.get("fix", {}))
    variant.ranges = {k: list(v) if isinstance(v, list) else v
                      for k, v in table.get("ranges", {}).items()}
    try:
        model.resolve_assumptions(variant.preset, variant.assumptions)
        for key, value in variant.fixed.items():
            if value != DEFAULT_VALUE:
                model.variable(key).parse(value)
            else:
                model.variable(key)
        from codesign.search.space import SearchSpace

        SearchSpace.build(model, {k: v for k, v in variant.fixed.items() if v != DEFAULT_VALUE},
                          variant.ranges)
    except InputError as exc:
        ctx.fail(where, str(exc))
    return variant
