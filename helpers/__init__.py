"""Tested functions behind the book: data loading, indices, models and figures.

Submodules are imported on demand (``from helpers.data import load``) so that a page
pays only for what it uses.
"""

import os as _os

if _os.environ.get(
    "NQPF_PAGE_INPUTS"
):  # set by the book build while it executes a page
    from helpers.inputs_record import install as _install

    _install()
