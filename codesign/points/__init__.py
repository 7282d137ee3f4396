"""Single design points: parse a user's scale and assignments, evaluate one design, compare
every platform at a few scales, and the paper's Table 1 cell by cell."""
from codesign._lazy import lazy_exports

__getattr__, __all__ = lazy_exports(__name__, {
    "evaluate_point": "evaluate", "parse_params": "evaluate", "compare_records": "compare",
    "table1_records": "table1",
})
