"""``p2c-kiosk configure``: the kiosk's secrets (the SMTP password, the department server's token) and the server's
address, from the command line (its options are added by :mod:`kiosk.cli_notices`).

Each secret is read as one line of standard input (the SMTP password first, then the sync token, when both are
asked for) and never printed, logged or passed on a command line. Nothing is changed unless all of it can be:

1. kiosk.toml is read as it is (nothing is written yet), the options are checked and the secrets read;
2. a token (the new one, or with ``--server`` alone the one already kept) is shown to the server (``/whoami``): when
   the server refuses it, neither the address nor the token is kept (exit 5); a server that cannot be reached is a
   warning, and the settings are kept (the kiosk may be configured before it is on the network);
3. the secrets are stored through ``keyring``: the system keyring on a desktop; on a deployed kiosk (the keyring in
   use is :class:`kiosk.credentials_keyring.SystemdCredentialsKeyring`, which the unit and the ``p2c-kiosk``
   wrapper name) each is an encrypted systemd credential in ``/etc/credstore.encrypted``, which only root may write:
   there, without root, the command refuses at once and says to use sudo, and afterwards it says to restart the
   kiosk (a service's credentials are fixed while it runs);
4. then, run as root, it becomes the data folder's owner (:func:`kiosk.cli_common.leave_root`) before it writes the
   address into kiosk.toml (tomlkit: the comments and the layout are kept), so that neither kiosk.toml nor anything
   in the data folder becomes root's.

Exit codes: 0 done (also when the server could not be reached); 2 bad usage or input, a keyring that cannot take the
secret, or no root where it is needed; 5 the server refused the token.
"""

from __future__ import annotations

import argparse
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kiosk.cli_common import EXIT_BAD_INPUT, EXIT_OK, EXIT_SYNC_FAILED, PROGRAM, cli_texts, leave_root
from kiosk.config import CONFIG_FILE_NAME, Config, ConfigError
from kiosk.translation import N_

RESTART = "sudo systemctl restart p2c-kiosk"
COMMAND = f"{PROGRAM} configure"
ADD_KIOSK = "p2c-server kiosk add"  # prints a kiosk's token at the server
# Where a secret went: (as an encrypted systemd credential, in the system keyring).
STORED: dict[str, tuple[str, str]] = {
    "SMTP password": (N_("The SMTP password is stored as the encrypted systemd credential {path}."),
                      N_("The SMTP password is stored in the system keyring ({service} / {user}).")),
    "sync token": (N_("The sync token is stored as the encrypted systemd credential {path}."),
                   N_("The sync token is stored in the system keyring ({service} / {user}).")),
}


@dataclass(frozen=True)
class Asked:
    """What one ``configure`` run was asked to change, read and checked, nothing stored yet."""

    config: Config  # kiosk.toml as it will be
    new_text: str | None  # kiosk.toml's new text, when --server changes it
    smtp_password: str | None
    token: str | None  # a new token from standard input


