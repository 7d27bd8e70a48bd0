"""Execute the book's pages in parallel into MyST-NB's execution cache, before `jupyter-book build`.

MyST-NB executes notebooks one after another inside the Sphinx build; on a small machine almost all of
that time is kernel start-up and imports, which parallel processes overlap. This script stages every
toc page in the same jupyter-cache project MyST-NB uses (same reader, so the same notebook hash), runs
the pages that have no cached result in a process pool, and stores the executed notebooks. The build
then finds every page in the cache ("Using cached notebook") and executes nothing.

A page that fails is reported here with its traceback and left uncached, so the build runs it again
and stops with MyST-NB's usual error: failure handling stays with the build.

    .venv/bin/python tools/prefill_cache.py [--jobs N] [--force]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from multiprocessing.connection import wait
from pathlib import Path

import yaml
# Imported here, in the parent, so the forked pool workers inherit them instead of paying the import
# (nbformat's schema validation stack takes about a second to import) once per worker.
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.cache.db import NbProjectRecord
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.read import is_myst_markdown_notebook

ROOT = Path(__file__).resolve().parents[1]
# The reader MyST-NB registers for MyST Markdown notebooks (entry point jcache.readers:myst_nb_md);
# staging with it makes jupyter-cache hash exactly the notebook MyST-NB will look up.
MYST_READER = {"name": "myst_nb_md", "type": "plugin"}
RUNTIMES_FILE = "_build/.page-runtimes.json"


def toc_pages(root: Path) -> list[Path]:
    """Source files of every page in _toc.yml (root first), in toc order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    chapters = [c for part in toc.get("parts", []) for c in part["chapters"]] + toc.get("chapters", [])
    names = [toc["root"]] + [c["file"] for c in chapters]
    return [source_file(root, name) for name in names]


def source_file(root: Path, name: str) -> Path:
    """The .md or .ipynb file behind a toc entry (entries are written without suffix)."""
    for suffix in (".md", ".ipynb"):
        if (root / f"{name}{suffix}").is_file():
            return root / f"{name}{suffix}"
    raise FileNotFoundError(f"_toc.yml lists {name!r} but neither {name}.md nor {name}.ipynb exists")


