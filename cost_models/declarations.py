"""Definition-time checks of a cost model's declarations (run by ``CostModel.__init_subclass__``).

Every problem is reported at once, each naming the model, the field and what was expected, so
a plug-in author fixes them in one pass. Nothing here evaluates the model: the conformance
suite (:mod:`cost_models.testing`) does that.
"""
from __future__ import annotations

import keyword
import math

from .units import InputError, si_unit_problem

#: Scales at which a default or preset design value that is a function of P is checked.
CHECK_SCALES = tuple(10.0 ** k for k in range(9, 22))


def check_declarations(cls) -> None:
    """Raise :class:`~cost_models.base.ContractError` listing every broken declaration of ``cls``."""
    from .base import ContractError

    problems: list[str] = []
    _identity(cls, problems)
    _design_variables(cls, problems)
    _assumptions(cls, problems)
    _presets(cls, problems)
    _outputs(cls, problems)
    _anchors(cls, problems)
    if problems:
        label = f"cost model {cls.__name__} ('{getattr(cls, 'name', '?')}')"
        raise ContractError(f"{label} breaks the contract:\n  " + "\n  ".join(problems))


def _is_name(name) -> bool:
    return isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name)


def _unit(where: str, unit, problems: list[str]) -> None:
    if not isinstance(unit, str):
        problems.append(f"{where}: unit must be a string, got {unit!r}")
        return
    problem = si_unit_problem(unit)
    if problem:
        problems.append(f"{where}: unit {unit!r} is not SI without prefixes: {problem}")


def _identity(cls, problems: list[str]) -> None:
    for attribute in ("name", "title", "description", "design_variables", "assumptions"):
        if not hasattr(cls, attribute):
            problems.append(f"{attribute}: missing (every model declares name, title, "
                            "description, design_variables and assumptions)")
    name = getattr(cls, "name", None)
    if name is not None and not (_is_name(name) and name == name.lower()):
        problems.append(f"name: expected a lower-case Python identifier, got {name!r}")
    for attribute in ("title", "description"):
        text = getattr(cls, attribute, "")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{attribute}: expected a non-empty string, got {text!r}")


def _design_variables(cls, problems: list[str]) -> None:
    from .base import SHARED_DESIGN_VARIABLES, DesignVariable

    variables = tuple(getattr(cls, "design_variables", ()))
    names = [getattr(v, "name", None) for v in variables]
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(f"design_variables: '{name}' declared twice")
    for shared, unit in SHARED_DESIGN_VARIABLES.items():
        if shared not in names:
            problems.append(f"design_variables: every platform declares '{shared}' (unit "
                            f"{unit or 'dimensionless'!r}); see cost_models.base")
    for v in variables:
        if not isinstance(v, DesignVariable):
            problems.append(f"design_variables: expected DesignVariable, got {v!r}")
            continue
        where = f"design variable '{v.name}'"
        if not _is_name(v.name):
            problems.append(f"{where}: name must be a Python identifier")
        if v.name in SHARED_DESIGN_VARIABLES and v.unit != SHARED_DESIGN_VARIABLES[v.name]:
            problems.append(f"{where}: unit must be {SHARED_DESIGN_VARIABLES[v.name]!r}, "
                            f"got {v.unit!r}")
        if not v.description.strip():
            problems.append(f"{where}: description is empty")
        _unit(where, v.unit, problems)
        if v.kind == "categorical":
            if len(v.choices) < 2:
                problems.append(f"{where}: a categorical variable needs at least two choices")
            if not callable(v.default) and v.default not in v.choices:
                problems.append(f"{where}: default {v.default!r} is not one of its choices")
            continue
        if v.kind not in ("float", "int"):
            problems.append(f"{where}: kind must be 'float', 'int' or 'categorical', "
                            f"got {v.kind!r}")
            continue
        if not (_finite(v.low) and _finite(v.high) and v.low < v.high):
            problems.append(f"{where}: expected finite low < high, got low={v.low!r}, "
                            f"high={v.high!r}")
            continue
        if v.log and v.low <= 0:
            problems.append(f"{where}: a log-scaled variable needs low > 0, got {v.low!r}")
        _settles(where + " default", v, v.default, problems)


def _settles(where: str, variable, value, problems: list[str]) -> None:
    """``value`` (or the function of P) lies in the variable's range at every checked scale."""
    for params in (CHECK_SCALES if callable(value) else CHECK_SCALES[:1]):
        try:
            variable.settle(value, params)
        except (InputError, TypeError, ValueError) as exc:
            problems.append(f"{where}: {exc}")
            return


def _assumptions(cls, problems: list[str]) -> None:
    from .base import Assumption

    assumptions = tuple(getattr(cls, "assumptions", ()))
    names = [getattr(a, "name", None) for a in assumptions]
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(f"assumptions: '{name}' declared twice")
    for a in assumptions:
        if not isinstance(a, Assumption):
            problems.append(f"assumptions: expected Assumption, got {a!r}")
            continue
        where = f"assumption '{a.name}'"
        if not _is_name(a.name):
            problems.append(f"{where}: name must be a Python identifier")
        if a.at_most is not None and a.at_most not in names:
            problems.append(f"{where}: at_most names no declared assumption ({a.at_most!r})")
        elif a.at_most is not None:
            bound = assumptions[names.index(a.at_most)]
            if not a.value <= bound.value:
                problems.append(f"{where}: value {a.value!r} is above {a.at_most} "
                                f"({bound.value!r}), which it may not exceed")
        if not a.source.strip():
            problems.append(f"{where}: source is empty (cite where the value comes from)")
        if a.choices:
            if a.value not in a.choices:
                problems.append(f"{where}: value {a.value!r} is not one of its choices "
                                f"{', '.join(a.choices)}")
            continue
        _unit(where, a.unit, problems)
        if not (_finite(a.low) and _finite(a.high) and a.low <= a.high):
            problems.append(f"{where}: expected a plausible range low <= high, got "
                            f"low={a.low!r}, high={a.high!r}")
        elif not (_finite(a.value) and a.low <= a.value <= a.high):
            problems.append(f"{where}: value {a.value!r} is outside its plausible range "
                            f"{a.low!r} … {a.high!r} (in {a.unit or 'dimensionless'})")


