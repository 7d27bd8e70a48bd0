"""Interactive explorers: tested callbacks (data in, frame or figure out) and their
ipywidgets wiring.

- ``index_builder``: choose indicators and a weighting, see rankings and trajectories;
- ``province``: one province against the national and regional paths;
- ``scenario``: move a lever and read the implied change in the outcome, with its
  interval;
- ``widgets``: the controls that call the three above (import it only where widgets are
  shown);

A page shows each explorer's default state as a static figure drawn by an executed cell;
the cell that makes the widgets carries nbclient's ``skip-execution`` tag, so the book
build skips it and a reader's kernel runs it.
"""
