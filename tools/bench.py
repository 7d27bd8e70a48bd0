"""Benchmarks of the whole package, measured in a scratch copy of the repository (make bench).

    .venv/bin/python tools/bench.py [--reuse-env] [--keep] [--workdir DIR] [--skip-tests] [--requirements FILE]

Prints, with the targets for a 2-core machine:
  set-up     `make env` in the copy: a new venv from requirements.txt (pip's download cache allowed)
  clean      `make book` from nothing: every page executed; seconds per executed page
  no-op      `make book` again with nothing changed (and Sphinx's own incremental check, for comparison)
  touch      `make book` after touching one data file (new mtime, same bytes)
  data edit  `make book` after changing the bytes of one data file: every page executes again
  tests      `make test`: the strict build and pytest (pytest's share shown separately)
  weight     the heaviest page of the site: its HTML plus the images it shows
The working tree, its _build/ and its outputs/ are never touched.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from worktree import ROOT, copy_project  # noqa: E402

TARGETS = {"clean_per_page": 1.5, "noop": 2.0, "tests": 120.0, "page_bytes": 1_000_000}
TOUCHED_DATA_FILE = "data/datapackage.json"


class ImageSources(HTMLParser):
    """Collects the src of every <img> in an HTML page."""

    def __init__(self):
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.extend(value for name, value in attrs if name == "src" and value)


def page_weight(html: Path) -> tuple[int, int]:
    """Bytes of an HTML page plus the local images it shows (each image counted once), and the image count."""
    parser = ImageSources()
    parser.feed(html.read_text(encoding="utf-8"))
    images = {(html.parent / src.split("#")[0].split("?")[0]).resolve() for src in parser.sources
              if not re.match(r"^(https?:|data:)", src)}
    return html.stat().st_size + sum(p.stat().st_size for p in images if p.is_file()), len(images)


def site_weights(site: Path) -> list[tuple[int, int, str]]:
    """(bytes, images, page) for every HTML page of the book's own content, heaviest first."""
    pages = [p for p in site.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts]
    return sorted(((*page_weight(p), p.relative_to(site).as_posix()) for p in pages), reverse=True)


# CPU seconds (user + system) used by each make target and everything it started, kernels included:
# unlike wall time, this does not grow when other work shares the machine.
CPU_SECONDS: dict[str, float] = {}


PEAK_MEMORY: dict[str, float] = {}


def sample_peak_memory(process, target: str) -> None:
    """Record the largest total resident memory (bytes) of the process and all its descendants."""
    import psutil

    try:
        root = psutil.Process(process.pid)
        while process.poll() is None:
            total = 0
            for member in [root, *root.children(recursive=True)]:
                try:
                    total += member.memory_info().rss
                except psutil.Error:
                    pass
            PEAK_MEMORY[target] = max(PEAK_MEMORY.get(target, 0), total)
            time.sleep(0.25)
    except psutil.Error:
        pass


def children_cpu() -> float:
    """User + system CPU seconds of all finished child processes of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_make(copy: Path, target: str, env: dict, extra: list[str] = (), must_pass: bool = True) -> tuple[float, str]:
    """Run `make <target>` in the copy; return wall seconds and the combined output.

    A failure stops the benchmark when later steps need the result (must_pass); otherwise it is reported.
    """
    started, cpu_before = time.perf_counter(), children_cpu()
    process = subprocess.Popen(["make", "--no-print-directory", target, *extra], cwd=copy, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = threading.Thread(target=sample_peak_memory, args=(process, target), daemon=True)
    peak.start()
    stdout, stderr = process.communicate()
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    seconds = time.perf_counter() - started
    CPU_SECONDS[target] = CPU_SECONDS.get(target, 0.0) + children_cpu() - cpu_before
    output = result.stdout + result.stderr
    if result.returncode != 0:
        message = f"bench: `make {target}` failed after {seconds:.1f} s:\n{output[-5000:]}"
        if must_pass:
            sys.exit(message)
        print(message, flush=True)
    return seconds, output


def folder_bytes(folder: Path) -> int:
    """Total size of the files under a folder (links not followed)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def executed_pages(output: str) -> int:
    """How many pages the build executed in parallel, from its "executing N" line (0 if it did not run)."""
    match = re.search(r"parallel execution: \d+ pages, \d+ cached, executing (\d+)", output)
    return int(match.group(1)) if match else 0


def pytest_seconds(output: str) -> float | None:
    """pytest's own reported duration (the '... in 12.34s' summary line)."""
    matches = re.findall(r" in (\d+(?:\.\d+)?)s(?: \(|\s*=|$)", output, flags=re.M)
    return float(matches[-1]) if matches else None