def _presets(cls, problems: list[str]) -> None:
    from .base import Preset

    for name, preset in dict(getattr(cls, "presets", {})).items():
        where = f"preset '{name}'"
        if not isinstance(preset, Preset):
            problems.append(f"{where}: expected Preset, got {preset!r}")
            continue
        if not preset.description.strip():
            problems.append(f"{where}: description is empty")
        _override_values(cls, where, preset.assumptions, preset.design, problems)


def _override_values(cls, where: str, assumptions, design, problems: list[str]) -> None:
    """Names are declared; assumption values parse and lie in range; design values settle."""
    from .units import unknown_name

    declared = {a.name: a for a in getattr(cls, "assumptions", ())}
    for name, value in assumptions.items():
        if name not in declared:
            problems.append(f"{where}: {unknown_name('assumption', name, declared)}")
            continue
        try:
            parsed = declared[name].parse(value)
        except InputError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if parsed != value and not isinstance(value, str):
            problems.append(f"{where}: assumption '{name}' value {value!r} is not its SI value")
    variables = {v.name: v for v in getattr(cls, "design_variables", ())}
    for name, value in design.items():
        if name not in variables:
            problems.append(f"{where}: {unknown_name('design variable', name, variables)}")
            continue
        if isinstance(value, str) and variables[name].kind != "categorical":
            try:
                value = variables[name].parse(value)
            except InputError as exc:
                problems.append(f"{where}: {exc}")
                continue
        _settles(f"{where}: design", variables[name], value, problems)


def _outputs(cls, problems: list[str]) -> None:
    for name, unit in dict(getattr(cls, "diagnostic_units", {})).items():
        where = f"diagnostic '{name}'"
        if not _is_name(name):
            problems.append(f"{where}: name must be a Python identifier")
        _unit(where, unit, problems)
    for name, text in dict(getattr(cls, "margin_descriptions", {})).items():
        if not _is_name(name):
            problems.append(f"margin '{name}': name must be a Python identifier")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"margin '{name}': description is empty (say what is compared "
                            "with what; ≤ 0 means satisfied)")


def _anchors(cls, problems: list[str]) -> None:
    from .base import METRIC_UNITS, Anchor

    presets = dict(getattr(cls, "presets", {}))
    diagnostics = dict(getattr(cls, "diagnostic_units", {}))
    margins = dict(getattr(cls, "margin_descriptions", {}))
    for anchor in tuple(getattr(cls, "anchors", ())):
        if not isinstance(anchor, Anchor):
            problems.append(f"anchors: expected Anchor, got {anchor!r}")
            continue
        where = f"anchor '{anchor.name}'"
        if not anchor.source.strip():
            problems.append(f"{where}: source is empty (cite the publication)")
        if not (_finite(anchor.params) and anchor.params > 0):
            problems.append(f"{where}: params must be a positive number, got {anchor.params!r}")
        if not (_finite(anchor.tolerance) and anchor.tolerance >= 1):
            problems.append(f"{where}: tolerance is a factor >= 1 (1.1 = within 10 %), got "
                            f"{anchor.tolerance!r}")
        if anchor.preset not in (None, "default") and anchor.preset not in presets:
            problems.append(f"{where}: unknown preset {anchor.preset!r} "
                            f"(known: {', '.join(presets) or 'none'})")
        _override_values(cls, where, anchor.assumptions, anchor.design, problems)
        if not (anchor.metrics or anchor.breakdown or anchor.diagnostics
                or anchor.margin_satisfied):
            problems.append(f"{where}: expects nothing (give metrics, breakdown, diagnostics "
                            "or margin_satisfied)")
        for name, value in anchor.breakdown.items():
            if not (_finite(value) and value > 0):
                problems.append(f"{where}: breakdown '{name}' expects a positive energy in J, "
                                f"got {value!r}")
        for group, known in (("metrics", METRIC_UNITS), ("diagnostics", diagnostics)):
            for name, value in getattr(anchor, group).items():
                if name not in known:
                    problems.append(f"{where}: {group} '{name}' is not declared "
                                    f"(known: {', '.join(known) or 'none'})")
                elif not (_finite(value) and value > 0):
                    problems.append(f"{where}: {group} '{name}' expects a positive SI value, "
                                    f"got {value!r}")
        for name, satisfied in anchor.margin_satisfied.items():
            if name not in margins:
                problems.append(f"{where}: margin '{name}' is not declared in "
                                f"margin_descriptions (known: {', '.join(margins) or 'none'})")
            if not isinstance(satisfied, bool):
                problems.append(f"{where}: margin_satisfied['{name}'] must be True or False")


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
