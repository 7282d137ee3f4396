"""Studies: study files (parse, validate) and the runner that searches every platform at every
scale and writes the outputs."""
from codesign._lazy import lazy_exports

__getattr__, __all__ = lazy_exports(__name__, {
    "Study": "studyfile", "load_study": "studyfile", "run_study": "runner",
})