def execution_settings(root: Path) -> dict:
    """Cache path and timeout from _config.yml's execute section, with Jupyter Book's defaults."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    execute = config.get("execute", {}) or {}
    return {
        "mode": execute.get("execute_notebooks", "auto"),
        "cache": root / execute.get("cache", "_build/.jupyter_cache"),
        "timeout": execute.get("timeout", 30),
    }


def is_notebook(path: Path) -> bool:
    """True for .ipynb files and for Markdown files with a jupytext/MyST-NB header (MyST-NB's own test)."""
    if path.suffix == ".ipynb":
        return True
    return is_myst_markdown_notebook(path.read_text(encoding="utf-8"))


def stage(cache, pages: list[Path]) -> dict[str, int]:
    """Add every page to the cache project with MyST-NB's reader; return uri -> project record id."""
    records = {}
    for page in pages:
        read_data = MYST_READER if page.suffix == ".md" else None
        record = cache.add_nb_to_project(str(page), read_data=read_data) if read_data else \
            cache.add_nb_to_project(str(page))
        records[record.uri] = record.pk
    return records


def longest_first(uris: list[str], runtimes: dict[str, float]) -> list[str]:
    """Order pages by their last known runtime, longest first, so the pool finishes together."""
    return sorted(uris, key=lambda uri: (-runtimes.get(uri, float("inf")), uri))


def execute_page(cache_path: str, pk: int, timeout: int) -> dict:
    """Execute one staged page in a fresh kernel (cwd = its folder, as MyST-NB does) and cache it."""
    cache = get_cache(cache_path)
    project_nb = cache.get_project_notebook(pk)
    result = single_nb_execution(project_nb.nb, cwd=str(Path(project_nb.uri).parent), timeout=timeout,
                                 allow_errors=False, meta_override=True)
    if result.err is not None:
        NbProjectRecord.set_traceback(project_nb.uri, result.exc_string, cache.db)
        return {"uri": project_nb.uri, "seconds": result.time, "error": result.exc_string}
    cache.cache_notebook_bundle(CacheBundleIn(result.nb, project_nb.uri, data={"execution_seconds": result.time}),
                                check_validity=False, overwrite=True)
    return {"uri": project_nb.uri, "seconds": result.time, "error": None}


def page_worker(sender, cache_path: str, pk: int, uri: str, timeout: int) -> None:
    """Child process: execute one page and send the outcome back through the pipe."""
    try:
        outcome = execute_page(cache_path, pk, timeout)
    except Exception as exc:  # noqa: BLE001  (whatever goes wrong is reported for this page only)
        outcome = {"uri": uri, "seconds": 0.0, "error": f"{type(exc).__name__}: {exc}"}
    sender.send(outcome)
    sender.close()


def kill_tree(process) -> None:
    """Kill a worker and everything it started (its kernel runs in a session of its own)."""
    import psutil

    try:
        family = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    for member in family:
        member.kill()
    process.kill()
    process.join()


def report(outcome: dict) -> None:
    """Print one finished page: status, seconds, path."""
    status = "FAILED" if outcome["error"] else "ok"
    print(f"prefill: {status:6} {outcome['seconds']:6.2f} s  {Path(outcome['uri']).relative_to(ROOT)}", flush=True)


def run_pool(cache_path: Path, records: dict[str, int], order: list[str], jobs: int, timeout: int) -> list[dict]:
    """Execute the pages in `order`, `jobs` at a time, one process each; print each as it finishes.

    A page that runs longer than the cell timeout is killed and tried once more: an ipykernel 7
    kernel can, rarely, go idle without answering (the client then waits forever despite its
    timeouts), and a fresh kernel does not repeat it.
    """
    context = multiprocessing.get_context("fork")
    pending, running, results, attempts = list(order), {}, [], {uri: 0 for uri in order}
    while pending or running:
        while pending and len(running) < jobs:
            uri = pending.pop(0)
            attempts[uri] += 1
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=page_worker, args=(sender, str(cache_path), records[uri], uri, timeout))
            process.start()
            sender.close()
            running[uri] = (process, receiver, time.monotonic())
        wait([receiver for _, receiver, _ in running.values()], timeout=1.0)
        for uri, (process, receiver, started) in list(running.items()):
            if receiver.poll():
                outcome = receiver.recv()
                process.join()
            elif time.monotonic() - started > timeout:
                kill_tree(process)
                if attempts[uri] < 2:
                    print(f"prefill: {Path(uri).relative_to(ROOT)} stalled for {timeout} s; killed, trying again",
                          flush=True)
                    pending.insert(0, uri)
                    del running[uri]
                    continue
                outcome = {"uri": uri, "seconds": float(timeout), "error": f"stalled twice for {timeout} s"}
            elif not process.is_alive():
                process.join()
                outcome = {"uri": uri, "seconds": time.monotonic() - started,
                           "error": f"worker died with exit code {process.exitcode}"}
            else:
                continue
            del running[uri]
            report(outcome)
            results.append(outcome)
    return results


def read_runtimes(path: Path) -> dict[str, float]:
    """Last known runtime of every page, from the previous prefill (empty if none)."""
    return json.loads(path.read_text()) if path.is_file() else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="parallel kernels (default: CPUs)")
    parser.add_argument("--force", action="store_true", help="execute every page even if cached")
    args = parser.parse_args(argv)

    settings = execution_settings(ROOT)
    if settings["mode"] != "cache":
        print(f"prefill: execute_notebooks is {settings['mode']!r}, not 'cache': nothing to prefill")
        return 0
    started = time.perf_counter()
    cache = get_cache(str(settings["cache"]))
    pages = [p for p in toc_pages(ROOT) if is_notebook(p)]
    records = stage(cache, pages)
    if args.force:
        todo = list(records)
    else:
        todo = [r.uri for r in cache.list_unexecuted(filter_pks=list(records.values()))]
    runtimes_file = ROOT / RUNTIMES_FILE
    runtimes = read_runtimes(runtimes_file)
    print(f"prefill: {len(records)} pages, {len(records) - len(todo)} cached, executing {len(todo)} "
          f"over {min(args.jobs, max(len(todo), 1))} processes", flush=True)
    cache.db.dispose()  # the forked workers open their own connections to the cache database
    results = run_pool(settings["cache"], records, longest_first(todo, runtimes), args.jobs, settings["timeout"])
    runtimes.update({r["uri"]: r["seconds"] for r in results})
    runtimes_file.parent.mkdir(parents=True, exist_ok=True)
    runtimes_file.write_text(json.dumps(runtimes, indent=1, sort_keys=True))
    failed = [r for r in results if r["error"]]
    for outcome in failed:
        print(f"\nprefill: {outcome['uri']} failed; the build will run it again and stop there:\n{outcome['error']}",
              file=sys.stderr)
    print(f"prefill: done in {time.perf_counter() - started:.1f} s ({len(failed)} failed)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
