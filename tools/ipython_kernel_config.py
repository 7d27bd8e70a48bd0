"""Configuration of every IPython kernel started from .venv; `make env` installs it as
.venv/etc/ipython/ipython_kernel_config.py (IPython reads that folder for the
environment it runs in).

Both settings cut what Python's cyclic garbage collector costs a page's kernel, without
changing any output:
- Full collections at most once per 100 middle-generation collections (Python's default:
  10). A page's imports (pandas, matplotlib, scipy, statsmodels) create some 150,000
  long-lived objects, and each full collection walks all of them again: 2-4 of them per
  page, 0.1-0.3 CPU-s. Young garbage is still collected as often as before.
- No collection at exit: when the kernel ends, Python's shutdown runs full collections
  over every object the page imported or made (0.1-0.5 CPU-s per kernel), on memory the
  exiting process gives back anyway. Freezing the objects at exit (gc.freeze) makes
  those collections skip them; what is lost is the __del__ of objects left in reference
  cycles at exit, which Python never promised to run.
Together about a sixth of a clean book build's CPU time.
"""

c = get_config()  # noqa: F821  (IPython defines get_config while it reads a configuration file)
c.IPKernelApp.exec_lines = [
    "import atexit, gc; gc.set_threshold(700, 10, 100); atexit.register(gc.freeze); "
    "del atexit, gc",
]
