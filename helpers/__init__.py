"""Tested functions behind the book: data loading, indices, models and figures.

Submodules are imported on demand (``from helpers.data import load``) so that a page
pays only for what it uses.
"""
