"""The server's deployment files (deploy/server/, server/Containerfile; docs/server.md): systemd's own lint passes on
the units, the image installs every distribution the server imports, the compose file runs the server on PostgreSQL
with its URL from a secret, and the nightly pg_dump writes a dump pg_restore reads."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from server_support import POSTGRES_ENV, fresh_database_url

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "server"
CONTAINERFILE = ROOT / "server" / "Containerfile"
UNITS = ["p2c-server.service", "p2c-server-backup.service", "p2c-server-backup.timer"]
INSTALLED_AT = "/opt/p2c-server/bin/"


def _verify(unit: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``systemd-analyze verify`` of ``unit`` with its programs where this checkout has them (verify checks that
    ExecStart's program is executable; they are installed under /opt/p2c-server/bin on a server)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian: systemd)")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, target in (("p2c-server", Path(sys.executable).parent / "p2c-server"),
                         ("p2c-server-pg-dump", DEPLOY / "p2c-server-pg-dump")):
        if not (bin_dir / name).exists():
            (bin_dir / name).symlink_to(target)
    for name in UNITS:  # the timer names its service: verify loads it from the same folder
        text = (DEPLOY / name).read_text(encoding="utf-8").replace(INSTALLED_AT, f"{bin_dir}/")
        (tmp_path / name).write_text(text, encoding="utf-8")
    return subprocess.run([analyze, "verify", "--man=no", str(tmp_path / unit)], capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("unit", UNITS)
def test_systemd_analyze_verify_has_nothing_to_say(unit, tmp_path):
    result = _verify(unit, tmp_path)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


def test_the_lint_is_live(tmp_path):
    _verify("p2c-server.service", tmp_path)
    unit = tmp_path / "p2c-server.service"
    unit.write_text(unit.read_text(encoding="utf-8").replace("KillMode=mixed", "KillMode=gently"), encoding="utf-8")
    analyze = shutil.which("systemd-analyze")
    assert analyze is not None
    result = subprocess.run([analyze, "verify", "--man=no", str(unit)], capture_output=True, text=True, timeout=60)
    assert "kill mode" in result.stderr and "gently" in result.stderr


def test_the_unit_runs_workers_with_the_url_from_a_credential():
    text = (DEPLOY / "p2c-server.service").read_text(encoding="utf-8")
    assert re.search(r"^ExecStart=/opt/p2c-server/bin/p2c-server serve .*--workers \d+", text, re.M)
    assert "LoadCredentialEncrypted=db-url:" in text and "Environment=P2C_SERVER_DB_FILE=%d/db-url" in text
    assert "postgresql://" not in text and "--db" not in text


def _image_packages() -> set[str]:
    text = CONTAINERFILE.read_text(encoding="utf-8")
    command = text[text.index("pip install --only-binary=:all:"):].split("\n\n")[0]
    words = command.replace("\\\n", " ").replace("'", "").split()
    return {re.sub(r"\[.*\]", "", word).lower().replace("_", "-") for word in words[5:] if not word.startswith("-")}


def test_the_image_installs_every_distribution_the_server_imports():
    probe = (
        "import sys, importlib.metadata as m\n"
        "import server.cli, server.app, server.migrations, server.decisions, server.push_events\n"
        "import server.push_reports, server.audit_chain, server.listing, server.heartbeat, server.official_numbers\n"
        "import kiosk.translation\n"
        "owners = m.packages_distributions()\n"
        "print(' '.join(sorted({d for name in list(sys.modules) for d in owners.get(name.split('.')[0], [])})))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    imported = {name.lower().replace("_", "-") for name in result.stdout.split()}
    imported -= {"p2c-kiosk", "setuptools", "pip"}  # the code itself is copied; the rest come with Python
    installed = _with_requirements(_image_packages() | {"psycopg-binary"})  # psycopg[binary]
    assert imported <= installed, sorted(imported - installed)
    assert not {"pyside6-essentials", "pyside6-addons", "reportlab"} & installed


def _with_requirements(names: set[str]) -> set[str]:
    """``names`` and everything they require, as this virtualenv's metadata says (extras' and markers' too: more
    rather than less)."""
    from importlib import metadata

    from packaging.requirements import Requirement

    found: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requires:
            requirement = Requirement(text)
            if requirement.marker is None or "extra" not in str(requirement.marker):
                todo.append(requirement.name.lower().replace("_", "-"))
    return found


def test_the_compose_file_runs_the_server_on_postgresql_with_its_url_from_a_secret():
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    server, db = compose["services"]["server"], compose["services"]["db"]
    assert (DEPLOY / compose["services"]["server"]["build"]["context"] / server["build"]["dockerfile"]).resolve() == \
        CONTAINERFILE
    assert server["environment"]["P2C_SERVER_DB_FILE"] == "/run/secrets/db_url" and "db_url" in server["secrets"]
    assert server["depends_on"]["db"]["condition"] == "service_healthy"
    assert "--workers" in server["command"] and db["image"].startswith("docker.io/library/postgres:15")
    assert all(port.startswith("127.0.0.1:") for port in server["ports"])  # TLS ends at the proxy in front


def test_the_nightly_dump_is_one_pg_restore_reads(tmp_path):
    if not os.environ.get(POSTGRES_ENV) or not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip(f"needs {POSTGRES_ENV} and PostgreSQL's client tools")
    url = fresh_database_url("postgres", tmp_path)
    from server.db import open_database

    open_database(url).close()
    secret = tmp_path / "db-url"
    secret.write_text(url + "\n", encoding="utf-8")
    old = tmp_path / "dumps" / "p2c-server-20200101T000000Z.dump"
    old.parent.mkdir()
    old.write_bytes(b"old")
    os.utime(old, (0, 0))
    env = {key: value for key, value in os.environ.items() if key != "CREDENTIALS_DIRECTORY"}
    result = subprocess.run([sys.executable, str(DEPLOY / "p2c-server-pg-dump"), str(old.parent)], capture_output=True,
                            text=True, timeout=120, env=dict(env, P2C_SERVER_DB_FILE=str(secret)))
    assert result.returncode == 0, result.stderr
    dumps = list(old.parent.glob("p2c-server-*.dump"))
    assert len(dumps) == 1 and dumps[0] != old and dumps[0].stat().st_mode & 0o777 == 0o600
    listing = subprocess.run(["pg_restore", "--list", str(dumps[0])], capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0 and "TABLE public report" in listing.stdout and "schema_version" in listing.stdout
