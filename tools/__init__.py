"""The project's command-line tools, run as modules from the project root: `python -m
tools.replicate`.
"""