def run_configure(home: Path, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """``p2c-kiosk configure`` (``runs_alone``: kiosk.cli.main opens no kiosk for it). See the module's help."""
    from kiosk.credentials_keyring import credentials_keyring_in_use

    texts = cli_texts()
    if not (args.smtp_password_stdin or args.server is not None or args.token_stdin):
        print(texts.gettext("{program}: nothing to configure; give --smtp-password-stdin, --server URL or "
                            "--token-stdin (see --help)").format(program=COMMAND), file=stderr)
        return EXIT_BAD_INPUT
    credentials = credentials_keyring_in_use()
    if credentials is not None and os.geteuid() != 0:
        print(texts.gettext("p2c-kiosk configure: this kiosk keeps its secrets as encrypted systemd credentials in "
                            "{folder}, which only root may write: run the command with sudo, e.g. `sudo p2c-kiosk "
                            "configure --server URL --token-stdin < token-file`").format(folder=credentials.credstore),
              file=stderr)
        return EXIT_BAD_INPUT
    asked = _read(home, args, stdin, stderr)
    if isinstance(asked, int):
        return asked

    # The token the server is asked about: the new one, or with --server alone the one already kept.
    token = asked.token
    if token is None and asked.new_text is not None:
        token = _kept_token(asked.config)
    known = _check_token(asked.config, token, stderr) if token is not None else None
    if known is False:
        return EXIT_SYNC_FAILED

    stored = _store(asked, stderr)
    if isinstance(stored, int):
        return stored

    leave_root(home)  # what needed root is done: nothing written from here on may be root's
    path = home / CONFIG_FILE_NAME
    if asked.new_text is not None:
        from kiosk.config import ensure_config_file
        from kiosk.settings_editor import write_config_text

        write_config_text(ensure_config_file(home), asked.new_text)
        print(texts.gettext("Sync server: {url} (written to {path}).").format(url=asked.config.sync.server_url,
                                                                              path=path), file=stdout)
    for line in stored:
        print(line, file=stdout)
    if token is None and asked.new_text is not None:
        print(texts.gettext("No sync token for {url} is kept yet: store it with `{command}`.").format(
            url=asked.config.sync.server_url, command=f"{COMMAND} --token-stdin"), file=stdout)
    if isinstance(known, str):
        print(known, file=stdout)
    if credentials is not None and (stored or asked.new_text is not None):
        print(texts.gettext("Restart the kiosk to use the new settings: {command}").format(command=RESTART),
              file=stdout)
    return EXIT_OK


def _read(home: Path, args: argparse.Namespace, stdin: TextIO, stderr: TextIO) -> Asked | int:
    """Step 1: the configuration as it will be and the secrets, checked; or the exit code after saying why not."""
    from kiosk.cli_config import refusal
    from kiosk.config import config_from_text, default_config_text

    texts = cli_texts()
    path = home / CONFIG_FILE_NAME
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else default_config_text()
        config = config_from_text(text, path)
    except ConfigError as exc:
        print(refusal(exc), file=stderr)
        return EXIT_BAD_INPUT
    except (OSError, UnicodeDecodeError) as exc:
        print(texts.gettext("{program}: cannot read {file}: {error}").format(program=COMMAND, file=path, error=exc),
              file=stderr)
        return EXIT_BAD_INPUT
    new_text = None
    if args.server is not None:
        try:
            new_text, config = _with_server(text, path, args.server)
        except ConfigError as exc:
            print(f"p2c-kiosk configure: {exc}", file=stderr)
            return EXIT_BAD_INPUT
    elif not config.sync.server_url and args.token_stdin:
        print(texts.gettext("sync.server_url: no department server in {path}; give it with --server URL (e.g. "
                            "`{command}`)").format(
            path=path, command=f"{COMMAND} --server https://records.example.gov/p2c --token-stdin"), file=stderr)
        return EXIT_BAD_INPUT
    smtp_password = None
    if args.smtp_password_stdin:
        smtp_password = stdin.readline().rstrip("\r\n")
        if not smtp_password:
            print(texts.gettext("smtp password: standard input gave an empty line; pipe the password in, e.g. "
                                "`{command}`").format(command=f"{COMMAND} --smtp-password-stdin < password-file"),
                  file=stderr)
            return EXIT_BAD_INPUT
    token = None
    if args.token_stdin:
        token = stdin.readline().rstrip("\r\n").strip()
        if not token:
            print(texts.gettext("sync token: standard input gave an empty line; pipe the token `{add_command}` "
                                "printed, e.g. `{command}`").format(
                add_command=ADD_KIOSK, command=f"{COMMAND} --server URL --token-stdin < token-file"), file=stderr)
            return EXIT_BAD_INPUT
        if any(character.isspace() for character in token):  # kiosk.sync.store_token's rule, checked before
            print(texts.gettext("sync token: not stored: token: give the token printed by `{add_command}` on one "
                                "line, without spaces").format(add_command=ADD_KIOSK), file=stderr)
            return EXIT_BAD_INPUT
    return Asked(config, new_text, smtp_password, token)


def _with_server(text: str, path: Path, server: str) -> tuple[str, Config]:
    """kiosk.toml's ``text`` with ``[sync] server_url`` set, and the configuration it gives; ConfigError when the
    address or the file is refused."""
    import tomlkit
    import tomlkit.exceptions

    from kiosk.config import config_from_text, server_url_problem

    url = server.strip().rstrip("/")
    problem = server_url_problem(url) if url else 'must be the server\'s address, such as "https://records.example.gov/p2c"'
    if problem:
        raise ConfigError(f"sync.server_url: {problem}")
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.TOMLKitError as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from exc
    if "sync" not in document:
        document.add("sync", tomlkit.table())
    document["sync"]["server_url"] = url
    new_text = tomlkit.dumps(document)
    return new_text, config_from_text(new_text, path)


def _kept_token(config: Config) -> str | None:
    """The token already kept for the kiosk's server (None when there is none), read without a warning: saying
    there is none is this command's to do."""
    from kiosk.keyring_secrets import KeyringUnavailable, get_secret
    from kiosk.sync.secrets import sync_keyring_user

    logging.disable(logging.WARNING)
    try:
        return get_secret(sync_keyring_user(config), "sync token", "")
    except KeyringUnavailable:
        return None
    finally:
        logging.disable(logging.NOTSET)


def _check_token(config: Config, token: str, stderr: TextIO) -> str | bool:
    """Step 2: ask the server whom ``token`` belongs to. False (said on stderr) when it refuses the token; True when
    the server cannot be reached now (a warning); otherwise the line that says which kiosk the server knows."""
    from kiosk.sync.client import SyncError, TokenRefused, client_for

    texts = cli_texts()
    try:
        with client_for(config, token) as client:
            who = client.whoami()
    except TokenRefused:
        print(texts.gettext("p2c-kiosk configure: the server at {url} refused the token (401); nothing was changed. "
                            "Check that it is the token `p2c-server kiosk add` printed for this kiosk and that it was "
                            "not revoked, then run `p2c-kiosk configure --token-stdin` again.").format(
            url=config.sync.server_url), file=stderr)
        return False
    except SyncError as exc:
        print(texts.gettext("warning: the token could not be checked now: {error}. The settings are stored; the kiosk "
                            "syncs once the server can be reached (`p2c-kiosk sync --once` tries now).").format(
            error=exc), file=stderr)
        return True
    number = who["kiosk_number"]
    if number != config.kiosk.number:
        print(texts.gettext("warning: this kiosk is number {number} in kiosk.toml ([kiosk] number), but the token is "
                            "kiosk {token_number}'s: the server refuses reports of another kiosk. Fix one of the "
                            "two.").format(number=config.kiosk.number, token_number=number), file=stderr)
    return texts.gettext("The server at {url} knows this token as kiosk “{name}” (number {number}).").format(
        url=config.sync.server_url, name=who["kiosk_name"], number=number)


def _store(asked: Asked, stderr: TextIO) -> list[str] | int:
    """Step 3: the secrets through keyring; the lines that say where each went, or the exit code after saying why
    not."""
    from kiosk.credentials_keyring import credential_id, credentials_keyring_in_use
    from kiosk.keyring_secrets import KEYRING_SERVICE, KeyringUnavailable
    from kiosk.notices.secrets import store_smtp_password
    from kiosk.sync.secrets import store_token

    credentials = credentials_keyring_in_use()
    texts = cli_texts()

    def where(what: str, user: str) -> str:
        name = credential_id(KEYRING_SERVICE, user)
        as_credential, in_keyring = STORED[what]
        if credentials is not None and name is not None:
            return texts.gettext(as_credential).format(path=credentials.path(name))
        return texts.gettext(in_keyring).format(service=KEYRING_SERVICE, user=user)

    lines = []
    try:
        if asked.smtp_password is not None:
            try:
                lines.append(where("SMTP password", store_smtp_password(asked.config, asked.smtp_password)))
            except ValueError as exc:
                print(f"{exc} ({CONFIG_FILE_NAME})", file=stderr)
                return EXIT_BAD_INPUT
        if asked.token is not None:
            try:
                lines.append(where("sync token", store_token(asked.config, asked.token)))
            except ValueError as exc:
                print(texts.gettext("sync token: not stored: {error}").format(error=exc), file=stderr)
                return EXIT_BAD_INPUT
    except KeyringUnavailable as exc:
        what = (texts.gettext("smtp password: not stored: {error}") if not lines and asked.smtp_password is not None
                else texts.gettext("sync token: not stored: {error}"))
        print(what.format(error=exc), file=stderr)
        return EXIT_BAD_INPUT
    return lines
