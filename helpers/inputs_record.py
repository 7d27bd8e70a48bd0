"""Record which project files this Python process reads, for the book build
(book/_ext/page_inputs.py).

While Sphinx reads a page, the build names a record file in the environment variable
NQPF_PAGE_INPUTS (and the project root in NQPF_PROJECT_ROOT); the page's kernel inherits
both. `import helpers` then installs an audit hook (PEP 578) that appends to that file
the path of every file under the project root that the kernel opens for reading: data
files, YAML, and the helper modules it imports (a compiled
`__pycache__/x.cpython-311.pyc` is recorded as the `x.py` it was compiled from). The
build hashes those files and executes the page again only when one of them changes by
content.

Outside a build (JupyterLab, pytest, Binder) the variable is unset and nothing is
installed.
"""

from __future__ import annotations

import os
import sys

RECORD_VARIABLE = "NQPF_PAGE_INPUTS"
ROOT_VARIABLE = "NQPF_PROJECT_ROOT"
# Folders under the root whose files are not inputs of a page (build products, tools'
# own state).
SKIPPED_FOLDERS = (
    "_build",
    ".git",
    ".venv",
    "outputs",
    ".pytest_cache",
    ".ipynb_checkpoints",
)
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

_installed = False


def source_of(path: str) -> str:
    """The .py file a compiled module came from: a/__pycache__/m.cpython-311.pyc ->
    a/m.py; other paths unchanged.
    """
    folder, name = os.path.split(path)
    if name.endswith(".pyc") and os.path.basename(folder) == "__pycache__":
        return os.path.join(os.path.dirname(folder), name.split(".", 1)[0] + ".py")
    return path


def is_read(mode, flags) -> bool:
    """True if an `open` audit event opens for reading only (io.open passes a mode,
    os.open only flags).
    """
    if isinstance(mode, str):
        return not any(letter in mode for letter in "wax+")
    return not (flags or 0) & WRITE_FLAGS


def make_hook(root: str, write):
    """An audit hook that calls write(path) once for every project file opened for
    reading under root.
    """
    root = os.path.realpath(root) + os.sep
    skipped = tuple(root + folder + os.sep for folder in SKIPPED_FOLDERS)
    seen: set[str] = set()

    def hook(event: str, args: tuple) -> None:
        if event != "open":
            return
        path, mode, flags = args
        if path is None or isinstance(path, int):
            return
        try:
            path = os.fsdecode(path)
            if not os.path.isabs(path):
                path = os.path.join(os.getcwd(), path)
            path = source_of(os.path.normpath(path))
        except (TypeError, ValueError, OSError):
            return
        if (
            path in seen
            or not path.startswith(root)
            or path.startswith(skipped)
            or ".egg-info" in path
            or not is_read(mode, flags)
        ):
            return
        seen.add(path)
        write(path)

    return hook


def install(environ=os.environ) -> bool:
    """Start recording if the build asked for it (NQPF_PAGE_INPUTS set); True if
    recording.
    """
    global _installed
    record, root = environ.get(RECORD_VARIABLE), environ.get(ROOT_VARIABLE)
    if _installed or not record or not root:
        return _installed
    # os.open/os.write, opened before the hook exists: writing the record never
    # re-enters the hook.
    descriptor = os.open(record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(path: str) -> None:
        os.write(descriptor, (path + "\n").encode("utf-8", "surrogateescape"))

    hook = make_hook(root, write)
    sys.addaudithook(hook)
    _installed = True
    # The package's own files were read before the hook existed.
    package = os.path.dirname(os.path.abspath(__file__))
    for name in ("__init__.py", "inputs_record.py"):
        hook("open", (os.path.join(package, name), "r", 0))
    return True
