"""Execute MyST pages top to bottom in fresh kernels, in parallel, without any cache.

    python tools/run_pages.py [--jobs N] [--timeout S] [--write-ipynb] [--json] PAGE.md ...

Each page is read with jupytext (as Binder and a downloaded notebook see it) and run in a new
python3 kernel with its own folder as working directory. Pages run in forked processes under the
same stall watchdog as the book build (book/_ext/parallel_execute.py): a page where no cell finishes
for timeout + 30 s is killed and tried once more. Used by `make replicate` and by the Binder test.
Exit status 1 if any page failed.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STALL_GRACE = 30


def load_watchdog():
    """The run_pages() runner of book/_ext/parallel_execute.py (loaded by path: book/_ext is not a package)."""
    spec = importlib.util.spec_from_file_location("parallel_execute", ROOT / "book" / "_ext" / "parallel_execute.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.run_pages


def execute_page(sender, path: Path, timeout: int, write_ipynb: bool) -> None:
    """Child process: convert one page with jupytext, optionally save it as .ipynb, execute it, report."""
    import jupytext
    import nbclient
    import nbformat

    def progress(cell, cell_index, execute_reply):
        sender.send({"cell": cell_index})

    os.environ["NQPF_WRITE_OUTPUTS"] = "1"  # the kernel inherits it: pages write outputs/ (helpers/outputs.py)
    notebook = jupytext.read(path)
    if write_ipynb:
        nbformat.write(notebook, path.with_suffix(".ipynb"))
    started = time.perf_counter()
    try:
        nbclient.NotebookClient(notebook, timeout=timeout, kernel_name="python3", on_cell_executed=progress,
                                resources={"metadata": {"path": str(path.parent)}}).execute()
        error = None
    except Exception as exc:  # noqa: BLE001  (any failure is this page's result, reported to the parent)
        error = f"{type(exc).__name__}: {str(exc)[-2000:]}"
    sender.send({"seconds": time.perf_counter() - started, "error": error})
    sender.close()


def run(pages: list[Path], jobs: int, timeout: int, write_ipynb: bool = False, log=print) -> list[dict]:
    """Execute every page; one result per page: page, seconds, error (None if it ran cleanly)."""
    run_pages = load_watchdog()
    todo = {Path(page).resolve(): (Path(page).resolve(), timeout, write_ipynb) for page in pages}
    outcomes = run_pages(todo, execute_page, jobs, float(timeout + STALL_GRACE), log=log)
    return [{"page": str(path), **outcomes[path]} for path in todo]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=int, default=60, help="seconds a cell may run (the slowest takes ~10 s)")
    parser.add_argument("--write-ipynb", action="store_true", help="also save each page as .ipynb beside it")
    parser.add_argument("--json", action="store_true", help="print the results as JSON on the last line")
    args = parser.parse_args(argv)
    log = (lambda message: print(message, file=sys.stderr, flush=True)) if args.json else print
    results = run(args.pages, args.jobs, args.timeout, args.write_ipynb, log=log)
    if args.json:
        print(json.dumps(results))
    return 1 if any(r["error"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
