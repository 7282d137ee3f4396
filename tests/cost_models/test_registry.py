"""Discovery of built-in and entry-point models; a broken plug-in never hides the others."""
from importlib.metadata import EntryPoint

import pytest

import cost_models
from cost_models import InputError, registry


@pytest.fixture
def plugins(monkeypatch):
    entries = [
        EntryPoint("good_plugin", "tests.cost_models.plugins:GoodPlugin", registry.ENTRY_POINT_GROUP),
        EntryPoint("missing", "no_such_package.module:Model", registry.ENTRY_POINT_GROUP),
        EntryPoint("not_a_model", "tests.cost_models.plugins:NOT_A_MODEL", registry.ENTRY_POINT_GROUP),
        EntryPoint("raises", "tests.cost_models.plugins:broken", registry.ENTRY_POINT_GROUP),
    ]
    monkeypatch.setattr(registry, "entry_points", lambda group: entries)
    monkeypatch.delenv(registry.NO_PLUGINS_VARIABLE)
    registry.reload()
    yield
    registry.reload()


def test_builtins_are_registered():
    assert {"optical_tube", "gpu"} <= set(cost_models.available())


def test_good_plugin_loads_and_broken_ones_are_named(plugins):
    assert "good_plugin" in cost_models.available()
    assert cost_models.get("good_plugin").title == "A third-party platform"
    errors = cost_models.plugin_errors()
    assert set(errors) == {"missing", "not_a_model", "raises"}
    assert "ModuleNotFoundError" in errors["missing"]
    assert "TypeError" in errors["not_a_model"]
    assert "import-time failure" in errors["raises"]
    with pytest.raises(InputError, match="failed to load"):
        cost_models.get("raises")


def test_unknown_model_suggests_close_names():
    with pytest.raises(InputError, match="did you mean .optical_tube."):
        cost_models.get("optcal_tube")
