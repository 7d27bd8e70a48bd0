"""Benchmarks of the whole package, measured in a scratch copy of the repository.

    .venv/bin/python -m tools.bench [--reuse-env] [--keep] [--workdir DIR]
                                    [--skip-tests] [--clean-only]

Prints, with the targets for a 2-core machine:
  set-up     `make env` in the copy: a new venv from requirements.txt (pip's download
             cache allowed)
  clean      `make book` from nothing: CPU seconds per executed page, measured two ways:
             machine-wide (busy time of every CPU from /proc/stat over the build: what
             the issue's target counts, and exact only on a quiet machine) and for the
             build's own process tree (getrusage of the children, kernels included:
             stable however busy the machine is)
             and the Chinese edition's CPU (zh/, nothing executed), per page and as a
             share of the English build's
  no-op      `make book` again with nothing changed
  touch      `make book` after touching one data file (new mtime, same bytes): nothing
             executes
  data edit  `make book` after changing one value of data/digital_literacy_2021.csv, its
             descriptor hash updated and the old modification time kept: only the pages
             that read it execute
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

from tools.worktree import ROOT, copy_project

TARGETS = {
    "cpu_per_page": 3.0,
    "noop": 2.0,
    "tests": 120.0,
    "page_bytes": 1_000_000,
    "data_edit_pages": 3,
}
TOUCHED_DATA_FILE = "data/datapackage.json"
EDITED_DATA_FILE = "data/digital_literacy_2021.csv"


class ImageSources(HTMLParser):
    """Collects the src of every <img> in an HTML page."""

    def __init__(self):
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.extend(
                value for name, value in attrs if name == "src" and value
            )


def page_weight(html: Path) -> tuple[int, int]:
    """Bytes of an HTML page plus the local images it shows (each image counted once),
    and the image count.
    """
    parser = ImageSources()
    parser.feed(html.read_text(encoding="utf-8"))
    images = {
        (html.parent / src.split("#")[0].split("?")[0]).resolve()
        for src in parser.sources
        if not re.match(r"^(https?:|data:)", src)
    }
    return html.stat().st_size + sum(
        p.stat().st_size for p in images if p.is_file()
    ), len(images)


def site_weights(site: Path) -> list[tuple[int, int, str]]:
    """(bytes, images, page) for every HTML page of the book's own content, heaviest
    first.
    """
    pages = [
        p
        for p in site.rglob("*.html")
        if "_static" not in p.parts and "_sources" not in p.parts
    ]
    return sorted(
        ((*page_weight(p), p.relative_to(site).as_posix()) for p in pages), reverse=True
    )


# CPU seconds (user + system) used by each make target and everything it started,
# kernels included: unlike wall time, this does not grow when other work shares the
# machine.
CPU_SECONDS: dict[str, float] = {}


PEAK_MEMORY: dict[str, float] = {}


def sample_peak_memory(process, target: str) -> None:
    """Record the largest total resident memory (bytes) of the process and all its
    descendants.
    """
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


BUSY_SECONDS: dict[str, float] = {}


def machine_busy() -> float:
    """Busy CPU seconds of the whole machine since boot, all CPUs (/proc/stat:
    everything but idle and iowait).
    """
    with open("/proc/stat", encoding="ascii") as handle:
        ticks = [int(value) for value in handle.readline().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    """User + system CPU seconds of all finished child processes of this process so
    far.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_make(
    copy: Path, target: str, env: dict, extra: list[str] = (), must_pass: bool = True
) -> tuple[float, str]:
    """Run `make <target>` in the copy; return wall seconds and the combined output.

    A failure stops the benchmark when later steps need the result (must_pass);
    otherwise it is reported.
    """
    started, cpu_before, busy_before = (
        time.perf_counter(),
        children_cpu(),
        machine_busy(),
    )
    process = subprocess.Popen(
        ["make", "--no-print-directory", target, *extra],
        cwd=copy,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = threading.Thread(
        target=sample_peak_memory, args=(process, target), daemon=True
    )
    peak.start()
    stdout, stderr = process.communicate()
    result = subprocess.CompletedProcess(
        process.args, process.returncode, stdout, stderr
    )
    seconds = time.perf_counter() - started
    CPU_SECONDS[target] = CPU_SECONDS.get(target, 0.0) + children_cpu() - cpu_before
    BUSY_SECONDS[target] = BUSY_SECONDS.get(target, 0.0) + machine_busy() - busy_before
    output = result.stdout + result.stderr
    if result.returncode != 0:
        message = (
            f"bench: `make {target}` failed after {seconds:.1f} s:\n{output[-5000:]}"
        )
        if must_pass:
            sys.exit(message)
        print(message, flush=True)
    return seconds, output


def folder_bytes(folder: Path) -> int:
    """Total size of the files under a folder (links not followed)."""
    return sum(
        p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink()
    )


def executed_pages(output: str) -> int:
    """How many pages the build executed (MyST-NB logs "Executed notebook in N seconds"
    for each).
    """
    return len(re.findall(r"Executed notebook in", output))


def page_seconds(output: str) -> list[tuple[float, str]]:
    """(seconds, page) for every page the build executed, slowest first."""
    found = re.findall(
        r"^(\S+?\.(?:md|ipynb)): Executed notebook in ([\d.]+) seconds",
        output,
        flags=re.M,
    )
    return sorted(
        (
            (float(seconds), Path(page).as_posix().split("/book/", 1)[-1])
            for page, seconds in found
        ),
        reverse=True,
    )


def edit_data_value(copy: Path) -> None:
    """Change one score in the Figure 1 data, update the descriptor's hash and bytes,
    keep old mtimes (as cp -p).
    """
    import hashlib
    import json

    path, descriptor_path = copy / EDITED_DATA_FILE, copy / TOUCHED_DATA_FILE
    times = [(p, p.stat().st_atime, p.stat().st_mtime) for p in (path, descriptor_path)]
    text = path.read_text(encoding="utf-8")
    edited = re.sub(
        r",urban_residents,(.*?),residence,56\.3,",
        r",urban_residents,\1,residence,56.4,",
        text,
        count=1,
    )
    if edited == text:
        sys.exit(
            f"bench: could not find the urban residents' score in {EDITED_DATA_FILE}"
        )
    path.write_text(edited, encoding="utf-8")
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for entry in descriptor["resources"]:
        if entry["path"] == path.name:
            entry["hash"] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
            entry["bytes"] = path.stat().st_size
    descriptor_path.write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    for p, atime, mtime in times:
        os.utime(p, (atime, mtime))


def pytest_seconds(output: str) -> float | None:
    """pytest's own reported duration (the '... in 12.34s' summary line)."""
    matches = re.findall(r" in (\d+(?:\.\d+)?)s(?: \(|\s*=|$)", output, flags=re.M)
    return float(matches[-1]) if matches else None


def verdict(value: float, target: float) -> str:
    return "ok  " if value <= target else "MISS"


def cpu_line(label: str, target: str, pages: int) -> str:
    """CPU seconds of one make target, machine-wide and for its process tree, per
    executed page.
    """
    tree, busy = CPU_SECONDS.get(target, 0.0), BUSY_SECONDS.get(target, 0.0)

    def per(seconds: float) -> str:
        return f"{seconds / pages:.2f}" if pages else "n/a"

    return (
        f"{label}: machine-wide {busy:.0f} CPU-s = {per(busy)} CPU-s/page; own process "
        f"tree {tree:.0f} CPU-s = {per(tree)} CPU-s/page ({pages} pages executed)"
    )


def chinese_line(output: str, english) -> str:
    """The Chinese edition's CPU (tools/translations.py logs it; it executes nothing),
    per page, and as a share of the English build's (build process and kernels).
    """
    found = re.search(r"CPU of the Chinese build: ([\d.]+) s", output)
    if not found:
        return "  Chinese edition: no CPU logged (skipped as up to date?)"
    chinese, pages = (
        float(found.group(1)),
        len(re.findall(r"^\s*- file: ", (ROOT / "_toc.yml").read_text(), flags=re.M))
        + 1,
    )
    share = ""
    if english:
        total = float(english.group(1)) + float(english.group(2))
        share = f", {100 * chinese / total:.0f}% of the English build's {total:.0f}"
    return (
        f"  Chinese edition (zh/): {chinese:.1f} CPU-s = {chinese / pages:.2f} "
        f"CPU-s/page over {pages} pages{share} (target: at most 30%)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reuse-env",
        action="store_true",
        help="link the project's .venv instead of timing a fresh set-up",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where to make the copy (default: a new temp folder)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the copy afterwards")
    parser.add_argument(
        "--skip-tests", action="store_true", help="do not time `make test`"
    )
    parser.add_argument(
        "--clean-only", action="store_true", help="only set-up and the clean build"
    )
    parser.add_argument(
        "--requirements",
        type=Path,
        help="benchmark another lock: copied over requirements.txt in the scratch copy",
    )
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="nqpf-bench-"))
    copy = copy_project(workdir / "repo")
    if args.requirements:
        shutil.copy2(args.requirements, copy / "requirements.txt")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "PYTHONPATH"}
    }
    print(
        f"bench: scratch copy in {copy} ({os.cpu_count()} CPUs, load "
        f"{os.getloadavg()[0]:.1f} at start)",
        flush=True,
    )

    if args.reuse_env:
        (copy / ".venv").symlink_to(ROOT / ".venv")
        setup = None
    else:
        setup, _ = timed_make(copy, "env", env)
        print(f"bench: set-up {setup:.1f} s", flush=True)

    load_before = os.getloadavg()[0]
    clean, output = timed_make(copy, "book", env)
    clean_memory = PEAK_MEMORY.pop("book", 0)
    pages = executed_pages(output)
    clean_cpu = cpu_line("  CPU of the clean build", "book", pages)
    clean_tree = CPU_SECONDS.pop("book")
    BUSY_SECONDS.pop("book")
    slowest = page_seconds(output)
    split = re.search(
        r"CPU of this build: ([\d.]+) s in the build process, ([\d.]+) s in its "
        r"kernels",
        output,
    )
    split_line = (
        "  of which the build process (Sphinx, MyST-NB, search index) "
        f"{float(split.group(1)):.0f} CPU-s and the page kernels "
        f"{float(split.group(2)):.0f} CPU-s"
        if split
        else "  (no CPU split logged)"
    )
    print(
        f"bench: clean build {clean:.1f} s, {pages} pages "
        f"executed\n{clean_cpu}\n{split_line}\n{chinese_line(output, split)}",
        flush=True,
    )
    if args.clean_only:
        return 0
    noop, _ = timed_make(copy, "book", env)
    os.utime(copy / TOUCHED_DATA_FILE)
    touched, touched_output = timed_make(copy, "book", env)
    CPU_SECONDS.pop("book"), BUSY_SECONDS.pop("book")
    edit_data_value(copy)
    edited, edited_output = timed_make(copy, "book", env)
    edited_pages = executed_pages(edited_output)
    shown = "56.4" in (
        copy / "_build" / "html" / "book" / "constraints" / "tech_pull.html"
    ).read_text(encoding="utf-8")
    weights = site_weights(copy / "_build" / "html")
    tests = test_output = None
    if not args.skip_tests:
        tests, test_output = timed_make(copy, "test", env, must_pass=False)

    print("\n=== make bench ===")
    print(
        f"machine: {os.cpu_count()} CPUs; load average {load_before:.1f} before the "
        f"clean build, {os.getloadavg()[0]:.1f} now (machine-wide CPU is exact only on "
        "a quiet machine)"
    )
    print(
        "set-up (fresh venv from requirements.txt, pip cache on): "
        + (f"{setup:.1f} s" if setup is not None else "skipped (--reuse-env)")
    )
    print(f"clean build, every page executed:  {clean:6.1f} s wall for {pages} pages")
    print(
        clean_cpu + f"  [target <= {TARGETS['cpu_per_page']} CPU-s/page machine-wide; "
        f"tree: {verdict(clean_tree / max(pages, 1), TARGETS['cpu_per_page'])}]"
    )
    print(split_line)
    print(
        "  peak memory of the clean build (all processes together): "
        f"{clean_memory / 1e9:.2f} GB"
    )
    print(
        "  slowest pages (wall s): "
        + ", ".join(f"{page} {seconds:.1f}" for seconds, page in slowest[:5])
    )
    print(
        f"no-op rebuild (make book):          {noop:6.2f} s  "
        f"[{verdict(noop, TARGETS['noop'])} target <= 2 s]"
    )
    print(
        f"rebuild after touching {TOUCHED_DATA_FILE}: {touched:.1f} s, "
        f"{executed_pages(touched_output)} pages executed"
    )
    print(
        f"rebuild after editing {EDITED_DATA_FILE} (old mtime kept): {edited:.1f} s, "
        f"{edited_pages} pages executed "
        f"[{verdict(edited_pages, TARGETS['data_edit_pages'])} target <= 3]; new value "
        f"on the site: {'yes' if shown else 'NO'}"
    )
    if tests is not None:
        in_pytest = pytest_seconds(test_output)
        print(
            f"tests (make test: strict build + pytest): {tests:.1f} s; pytest alone "
            + (f"{in_pytest:.1f} s" if in_pytest is not None else "n/a")
            + f"  [{verdict(in_pytest or tests, TARGETS['tests'])} target <= 120 s]"
        )
    sizes = {name: folder_bytes(copy / name) for name in (".venv", "_build", "data")}
    print(
        "storage: "
        + ", ".join(f"{name} {size / 1e6:.0f} MB" for name, size in sizes.items())
    )
    heaviest = weights[0]
    print(
        f"heaviest page: {heaviest[2]} {heaviest[0] / 1e6:.2f} MB with {heaviest[1]} "
        f"images  [{verdict(heaviest[0], TARGETS['page_bytes'])} target <= 1 MB]"
    )
    for size, images, name in weights[1:4]:
        print(f"  next: {name} {size / 1e6:.2f} MB with {images} images")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if shown else 1


if __name__ == "__main__":
    sys.exit(main())
