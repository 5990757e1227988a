"""The qunce library: every stage of the pipeline is a function here; the CLI only wires them.

Nothing in this package prints, exits or imports click (tests/test_architecture.py checks).
"""
