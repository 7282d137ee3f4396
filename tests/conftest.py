"""Suite-wide fixtures."""
import pytest


@pytest.fixture(autouse=True, scope="session")
def builtin_models_only():
    """Hermetic registry: cost-model plug-ins installed in the environment are not loaded, so
    they cannot change any test's outcome. Registry tests install their own entry points."""
    from cost_models import registry

    patch = pytest.MonkeyPatch()
    patch.setattr(registry, "entry_points", lambda group: [])
    registry.reload()
    yield
    patch.undo()
    registry.reload()
