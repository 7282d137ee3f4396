"""Every built-in model passes the package's conformance suite."""
import cost_models
from cost_models.testing import CostModelConformance


class TestOpticalTube(CostModelConformance):
    model = cost_models.get("optical_tube")


class TestGPU(CostModelConformance):
    model = cost_models.get("gpu")