def verdict(value: float, target: float) -> str:
    return "ok  " if value <= target else "MISS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse-env", action="store_true",
                        help="link the project's .venv instead of timing a fresh set-up")
    parser.add_argument("--workdir", type=Path, help="where to make the copy (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the copy afterwards")
    parser.add_argument("--skip-tests", action="store_true", help="do not time `make test`")
    parser.add_argument("--clean-only", action="store_true", help="only set-up and the clean build")
    parser.add_argument("--requirements", type=Path,
                        help="benchmark another lock: copied over requirements.txt in the scratch copy")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="nqpf-bench-"))
    copy = copy_project(workdir / "repo")
    if args.requirements:
        shutil.copy2(args.requirements, copy / "requirements.txt")
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV"}}
    env["PYTHONPATH"] = str(copy)  # pages import the copy's helpers even if the venv was installed elsewhere
    lines = [f"bench: scratch copy in {copy} ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f} at start)"]
    print(lines[0], flush=True)

    if args.reuse_env:
        (copy / ".venv").symlink_to(ROOT / ".venv")
        setup = None
        stamp_args = ["STAMP="]
    else:
        setup, _ = timed_make(copy, "env", env)
        stamp_args = []
        print(f"bench: set-up {setup:.1f} s", flush=True)

    clean, output = timed_make(copy, "book", env, stamp_args)
    clean_cpu = CPU_SECONDS.pop("book")
    clean_memory = PEAK_MEMORY.pop("book", 0)
    pages = executed_pages(output)
    cached_reads = output.count("Using cached notebook")
    executed_in_build = output.count("Executed notebook")
    print(f"bench: clean build {clean:.1f} s, {pages} pages executed", flush=True)
    if args.clean_only:
        print(f"bench: clean build CPU {clean_cpu:.0f} s = {clean_cpu / max(pages, 1):.2f} CPU-s/page")
        return 0
    noop, _ = timed_make(copy, "book", env, stamp_args)
    started = time.perf_counter()
    subprocess.run([str(copy / ".venv" / "bin" / "jupyter-book"), "build", ".", "--builder", "html"], cwd=copy,
                   env=env, capture_output=True, check=True)
    sphinx_noop = time.perf_counter() - started
    os.utime(copy / TOUCHED_DATA_FILE)
    touched, touched_output = timed_make(copy, "book", env, stamp_args)
    with open(copy / TOUCHED_DATA_FILE, "a", encoding="utf-8") as handle:
        handle.write("\n")  # new bytes, same JSON: the cache guard must re-run every page
    edited, edited_output = timed_make(copy, "book", env, stamp_args)
    weights = site_weights(copy / "_build" / "html")
    tests = test_output = None
    if not args.skip_tests:
        tests, test_output = timed_make(copy, "test", env, stamp_args, must_pass=False)

    per_page = clean / max(pages, 1)
    print("\n=== make bench ===")
    print(f"machine: {os.cpu_count()} CPUs; load average now {os.getloadavg()[0]:.1f}")
    print(f"set-up (fresh venv from requirements.txt, pip cache on): "
          + (f"{setup:.1f} s" if setup is not None else "skipped (--reuse-env)"))
    print(f"clean build, every page executed:  {clean:6.1f} s for {pages} pages = {per_page:.2f} s/page  "
          f"[{verdict(per_page, TARGETS['clean_per_page'])} target <= 1.5 s/page]")
    print(f"  the build then read {cached_reads} pages from the cache and executed {executed_in_build} itself")
    print(f"  CPU time of the clean build: {clean_cpu:.0f} s = {clean_cpu / max(pages, 1):.2f} CPU-s/page; "
          f"on {os.cpu_count()} idle CPUs that is at least {clean_cpu / (os.cpu_count() or 1) / max(pages, 1):.2f} s/page")
    print(f"  peak memory of the clean build (all processes together): {clean_memory / 1e9:.2f} GB")
    print(f"no-op rebuild (make book):          {noop:6.2f} s  [{verdict(noop, TARGETS['noop'])} target <= 2 s]")
    print(f"  (jupyter-book's own no-op check:  {sphinx_noop:6.2f} s)")
    print(f"rebuild after touching {TOUCHED_DATA_FILE}: {touched:.1f} s, {executed_pages(touched_output)} pages executed")
    print(f"rebuild after editing {TOUCHED_DATA_FILE}:  {edited:.1f} s, {executed_pages(edited_output)} pages executed")
    if tests is not None:
        in_pytest = pytest_seconds(test_output)
        print(f"tests (make test: strict build + pytest): {tests:.1f} s; pytest alone "
              + (f"{in_pytest:.1f} s" if in_pytest is not None else "n/a")
              + f"  [{verdict(in_pytest or tests, TARGETS['tests'])} target <= 120 s]")
    sizes = {name: folder_bytes(copy / name) for name in (".venv", "_build", "data")}
    print("storage: " + ", ".join(f"{name} {size / 1e6:.0f} MB" for name, size in sizes.items()))
    heaviest = weights[0]
    print(f"heaviest page: {heaviest[2]} {heaviest[0] / 1e6:.2f} MB with {heaviest[1]} images  "
          f"[{verdict(heaviest[0], TARGETS['page_bytes'])} target <= 1 MB]")
    for size, images, name in weights[1:4]:
        print(f"  next: {name} {size / 1e6:.2f} MB with {images} images")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
