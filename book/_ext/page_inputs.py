"""Sphinx extension: a build you can trust. Pages re-execute when what they read
changes, by content.

MyST-NB executes a page (inline mode) while Sphinx reads it, and Sphinx re-reads a page
only when its source file is newer than the last read. What a page's kernel reads
besides its source (data files, helper modules, _config.yml, book/*.yml) is invisible to
both. This extension makes the build itself (a plain `jupyter-book build .` exactly as
`make book`) decide by content:

- Record. Before a page is read (`source-read`), the environment variable
  NQPF_PAGE_INPUTS names a record file; the page's kernel inherits it and `import
  helpers` installs an audit hook (helpers/inputs_record.py) that appends every project
  file the kernel opens. After the page is read (`doctree-read`) the SHA-256 of each
  recorded file, and of the page source, is stored in the environment. A file modified
  while its page was executing is stored as changed, so the page runs again.
- Decide. On `env-get-outdated` a page is outdated when any recorded file's content
  differs (whatever its modification time: `cp -p`, tar and unzip keep old ones), or is
  gone. A change of a global input (requirements.txt, _toc.yml, the Python version)
  makes every page outdated. Touching a file without changing its bytes re-executes
  nothing: Sphinx's mtime-based `env.note_dependency` is deliberately not used for these
  files. The data descriptor counts per page: a page depends on the checksum (`hash`,
  `bytes`) of a data file only if it opened that file (see descriptor_digest).
- Never stale. `_build/.build-in-progress` is written when a build starts and removed
  only when it finishes without an exception, together with `_build/.inputs-fingerprint`
  (the content fingerprint of every input, taken at the start; `make book` skips Sphinx
  when it still matches). If the marker is found at the start, the last build was
  interrupted: every page is written again (HTML, images, search index) and only pages
  whose inputs changed are executed again.
- One at a time. An exclusive lock on `_build/.build.lock` (fcntl): a second build
  waits, saying so.
- A page that shows other pages' glued values (MyST-NB cross-document glue, `page::key`,
  in its source or in Markdown its cells print) is written again whenever one of those
  pages was executed again: the values are pasted in when HTML is written (env-updated
  returns it for writing).

On success the recorded inputs of every page are also written to
`_build/page-inputs.json` (tools/replicate.py puts them in the replication manifest).

Run as a script, it answers whether the last successful build is current (used by `make
book`):
    python book/_ext/page_inputs.py up-to-date [PROJECT_ROOT]
        (exit 0 if current, 1 otherwise)
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import time
from pathlib import Path

RECORD_VARIABLE = (
    "NQPF_PAGE_INPUTS"  # the same names as helpers/inputs_record.py (kernels read them)
)
ROOT_VARIABLE = "NQPF_PROJECT_ROOT"
BUILD_DIR = "_build"
MARKER = ".build-in-progress"
FINGERPRINT = ".inputs-fingerprint"
LOCK = ".build.lock"
RECORDS = ".page-inputs"
INPUTS_JSON = "page-inputs.json"
CHANGED_DURING_BUILD = "modified-while-the-page-executed"
DESCRIPTOR = "data/datapackage.json"
DESCRIPTOR_CHECKSUMS = ("hash", "bytes")
MISSING = "missing"
# Inputs of every page: a change re-executes the whole book.
GLOBAL_FILES = ("requirements.txt", "_toc.yml")
# Everything the site is built from, for the whole-build fingerprint that lets `make
# book` skip Sphinx.
FINGERPRINT_FILES = (
    "_config.yml",
    "_toc.yml",
    "requirements.txt",
    "pyproject.toml",
    "runtime.txt",
)
FINGERPRINT_FOLDERS = ("book", "data", "helpers")


# ----------------------------------------------------------------------------- content,
# no Sphinx needed
def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, or 'missing'."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return MISSING


def python_version() -> str:
    """The interpreter that builds (and, from the same .venv, runs the kernels)."""
    return f"{sys.implementation.name} {sys.version.split()[0]}"


def global_fingerprint(root: Path) -> str:
    """SHA-256 over the global inputs of every page: the lock, the table of contents,
    the Python version.
    """
    digest = hashlib.sha256(python_version().encode())
    for name in GLOBAL_FILES:
        digest.update(f"\0{name}\0{sha256(root / name)}".encode())
    return digest.hexdigest()


def input_files(root: Path) -> list[Path]:
    """Every file the site is built from (Python's caches excluded), sorted."""
    files = [root / name for name in FINGERPRINT_FILES if (root / name).is_file()]
    for folder in FINGERPRINT_FOLDERS:
        files += [
            p
            for p in (root / folder).rglob("*")
            if p.is_file()
            and "__pycache__" not in p.parts
            and p.suffix != ".pyc"
            and ".ipynb_checkpoints" not in p.parts
        ]
    return sorted(files)


def site_fingerprint(root: Path) -> str:
    """SHA-256 over the relative path and bytes of every input of the site, and the
    Python version.
    """
    digest = hashlib.sha256(python_version().encode())
    for path in input_files(root):
        digest.update(f"\0{path.relative_to(root).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def up_to_date(root: Path) -> tuple[bool, str]:
    """Whether _build/html is the product of a finished build of exactly the current
    inputs, and why (not).
    """
    build = root / BUILD_DIR
    if (build / MARKER).exists():
        return False, "the last build did not finish"
    if (
        not (build / "html" / "index.html").is_file()
        or not (build / FINGERPRINT).is_file()
    ):
        return False, "no finished build yet"
    if (build / FINGERPRINT).read_text().strip() != site_fingerprint(root):
        return False, "inputs changed since the last finished build"
    return True, "every input is as it was at the last finished build"


def record_file(root: Path, docname: str) -> Path:
    """Where a page's kernel appends the files it opens."""
    return root / BUILD_DIR / RECORDS / (docname.replace("/", "__") + ".txt")


def read_record(path: Path, root: Path) -> set[str]:
    """Project-relative paths named in a record file (paths outside the root
    dropped).
    """
    if not path.is_file():
        return set()
    names = set()
    root = root.resolve()
    for line in path.read_text(encoding="utf-8", errors="surrogateescape").splitlines():
        try:
            names.add(Path(line).relative_to(root).as_posix())
        except ValueError:
            continue
    return names


def descriptor_digest(root: Path, names) -> str:
    """SHA-256 of the data descriptor as a page sees it: checksums only of the data
    files the page opened.

    An honest data edit changes one file and its `hash` and `bytes` in
    data/datapackage.json, which nearly every page reads; only the pages that opened
    that file depend on its checksum. Everything else in the descriptor (titles,
    sources, schemas) stays an input of every page that reads it.
    """
    path = root / DESCRIPTOR
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return MISSING
    except ValueError:
        return sha256(path)
    opened = {name.removeprefix("data/") for name in names}
    for resource in (
        descriptor.get("resources", []) if isinstance(descriptor, dict) else []
    ):
        if isinstance(resource, dict) and resource.get("path") not in opened:
            for key in DESCRIPTOR_CHECKSUMS:
                resource.pop(key, None)
    text = json.dumps(descriptor, sort_keys=True, ensure_ascii=False)
    return "view:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(root: Path, name: str, names, cache: dict) -> str:
    """The content digest of one recorded file (the descriptor as this page sees it)."""
    if name == DESCRIPTOR:
        return descriptor_digest(root, names)
    if name not in cache:
        cache[name] = sha256(root / name)
    return cache[name]


def hashes(
    root: Path, names, started: float | None = None, cache: dict | None = None
) -> dict[str, str]:
    """relative path -> digest (or 'missing'); a file modified after `started` is marked
    as changed.
    """
    cache = {} if cache is None else cache
    result = {}
    for name in sorted(names):
        path = root / name
        if started is not None and path.exists() and path.stat().st_mtime >= started:
            result[name] = CHANGED_DURING_BUILD
        else:
            result[name] = digest(root, name, names, cache)
    return result


def changed_inputs(recorded: dict[str, str], root: Path, cache: dict) -> list[str]:
    """The recorded files whose content now differs from what the page read."""
    return [
        name
        for name, old in recorded.items()
        if digest(root, name, recorded, cache) != old
    ]


# ----------------------------------------------------------------------------- the
# Sphinx extension
class BuildState:
    """What one build process knows beyond the environment: lock, marker, start
    fingerprint, pages read.
    """

    def __init__(self, root: Path):
        self.root = root
        self.build = root / BUILD_DIR
        self.lock_handle = None
        self.interrupted_before = False
        self.had_environment = False
        self.fingerprint = ""
        self.read_started: dict[str, float] = {}
        self.read_now: set[str] = set()
        self.hash_cache: dict[str, str] = {}


def logger():
    from sphinx.util import logging

    return logging.getLogger(__name__)


def take_lock(state: BuildState) -> None:
    """Hold _build/.build.lock for the whole build; if another build holds it, say so
    and wait.
    """
    import fcntl

    state.build.mkdir(parents=True, exist_ok=True)
    handle = open(state.build / LOCK, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        print(
            f"page_inputs: another build of this book is running ({holder}); waiting "
            "for it to finish (Ctrl-C to give up)",
            file=sys.stderr,
            flush=True,
        )
        fcntl.flock(handle, fcntl.LOCK_EX)
        print(
            "page_inputs: the other build finished; building",
            file=sys.stderr,
            flush=True,
        )
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
    handle.flush()
    state.lock_handle = handle


def start_build(app, config) -> None:
    """config-inited: lock, note an interrupted predecessor, mark this build in
    progress, fingerprint inputs.
    """
    state = BuildState(Path(app.srcdir).resolve())
    app.page_inputs_state = state
    take_lock(state)
    marker = state.build / MARKER
    state.interrupted_before = marker.exists()
    state.had_environment = (Path(app.doctreedir) / "environment.pickle").is_file()
    # Taken before anything is read: an edit during the build makes the next `make book`
    # build again.
    state.fingerprint = site_fingerprint(state.root)
    marker.write_text(f"pid {os.getpid()}\n")
    (state.build / RECORDS).mkdir(exist_ok=True)
    # Kernels import this checkout's helpers even where the installed (editable) helpers
    # live elsewhere.
    paths = [str(state.root)] + [
        p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p
    ]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    os.environ[ROOT_VARIABLE] = str(state.root)
    if state.interrupted_before:
        logger().info(
            "page_inputs: the last build did not finish: every page is written again "
            "(pages whose inputs are unchanged are not executed again)"
        )


def environment_loads(doctreedir: Path) -> bool:
    """True if Sphinx's saved build state (environment.pickle) unpickles: it is not
    damaged.
    """
    try:
        with open(doctreedir / "environment.pickle", "rb") as handle:
            pickle.load(handle)
        return True
    except Exception:  # noqa: BLE001 - any failure to unpickle means damaged (EOFError, UnpicklingError, ...)
        return False


def outdated_by_content(app, env, added, changed, removed) -> list[str]:
    """env-get-outdated: pages whose recorded inputs changed by content; all of them if
    a global input did.
    """
    state: BuildState = app.page_inputs_state
    current = global_fingerprint(state.root)
    known = set(env.all_docs) - set(removed)
    previous_global = getattr(env, "page_inputs_global", None)
    recorded = getattr(env, "page_inputs", None)
    env.page_inputs_global = current
    if recorded is None:
        env.page_inputs = {}
        if known:
            logger().info(
                "page_inputs: no record of what the pages read: every page executes "
                "again"
            )
        elif (
            state.had_environment
            and not env.all_docs
            and environment_loads(Path(app.doctreedir))
        ):
            # A readable saved state that Sphinx did not load: a fresh environment was
            # asked for (--all).
            logger().info(
                "page_inputs: a fresh build was asked for (--all): every page executes "
                "again"
            )
        elif state.had_environment and not env.all_docs:
            logger().warning(
                "page_inputs: the saved build state "
                f"{Path(app.doctreedir) / 'environment.pickle'} could not be loaded "
                "(damaged by an interrupted build, or written by another Sphinx "
                "version): every page executes again, which repairs it. If this "
                "repeats, run `make clean` (or rm -rf _build) and build again."
            )
        return sorted(known)
    if previous_global != current:
        logger().info(
            "page_inputs: requirements.txt, _toc.yml or the Python version changed: "
            "every page executes again"
        )
        return sorted(known)
    outdated = []
    for docname in sorted(known - set(changed)):
        differs = changed_inputs(
            recorded.get(docname, {}), state.root, state.hash_cache
        )
        if differs or docname not in recorded:
            outdated.append(docname)
            reason = (
                ", ".join(differs[:3]) + (" ..." if len(differs) > 3 else "")
                or "not recorded"
            )
            logger().info(f"page_inputs: {docname}: changed: {reason}")
    return outdated


def point_kernel_at_record(app, docname, source) -> None:
    """source-read: name this page's record file for the kernel about to start; note
    what the page says.
    """
    state: BuildState = app.page_inputs_state
    record = record_file(state.root, docname)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("")
    os.environ[RECORD_VARIABLE] = str(record)
    state.read_started[docname] = time.time()
    state.read_now.add(docname)


def store_inputs(app, doctree) -> None:
    """doctree-read: hash the files the page's kernel read, and its source, into the
    environment.
    """
    state: BuildState = app.page_inputs_state
    env = app.env
    docname = env.docname
    os.environ.pop(RECORD_VARIABLE, None)
    names = read_record(record_file(state.root, docname), state.root)
    names.add(Path(env.doc2path(docname)).resolve().relative_to(state.root).as_posix())
    if not hasattr(env, "page_inputs"):
        env.page_inputs = {}
    # A fresh hash (not the cache): the file may have changed since the build started.
    env.page_inputs[docname] = hashes(
        state.root, names, state.read_started.get(docname)
    )
    if not hasattr(env, "page_inputs_quotes"):
        env.page_inputs_quotes = {}
    quoted = glue_sources(doctree, docname)
    if quoted:
        env.page_inputs_quotes[docname] = quoted
    else:
        env.page_inputs_quotes.pop(docname, None)


def glue_sources(doctree, docname: str) -> set[str]:
    """The other pages whose glued values this page shows (MyST-NB's pending
    cross-document glue nodes).
    """
    return {
        node["refdoc"]
        for node in doctree.findall()
        if type(node).__name__ == "PendingGlueReference"
        and node.get("refdoc") not in (None, docname)
    }


def purge(app, env, docname) -> None:
    getattr(env, "page_inputs", {}).pop(docname, None)
    getattr(env, "page_inputs_quotes", {}).pop(docname, None)


def merge(app, env, docnames, other) -> None:
    """env-merge-info (parallel reading): take the workers' records."""
    env.page_inputs = getattr(env, "page_inputs", {})
    env.page_inputs.update(
        {
            d: other.page_inputs[d]
            for d in docnames
            if d in getattr(other, "page_inputs", {})
        }
    )
    env.page_inputs_quotes = getattr(env, "page_inputs_quotes", {})
    env.page_inputs_quotes.update(
        {
            d: q
            for d, q in getattr(other, "page_inputs_quotes", {}).items()
            if d in docnames
        }
    )


def pages_to_rewrite(app, env) -> list[str]:
    """env-updated: every page after an interrupted build; else pages quoting glue of a
    page executed again.
    """
    state: BuildState = app.page_inputs_state
    if state.interrupted_before:
        return sorted(env.found_docs)
    quotes = getattr(env, "page_inputs_quotes", {})
    return sorted(
        docname
        for docname, quoted in quotes.items()
        if docname in env.found_docs
        and docname not in state.read_now
        and quoted & state.read_now
    )


def finish_build(app, exception) -> None:
    """build-finished: on success record the fingerprint and the page inputs, and clear
    the in-progress mark.
    """
    state: BuildState = app.page_inputs_state
    import resource

    own, kernels = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    logger().info(
        f"page_inputs: CPU of this build: {own.ru_utime + own.ru_stime:.1f} s in the "
        f"build process, {kernels.ru_utime + kernels.ru_stime:.1f} s in its kernels; "
        f"{len(state.read_now)} pages read"
    )
    if exception is None:
        inputs = {
            docname: getattr(app.env, "page_inputs", {}).get(docname, {})
            for docname in sorted(app.env.all_docs)
        }
        (state.build / INPUTS_JSON).write_text(
            json.dumps(inputs, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        (state.build / FINGERPRINT).write_text(state.fingerprint + "\n")
        (state.build / MARKER).unlink(missing_ok=True)
    else:
        import pickle

        if isinstance(exception, (pickle.UnpicklingError, EOFError)):
            logger().error(
                "page_inputs: the build's saved state in _build/.doctrees is damaged "
                f"({type(exception).__name__}: {exception}). Fix: delete it and build "
                "again: rm -rf _build/.doctrees (or `make clean`; every page then "
                "executes again)."
            )
    if state.lock_handle is not None:
        state.lock_handle.close()  # releases the lock
        state.lock_handle = None


def setup(app):
    app.connect("config-inited", start_build)
    app.connect("env-get-outdated", outdated_by_content)
    app.connect("source-read", point_kernel_at_record)
    app.connect("doctree-read", store_inputs)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-updated", pages_to_rewrite)
    app.connect("build-finished", finish_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "up-to-date":
        print(__doc__.split("Run as a script", 1)[1].strip(), file=sys.stderr)
        return 2
    root = Path(argv[1] if len(argv) > 1 else ".").resolve()
    current, reason = up_to_date(root)
    print(f"{'up to date' if current else 'build needed'}: {reason}")
    return 0 if current else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
