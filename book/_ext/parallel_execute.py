"""Sphinx extension: execute the pages Sphinx is about to read in parallel, into MyST-NB's cache.

MyST-NB (execution mode "cache") executes notebooks one after another while Sphinx reads them; on a
small machine nearly all that time is kernel start-up and imports, which parallel processes overlap.
Just before Sphinx reads, this extension takes the pages it is going to read, reads each exactly as
MyST-NB will (same reader and configuration, hence the same cache key), and executes those without a
cached result, several at a time, storing them in the same jupyter-cache. MyST-NB then finds every
page in the cache ("Using cached notebook") and executes nothing itself.

It runs inside the jupyter-book process, so the kernels it starts have the build as an ancestor,
exactly like the kernels MyST-NB starts (helpers.explorers relies on that to skip live widgets).
A page that fails or stalls is left uncached: MyST-NB then runs it again and reports the error the
usual way, so failure handling does not change. Sphinx config: `nb_parallel_jobs`, the number of
processes (0, the default, means one per CPU; 1 turns the extension off); `nb_parallel_stall_grace`,
seconds added to the cell timeout before a page with no finished cell counts as stalled (default 60).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import time
from multiprocessing.connection import wait
from pathlib import Path, PurePosixPath

from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
RUNTIMES_FILE = ".page-runtimes.json"


def is_excluded(path: Path, patterns: list[str]) -> bool:
    """True if MyST-NB's execution_excludepatterns keep this page from executing."""
    return any(PurePosixPath(path.as_posix()).match(pattern) for pattern in patterns)


def read_like_myst_nb(path: Path, env):
    """The notebook and reader format MyST-NB gets for this source file, or None if it is not a notebook."""
    from myst_nb.core.read import create_nb_reader

    text = path.read_text(encoding="utf-8")
    reader = create_nb_reader(str(path), env.myst_config, env.mystnb_config, text)
    return None if reader is None else (reader.read(text), reader.read_fmt)


def is_cached(cache, notebook) -> bool:
    """True if jupyter-cache holds an executed notebook with this notebook's code cells (MyST-NB's lookup)."""
    try:
        cache.match_cache_notebook(notebook)
        return True
    except KeyError:
        return False


def longest_first(paths: list[Path], runtimes: dict[str, float]) -> list[Path]:
    """Last known slowest pages first (unknown ones by file size), so the processes finish together."""
    return sorted(paths, key=lambda p: (-runtimes.get(str(p), 0.0), -p.stat().st_size, str(p)))


