"""Interactive explorers: tested callbacks (data in, frame or figure out) and their ipywidgets wiring.

- ``index_builder``: choose indicators and a weighting, see rankings and trajectories;
- ``province``: one province against the national and regional paths;
- ``scenario``: move a lever and read the implied change in the outcome, with its interval;
- ``widgets``: the controls that call the three above (import it only where widgets are shown);
- ``fallback``: the note that tells a reader of the static site how to make an explorer live.
"""
