"""Every built-in model passes the package's conformance suite."""
import cost_models
from cost_models.testing import CostModelConformance


class TestOpticalTube(CostModelConformance):
    model = cost_models.get("optical_tube")


class TestCrossbar(CostModelConformance):
    model = cost_models.get("crossbar")


class TestResistorNetwork(CostModelConformance):
    model = cost_models.get("resistor_network")


class TestSemiconductor(CostModelConformance):
    model = cost_models.get("semiconductor")


class TestDigitalROM(CostModelConformance):
    model = cost_models.get("digital_rom")


class TestGPU(CostModelConformance):
    model = cost_models.get("gpu")
