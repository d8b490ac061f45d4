"""The pytest side of the tests that need a real X server: a fresh Xvfb per test, and a child Python process that
runs the kiosk on it and prints ``KEY=value`` lines.

A missing Xvfb (or xdotool, for the tests that tap with it) skips the test on a developer's machine and fails it in
CI (``CI=true``), where scripts/debian-packages/gui.txt is always installed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import tool_or_skip

from ui.keyboard_driver import XDOTOOL, XVFB, virtual_display

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SIZE = (1280, 800)


def xvfb_or_skip() -> str:
    return tool_or_skip(XVFB)


def xdotool_or_skip() -> str:
    return tool_or_skip(XDOTOOL)


@contextlib.contextmanager
def xvfb_display(size: tuple[int, int] = DEFAULT_SIZE) -> Iterator[str]:
    """A fresh Xvfb with a screen of ``size`` on the first free display number (from :90), ended afterwards."""
    xvfb_or_skip()
    with contextlib.ExitStack() as stack:
        try:
            display = stack.enter_context(virtual_display(size))
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield display


@dataclass
class ChildRun:
    returncode: int
    stdout: str
    stderr: str

    def lines(self, key: str) -> list[str]:
        """Every value printed as ``key=value``, in order."""
        prefix = f"{key}="
        return [line[len(prefix):] for line in self.stdout.splitlines() if line.startswith(prefix)]

    def value(self, key: str) -> str | None:
        found = self.lines(key)
        return found[-1] if found else None

    def how_it_ended(self) -> str:
        """``exit code 0``, ``killed by SIGSEGV (exit -11)``..."""
        code = self.returncode
        if code < 0 or code > 128:
            number = -code if code < 0 else code - 128
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = f"signal {number}"
            return f"killed by {name} (exit {code})"
        return f"exit code {code}"

    def tracebacks(self) -> list[str]:
        """Each Python traceback in the child's stderr (where its log goes too), with the lines that follow it."""
        lines = self.stderr.splitlines()
        return ["\n".join(lines[i:i + 30]) for i, line in enumerate(lines) if "Traceback" in line]


def child_env(display: str, tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("QT_QPA_PLATFORM", "QT_IM_MODULE", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = display
    env["QT_IM_MODULE"] = "qtvirtualkeyboard"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    return env


def run_child(args: Sequence[str], display: str, tmp_path: Path, timeout: float) -> ChildRun:
    """Run ``python ARGS`` from the repository on ``display``; never raises on the child's exit code."""
    try:
        result = subprocess.run([sys.executable, *args], cwd=REPO, env=child_env(display, tmp_path),
                                capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr or ""
        pytest.fail(f"the child did not finish within {timeout} s\nstdout:\n{out[-4000:]}\nstderr:\n{err[-4000:]}")
    return ChildRun(result.returncode, result.stdout, result.stderr)
