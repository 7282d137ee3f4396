"""The suite is hermetic: a cost-model plug-in installed in the environment changes no test's
outcome (tests/conftest.py), while the command line outside the suite still loads it."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cost_models.plugins import install

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = '''import pandas  # a heavy import at load time, as real plug-ins make

from cost_models.gpu import GPU


class ThirdParty(GPU):
    name = "third_party"
    title = "A third-party platform"
'''
#: a subprocess CLI test the plug-in breaks when loaded: evaluate must not import pandas
SUBPROCESS_TEST = "tests/codesign/test_layers.py::test_command_line_starts_without_heavy_libraries"


@pytest.fixture
def plugin_env(tmp_path):
    return install(tmp_path, "third_party_platform", PLUGIN,
                   {"third_party": "third_party_platform:ThirdParty"})


def pytest_outcome(env, *options) -> int:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           *options, SUBPROCESS_TEST], cwd=ROOT, env=env, capture_output=True,
                          timeout=600).returncode


def test_an_installed_plugin_changes_no_subprocess_test(plugin_env):
    assert pytest_outcome(plugin_env) == 0
    assert pytest_outcome(plugin_env, "--noconftest") == 1  # without the suite's setting


def test_the_command_line_outside_the_suite_loads_the_plugin(plugin_env):
    result = subprocess.run([sys.executable, "-m", "codesign", "compare", "--params", "1e12",
                             "--format", "json"], env=plugin_env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "third_party" in {r["platform"] for r in json.loads(result.stdout)}
