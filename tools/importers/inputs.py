"""The recorded list of input files (sources/inputs.csv): verify a folder against it,
fetch what can be fetched from pinned upstream addresses, and record a folder's files
after a deliberate change of inputs.

Columns of sources/inputs.csv:
  path                 the file's path under the sources folder (POSIX, relative)
  sha256, bytes        of the file as the import expects it
  upstream_repository  GitHub owner/name the file comes from ('' for pages gathered by
                       hand)
  upstream_commit      the pinned commit
  upstream_path        the file's path in that repository at that commit
  relation             copy = the same bytes as the upstream file (fetchable);
                       converted = made from the upstream file by the gatherer (format
                       or encoding change, extraction; see the folder's PROVENANCE.md);
                       gathered = compiled by hand from the public pages named in its
                       rows
  note                 what the conversion was, where it is documented
"""

from __future__ import annotations

import csv
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

INPUTS_FILE = Path(__file__).resolve().parents[2] / "sources" / "inputs.csv"
COLUMNS = [
    "path",
    "sha256",
    "bytes",
    "upstream_repository",
    "upstream_commit",
    "upstream_path",
    "relation",
    "note",
]
RAW_URL = "https://raw.githubusercontent.com/{repository}/{commit}/{path}"


@dataclass(frozen=True)
class Input:
    """One recorded input file."""

    path: str
    sha256: str
    bytes: int
    upstream_repository: str
    upstream_commit: str
    upstream_path: str
    relation: str
    note: str

    def url(self) -> str:
        """Raw download address at the pinned commit ('' unless the file is a plain copy
        of an upstream file).
        """
        if self.relation != "copy" or not (
            self.upstream_repository and self.upstream_path
        ):
            return ""
        return RAW_URL.format(
            repository=self.upstream_repository,
            commit=self.upstream_commit,
            path=urllib.parse.quote(self.upstream_path),
        )


class InputError(Exception):
    """An input folder that does not match the recorded list (the message names every
    file concerned).
    """


def sha256_of(path: Path) -> str:
    """SHA-256 hex digest of a file (the project's one hashing function,
    helpers.data.sha256_of).
    """
    from helpers.data import sha256_of as project_sha256

    return project_sha256(path)


def recorded(path: Path = INPUTS_FILE) -> list[Input]:
    """The recorded inputs, in file order."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [Input(**{**row, "bytes": int(row["bytes"])}) for row in rows]


def problems(sources: Path, inputs: list[Input]) -> list[str]:
    """One line per listed file that is missing from the folder or whose SHA-256
    differs.
    """
    out = []
    for item in inputs:
        path = sources / item.path
        if not path.is_file():
            out.append(
                f"{path}: missing (listed in sources/inputs.csv with sha256 "
                f"{item.sha256})"
            )
            continue
        found = sha256_of(path)
        if found != item.sha256:
            out.append(
                f"{path}: checksum differs: expected sha256 {item.sha256} "
                f"({item.bytes} bytes, sources/inputs.csv), found {found} "
                f"({path.stat().st_size} bytes)"
            )
    return out


def verify(sources: Path, inputs: list[Input] | None = None) -> None:
    """Raise InputError naming every missing or changed input; return quietly if the
    folder matches.
    """
    inputs = recorded() if inputs is None else inputs
    if not sources.is_dir():
        raise InputError(
            f"{sources}: not a folder (give the folder of inputs: make data "
            "SOURCES=folder)"
        )
    found = problems(sources, inputs)
    if found:
        raise InputError(
            f"refusing to import: {len(found)} input file(s) do not match "
            "sources/inputs.csv\n" + "\n".join(found)
        )


def check_used(
    sources: Path, used: set[Path], inputs: list[Input] | None = None
) -> None:
    """Raise InputError if the import read a file the list does not name, or never read
    a listed one.
    """
    inputs = recorded() if inputs is None else inputs
    listed = {item.path for item in inputs}
    read = {Path(p).resolve().relative_to(sources.resolve()).as_posix() for p in used}
    unlisted, unread = sorted(read - listed), sorted(listed - read)
    if unlisted or unread:
        raise InputError(
            "the inputs read differ from sources/inputs.csv:"
            + "".join(f"\n  read but not listed: {p}" for p in unlisted)
            + "".join(f"\n  listed but not read: {p}" for p in unread)
        )


def fetch(
    target: Path, inputs: list[Input] | None = None, opener=urllib.request.urlopen
) -> list[str]:
    """Download every plain-copy input into target (checked by SHA-256); return the
    paths that cannot be fetched.

    Converted and gathered inputs have no upstream file with the same bytes: they must
    come from the project's gathered-sources folder (see README, data section).
    """
    inputs = recorded() if inputs is None else inputs
    missing = []
    for item in inputs:
        path = target / item.path
        if path.is_file() and sha256_of(path) == item.sha256:
            continue
        if not item.url():
            missing.append(item.path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        try:
            with opener(item.url(), timeout=60) as response:
                partial.write_bytes(response.read())
        except OSError as err:  # URLError, HTTP errors and timeouts are OSErrors
            partial.unlink(missing_ok=True)
            raise InputError(
                f"{item.url()}: could not download {item.path} ({err}); are you "
                "online? Or copy the inputs into the folder by hand and use make data "
                "SOURCES=folder"
            ) from None
        digest = sha256_of(partial)
        if digest != item.sha256:
            partial.unlink()
            raise InputError(
                f"{item.url()}: downloaded file has sha256 {digest}, expected "
                f"{item.sha256} ({item.path} in sources/inputs.csv)"
            )
        partial.replace(path)
    return missing


def record(
    sources: Path,
    used: set[Path],
    upstream: dict[str, tuple[str, str, str, str, str]],
    path: Path = INPUTS_FILE,
) -> None:
    """Write sources/inputs.csv for the files the import read (after a deliberate change
    of inputs).

    upstream: relative path -> (repository, commit, upstream path, relation, note); the
    previous list's entries are kept for files that are still read.
    """
    rows = []
    for file in sorted(Path(p).resolve() for p in used):
        relative = file.relative_to(sources.resolve()).as_posix()
        repository, commit, upstream_path, relation, note = upstream.get(
            relative, ("", "", "", "", "")
        )
        rows.append(
            [
                relative,
                sha256_of(file),
                file.stat().st_size,
                repository,
                commit,
                upstream_path,
                relation,
                note,
            ]
        )
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
