"""Co-design search, exports and the command line of pfm-codesign."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pfm-codesign")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
