"""The deployed kiosk's secrets: a ``keyring`` backend over systemd credentials, for a kiosk nobody logs in to.

The Secret Service keyring needs an unlocked login session, which a lobby kiosk never has. On a deployed kiosk
(deploy/p2c-kiosk.service) each secret is a credential encrypted with ``systemd-creds`` (bound to the TPM2 and the
host key where the machine has a TPM2, to the host key alone where not) and kept in ``/etc/credstore.encrypted/``.
When the service starts, systemd decrypts them into ``$CREDENTIALS_DIRECTORY`` (memory, readable by the service
alone), and this backend reads them there. The unit selects it with
``PYTHON_KEYRING_BACKEND=kiosk.credentials_keyring.SystemdCredentialsKeyring``; the code keeps using ``keyring`` as
its one API (:mod:`kiosk.keyring_secrets`).

- In the service it is read-only: credentials are fixed for the life of the service. A missing or empty credential
  gives None with one warning that names the secret and the command that sets it; there is never a fallback to a
  file in clear.
- Outside the service, as root (``sudo p2c-kiosk configure ...``), it reads and writes the encrypted files in the
  credential store with ``systemd-creds``: the secret goes to and from it through a pipe, never as an argument, in
  the environment or in a file in clear. The running kiosk picks a new secret up when it is restarted.

A keyring entry maps to a credential by the kind of its user name (the part before the first ``:``; see
:mod:`kiosk.sync.secrets` and :mod:`kiosk.notices.secrets`): ``sync:URL`` is ``server-token``, ``smtp:USER@HOST``
is ``smtp-password``, ``storage-key`` (the database's key) is itself. A kiosk has one server and one mail account,
so the credential holds the secret alone; the unit lists the same names in ``LoadCredentialEncrypted=``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError, PasswordSetError

from kiosk.keyring_secrets import KEYRING_SERVICE

log = logging.getLogger(__name__)

CREDENTIALS_ENV = "CREDENTIALS_DIRECTORY"
BACKEND_NAME = "kiosk.credentials_keyring.SystemdCredentialsKeyring"  # what PYTHON_KEYRING_BACKEND says
CREDSTORE = Path("/etc/credstore.encrypted")
# Another credential store than CREDSTORE, for tests (a scratch folder instead of the machine's /etc).
CREDSTORE_ENV = "P2C_KIOSK_CREDSTORE"
FILE_PREFIX = "p2c-kiosk."  # /etc/credstore.encrypted/p2c-kiosk.server-token

# The kind of a keyring user name -> the credential that holds its secret.
CREDENTIAL_KINDS: Mapping[str, str] = {
    "sync": "server-token",
    "smtp": "smtp-password",
    "storage-key": "storage-key",
    "storage-key-next": "storage-key-next",  # the new key while `p2c-kiosk rekey` rotates it (kiosk.storage.key)
}
CREDENTIAL_IDS: tuple[str, ...] = tuple(CREDENTIAL_KINDS.values())
# Absent as a rule: no warning when there is none, and not "missing" for the status or doctor.
USUALLY_ABSENT = frozenset({"storage-key-next"})
# What sets each one (said in the warning when it is missing).
SET_BY: Mapping[str, str] = {
    "server-token": "sudo p2c-kiosk configure --server URL --token-stdin",
    "smtp-password": "sudo p2c-kiosk configure --smtp-password-stdin",
    "storage-key": "deploy/install.sh (it makes the key on a new kiosk; on a kiosk with data, restore the file "
                   "from your backup of /etc/credstore.encrypted)",
    "storage-key-next": "p2c-kiosk rekey",
}


def credential_id(service: str, username: str) -> str | None:
    """The credential that holds the secret of keyring entry (``service``, ``username``); None when none does."""
    if service != KEYRING_SERVICE:
        return None
    return CREDENTIAL_KINDS.get(username.split(":", 1)[0])


class SystemdCredentialsKeyring(KeyringBackend):
    """Read the kiosk's secrets from systemd credentials (in the service), or from the encrypted credential store
    (as root, outside it); write them, as root, into that store. See the module's help."""

    def __init__(self, credentials_directory: Path | None = None, credstore: Path | None = None,
                 systemd_creds: str = "systemd-creds", environ: Mapping[str, str] | None = None) -> None:
        # keyring's own __init__ only copies KEYRING_PROPERTY_* variables onto the backend: not wanted here (where
        # the secrets are is the unit's business), so it is not called.
        env = os.environ if environ is None else environ
        found = credentials_directory or env.get(CREDENTIALS_ENV)
        self.credentials_directory = Path(found) if found else None
        self.credstore = credstore or Path(env.get(CREDSTORE_ENV) or CREDSTORE)
        self.systemd_creds = systemd_creds
        # What root decrypted from the credential store, kept for this process: `sudo p2c-kiosk doctor` reads the
        # secrets as root, then becomes the kiosk's user, and still opens the database with its key.
        self._decrypted: dict[str, str] = {}

    @properties.classproperty
    def priority(cls) -> float:
        # Never chosen by keyring's own search: only when the unit names it, or inside a service with credentials.
        named = os.environ.get("PYTHON_KEYRING_BACKEND") == BACKEND_NAME
        if not named and not os.environ.get(CREDENTIALS_ENV):
            raise RuntimeError("no systemd credentials here (not a service with LoadCredentialEncrypted=)")
        return 1

    def get_password(self, service: str, username: str) -> str | None:
        name = credential_id(service, username)
        if name is None:
            log.warning("no systemd credential holds the keyring entry %s/%s (known: %s)", service,
                        username.split(":", 1)[0], ", ".join(CREDENTIAL_IDS))
            return None
        if self.credentials_directory is not None:
            return self._from_service(name)
        return self._from_credstore(name)

    def set_password(self, service: str, username: str, password: str) -> None:
        name = credential_id(service, username)
        if name is None:
            raise PasswordSetError(f"no systemd credential holds the keyring entry {service}/"
                                   f"{username.split(':', 1)[0]} (known: {', '.join(CREDENTIAL_IDS)})")
        if self.credentials_directory is not None:
            raise PasswordSetError("the kiosk's service reads its secrets from systemd credentials, fixed while it "
                                   f"runs: set {name} from a shell with `{SET_BY[name]}`, then restart the kiosk")
        with as_root():
            if os.geteuid() != 0:
                raise PasswordSetError(f"writing the encrypted credential {self.path(name)} needs root: run the "
                                       "command with sudo")
            encrypt_credential(name, password, self.path(name), systemd_creds=self.systemd_creds)
        self._decrypted.pop(name, None)
        log.info("stored the secret %s as an encrypted credential (%s); restart the kiosk to use it "
                 "(sudo systemctl restart p2c-kiosk)", name, self.path(name))

    def delete_password(self, service: str, username: str) -> None:
        name = credential_id(service, username)
        with as_root():
            if name is None or self.credentials_directory is not None or os.geteuid() != 0:
                raise PasswordDeleteError("only root, outside the kiosk's service, can remove a credential")
            self._decrypted.pop(name, None)
            try:
                self.path(name).unlink()
            except FileNotFoundError as exc:
                raise PasswordDeleteError(f"there is no credential {self.path(name)}") from exc

    def prefetch(self) -> list[str]:
        """Outside the service, as root: decrypt every credential there is, and keep them for this process, before
        the process becomes the kiosk's user (which cannot read the credential store). The names read."""
        if self.credentials_directory is not None or os.geteuid() != 0:
            return []
        return [name for name in CREDENTIAL_IDS if self.path(name).is_file() and self._from_credstore(name)]

    def path(self, name: str) -> Path:
        """Where the encrypted credential ``name`` is kept."""
        return self.credstore / f"{FILE_PREFIX}{name}"

    def missing(self) -> list[str]:
        """The credentials the service was given none of, or an empty one (for the status line and ``doctor``).
        Outside the service: the ones with no file in the credential store."""
        if self.credentials_directory is None:
            return [name for name in CREDENTIAL_IDS if name not in USUALLY_ABSENT and not self.path(name).is_file()]
        directory = self.credentials_directory
        return [name for name in CREDENTIAL_IDS
                if name not in USUALLY_ABSENT and not _read_text_or_nothing(directory / name)]

    def _from_service(self, name: str) -> str | None:
        assert self.credentials_directory is not None
        path = self.credentials_directory / name
        try:
            secret = _read_text(path)
        except OSError as exc:
            if name in USUALLY_ABSENT:
                return None
            log.warning("secret %s missing: the kiosk's service has no credential %s (%s). Set it with `%s`, "
                        "then restart the kiosk.", name, name, exc.__class__.__name__, SET_BY[name])
            return None
        if not secret:
            if name in USUALLY_ABSENT:
                return None
            log.warning("secret %s missing: %s has no file, so the service started without it. Set it with "
                        "`%s`, then restart the kiosk.", name, self.path(name), SET_BY[name])
            return None
        return secret

    def _from_credstore(self, name: str) -> str | None:
        if name in self._decrypted:
            return self._decrypted[name]
        with as_root():
            return self._decrypt(name)

    def _decrypt(self, name: str) -> str | None:
        path = self.path(name)
        if not path.is_file():
            if name in USUALLY_ABSENT:
                return None
            log.warning("secret %s missing: no credential %s. Set it with `%s`.", name, path, SET_BY[name])
            return None
        if not os.access(path, os.R_OK):
            log.warning("secret %s: %s is readable by root only; outside the kiosk's service run the command "
                        "with sudo", name, path)
            return None
        result = subprocess.run([self.systemd_creds, "decrypt", f"--name={name}", str(path), "-"],
                                capture_output=True, timeout=30, check=False)
        if result.returncode != 0:
            said = result.stderr.decode(errors="replace").strip().splitlines()
            log.warning("secret %s: systemd-creds cannot decrypt %s: %s", name, path, said[-1] if said else "")
            return None
        secret = _strip_newline(result.stdout.decode())
        if not secret:
            return None
        self._decrypted[name] = secret
        return secret


