"""Pareto filter, log-normalised hypervolume and the exact reference front: properties that a
wrong comparison, sign or constant breaks."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import cost_models
from codesign.search.pareto import (MIN_SPAN, REFERENCE_MARGIN, hypervolume_ratio, log_hypervolume,
                                    nondominated)
from codesign.search.reference import reference_front, spread_indices, spread_sample
from codesign.search.space import SearchSpace

OBJECTIVES = ["energy_per_inference", "latency"]


def dominated_by_another(points: np.ndarray, i: int) -> bool:
    others = np.delete(points, i, axis=0)
    return bool(np.any(np.all(others <= points[i], axis=1) & np.any(others < points[i], axis=1)))


@settings(max_examples=200, deadline=None)
@given(arrays(float, st.tuples(st.integers(0, 12), st.integers(2, 3)),
              elements=st.integers(0, 4).map(float)))
def test_nondominated_keeps_exactly_the_rows_no_other_row_dominates(points):
    """Small integer grids: ties and duplicates are common (duplicates of a front row stay)."""
    mask = nondominated(points)
    assert mask.dtype == bool and mask.shape == (len(points),)
    assert list(mask) == [not dominated_by_another(points, i) for i in range(len(points))]


def test_hypervolume_of_one_point_is_the_box_to_the_reference_point():
    ideal, nadir = np.zeros(2), np.ones(2)  # log10 bounds: values 1 … 10
    assert log_hypervolume(np.array([[1.0, 1.0]]), ideal, nadir) == pytest.approx(REFERENCE_MARGIN ** 2)
    # 10**0.5 sits half way: (1.1 - 0.5) × (1.1 - 1)
    assert log_hypervolume(np.array([[10 ** 0.5, 10.0]]), ideal, nadir) == pytest.approx(0.6 * 0.1)
    assert log_hypervolume(np.array([[10.0, 1.0]]), ideal, np.array([2.0, 1.0])) == \
        pytest.approx(0.6 * 1.1)  # one decade of a two-decade span: half way


def test_points_beyond_the_reference_point_add_nothing():
    ideal, nadir = np.zeros(2), np.ones(2)
    inside = np.array([[1.0, 1.0]])
    beyond = np.array([[1.0, 10 ** 1.2], [10 ** 1.1, 1.0]])  # at or past 1.1 in one objective
    assert log_hypervolume(beyond, ideal, nadir) == 0.0
    assert log_hypervolume(np.vstack([inside, beyond]), ideal, nadir) == \
        pytest.approx(log_hypervolume(inside, ideal, nadir))
    assert log_hypervolume(np.zeros((0, 2)), ideal, nadir) == 0.0


def test_a_degenerate_objective_is_normalised_by_the_minimum_span():
    """An objective constant along the front: a design MIN_SPAN / 2 decades worse sits half way."""
    ideal, nadir = np.zeros(2), np.array([1.0, 0.0])
    half = np.array([[1.0, 10 ** (MIN_SPAN / 2)]])
    assert log_hypervolume(half, ideal, nadir) == pytest.approx(1.1 * 0.6)


def test_hypervolume_ratio_of_a_front_to_itself_and_to_worse_and_better_fronts():
    reference = np.array([[1.0, 10.0], [10.0, 1.0]])  # normalised (0, 1) and (1, 0): HV 0.21
    assert hypervolume_ratio(reference, reference) == pytest.approx(1.0)
    assert hypervolume_ratio(np.array([[10.0, 10.0]]), reference) == pytest.approx(0.01 / 0.21)
    assert hypervolume_ratio(np.array([[1.0, 1.0]]), reference) == pytest.approx(1.21 / 0.21)
    assert hypervolume_ratio(reference[:1], reference) == pytest.approx(0.11 / 0.21)


@settings(max_examples=50, deadline=None)
@given(arrays(float, st.tuples(st.integers(1, 8), st.just(2)), elements=st.floats(0.0, 3.0)),
       arrays(float, st.tuples(st.integers(1, 8), st.just(2)), elements=st.floats(0.0, 3.0)),
       st.floats(-20.0, 20.0), st.floats(-20.0, 20.0))
def test_hypervolume_ratio_does_not_depend_on_units(front, reference, shift_x, shift_y):
    """Joules or picojoules: scaling an objective of both fronts by 10**shift changes nothing."""
    scale = 10 ** np.array([shift_x, shift_y])
    assert hypervolume_ratio(10 ** front * scale, 10 ** reference * scale) == \
        pytest.approx(hypervolume_ratio(10 ** front, 10 ** reference), rel=1e-9, abs=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.0, 3.0), min_size=2, max_size=30, unique=True), st.integers(1, 40))
def test_spread_indices_walk_the_front_from_end_to_end(logs, count):
    """A front on the line log y = 3 − log x: picks are distinct, ordered along the front, start
    and end at its ends and number min(count, n) when the points are evenly spaced."""
    x = 10 ** np.array(logs)
    front = np.column_stack([x, 1e3 / x])
    picks = spread_indices(front, count)
    assert len(set(picks)) == len(picks) <= min(count, len(x))
    assert list(np.diff(x[picks]) > 0) == [True] * (len(picks) - 1)
    assert x[picks[0]] == x.min()
    if count >= 2:
        assert x[picks[-1]] == x.max()


def test_spread_indices_of_an_evenly_spaced_front_are_evenly_spaced():
    x = 10 ** np.linspace(0, 2, 21)
    front = np.column_stack([x, 100 / x])[::-1]  # given in reverse order
    assert list(spread_indices(front, 5)) == [20, 15, 10, 5, 0]
    assert list(spread_indices(front, 0)) == [] and list(spread_indices(front[:0], 5)) == []


@pytest.fixture(scope="module")
def crossbar_front():
    model = cost_models.get("crossbar")
    space = SearchSpace.build(model)
    assumptions = model.resolve_assumptions("parasitic_n1")  # not the defaults: they must reach it
    return space, assumptions, reference_front(space, 1e12, OBJECTIVES, assumptions, samples=2**12)


def test_reference_front_is_feasible_and_its_values_are_the_models(crossbar_front):
    space, assumptions, front = crossbar_front
    evaluation = space.model.evaluate(1e12, front.designs, assumptions)
    assert np.all(evaluation.feasible)
    values = np.column_stack([evaluation.metrics[o] for o in OBJECTIVES])
    np.testing.assert_array_equal(values, front.objectives)
    assert nondominated(front.objectives).all()
    assert len(np.unique(front.objectives, axis=0)) == len(front.objectives) >= 5
    for v in space.free:  # local steps stay inside the design space
        assert np.all((front.designs[v.name] >= v.low) & (front.designs[v.name] <= v.high)), v.name


def test_no_design_of_the_first_sample_dominates_the_reference_front(crossbar_front):
    """The local refinement keeps only improvements: the front weakly dominates every feasible
    design of the plain Sobol sample it started from."""
    space, assumptions, front = crossbar_front
    evaluation = space.model.evaluate(1e12, space.sobol(2**12, 0), assumptions)
    sample = np.column_stack([evaluation.metrics[o] for o in OBJECTIVES])[evaluation.feasible]
    assert nondominated(np.vstack([front.objectives, sample]))[:len(front.objectives)].all()


def test_refinement_improves_on_the_sobol_sample(crossbar_front):
    space, assumptions, front = crossbar_front
    evaluation = space.model.evaluate(1e12, space.sobol(2**12, 0), assumptions)
    sample = np.column_stack([evaluation.metrics[o] for o in OBJECTIVES])[evaluation.feasible]
    assert hypervolume_ratio(sample[nondominated(sample)], front.objectives) < 1.0


def test_spread_sample_gives_plain_designs_of_the_front(crossbar_front):
    space, assumptions, front = crossbar_front
    designs = spread_sample(front, 4)
    assert len(designs) == 4
    assert all(type(value) is float for design in designs for value in design.values())
    picks = spread_indices(front.objectives, 4)
    assert [d["tile_size"] for d in designs] == [float(front.designs["tile_size"][i]) for i in picks]


def test_a_fully_fixed_space_has_a_one_design_front():
    model = cost_models.get("crossbar")
    fixed = {v.name: v.default_at(1e12) for v in model.design_variables}
    space = SearchSpace.build(model, fixed=fixed)
    front = reference_front(space, 1e12, OBJECTIVES, model.resolve_assumptions("parasitic_n4"),
                            samples=64)
    assert len(front.objectives) == 1
