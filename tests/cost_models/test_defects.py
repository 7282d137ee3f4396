"""The five defects of issue 10 each fail the shipped conformance suite, naming the defect.

The suite runs in a child pytest session (pytester) as a third party would run it, limited
to its declaration and anchor checks to stay fast. Computed values are not pinned (the
physics moves); the defect's signature is.
"""
import re

import pytest

from tests.cost_models import defects

pytest_plugins = ["pytester"]

SUITE = '''
from cost_models.testing import CostModelConformance
{setup}

class TestToy(CostModelConformance):
    model = {model}
    n_designs = 64
'''


@pytest.fixture(autouse=True)
def no_plugin_autoload(monkeypatch):
    """The child sessions load no third-party pytest plugins (fast, and hermetic)."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


def run_suite(pytester, model: str, setup: str = ""):
    pytester.makepyfile(test_toy=SUITE.format(model=model, setup=setup))
    return pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider", "-k", "anchor or declar")


NUMBER = r"[-+0-9.e]+"


@pytest.mark.parametrize("toy, message", [
    ("PicoJouleTube",
     rf"picojoule_tube: anchor 'paper, P = 1e\+12': metric 'energy_per_inference' = {NUMBER} J, "
     rf"expected {NUMBER} J within a factor 1.1: off by ×1.0\d*e\+12, the size of the unit "
     r"prefix 'p': is it returned in pJ instead of SI J\?"),
    ("MillimetreTube",
     rf"millimetre_tube: anchor 'paper, P = 1e\+15': diagnostic 'tube_length' = {NUMBER} m, "
     rf"expected 10 m within a factor 1.1: off by ×1.0\d*e\+03, the size of the unit prefix "
     r"'m': is it returned in mm instead of SI m\?"),
    ("FlippedMarginTube",
     r"flipped_margin_tube: anchor 'paper, P = 1e\+12': margin 'self_focusing' = \+[0-9.e-]+ "
     r"but the source says it is satisfied \(≤ 0\); is the margin's sign flipped\?"),
    ("MillisecondGPU",
     rf"millisecond_gpu: anchor 'paper, P = 1e\+12': metric 'latency' = {NUMBER} s, expected "
     rf"0.024 s within a factor 1.05: off by ×1e\+03, the size of the unit prefix 'm': is it "
     r"returned in ms instead of SI s\?"),
])
def test_defect_fails_its_anchors(pytester, toy, message):
    result = run_suite(pytester, f"defects.{toy}()", "from tests.cost_models import defects")
    assert result.parseoutcomes().get("failed", 0) >= 1
    assert "FAILED test_toy.py::TestToy::test_anchor[paper, P = 1e+12]" in result.stdout.str()
    assert re.search(message, result.stdout.str()), result.stdout.str()[-3000:]


@pytest.mark.parametrize("source, message", [
    (defects.DECLARED_IN_MM,
     "diagnostic 'tube_side': unit 'mm' is not SI without prefixes: 'millimeter' carries the "
     "prefix 'milli'"),
    (defects.PRESET_ABOVE_RANGE,
     "preset 'overclocked': assumption 'utilisation': 2.0 is outside its plausible range"),
])
def test_defect_is_refused_when_the_class_is_defined(pytester, source, message):
    result = run_suite(pytester, "OverclockedGPU() if 'Overclocked' in globals() else None",
                       source)
    assert result.ret != 0
    assert "ContractError" in result.stdout.str() and message in result.stdout.str()


def test_the_unbroken_models_pass_the_same_run(pytester):
    """The toys' parents pass: the failures above are the defects, not the harness."""
    result = run_suite(pytester, "OpticalTube()", "from cost_models.optical_tube import OpticalTube")
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] >= 4 and "failed" not in outcomes and "error" not in outcomes
