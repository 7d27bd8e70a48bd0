"""Configuration of every IPython kernel started from .venv; `make env` installs it as
.venv/etc/ipython/ipython_kernel_config.py (IPython reads that folder for the environment it runs in).

Why: when a kernel exits, Python's shutdown runs full garbage collections over every object the page
imported or made (pandas, matplotlib, scipy, statsmodels): 0.1-0.5 CPU-s per kernel, about a tenth of a
clean book build, spent on memory the exiting process gives back anyway. Freezing the objects at exit
(gc.freeze) makes those collections skip them. Outputs do not change; what is lost is the __del__ of objects
left in reference cycles at exit, which Python never promised to run.
"""
c = get_config()  # noqa: F821  (IPython defines get_config while it reads a configuration file)
c.IPKernelApp.exec_lines = ["import atexit, gc; atexit.register(gc.freeze); del atexit, gc"]
