"""Suite-wide setup: a hermetic registry. Cost-model plug-ins installed in the environment are
not loaded, in this process and in every command-line subprocess a test starts (they inherit
the variable), so they cannot change any test's outcome. Registry tests install their own
entry points and unset the variable."""
import os

from cost_models import registry

os.environ[registry.NO_PLUGINS_VARIABLE] = "1"  # before collection: some tests list the models
registry.reload()
