"""Execute MyST pages top to bottom in fresh kernels, without any cache, a few at a
time.

    python -m tools.run_pages [--jobs N] [--timeout S] [--write-ipynb] [--json]
        PAGE.md ...

Each page is read with jupytext (as Binder and a downloaded notebook see it) and run by
nbclient in a new python3 kernel with the page's folder as working directory; cells
tagged `skip-execution` (the live explorers) are skipped, as in the book build. Used by
the Binder test, which checks that every page runs in an environment built from the
Binder files alone. Exit status 1 if any page failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def execute_notebook(notebook, folder: Path, timeout: int) -> None:
    """Execute a notebook in place in a fresh python3 kernel whose working directory is
    `folder`.

    The kernel is reached through socket files in a private temporary folder (IPC), not
    TCP ports: jupyter_client picks free ports and releases them before the kernel binds
    them, so a kernel started at the same moment by another process (a second pytest
    worker, --jobs) can take them and this one dies with "Address already in use"
    (jupyter/jupyter_client#487).
    """
    import nbclient
    from traitlets.config import Config

    with tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = os.path.join(sockets, "kernel")
        nbclient.NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            config=config,
            resources={"metadata": {"path": str(folder)}},
        ).execute()


def execute_page(path: Path, timeout: int, write_ipynb: bool) -> dict:
    """Convert one page with jupytext, optionally save it as .ipynb beside it, execute
    it; page, seconds, error.
    """
    import jupytext
    import nbformat

    notebook = jupytext.read(path)
    if write_ipynb:
        nbformat.write(notebook, path.with_suffix(".ipynb"))
    started = time.perf_counter()
    try:
        execute_notebook(notebook, path.parent, timeout)
        error = None
    except Exception as exc:  # noqa: BLE001  (any failure is this page's result)
        error = f"{type(exc).__name__}: {str(exc)[-2000:]}"
    return {"page": str(path), "seconds": time.perf_counter() - started, "error": error}


def run(
    pages: list[Path], jobs: int, timeout: int, write_ipynb: bool = False, log=print
) -> list[dict]:
    """Execute every page, `jobs` at a time; one result per page, in the order given."""
    paths = [Path(page).resolve() for page in pages]
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [
            pool.submit(execute_page, path, timeout, write_ipynb) for path in paths
        ]
        results = []
        for future in futures:
            result = future.result()
            status = "ok" if result["error"] is None else "FAILED"
            log(
                f"run_pages: {result['seconds']:6.1f} s {status:6} "
                f"{Path(result['page']).name}"
            )
            results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--timeout", type=int, default=120, help="seconds a cell may run"
    )
    parser.add_argument(
        "--write-ipynb",
        action="store_true",
        help="also save each page as .ipynb beside it",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the results as JSON on the last line"
    )
    args = parser.parse_args(argv)
    log = (
        (lambda message: print(message, file=sys.stderr, flush=True))
        if args.json
        else print
    )
    results = run(args.pages, args.jobs, args.timeout, args.write_ipynb, log=log)
    if args.json:
        print(json.dumps(results))
    return 1 if any(r["error"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