@contextlib.contextmanager
def as_root() -> Iterator[None]:
    """Root again for the block, in a process that became the kiosk's user with root in reserve (its saved user id:
    ``sudo p2c-kiosk rekey``, kiosk.cli_common.leave_root), so that it can write the credentials, which are root's,
    while it writes nothing else as root. Otherwise the block runs as the process is."""
    user_ids, group_ids = os.getresuid(), os.getresgid()
    if os.geteuid() == 0 or user_ids[2] != 0:
        yield
        return
    os.setresuid(0, 0, 0)  # all three: systemd-creds, started from here, checks the real ids too
    os.setresgid(0, 0, 0)
    try:
        yield
    finally:
        os.setresgid(*group_ids)
        os.setresuid(*user_ids)


def credentials_keyring_in_use() -> SystemdCredentialsKeyring | None:
    """The keyring ``keyring`` uses, when it is this backend (a deployed kiosk: the unit and the ``p2c-kiosk``
    wrapper set PYTHON_KEYRING_BACKEND); None on a desktop, or when no keyring can even be loaded."""
    import keyring

    try:
        backend = keyring.get_keyring()
    except Exception:  # a PYTHON_KEYRING_BACKEND that cannot be loaded: not this backend, whatever it is
        return None
    return backend if isinstance(backend, SystemdCredentialsKeyring) else None


