"""Co-design search, studies, exports and the command line of pfm-codesign.

Layers, each importing only those before it: ``platform`` and ``outputs.schema``/``formats``
(leaves) → ``points`` (one design) → ``search`` (Optuna studies, reference fronts, storage) →
``uncertainty`` (bands, win probabilities and sensitivity under the assumptions' ranges) →
``outputs`` (export, results, figures) → ``studies`` (study files, runner) → ``explore`` (the
app-facing API) → ``cli`` and ``app``. Importing ``codesign`` loads none of them.
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pfm-codesign")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
