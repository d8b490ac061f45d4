"""Fixtures for the printing tests: a real report store, documents read back with pypdf, the external tools
(pdftoppm, zbarimg) and the local CUPS scheduler with the virtual PDF printers of scripts/start-cups.sh.

A test that needs a tool or CUPS which is not there is skipped with the reason on a developer's machine, and fails
under CI (CI=true): CI must never pass by skipping the real printing tests.
"""

from __future__ import annotations

import getpass
import pwd
import re
import socket
from pathlib import Path

import pytest
from print_helpers import HELD_PRINTER, IPP_PORTS, PDF_PRINTER, STOPPED_PRINTER, require_tool, unavailable

TEST_PRINTERS = (PDF_PRINTER, STOPPED_PRINTER, HELD_PRINTER)


@pytest.fixture(scope="session")
def cups():
    """The local CUPS scheduler with the test printers, as scripts/start-cups.sh leaves it."""
    from printing.cups import CupsDispatcher
    from printing.ipp import IppError

    require_tool("lp", "cups-client")
    dispatcher = CupsDispatcher()
    try:
        missing = [name for name in TEST_PRINTERS if not dispatcher.printer_status(name).exists]
    except IppError as exc:
        unavailable(f"no CUPS scheduler answers ({exc}); run scripts/start-cups.sh (make test does)")
    if missing:
        unavailable(f"the test printers {', '.join(missing)} are missing; run scripts/start-cups.sh (make test does)")
    return dispatcher


@pytest.fixture(scope="session")
def cups_pdf_folder() -> Path:
    """Where cups-pdf writes the jobs of this test process's user (Out in /etc/cups/cups-pdf.conf)."""
    conf = Path("/etc/cups/cups-pdf.conf")
    out = "${HOME}/PDF"
    if conf.exists():
        for line in conf.read_text(encoding="utf-8", errors="replace").splitlines():
            match = re.match(r"\s*Out\s+(\S+)", line)
            if match:
                out = match.group(1)
    user = getpass.getuser()
    home = pwd.getpwnam(user).pw_dir
    return Path(out.replace("${HOME}", home).replace("${USER}", user))


@pytest.fixture(scope="session")
def ipp_printers(cups):
    """The IPP printers of scripts/start-ipp-printer.sh, each behind its CUPS queue, their ippeveprinter listening."""
    missing = [name for name in IPP_PORTS if not cups.printer_status(name).exists]
    if missing:
        unavailable(f"the IPP test printers {', '.join(missing)} are missing; run scripts/start-ipp-printer.sh")
    for name, port in IPP_PORTS.items():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        except OSError:
            unavailable(f"the printer behind {name} does not listen on port {port}; run scripts/start-ipp-printer.sh")
    return cups
