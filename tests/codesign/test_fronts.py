"""Fronts that say where they stand, and fronts that trade energy for model quality."""
import numpy as np
import pytest

import cost_models
from codesign.search.reference import SEED_SAMPLES, reference_front
from codesign.search.space import SearchSpace

BUILT_IN = [("optical_tube", None), ("crossbar", "parasitic_n4"), ("resistor_network", None),
            ("semiconductor", None), ("digital_rom", None), ("gpu", "b200")]


def test_at_bound_names_free_variables_on_their_searched_range():
    space = SearchSpace.build(cost_models.get("crossbar"), fixed={"wire_width": "40 nm"},
                              ranges={"tile_size": [64, 1024]})
    designs = {"tile_size": np.array([64, 300, 1024, 1000]),
               "io_dimension": np.array([1e4, 1e4, 16, 1e4]),
               "io_precision": np.array([8, 16, 8, 2]),
               "weight_precision": np.array([8, 8, 1, 8])}
    assert space.at_bound(designs, 4) == [
        "tile_size=low", "io_precision=high",
        "tile_size=high;io_dimension=low;weight_precision=low",
        "tile_size=high;io_precision=low"]  # 1000 lies within 1 % of the log range of 1024


@pytest.mark.parametrize("model, preset", BUILT_IN, ids=[m for m, _ in BUILT_IN])
def test_energy_against_loss_front_spans_precisions(model, preset):
    """Issue 11: at 1e12 an energy-vs-model_loss front holds ≥ 10 distinct designs over ≥ 3
    weight or I/O precisions (the exact reference front that seeds every search)."""
    cost_model = cost_models.get(model)
    space = SearchSpace.build(cost_model)
    front = reference_front(space, 1e12, ["energy_per_inference", "model_loss"],
                            cost_model.resolve_assumptions(preset), samples=SEED_SAMPLES)
    names = [v.name for v in space.free]
    distinct = {tuple(front.designs[n][i] for n in names) for i in range(len(front.objectives))}
    precisions = max(len(set(front.designs["weight_precision"])),
                     len(set(front.designs["io_precision"])))
    assert len(distinct) >= 10 and precisions >= 3
    assert np.ptp(front.objectives[:, 1]) > 0  # a trade-off, not one loss


def test_summary_warns_when_a_front_leans_on_a_bound():
    import pandas as pd

    from codesign.outputs.results import front_limits_markdown

    trials = pd.DataFrame({
        "variant": ["A", "A", "A", "B"], "params": [1e12, 1e12, 1e15, 1e12],
        "pareto": [True, True, True, False],
        "at_bound": ["io_precision=low", "io_precision=low;tile_size=high", "", "wire_width=low"],
        "binding": ["", "shape", "", ""]})
    lines = front_limits_markdown(trials)
    assert ("- ⚠ A: Pareto designs at a range bound: io_precision=low in 2 of 3 (P = 1e+12); "
            "tile_size=high in 1 of 3 (P = 1e+12)") in lines
    assert "- A: Pareto designs on a margin (within 1 %): shape in 1 of 3 (P = 1e+12)" in lines
    assert not any("B" in line for line in lines)  # B's only design is off the front
