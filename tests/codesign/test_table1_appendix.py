"""`table1 --appendix`: every margin of the paper's designs, and the paper's own numbers
recomputed where its inputs contradict them."""
import json

import numpy as np
import pytest

from codesign.cli import main


@pytest.fixture(scope="module")
def records():
    from codesign.points.table1 import table1_records
    return table1_records(appendix=True)


def by(records, section, metric):
    return [r for r in records if r["section"] == section and r["metric"] == metric]


def test_every_optical_margin_of_every_paper_design_is_listed(records):
    import cost_models
    model = cost_models.get("optical_tube")
    design = model.default_design(1e12, "paper")
    names = set(model.evaluate(1e12, design, model.resolve_assumptions("paper")).margins)
    listed = {r["metric"] for r in records if r["section"] == "margin"
              and r["platform"] == "optical_tube"}
    assert listed == names and {"dispersion", "modal_walkoff"} <= names
    for name in names:
        # (the shared margins — shape, precision floors — are listed for the GPU too)
        assert [r["params"] for r in by(records, "margin", name)
                if r["platform"] == "optical_tube"] == [1e12, 1e15, 1e18]


def test_margins_the_paper_neglects_are_marked(records):
    dispersion = by(records, "margin", "dispersion")
    assert all(r["neglected"] for r in dispersion)
    assert dispersion[2]["value"] > 0 > dispersion[0]["value"]  # 103 m tube > L_D = 36 m
    assert not any(r["neglected"] for r in by(records, "margin", "self_focusing"))
    assert not any(r["neglected"] for r in by(records, "margin", "guided_modes"))


def test_paper_checks_recompute_the_inconsistent_statements(records):
    pulse_over_io = by(records, "check", "pulse_energy / (2N × 100 pJ)")
    assert [r["value"] for r in pulse_over_io] == pytest.approx([22.7] * 3, rel=0.01)
    (modes,) = by(records, "check", "modes in (5 cm)² at 1 µm")
    assert (modes["value"], modes["paper_value"]) == (pytest.approx(5.625e9), 3.75e9)
    (length,) = by(records, "check", "tube length at (5 cm)², λ = 1550 nm")
    assert length["value"] == pytest.approx(441, rel=0.01) and length["paper_value"] == 50
    radius = by(records, "check", "tube / collapse distance, w = s/2 (1/e² radius)")
    diameter = by(records, "check", "tube / collapse distance, w = s/4 (1/e² diameter)")
    assert all(r["value"] < 1 for r in radius)  # footnote 35 holds for this reading only
    assert diameter[0]["value"] == pytest.approx(4 * radius[0]["value"], rel=1e-6)
    assert diameter[0]["value"] > 1  # read as a diameter, the 1e12 tube is too long
    walkoff = by(records, "check", "modal walk-off / pulse, footnote-34 guide")
    # step index, Δ = NA²/(2n²) = 1/(4π): Δτ = L n Δ / c over the 1.033 m tube, per 1 ps
    assert walkoff[0]["value"] == pytest.approx(1.033 * 1.5 / (4 * np.pi * 2.99792458e8) / 1e-12,
                                                rel=0.01)


def test_appendix_text_marks_neglect_and_keeps_table1_exact(capsys):
    assert main(["table1", "--appendix"]) == 0
    out = capsys.readouterr().out
    assert "VIOLATED · neglected by the paper" in out and "Paper check" in out
    assert main(["table1", "--appendix", "--format", "json"]) == 0
    table = [r for r in json.loads(capsys.readouterr().out) if r["section"] == "table1"]
    assert len(table) == 18
    assert all(r["rounded_value"] == pytest.approx(r["paper_value"], rel=1e-9) for r in table)
