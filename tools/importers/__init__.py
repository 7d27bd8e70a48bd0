"""Rebuild data/ from a folder of input files, one module per source.

    make data SOURCES=folder
        (or: .venv/bin/python tools/import_sources.py --sources folder)
    make data FETCH=1
        (first downloads the inputs that are plain copies of pinned upstream files)

The inputs are listed in sources/inputs.csv (path under the folder, SHA-256, size,
upstream repository, commit and path); the import refuses to run when a listed file is
missing or differs, and when it reads a file the list does not name. Facts decided by
reading the sources (series breaks, conflicts, flags, notes on national rows, provinces)
are data files in sources/curated/. Nothing is interpolated or filled.

Modules: common (schema fields, sources, CSV writing, province codes), curated
(sources/curated/*.csv), inputs (the recorded list: verify, fetch, record), provinces,
figure1, national, metadata (breaks, conflicts, flags), income, nbs, techme, energy,
digital_transport, checks (cross-source checks and the flags they produce), raw (files
kept as obtained), package (write data/ and datapackage.json).
"""
