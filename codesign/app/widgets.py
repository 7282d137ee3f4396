"""Widgets shared by the pages: platform pickers, objective pickers, assumption fields."""
from __future__ import annotations

import dataclasses

import streamlit as st

import cost_models
from codesign.platform import Platform
from codesign.explore import featured_platforms, available_platforms
from cost_models import METRIC_UNITS, InputError
from cost_models.units import format_quantity



@st.cache_data(show_spinner=False)
def choice_labels() -> dict[str, tuple[str, str | None]]:
    return {c.label: (c.model, c.preset) for c in available_platforms()}


def pick_platforms(key: str, container=st.sidebar) -> list[Platform]:
    """Platform multiselect; a link may preselect with ``?platform=gpu&platform=crossbar``."""
    labels = choice_labels()
    linked = [p for p in st.query_params.get_all("platform") if p in labels]
    featured = [c.label for c in featured_platforms() if c.label in labels]
    chosen = container.multiselect("Platforms (model and preset)", list(labels),
                                   default=linked or featured,
                                   key=key, help="Each model under its defaults or one of its presets.")
    return [Platform(*labels[label]) for label in chosen]


def pick_objectives(key: str, default: list[str], container=st.sidebar) -> list[str]:
    chosen = container.multiselect("Objectives (2 or 3, minimised)", list(METRIC_UNITS),
                                   default=default, max_selections=3, key=key)
    if len(chosen) < 2:
        container.error("Choose at least two objectives.")
    return chosen


def shown_value(assumption) -> str:
    """An assumption's default as a person would type it ("1.55 µm")."""
    if assumption.choices:
        return str(assumption.value)
    return format_quantity(assumption.value, assumption.unit, digits=6) if assumption.unit \
        else f"{assumption.value:.6g}"


def workload_fields() -> tuple[dict[str, str], list[str]]:
    """Fields for the assumptions every model shares (the serving scenario, the plausible
    network shapes, the model-loss fit) in one expander; returns the overrides and errors."""
    from cost_models.shared import SHARED_ASSUMPTIONS

    return _fields(SHARED_ASSUMPTIONS, {a.name: a.value for a in SHARED_ASSUMPTIONS},
                   "Workload and model loss (every platform)", "workload")


def assumption_fields(choice: Platform) -> tuple[dict[str, str], list[str]]:
    """Fields for every assumption of ``choice``'s model (except the shared ones, see
    :func:`workload_fields`) in an expander; returns the overrides that differ from the
    (preset's) value and the errors shown next to bad fields."""
    from cost_models.shared import SHARED_ASSUMPTIONS

    model = cost_models.get(choice.model)
    shared = {a.name for a in SHARED_ASSUMPTIONS}
    own = [a for a in model.assumptions if a.name not in shared]
    return _fields(own, model.resolve_assumptions(choice.preset), f"Assumptions: {choice.label}",
                   f"assume:{choice.label}")


def _fields(assumptions, base: dict, title: str, prefix: str) -> tuple[dict[str, str], list[str]]:
    overrides, errors = {}, []
    with st.expander(title):
        for a in assumptions:
            key = f"{prefix}:{a.name}"
            helptext = f"{a.source}\n\nPlausible range: {a.describe_range()}. Unit: {a.unit or '1'}."
            default = shown_value(dataclasses.replace(a, value=base[a.name]))
            if a.choices:
                value = st.selectbox(a.name, a.choices, index=a.choices.index(base[a.name]),
                                     key=key, help=helptext)
            else:
                value = st.text_input(f"{a.name} [{a.unit or '1'}]", value=default, key=key,
                                      help=helptext)
            try:
                parsed = a.parse(value)
            except InputError as exc:
                st.error(str(exc))
                errors.append(str(exc))
                continue
            if value != default and parsed != base[a.name]:
                overrides[a.name] = value
    return overrides, errors