def execute_and_cache(sender, cache_path: str, path: Path, notebook, read_fmt, config) -> None:
    """Child process: execute one page as MyST-NB would and store it in the cache; report on the pipe."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.utils import single_nb_execution

    def progress(cell, cell_index, execute_reply):
        sender.send({"cell": cell_index})  # the parent's watchdog counts time from the last finished cell

    cwd = str(path.parent)  # MyST-NB's default (execution_in_temp is off in this book)
    result = single_nb_execution(notebook, cwd=cwd, timeout=config.execution_timeout,
                                 allow_errors=config.execution_allow_errors, meta_override=True,
                                 on_cell_executed=progress)
    if result.err is None:
        cache = get_cache(cache_path)
        record = (cache.add_nb_to_project(str(path), read_data=read_fmt) if read_fmt is not None
                  else cache.add_nb_to_project(str(path)))
        cache.cache_notebook_bundle(CacheBundleIn(notebook, record.uri, data={"execution_seconds": result.time}),
                                    check_validity=False, overwrite=True)
    sender.send({"seconds": result.time, "error": None if result.err is None else type(result.err).__name__})
    sender.close()


def kill_tree(process) -> None:
    """Kill a page process and the kernel it started (the kernel runs in a session of its own)."""
    import psutil

    try:
        for child in psutil.Process(process.pid).children(recursive=True):
            child.kill()
    except psutil.NoSuchProcess:
        pass
    process.kill()
    process.join()


def run_pages(todo: dict[Path, tuple], target, jobs: int, limit: float, log=None) -> dict[Path, dict]:
    """Run target(sender, *todo[page]) for every page, `jobs` at a time, one forked process each.

    The target sends {"cell": i} after each finished cell and finally a dict with "seconds" and
    "error". A page where no cell has finished for `limit` seconds is killed and tried once more: a
    kernel can, rarely, go idle without ever answering (seen here with ipykernel 7 on a widget
    cell), and the client then waits forever despite its own timeouts; a fresh kernel does not.
    """
    log = log or LOGGER.info
    context = multiprocessing.get_context("fork")  # the child inherits its arguments: nothing to pickle
    pending, running, outcomes = list(todo), {}, {}
    attempts = dict.fromkeys(todo, 0)
    while pending or running:
        while pending and len(running) < jobs:
            path = pending.pop(0)
            attempts[path] += 1
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=target, args=(sender, *todo[path]))
            process.start()
            sender.close()
            running[path] = (process, receiver, time.monotonic())
        wait([receiver for _, receiver, _ in running.values()], timeout=1.0)
        for path, (process, receiver, progressed) in list(running.items()):
            outcome = None
            while outcome is None and receiver.poll():
                try:
                    message = receiver.recv()
                except EOFError:  # the child died before it could report
                    message = {"seconds": time.monotonic() - progressed, "error": "page process died"}
                if "cell" in message:
                    progressed = time.monotonic()
                    running[path] = (process, receiver, progressed)
                else:
                    outcome = message
            if outcome is not None:
                process.join()
            elif time.monotonic() - progressed > limit:
                kill_tree(process)
                if attempts[path] < 2:
                    log(f"parallel execution: {path.name}: no cell finished for {limit:.0f} s; killed, trying again")
                    pending.insert(0, path)
                    del running[path]
                    continue
                outcome = {"seconds": limit, "error": f"stalled twice for {limit:.0f} s"}
            elif not process.is_alive():
                process.join()
                outcome = {"seconds": time.monotonic() - progressed, "error": f"page process exit {process.exitcode}"}
            else:
                continue
            del running[path]
            outcomes[path] = outcome
            status = "ok" if outcome["error"] is None else f"FAILED ({outcome['error']})"
            log(f"parallel execution: {outcome['seconds']:6.1f} s {status:4} {path.name}")
    return outcomes


def execute_in_parallel(app, env, docnames) -> None:
    """env-before-read-docs handler: fill the cache for every page about to be read that lacks a result."""
    config = getattr(env, "mystnb_config", None)
    jobs = app.config.nb_parallel_jobs or os.cpu_count() or 1
    if config is None or config.execution_mode != "cache" or jobs < 2 or not docnames:
        return
    from jupyter_cache import get_cache

    cache = get_cache(config.execution_cache_path)
    pages = {}
    for docname in docnames:
        path = Path(env.doc2path(docname))
        if not path.is_file() or is_excluded(path, config.execution_excludepatterns):
            continue
        read = read_like_myst_nb(path, env)
        if read is not None:
            pages[path] = read
    todo = {path: read for path, read in pages.items() if not is_cached(cache, read[0])}
    LOGGER.info(f"parallel execution: {len(pages)} pages, {len(pages) - len(todo)} cached, "
                f"executing {len(todo)} over {min(jobs, max(len(todo), 1))} processes")
    if not todo:
        return
    cache.db.dispose()  # the forked children open their own connections to the cache database
    runtimes_file = Path(app.outdir).parent / RUNTIMES_FILE
    runtimes = json.loads(runtimes_file.read_text()) if runtimes_file.is_file() else {}
    started = time.perf_counter()
    cache_path = str(config.execution_cache_path)
    ordered = {path: (cache_path, path, *todo[path], config) for path in longest_first(list(todo), runtimes)}
    # A cell may run for the configured timeout; the grace covers kernel start-up and imports.
    limit = float(config.execution_timeout or 1800) + app.config.nb_parallel_stall_grace
    outcomes = run_pages(ordered, execute_and_cache, jobs, limit)
    runtimes.update({str(path): outcome["seconds"] for path, outcome in outcomes.items()})
    runtimes_file.write_text(json.dumps(runtimes, indent=1, sort_keys=True))
    failed = sum(outcome["error"] is not None for outcome in outcomes.values())
    LOGGER.info(f"parallel execution: done in {time.perf_counter() - started:.1f} s "
                f"({failed} failed; the build runs failed pages again itself and reports them)")


def setup(app):
    app.add_config_value("nb_parallel_jobs", 0, "env")
    app.add_config_value("nb_parallel_stall_grace", 60, "env")
    # After MyST-NB's own handlers, before Sphinx reads the first page.
    app.connect("env-before-read-docs", execute_in_parallel, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
