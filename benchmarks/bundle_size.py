"""How big the PyInstaller bundle is: ``python benchmarks/bundle_size.py [--dist DIR] [--build] [--top N]``.

Prints the bundle's total size on disk (what ``du -sh dist/p2c-kiosk`` says), its size by kind of part (Qt's
libraries, QML modules, Qt plugins, other shared libraries, Python extension modules, Python code, data) and its
``--top`` largest files. Builds the bundle first (``pyinstaller build.spec``, as ``make bundle`` does) when
``--build`` is given or there is none yet. ``tests/test_bundle.py`` holds the bundle to at most 250 MiB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "p2c-kiosk"
MIB = 1024 * 1024


def build(dist: Path) -> float:
    """Build the bundle into ``dist`` (its work files in build/); returns the seconds it took."""
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    started = time.monotonic()
    subprocess.run([str(pyinstaller), "--noconfirm", "--log-level", "ERROR", "--distpath", str(dist), "build.spec"],
                   cwd=ROOT, check=True)
    return time.monotonic() - started


def disk_usage(path: Path) -> int:
    """Bytes on disk, as du counts them (allocated blocks; a symbolic link is not followed)."""
    return os.lstat(path).st_blocks * 512


def kind(relative: Path) -> str:
    """Which kind of part a file of the bundle is, by where it lies and what it is called."""
    parts = relative.parts
    name = relative.name
    if parts[0] != "_internal":
        return "the launcher and the Python code (PYZ)"
    inside = "/".join(parts[1:])
    if inside.startswith("PySide6/Qt/lib/"):
        return "Qt libraries (PySide6/Qt/lib)"
    if inside.startswith("PySide6/Qt/qml/"):
        return "QML modules (PySide6/Qt/qml)"
    if inside.startswith("PySide6/Qt/plugins/"):
        return "Qt plugins (PySide6/Qt/plugins)"
    if inside.startswith("PySide6/Qt/translations/"):
        return "Qt translations"
    if ".cpython-" in name or name.endswith(".abi3.so"):
        return "Python extension modules"
    if ".so" in name:
        return "other shared libraries (system, libpython, ICU...)"
    if name.endswith((".py", ".pyc", ".zip")):
        return "Python code (outside the PYZ)"
    return "data (tzdata, resources, certificates...)"


def measure(bundle: Path, top: int) -> None:
    files = [path for path in bundle.rglob("*") if path.is_file() and not path.is_symlink()]
    sizes = {path.relative_to(bundle): disk_usage(path) for path in files}
    total = sum(disk_usage(path) for path in bundle.rglob("*")) + disk_usage(bundle)
    du = subprocess.run(["du", "-sh", str(bundle)], capture_output=True, text=True, check=True).stdout.split()[0]
    print(f"{bundle}: {total / MIB:.1f} MiB on disk (du -sh: {du}), {len(files)} files")
    by_kind: Counter[str] = Counter()
    for relative, size in sizes.items():
        by_kind[kind(relative)] += size
    print("\nby kind:")
    for name, size in by_kind.most_common():
        print(f"  {size / MIB:8.1f} MiB  {name}")
    print(f"\nthe {top} largest files:")
    for relative, size in sorted(sizes.items(), key=lambda item: item[1], reverse=True)[:top]:
        print(f"  {size / MIB:8.1f} MiB  {relative}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the bundle is (default: dist/)")
    parser.add_argument("--build", action="store_true", help="build the bundle first, even if there is one")
    parser.add_argument("--top", type=int, default=10, help="how many of the largest files to list (default: 10)")
    args = parser.parse_args(argv)
    bundle = args.dist.resolve() / NAME
    if args.build or not (bundle / NAME).exists():
        print(f"building {bundle} (pyinstaller build.spec)...", flush=True)
        print(f"built in {build(args.dist.resolve()):.0f} s")
    measure(bundle, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
