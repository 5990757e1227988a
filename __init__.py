"""群策 qunce: plans, diagnoses and runs online communities from one YAML plan."""

__version__ = "0.1.0"
