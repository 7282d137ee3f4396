"""The samplers a search accepts, by name: importable without Optuna, so that ``--help`` and
study-file validation can list them cheaply."""

SAMPLERS = ("nsga2", "nsga3", "tpe", "random", "qmc", "gp")
