"""Rebuild data/ from a folder of input files that matches sources/inputs.csv
(developers and replicators).

    .venv/bin/python tools/import_sources.py --sources FOLDER [--data-dir data]
    .venv/bin/python tools/import_sources.py --fetch FOLDER # download the plain-copy
    inputs first

The import refuses to run (exit 2, naming each file) when a listed input is missing or
its SHA-256 differs, and when it reads a file the list does not name. It writes tidy
CSVs, copies raw files byte for byte to data/raw/, and writes data/datapackage.json with
a SHA-256 for every file; the same inputs give the same bytes. The book, the helpers and
the tests never run this: they read data/ through helpers.data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [
    str(ROOT / "tools"),
    str(ROOT),
]  # importers package; helpers without `pip install -e .`

from importers import common, inputs  # noqa: E402
from importers.package import build_resources, write_package  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Verify the inputs, rebuild data/, and check that exactly the listed inputs were
    read.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--sources",
        type=Path,
        help="folder of inputs laid out as sources/inputs.csv lists them",
    )
    where.add_argument(
        "--fetch",
        type=Path,
        help="download the inputs that are copies of pinned upstream files "
        "into this folder, then import from it",
    )
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    parser.add_argument(
        "--record",
        action="store_true",
        help="rewrite sources/inputs.csv from the files read "
        "(only after a deliberate change of inputs; review the diff)",
    )
    args = parser.parse_args(argv)
    sources = args.sources or args.fetch
    try:
        if args.fetch:
            cannot = inputs.fetch(args.fetch)
            if cannot:
                raise inputs.InputError(
                    f"{len(cannot)} input(s) are not plain copies of an upstream file "
                    f"and cannot be fetched; copy them into {args.fetch} from the "
                    "gathered sources (README, data section):\n  " + "\n  ".join(cannot)
                )
        if not args.record:
            inputs.verify(sources)
        resources = build_resources(sources)
        if args.record:
            previous = (
                {
                    i.path: (
                        i.upstream_repository,
                        i.upstream_commit,
                        i.upstream_path,
                        i.relation,
                        i.note,
                    )
                    for i in inputs.recorded()
                }
                if inputs.INPUTS_FILE.is_file()
                else {}
            )
            inputs.record(sources, common.INPUTS_USED, previous)
        inputs.check_used(sources, common.INPUTS_USED)
    except inputs.InputError as err:
        print(f"make data: {err}", file=sys.stderr)
        return 2
    write_package(resources, args.data_dir)
    print(
        f"wrote {len(resources)} resources to {args.data_dir} from "
        f"{len(common.INPUTS_USED)} verified inputs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
