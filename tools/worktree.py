"""Copy the project's own files (what git tracks, plus new files git does not ignore) to
a scratch folder.

The benchmarks and the slow end-to-end tests run in such a copy, so they never touch the
working tree, its _build/ or its outputs/.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# Outside a git checkout (e.g. an unpacked archive), everything except what the build
# and tools make.
NOT_PROJECT = {
    ".git",
    ".venv",
    "_build",
    "outputs",
    ".pytest_cache",
    "__pycache__",
    ".ipynb_checkpoints",
}


def project_files(root: Path = ROOT) -> list[str]:
    """Relative paths of tracked files and of untracked files that .gitignore does not
    exclude.
    """
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
    )
    if listing.returncode != 0:  # not a git checkout
        return sorted(
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and not NOT_PROJECT & set(p.relative_to(root).parts)
        )
    names = listing.stdout.decode().split("\0")
    return sorted({name for name in names if name and (root / name).is_file()})


def copy_project(dest: Path, root: Path = ROOT) -> Path:
    """Copy the project files into dest (created), keeping modification times; return
    dest.
    """
    dest = Path(dest)
    for name in project_files(root):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    return dest
