"""The package layout: layers import only downwards, light modules stay light, and the wheel
installs nothing but ``codesign`` and ``cost_models``."""
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("optuna", "pandas", "plotly", "streamlit")


def loaded_after(statement: str) -> set[str]:
    """Top-level and codesign module names loaded by ``statement`` in a fresh interpreter."""
    code = (f"import sys; {statement}; import json; "
            "print(json.dumps(sorted(m for m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, cwd=ROOT).stdout
    return set(json.loads(out.splitlines()[-1]))


def heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY and "." not in m}


@pytest.mark.parametrize("module", ["codesign", "codesign.platform", "codesign.outputs.schema",
                                    "codesign.outputs.formats", "codesign.points.evaluate",
                                    "codesign.search", "codesign.outputs", "codesign.studies",
                                    "codesign.uncertainty", "codesign.uncertainty.bands",
                                    "codesign.uncertainty.sensitivity"])
def test_light_modules_load_no_heavy_library(module):
    assert heavy(loaded_after(f"import {module}")) == set()


def test_results_need_pandas_only():
    assert heavy(loaded_after("import codesign.outputs.results")) == {"pandas"}


@pytest.mark.parametrize("module, above", [
    ("codesign.search.optimise", ("codesign.outputs.export", "codesign.outputs.figures",
                                  "codesign.outputs.results", "codesign.studies.runner",
                                  "codesign.explore", "codesign.cli")),
    ("codesign.uncertainty.wins", ("codesign.outputs.export", "codesign.outputs.figures",
                                   "codesign.outputs.results", "codesign.studies.runner",
                                   "codesign.explore", "codesign.cli")),
    ("codesign.outputs.export", ("codesign.studies.runner", "codesign.explore", "codesign.cli")),
    ("codesign.studies.runner", ("codesign.explore", "codesign.cli", "codesign.app")),
])
def test_no_module_imports_a_layer_above_it(module, above):
    loaded = loaded_after(f"import {module}")
    assert not loaded & set(above), f"{module} imports {sorted(loaded & set(above))}"


def test_lazy_package_face_resolves_and_rejects_unknown_names():
    import codesign.search as search

    assert callable(search.run_search)
    assert "run_search" in search.__all__
    with pytest.raises(AttributeError, match="no_such_name"):
        search.no_such_name  # noqa: B018


def test_wheel_installs_only_codesign_and_cost_models(tmp_path):
    # pip builds in an isolated environment with the setuptools pyproject.toml asks for
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
                    "-w", str(tmp_path)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("pfm_codesign-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"codesign", "cost_models"}
    assert "codesign/app/streamlit_app.py" in names
    assert "codesign/app/pages/explore.py" in names


@pytest.mark.parametrize("statement", [
    "from codesign.cli import build_parser; build_parser()",
    "from codesign.cli import main; main(['evaluate', 'optical_tube', '--params', '1e15', "
    "'--preset', 'paper'])",
], ids=["--help", "evaluate"])
def test_command_line_starts_without_heavy_libraries(statement):
    """Fast start: the parser and ``evaluate`` load neither Optuna, pandas, plotly, Streamlit
    nor SciPy's statistics (figures: python -X importtime -m codesign --help). pint, which the
    contract's unit checks load, imports SciPy's small core (~15 ms), not ``scipy.stats``."""
    loaded = loaded_after(statement)
    assert {m for m in loaded if "." not in m} & set(HEAVY) == set()
    assert "scipy.stats" not in loaded
