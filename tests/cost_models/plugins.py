"""Plug-ins used by the registry tests, loaded through real entry points."""
from cost_models.gpu import GPU


class GoodPlugin(GPU):
    name = "good_plugin"
    title = "A third-party platform"


NOT_A_MODEL = object()


def broken():
    raise RuntimeError("import-time failure")
