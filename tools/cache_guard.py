"""Clear the notebook execution cache when anything a page depends on outside its own cells changes.

Jupyter Book's cache keys each page on its code cells only, so an edit in data/ or helpers/
would otherwise be served from stale outputs. We fingerprint those inputs and drop the cache
whenever the fingerprint moves; every page then executes again on the next build.
"""
from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = ROOT / "_build" / ".jupyter_cache"
FINGERPRINT_FILE = ROOT / "_build" / ".inputs-fingerprint"
WATCHED = [ROOT / "data", ROOT / "helpers", ROOT / "book" / "claims.yml", ROOT / "book" / "glossary.yml"]


def watched_files(paths: list[Path]) -> list[Path]:
    """Every file under the watched paths, sorted, skipping caches that Python writes itself."""
    found: list[Path] = []
    for path in paths:
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        found.extend(p for p in candidates if "__pycache__" not in p.parts)
    return found


def fingerprint(paths: list[Path], root: Path = ROOT) -> str:
    """SHA-256 over the relative path and bytes of every watched file."""
    digest = hashlib.sha256()
    for path in watched_files(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def stale_dirs(cache_dir: Path) -> list[Path]:
    """What a change of inputs makes stale: the execution cache and Sphinx's saved doctrees beside it.

    Clearing the cache alone is not enough: Sphinx re-reads only pages whose source file changed, so
    it would keep serving the old doctrees (and old outputs) without ever asking the cache again.
    """
    return [cache_dir, cache_dir.parent / ".doctrees"]


def main() -> int:
    current = fingerprint(WATCHED, ROOT)
    previous = FINGERPRINT_FILE.read_text().strip() if FINGERPRINT_FILE.exists() else None
    if previous != current and any(d.exists() for d in stale_dirs(CACHE_DIR)):
        for folder in stale_dirs(CACHE_DIR):
            shutil.rmtree(folder, ignore_errors=True)
        print("cache_guard: data/, helpers/ or claims changed: execution cache and doctrees cleared, "
              "every page executes again")
    FINGERPRINT_FILE.parent.mkdir(parents=True, exist_ok=True)
    FINGERPRINT_FILE.write_text(current + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
