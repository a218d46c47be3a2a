"""Versioned assessment frameworks: criteria as YAML, one evaluator function per criterion family.

``models`` is the strict shape of a framework file, ``loader`` reads and validates one,
``evaluators`` holds the functions that decide criteria (their docstrings are the explanations
users see), ``outcome`` combines findings and the risk tier into a decision.
"""
