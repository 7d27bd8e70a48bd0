"""Command-line entry point: `python -m helpers <command> ...`.

Commands are registered in COMMANDS (name -> (help, add_arguments, run)); add new ones
there.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_validate_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `validate`: an optional data folder."""
    parser.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        default=None,
        help="data folder to check (default: the project's data/)",
    )


def run_validate(args: argparse.Namespace) -> int:
    """Check a data folder against its datapackage.json; print every issue; 0 if clean,
    1 otherwise.
    """
    from helpers.data.descriptor import resolve_data_dir
    from helpers.data.validate import validate_package

    data_dir = resolve_data_dir(args.data_dir)
    issues = validate_package(data_dir)
    if not issues:
        print(f"OK: {data_dir} matches {data_dir / 'datapackage.json'}")
        return 0
    for issue in issues:
        print(issue, file=sys.stderr)
    print(f"FAILED: {len(issues)} problem(s) in {data_dir}", file=sys.stderr)
    return 1


COMMANDS = {
    "validate": (
        "check data/ against its descriptor (files, checksums, columns, types, "
        "ranges, keys)",
        add_validate_arguments,
        run_validate,
    ),
}


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, add_arguments, _run) in COMMANDS.items():
        add_arguments(commands.add_parser(name, help=help_text, description=help_text))
    args = parser.parse_args(argv)
    return COMMANDS[args.command][2](args)


if __name__ == "__main__":
    raise SystemExit(main())
