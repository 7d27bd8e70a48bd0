"""Glue computed numbers into a page's prose as plain Python numbers.

Why: with numpy 2 a numpy scalar's text is 'np.float64(35.1)', which MyST-NB cannot format with a
spec such as {glue:text}`key:.1f`; plain int/float values format as expected.
"""
from __future__ import annotations

import numbers

import numpy as np


def plain(value):
    """A numpy/pandas scalar as a plain int or float (bool and int stay integers); other values unchanged."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return value


def glue_numbers(values: dict) -> dict:
    """Glue each key's value (made plain) without displaying it; returns the plain values for checking."""
    from myst_nb import glue

    plain_values = {key: plain(value) for key, value in values.items()}
    for key, value in plain_values.items():
        if isinstance(value, float) and not np.isfinite(value):
            raise ValueError(f"glue key {key!r}: value is {value}, not a finite number")
        glue(key, value, display=False)
    return plain_values
