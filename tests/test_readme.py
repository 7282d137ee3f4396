"""README's commands, run literally as a new user would: in a fresh ``git clone`` of this
repository (its committed HEAD), through the installed ``pfm-codesign`` console script, with
the clone's code on PYTHONPATH. The ``pip install`` part of the first command is skipped (the
test environment is installed already); the rest runs as written."""
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Tour commands too slow for the suite, with the reason.
EXPENSIVE = {
    "pfm-codesign bench": "minutes: a million-design evaluation and four searches per model",
    "pfm-codesign app": "a server; tested in tests/codesign/app",
    "pfm-codesign run": "other studies take minutes; the first command runs one",
    "pfm-codesign worker": "needs a database server; tested in tests/codesign/test_postgres.py",
}

pytestmark = pytest.mark.skipif(shutil.which("pfm-codesign") is None or shutil.which("git") is None,
                                reason="needs git and the installed pfm-codesign console script")


def bash_blocks(text: str) -> list[str]:
    """The fenced ```bash blocks of ``text``, continuation lines joined."""
    return [block.replace("\\\n", " ") for block in re.findall(r"```bash\n(.*?)```", text, re.S)]


def first_command(text: str) -> str:
    """README's first command without its ``pip install`` part."""
    parts = [p.strip() for p in bash_blocks(text)[0].strip().split("&&")]
    return " && ".join(p for p in parts if not p.startswith(("python -m pip", "pip ")))


def tour_commands(text: str) -> list[str]:
    """Every other ``pfm-codesign`` command line of README that is cheap enough to run."""
    lines = [line.strip() for block in bash_blocks(text)[1:] for line in block.splitlines()]
    return [line for line in lines if line.startswith("pfm-codesign ")
            and not any(line.startswith(prefix) for prefix in EXPENSIVE)]


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fresh") / "pfm-codesign"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder)], check=True, timeout=120)
    return folder


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(cwd)}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)


def tracked_changes(cwd: Path) -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd,
                          capture_output=True, text=True, check=True).stdout


def test_first_command_runs_on_a_fresh_clone(clone):
    command = first_command((clone / "README.md").read_text(encoding="utf-8"))
    out = clone / shlex.split(command)[shlex.split(command).index("--out") + 1]
    assert not out.parent.exists(), "the output's parent folder must not exist in a fresh clone"
    result = shell(command, clone)
    assert result.returncode == 0, result.stderr
    for name in ("summary.md", "pareto.csv", "trials.csv", "table.tex", "meta.json"):
        assert (out / name).is_file(), name
    assert list((out / "figures").glob("*.html"))
    assert tracked_changes(clone) == ""


def test_tour_commands_run_on_a_fresh_clone(clone):
    commands = tour_commands((clone / "README.md").read_text(encoding="utf-8"))
    assert len(commands) >= 8
    for command in commands:
        result = shell(command, clone)
        assert result.returncode == 0, f"{command}\n{result.stderr}"
    assert tracked_changes(clone) == ""


def test_readme_parsing():
    text = "intro\n```bash\npython -m pip install -e . && pfm-codesign run a.toml --out r/a\n```\n" \
           "```bash\npfm-codesign models   # list\npfm-codesign search x \\\n    --trials 3\n" \
           "pfm-codesign bench\n```\n"
    assert first_command(text) == "pfm-codesign run a.toml --out r/a"
    assert tour_commands(text) == ["pfm-codesign models   # list", "pfm-codesign search x      --trials 3"]
