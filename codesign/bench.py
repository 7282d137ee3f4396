"""Benchmarks reported by ``pfm-codesign bench``: figures to quote, never asserted in tests."""
from __future__ import annotations

import time

import cost_models
from cost_models.space import random_designs


def evaluation_rate(name: str, n: int = 1_000_000, params: float = 1e12, repeats: int = 3) -> dict:
    """Designs per second of one vectorised ``evaluate`` call on ``n`` random designs (best of
    ``repeats``), with the model's default assumptions."""
    model = cost_models.get(name)
    designs = random_designs(model, n, seed=0)
    assumptions = model.resolve_assumptions()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        model.evaluate(params, designs, assumptions)
        best = min(best, time.perf_counter() - start)
    return {"model": name, "designs": n, "seconds": best, "designs_per_second": n / best}