def encrypt_credential(name: str, secret: str, path: Path, *, with_key: str = "auto",
                       systemd_creds: str = "systemd-creds") -> None:
    """Encrypt ``secret`` with ``systemd-creds`` as the credential ``name`` (the name is sealed in: systemd refuses
    it under another) and put it at ``path`` atomically, mode 0600. ``with_key``: systemd-creds's choice ("auto":
    the TPM2 and the host key where there is a TPM2, the host key alone where not). The secret reaches systemd-creds
    on its standard input only."""
    if not secret or "\n" in secret or "\r" in secret:
        raise ValueError(f"{name}: a secret is one line, not empty")
    result = subprocess.run([systemd_creds, "encrypt", f"--name={name}", f"--with-key={with_key}", "-", "-"],
                            input=secret.encode(), capture_output=True, timeout=60, check=False)
    if result.returncode != 0:
        raise PasswordSetError(f"systemd-creds could not encrypt {name}: "
                               f"{result.stderr.decode(errors='replace').strip()}")
    temporary = path.with_name(path.name + ".new")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(descriptor, result.stdout)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temporary, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _read_text(path: Path) -> str:
    """A credential's text, without the newline an ``echo`` into systemd-creds leaves at its end."""
    return _strip_newline(path.read_text(encoding="utf-8"))


def _read_text_or_nothing(path: Path) -> str:
    try:
        return _read_text(path)
    except OSError:
        return ""


def _strip_newline(text: str) -> str:
    return text.removesuffix("\n").removesuffix("\r")
