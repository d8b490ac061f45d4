"""``p2c-kiosk rekey``: rotate the storage key that encrypts the database, its backups and the spool folder
(kiosk/rekey.py says in which order, and what a crash at each point leaves). Audited as ``storage_key_rotated``.

Run it with the kiosk stopped (``systemctl stop p2c-kiosk``): the database must not be open elsewhere, or nothing is
changed and the command says so. Run again after an interruption, it finishes the rotation.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from kiosk.cli_common import EXIT_BAD_INPUT, EXIT_OK, PROGRAM, cli_texts, current_user
from kiosk.config import CONFIG_FILE_NAME
from kiosk.storage.errors import StoreError

if TYPE_CHECKING:
    from kiosk.home import Kiosk


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rekey = commands.add_parser("rekey", help="rotate the storage key (stop the kiosk first); back up the new key")
    # The database is opened (and re-encrypted) by the rotation itself, never held open by the command line.
    # On a deployed kiosk it writes the new key's credentials, root's, as it goes: run with sudo, it keeps a way back
    # to root for them alone (kiosk.cli_common.leave_root).
    rekey.set_defaults(handler=run_rekey, open_store=False, writes_credentials=True)


def run_rekey(kiosk: Kiosk, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from kiosk.rekey import finish_rotation, rotate_key
    from kiosk.storage.database import RotationInterrupted

    texts = cli_texts()
    if not kiosk.config.storage.encrypted:
        print(texts.gettext('{program}: {file} says [storage] encryption = "off": there is no key to rotate').format(
            program=f"{PROGRAM} rekey", file=CONFIG_FILE_NAME), file=stderr)
        return EXIT_BAD_INPUT
    try:
        try:
            rotation = rotate_key(kiosk.home, kiosk.clock, actor=f"cli:{current_user()}")
            done = texts.gettext("Storage key rotated")
        except RotationInterrupted:
            rotation = finish_rotation(kiosk.home, kiosk.clock)
            done = texts.gettext("An interrupted key rotation was finished")
    except StoreError as exc:
        print(f"p2c-kiosk rekey: {exc}", file=stderr)
        return EXIT_BAD_INPUT
    print(texts.gettext(
        "{done}: key id {old} -> {new}; the database, {backups} backup(s) and {spooled} spooled file(s) are under the "
        "new key. Back up the new key now (docs/encryption.md): the old one opens nothing any more.").format(
        done=done, old=rotation.old_key_id or texts.gettext("unknown"), new=rotation.new_key_id,
        backups=rotation.backups, spooled=rotation.spool_files), file=stdout)
    return EXIT_OK
