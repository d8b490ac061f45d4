"""What the tests of deploy/ share: the folder, a program or a skip that says which package list brings it, and a
listing of a file tree that tells whether anything in it changed."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def program_or_skip(name: str) -> str:
    """The path of ``name``; skips without it on a developer's machine and fails in CI. `make test` installs it
    (scripts/debian-packages/deploy.txt)."""
    path = shutil.which(name)
    if path is not None:
        return path
    reason = f"{name} is not installed (scripts/debian-packages/deploy.txt; make test installs it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def root_or_skip() -> None:
    """The installer makes users and files owned by them, which only root can do."""
    if os.geteuid() != 0:
        pytest.skip("the installer needs root (it creates a system user and chowns its folders)")


def tree_listing(top: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under ``top``: its type, mode, owner, and for a file its size, modification time and SHA-256,
    for a link its target. Two listings are equal only when nothing was created, removed, rewritten, chmodded or
    chowned in between (a folder's own times are left out: they move when a temporary file comes and goes)."""
    listing: dict[str, tuple[object, ...]] = {}
    for folder, folders, files in os.walk(top):
        for name in folders + files:
            path = Path(folder) / name
            info = path.lstat()
            key = str(path.relative_to(top))
            common = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid)
            if stat.S_ISLNK(info.st_mode):
                listing[key] = (*common, os.readlink(path), info.st_mtime_ns)
            elif stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                listing[key] = (*common, info.st_size, info.st_mtime_ns, digest)
            else:
                listing[key] = common
    return listing
