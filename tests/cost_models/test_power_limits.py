"""Power at every scale: the platforms' own heat and power caps and the shared facility."""
import pytest

import cost_models
from cost_models.facility import FACILITY_TERM
from cost_models.registry import _builtins

BUILTINS = _builtins()
DECADES = [10.0**k for k in range(9, 22)]
SLACK = 1 + 1e-9


def limited_by(model, result):
    return model.time_terms[int(result.diagnostics["time_limited_by"])]


@pytest.mark.parametrize("model", BUILTINS, ids=[m.name for m in BUILTINS])
def test_no_default_design_is_feasible_beyond_its_heat_or_power_margin(model):
    """Issue 12: at every decade from 1e9 to 1e21, no default design (of any preset) is
    feasible while drawing more than its own cap (cooling, rack feed, laser) or the facility."""
    for preset in [None, *model.presets]:
        values = model.resolve_assumptions(preset)
        for params in DECADES:
            result = model.evaluate(params, model.default_design(params, preset), values)
            if not result.feasible:
                continue
            where = f"{model.name} ({preset or 'default'}) at P = {params:g}"
            power = float(result.metrics["power"])
            capped = float(result.diagnostics.get("capped_power", power))
            assert capped <= float(result.diagnostics["power_cap"]) * SLACK, where
            assert power <= values["max_facility_power"] * SLACK, where
            assert result.diagnostics["facility_load"] <= SLACK, where


def test_a_crossbar_of_1e21_parameters_is_throttled_to_the_facility():
    """Before the facility cap: 1.33 PW on its die, feasible. The heat flux allows that much
    (the die is 3e3 m²); the site does not."""
    crossbar = cost_models.get("crossbar")
    result = crossbar.evaluate(1e21, crossbar.default_design(1e21))
    cap = crossbar.resolve_assumptions()["max_facility_power"]
    assert result.feasible
    assert limited_by(crossbar, result) == FACILITY_TERM
    assert result.metrics["power"] == pytest.approx(cap)
    assert result.diagnostics["power_cap"] > 1e3 * cap  # the heat flux alone would allow PW
    assert result.margins["facility_power"] == 0.0


#: Platforms whose default at 1e18 draws more than a 10 MW site: all but the tube, whose laser
#: is capped at ~1 kW of average power (its own time term) whatever the scale.
ELECTRICAL = [m for m in BUILTINS if m.name != "optical_tube"]


@pytest.mark.parametrize("model", ELECTRICAL, ids=[m.name for m in ELECTRICAL])
def test_a_smaller_facility_slows_the_rate_at_the_same_energy(model):
    params, cap = 1e18, 1e7  # W, the low end of the range
    design = model.default_design(params)
    free = model.evaluate(params, design)
    small = model.evaluate(params, design, model.resolve_assumptions(
        None, {"max_facility_power": "10 MW"}))
    assert free.metrics["power"] > cap
    assert limited_by(model, small) == FACILITY_TERM
    assert small.metrics["power"] <= cap * SLACK
    assert small.metrics["energy_per_inference"] <= free.metrics["energy_per_inference"]
    assert small.metrics["time_per_inference"] > free.metrics["time_per_inference"]


def test_always_on_bias_over_the_facility_is_a_margin_not_a_throttle():
    """1e19 always-on dopant networks at 1 nW draw 10 GW whatever the rate: within the heat
    flux of their 400 m² of die, but no 1 GW site feeds them."""
    semi = cost_models.get("semiconductor")
    design = {**semi.default_design(1e20), "bias_power": 1e-9, "power_gating": "off"}
    result = semi.evaluate(1e20, design)
    assert result.diagnostics["static_power"] == pytest.approx(1e10)
    assert result.margins["heat_flux"] <= 0
    assert result.margins["facility_power"] == pytest.approx(9.0, rel=1e-3)
    assert not result.feasible
    gated = semi.evaluate(1e20, {**design, "power_gating": "on"})
    assert gated.margins["facility_power"] <= 0


@pytest.mark.parametrize("model", [m for m in BUILTINS if "paper" in m.presets],
                         ids=lambda m: m.name)
@pytest.mark.parametrize("params", [1e12, 1e15, 1e18])
def test_the_paper_designs_stay_inside_the_facility(model, params):
    """The paper counts no facility; its Table 1 designs draw far less than 1 GW, so the
    default cap leaves Table 1 as it is."""
    result = model.evaluate(params, model.default_design(params, "paper"),
                            model.resolve_assumptions("paper"))
    assert limited_by(model, result) != FACILITY_TERM
    assert result.diagnostics["facility_load"] < 0.1
