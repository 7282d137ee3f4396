"""The shared workload network: shape tied to P, real-LLM shapes, the shape margin."""
import numpy as np
import pytest

from cost_models.workload import WORKLOAD_ASSUMPTIONS, Network, llm_width, paper_width

A = {a.name: a.value for a in WORKLOAD_ASSUMPTIONS}

#: (name, layers, width) of real dense LLMs, from their papers / configs.
REAL_LLMS = [("GPT-2 XL", 48, 1600), ("GPT-3 175B", 96, 12288), ("Llama-2-70B", 80, 8192),
             ("Gopher 280B", 80, 16384), ("Chinchilla 70B", 80, 8192), ("PaLM 540B", 118, 18432)]


def network(params, width):
    return Network.of(params, {"io_dimension": width}, A)


@pytest.mark.parametrize("name, layers, width", REAL_LLMS)
def test_real_llm_shapes_come_back_from_twelve_layers_d_squared(name, layers, width):
    net = network(12 * layers * width**2, width)
    assert net.layers == pytest.approx(layers)
    assert net.stages == pytest.approx(12 * layers)
    assert net.aspect_ratio == pytest.approx(width / layers)
    assert network(net.params, width).shape_margin(A) <= 0, name


def test_default_width_follows_real_llms():
    # d = (128 P / 12)^(1/3) ≈ 2.2 P^(1/3): 1e12 → 2.2e4, 1e15 → 2.2e5, 1e18 → 2.2e6
    for params in (1e12, 1e15, 1e18):
        assert llm_width(params) == pytest.approx(2.2 * params ** (1 / 3), rel=0.01)
        assert network(params, llm_width(params)).aspect_ratio == pytest.approx(128)


def test_paper_width_is_aspect_ratio_twelve_and_plausible():
    net = network(1e12, paper_width(1e12))
    assert net.aspect_ratio == pytest.approx(12)
    assert net.shape_margin(A) <= 0


def test_absurd_width_is_a_shape_violation_not_a_clip():
    net = network(1e12, 1e10)
    assert net.layers == pytest.approx(1e12 / 1e20 / 12)  # far below one layer, not clipped
    assert net.shape_margin(A) > 0


@pytest.mark.parametrize("ratio, feasible", [(9.9, False), (10.1, True), (990, True), (1010, False)])
def test_shape_margin_sign_at_the_range_edges(ratio, feasible):
    params = 1e15
    width = (ratio * params / 12) ** (1 / 3)
    assert (network(params, width).shape_margin(A) <= 0) == feasible


def test_workload_settings_come_from_assumptions():
    net = Network.of(1e12, {"io_dimension": np.array([1e4, 2e4])},
                     {**A, "tokens_per_inference": 100, "context_length": 4096, "batch_size": 8})
    assert (net.tokens, net.context, net.batch) == (100, 4096, 8)
    assert net.stages.shape == (2,)
