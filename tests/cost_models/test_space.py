"""The unit cube onto a design space: every rule (linear, log, int, log-int, choice) lands
inside the declared range and covers it, and fixed values fill the rest."""
import numpy as np
import pytest

import cost_models
from cost_models.base import DesignVariable
from cost_models.space import designs_from_unit_cube, random_designs

EDGES = np.array([0.0, 0.5, 1 - 1e-12])


def test_linear_float_maps_ends_and_middle():
    v = DesignVariable("x", "m", "x", 1.0, low=1.0, high=3.0)
    np.testing.assert_allclose(v.from_unit_interval(EDGES), [1.0, 2.0, 3.0], rtol=1e-9)


def test_log_float_maps_the_middle_to_the_geometric_mean():
    v = DesignVariable("x", "m", "x", 1.0, low=1e-3, high=1e3, log=True)
    np.testing.assert_allclose(v.from_unit_interval(EDGES), [1e-3, 1.0, 1e3], rtol=1e-9)


def test_int_gives_every_value_equal_share():
    v = DesignVariable("k", "", "k", 2, low=1, high=4, kind="int")
    u = (np.arange(4000) + 0.5) / 4000
    values, counts = np.unique(v.from_unit_interval(u), return_counts=True)
    np.testing.assert_array_equal(values, [1, 2, 3, 4])
    np.testing.assert_array_equal(counts, [1000] * 4)


def test_log_int_reaches_both_ends_and_stays_whole():
    v = DesignVariable("n", "", "n", 64, low=16, high=4096, log=True, kind="int")
    values = v.from_unit_interval(np.linspace(0, 1 - 1e-12, 10001))
    assert values.min() == 16 and values.max() == 4096
    np.testing.assert_array_equal(values, np.round(values))
    # log-uniform: the geometric middle (256) splits the samples in half
    assert abs(np.mean(values < 256) - 0.5) < 0.01


def test_categorical_splits_the_interval_evenly():
    v = DesignVariable("c", "", "c", "a", kind="categorical", choices=("a", "b", "c"))
    np.testing.assert_array_equal(v.from_unit_interval(np.array([0.0, 0.34, 0.67, 1 - 1e-12])),
                                  ["a", "b", "c", "c"])


def test_columns_meet_variables_in_order_and_fixed_values_fill_the_rest():
    a = DesignVariable("a", "m", "a", 1.0, low=0.0, high=1.0)
    b = DesignVariable("b", "m", "b", 1.0, low=10.0, high=20.0)
    designs = designs_from_unit_cube([a, b], np.array([[0.25, 0.5], [0.5, 0.0]]),
                                     {"c": 7.0, "d": "on"})
    np.testing.assert_allclose(designs["a"], [0.25, 0.5])
    np.testing.assert_allclose(designs["b"], [15.0, 10.0])
    np.testing.assert_array_equal(designs["c"], [7.0, 7.0])
    assert designs["d"].dtype == object and list(designs["d"]) == ["on", "on"]


def test_a_cube_of_the_wrong_width_is_refused():
    a = DesignVariable("a", "m", "a", 1.0, low=0.0, high=1.0)
    with pytest.raises(ValueError, match=r"expected an \(n, 1\) array for \['a'\]"):
        designs_from_unit_cube([a], np.zeros((3, 2)))


def test_random_designs_cover_the_declared_ranges_and_honour_fixed_values():
    model = cost_models.get("gpu")
    designs = random_designs(model, 2000, seed=1, fixed={"weight_precision": "4 bit"})
    assert set(designs) == {v.name for v in model.design_variables}
    np.testing.assert_array_equal(designs["weight_precision"], 4.0)
    bits = model.variable("io_precision")
    assert designs["io_precision"].min() == bits.low and designs["io_precision"].max() == bits.high
    width = model.variable("io_dimension")
    assert designs["io_dimension"].min() < 100 and 1e9 < designs["io_dimension"].max() <= width.high
