"""A platform as users name it: a registered model with its settings and a display label.

The same object describes a ``[[platforms]]`` entry of a study file, a platform picked in the
app, and an argument of :func:`codesign.explore.explore`.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Platform:
    """A model (registry name) under a preset (``None``: its defaults), with assumption
    overrides (user text or SI values), design variables held fixed, narrowed ranges, and the
    label shown in tables and figures (default: ``model`` or ``model (preset)``)."""

    model: str
    preset: str | None = None
    label: str = ""
    assumptions: dict[str, object] = field(default_factory=dict)
    fixed: dict[str, object] = field(default_factory=dict)
    ranges: dict[str, list] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.label:
            self.label = self.model if self.preset is None else f"{self.model} ({self.preset})"
