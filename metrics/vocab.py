"""Closed vocabularies of the data contract (ARCHITECTURE.md). Units live in units.py."""
KINDS = ("actual", "cumulative", "stock", "target", "policy_parameter", "threshold", "record", "growth_rate", "count")
QUALIFIERS = ("exact", "at_least", "at_most", "approx")
QUALIFIER_SYMBOLS = {"exact": "", "at_least": "≥", "at_most": "≤", "approx": "≈"}
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
