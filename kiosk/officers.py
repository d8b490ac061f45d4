"""Officer accounts: who may open officer mode, their argon2id password hashes, the lock-out and the admin actions.

- Usernames: 2 to 32 lower-case letters, digits, dots, dashes and underscores (typed in any case, stored lower-case).
- Passwords: at least 10 characters, not the username and not containing it, not on the bundled list of the 10,000
  most common passwords (``resources/common-passwords.txt``), compared case-insensitively.
- Lock-out (CJIS AC-7): five failed logins for one account within 15 minutes, counted since its last successful
  login or unlock, lock it (``locked_at``) until an administrator unlocks it. A locked or disabled account refuses
  even the right password, and every refusal is the same message (``login.refused``), so the door never tells
  whether a username exists, is locked or is disabled. An unknown username costs the same argon2 work as a known one.
  Stored failures that can no longer count are deleted: an account's at its successful login or unlock, and, at every
  login, unlock or failure, those older than the window of the account that failed and of unknown usernames (the
  audit log keeps each failure).
- Admin actions take ``by``: an administrator's :class:`OfficerSession` or ``"cli:<os user>"`` for the local CLI
  (whoever can run it can already read the database). The first administrator is added from the CLI.
- Each account keeps the language of the officer's own screens (``language``: the source language, or any language
  with an installed catalogue), chosen by the officer (or set by an administrator or the CLI) with
  :meth:`OfficerService.set_language`. It is about the officer's screens only: what the citizen is sent stays in the
  report's language.
- Every event is written to the audit log in the transaction of the change it records; no password, and no
  username that matched no account, is ever written there.
"""

from __future__ import annotations

import logging
import re
import secrets
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import peewee as pw
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.audit import AuditLog
from kiosk.clock import Clock
from kiosk.messages import Problem
from kiosk.resources import resource_path
from kiosk.storage import StoreError
from kiosk.storage.database import Store
from kiosk.storage.models import Officer as OfficerRow
from kiosk.translation import PSEUDO_LANGUAGES, SOURCE_LANGUAGE, catalogues

ROLES = ("officer", "admin")
USERNAME_PATTERN = re.compile(r"[a-z0-9._-]{2,32}")
PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128  # argon2 takes any length; the limit keeps a pasted novel from being hashed
USERNAME_IN_PASSWORD_MIN = 3  # a 2-letter username ("al") is not looked for inside passwords, only compared whole
DISPLAY_NAME_MAX = 80
BADGE_MAX = 20
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = timedelta(minutes=15)
COMMON_PASSWORDS_FILE = "common-passwords.txt"
UNKNOWN_SUBJECT = "unknown"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OfficerAccount:
    id: int
    username: str
    display_name: str
    badge_number: str
    role: str  # "officer" | "admin"
    active: bool
    locked: bool
    language: str = SOURCE_LANGUAGE  # the language of the officer's own screens

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class OfficerSession:
    officer: OfficerAccount
    started_at: datetime

    @property
    def username(self) -> str:
        return self.officer.username

    @property
    def display_name(self) -> str:
        return self.officer.display_name

    @property
    def is_admin(self) -> bool:
        return self.officer.is_admin

    @property
    def actor(self) -> str:
        return f"officer:{self.officer.username}"


class LoginRefused(Exception):
    """The login did not succeed. One message for every cause (wrong password, unknown username, locked, disabled)."""

    def __init__(self) -> None:
        super().__init__("login refused")
        self.problem = Problem("", "login.refused")


class OfficerError(Exception):
    """An officer action was refused: ``problems`` lists every reason (``problem`` is the first)."""

    def __init__(self, problems: Problem | list[Problem]) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.problem = self.problems[0]
        super().__init__("; ".join(str(p) for p in self.problems))


class PasswordRejected(OfficerError):
    """The new password breaks the policy; every problem is on the field ``password``."""


class NotAllowed(Exception):
    """Someone who is not an (active) administrator tried an admin action."""

    def __init__(self) -> None:
        super().__init__("only an administrator may do this")
        self.problem = Problem("", "officer.not_allowed")


@lru_cache(maxsize=4)
def load_common_passwords(path: Path) -> frozenset[str]:
    """The lower-cased passwords in ``path`` (one a line; lines starting with # are comments)."""
    with path.open(encoding="utf-8") as lines:
        return frozenset(s.lower() for s in (line.strip() for line in lines) if s and not s.startswith("#"))


def normalize_username(username: str) -> str:
    return username.strip().lower()


class OfficerService:
    def __init__(self, store: Store, clock: Clock, audit: AuditLog, hasher: PasswordHasher | None = None,
                 common_passwords: Path | None = None) -> None:
        self._store = store
        self._clock = clock
        self._audit = audit
        self._hasher = hasher or PasswordHasher()  # argon2id with argon2-cffi's default (RFC 9106 low-memory) cost
        self._common_path = common_passwords or resource_path(COMMON_PASSWORDS_FILE)
        self._dummy: str | None = None

    # --- reading ---------------------------------------------------------------------------------------------------

    def has_admin(self) -> bool:
        officer = self._store.models.Officer
        return officer.select().where((officer.role == "admin") & (officer.active == True)).exists()  # noqa: E712

    def list_officers(self) -> list[OfficerAccount]:
        officer = self._store.models.Officer
        return [self._account(row) for row in officer.select().order_by(officer.username)]

    def find(self, username: str) -> OfficerAccount | None:
        row = self._row(username)
        return None if row is None else self._account(row)

    def languages(self) -> tuple[str, ...]:
        """The languages an officer may choose for their screens: the source language and every installed
        catalogue."""
        return catalogues().installed()

    def password_problems(self, username: str, password: str) -> list[Problem]:
        """Every way ``password`` breaks the policy for ``username`` (empty when it is fine)."""
        problems = []
        lowered = password.lower()
        name = normalize_username(username)
        if len(password) < PASSWORD_MIN_LENGTH:
            problems.append(Problem("password", "password.too_short", {"min": PASSWORD_MIN_LENGTH}))
        if len(password) > PASSWORD_MAX_LENGTH:
            problems.append(Problem("password", "password.too_long", {"max": PASSWORD_MAX_LENGTH}))
        if name and (lowered == name or (len(name) >= USERNAME_IN_PASSWORD_MIN and name in lowered)):
            problems.append(Problem("password", "password.is_username"))
        common = load_common_passwords(self._common_path)
        if lowered in common or lowered.strip() in common:
            problems.append(Problem("password", "password.common"))
        return problems

    # --- admin actions ---------------------------------------------------------------------------------------------

    def add(self, username: str, display_name: str, badge_number: str, password: str, *, role: str = "officer",
            by: OfficerSession | str) -> OfficerAccount:
        actor = self._admin_actor(by)
        name = normalize_username(username)
        display_name, badge_number = display_name.strip(), badge_number.strip()
        problems = []
        if not USERNAME_PATTERN.fullmatch(name):
            problems.append(Problem("username", "officer.username_invalid"))
        elif self._row(name) is not None:
            problems.append(Problem("username", "officer.username_taken", {"username": name}))
        if not display_name:
            problems.append(Problem("display_name", "officer.display_name_required"))
        elif len(display_name) > DISPLAY_NAME_MAX:
            problems.append(Problem("display_name", "officer.display_name_too_long", {"max": DISPLAY_NAME_MAX}))
        if not badge_number:
            problems.append(Problem("badge_number", "officer.badge_required"))
        elif len(badge_number) > BADGE_MAX:
            problems.append(Problem("badge_number", "officer.badge_too_long", {"max": BADGE_MAX}))
        if role not in ROLES:
            problems.append(Problem("role", "officer.role_invalid"))
        password_problems = self.password_problems(name, password)
        if problems:
            raise OfficerError(problems + password_problems)
        if password_problems:
            raise PasswordRejected(password_problems)
        password_hash = self._hasher.hash(password)  # before the transaction: it takes a while
        now = self._clock.now()
        officer = self._store.models.Officer
        try:
            with self._store.db.atomic("IMMEDIATE"):
                if officer.select().where(officer.username == name).exists():
                    raise OfficerError(Problem("username", "officer.username_taken", {"username": name}))
                row = officer.create(username=name, display_name=display_name, badge_number=badge_number, role=role,
                                     password_hash=password_hash, active=True, locked_at=None, created_at=now,
                                     password_changed_at=now)
                self._audit.record(actor, "officer_added", name, role=role)
        except pw.DatabaseError as exc:
            raise StoreError("the officer account could not be stored") from exc
        return self._account(row)

    def disable(self, username: str, *, by: OfficerSession | str) -> None:
        actor = self._admin_actor(by)
        with self._write():
            row = self._existing(username)
            if not row.active:
                return
            self._keep_an_admin(row, leaving=True)
            self._update(row, active=False)
            self._audit.record(actor, "officer_disabled", row.username)

    def enable(self, username: str, *, by: OfficerSession | str) -> None:
        actor = self._admin_actor(by)
        with self._write():
            row = self._existing(username)
            if row.active:
                return
            self._update(row, active=True)
            self._audit.record(actor, "officer_enabled", row.username)

    def unlock(self, username: str, *, by: OfficerSession | str) -> None:
        """Lift a lock-out; failures before the unlock no longer count towards the next one."""
        actor = self._admin_actor(by)
        with self._write():
            row = self._existing(username)
            failures = self._store.models.LoginFailure
            failures.delete().where(failures.officer == row.id).execute()
            self._prune_failures(None, self._clock.now())
            if row.locked_at is None:
                return
            self._update(row, locked_at=None)
            self._audit.record(actor, "account_unlocked", row.username)

    def set_role(self, username: str, role: str, *, by: OfficerSession | str) -> None:
        """Make an officer an administrator or back; the last active administrator cannot be demoted."""
        actor = self._admin_actor(by)
        if role not in ROLES:
            raise OfficerError(Problem("role", "officer.role_invalid"))
        with self._write():
            row = self._existing(username)
            if row.role == role:
                return
            if role != "admin":
                self._keep_an_admin(row, leaving=True)
            self._update(row, role=role)
            self._audit.record(actor, "role_changed", row.username, role=role)

    def set_password(self, username: str, password: str, *, by: OfficerSession | str) -> None:
        """Set a new password: by an administrator (or the CLI) for anyone, or by an officer for their own account."""
        if isinstance(by, OfficerSession) and by.username == normalize_username(username):
            actor = self._session_actor(by)  # one's own account
        else:
            actor = self._admin_actor(by)
        row = self._existing(username)
        problems = self.password_problems(row.username, password)
        if problems:
            raise PasswordRejected(problems)
        password_hash = self._hasher.hash(password)
        with self._write():
            row = self._existing(username)
            self._update(row, password_hash=password_hash, password_changed_at=self._clock.now())
            self._audit.record(actor, "password_changed", row.username)

    def set_language(self, username: str, language: str, *, by: OfficerSession | str) -> OfficerAccount:
        """Keep ``language`` as the language of the officer's own screens: by the officer for their own account, or
        by an administrator (or the CLI) for anyone. A language without an installed catalogue is refused
        (``officer.language_unknown``, on the field ``language``). Audited ``language_changed``."""
        if isinstance(by, OfficerSession) and by.username == normalize_username(username):
            actor = self._session_actor(by)  # one's own account
        else:
            actor = self._admin_actor(by)
        code = language.strip()
        if code in PSEUDO_LANGUAGES or code not in self.languages():
            raise OfficerError(Problem("language", "officer.language_unknown", {"language": code}))
        with self._write():
            row = self._existing(username)
            if row.language != code:
                self._update(row, language=code)
                self._audit.record(actor, "language_changed", row.username, language=code)
        return self._account(row)

    # --- the door --------------------------------------------------------------------------------------------------

    def login(self, username: str, password: str) -> OfficerSession:
        """A session for the right password of an active, unlocked account; else :class:`LoginRefused`."""
        dummy = self._dummy_hash()
        name = normalize_username(username)
        row = self._row(name) if USERNAME_PATTERN.fullmatch(name) else None
        # The argon2 work is done whatever the account's state, so timing tells nothing about it.
        right = self._verify(row.password_hash if row is not None else dummy, password) and row is not None
        if row is None or not right or not row.active or row.locked_at is not None:
            self._refuse(row, right)
            raise LoginRefused()
        now = self._clock.now()
        new_hash = self._hasher.hash(password) if self._needs_rehash(row.password_hash) else None
        with self._write():
            failures = self._store.models.LoginFailure
            failures.delete().where(failures.officer == row.id).execute()
            self._prune_failures(None, now)
            if new_hash is not None:
                self._update(row, password_hash=new_hash)
            self._audit.record(f"officer:{row.username}", "login", row.username)
        return OfficerSession(officer=self._account(row), started_at=now)

    def logout(self, session: OfficerSession, *, reason: str = "logout") -> None:
        """Record the end of a session: ``"logout"`` (the officer left) or ``"auto_locked"`` (idle time ran out)."""
        if reason not in ("logout", "auto_locked"):
            raise ValueError(f"unknown logout reason {reason!r}")
        self._audit.record(session.actor, reason, session.username)

    # --- helpers ---------------------------------------------------------------------------------------------------

    def _refuse(self, row: OfficerRow | None, right_password: bool) -> None:
        """Count the failure, lock the account at the fifth within the window, and audit both."""
        now = self._clock.now()
        failures = self._store.models.LoginFailure
        if row is None:
            cause = "unknown_username"
        elif not row.active:
            cause = "disabled"
        elif row.locked_at is not None:
            cause = "locked"
        else:
            cause = "wrong_password"
        with self._write():
            self._prune_failures(None, now)
            if row is not None:
                self._prune_failures(row.id, now)
            failures.create(officer=row.id if row is not None else None, at=now)
            subject = row.username if row is not None else UNKNOWN_SUBJECT
            self._audit.record("system", "login_failed", subject, cause=cause)
            if row is None or not row.active or right_password:
                return
            current = self._store.models.Officer.get_by_id(row.id)
            if current.locked_at is not None:
                return
            recent = failures.select().where((failures.officer == row.id)
                                             & (failures.at > now - LOCKOUT_WINDOW)).count()
            if recent >= LOCKOUT_FAILURES:
                self._update(current, locked_at=now)
                log.warning("officer account %s locked after %d failed logins in %s", row.username, recent,
                            LOCKOUT_WINDOW)
                self._audit.record("system", "account_locked", row.username, failures=recent,
                                   window_minutes=int(LOCKOUT_WINDOW.total_seconds() // 60))

    def _prune_failures(self, officer_id: int | None, now: datetime) -> None:
        """Delete the stored failures of one account (``None``: of unknown usernames) that can no longer count: the
        lock-out counts only failures within the window before ``now``. Uses the index on (officer_id, at); runs
        inside the caller's transaction. The audit log keeps every failure (``login_failed``)."""
        failures = self._store.models.LoginFailure
        who = failures.officer.is_null() if officer_id is None else failures.officer == officer_id
        failures.delete().where(who & (failures.at <= now - LOCKOUT_WINDOW)).execute()

    def _admin_actor(self, by: OfficerSession | str) -> str:
        if isinstance(by, str):
            if by.startswith("cli:") and len(by) > len("cli:"):
                return by
            raise NotAllowed()
        if not isinstance(by, OfficerSession) or not by.is_admin:
            raise NotAllowed()
        # The session may be older than a change: the account must still be an active, unlocked administrator.
        row = self._row(by.username)
        if row is None or row.role != "admin" or not row.active or row.locked_at is not None:
            raise NotAllowed()
        return by.actor

    def _session_actor(self, session: OfficerSession) -> str:
        row = self._row(session.username)
        if row is None or not row.active or row.locked_at is not None:
            raise NotAllowed()
        return session.actor

    def _keep_an_admin(self, row: OfficerRow, *, leaving: bool) -> None:
        if not leaving or row.role != "admin" or not row.active:
            return
        officer = self._store.models.Officer
        others = officer.select().where((officer.role == "admin") & (officer.active == True)  # noqa: E712
                                        & (officer.id != row.id)).count()
        if others == 0:
            raise OfficerError(Problem("username", "officer.last_admin", {"username": row.username}))

    def _row(self, username: str) -> OfficerRow | None:
        officer = self._store.models.Officer
        return officer.get_or_none(officer.username == normalize_username(username))

    def _existing(self, username: str) -> OfficerRow:
        row = self._row(username)
        if row is None:
            raise OfficerError(Problem("username", "officer.not_found", {"username": normalize_username(username)}))
        return row

    def _update(self, row: OfficerRow, **values: object) -> None:
        officer = self._store.models.Officer
        officer.update(**values).where(officer.id == row.id).execute()
        for key, value in values.items():
            setattr(row, key, value)

    def _write(self) -> AbstractContextManager[object]:
        return self._store.db.atomic("IMMEDIATE")

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except (InvalidHashError, ValueError):
            return True

    def _dummy_hash(self) -> str:
        """A hash of a random password with this service's parameters: unknown usernames are checked against it."""
        if self._dummy is None:
            self._dummy = self._hasher.hash(secrets.token_urlsafe(24))
        return self._dummy

    @staticmethod
    def _account(row: OfficerRow) -> OfficerAccount:
        return OfficerAccount(id=row.id, username=row.username, display_name=row.display_name,
                              badge_number=row.badge_number, role=row.role, active=bool(row.active),
                              locked=row.locked_at is not None, language=row.language)

    # --- an officer's own password (officer mode's "Change password") ------------------------------------------------

    def change_own_password(self, session: OfficerSession, current_password: str, new_password: str) -> None:
        """The logged-in officer sets a new password, proving the current one first (an unlocked screen alone must
        not be enough to take over the account). Every problem is listed at once, each on its field
        (``current_password`` or ``password``). A wrong current password counts as a failed login towards the
        lock-out (audited ``login_failed``, cause ``wrong_password``); the change itself goes through
        :meth:`set_password` and is audited ``password_changed`` by the officer."""
        row = self._row(session.username)
        if row is None or not row.active or row.locked_at is not None:
            raise OfficerError(Problem("", "officer.own_account_closed"))
        problems = []
        if not current_password:
            problems.append(Problem("current_password", "password.current_missing"))
        elif not self._verify(row.password_hash, current_password):
            self._refuse(row, False)
            problems.append(Problem("current_password", "password.current_wrong"))
        elif new_password == current_password:
            problems.append(Problem("password", "password.unchanged"))
        password_problems = self.password_problems(row.username, new_password)
        if problems:
            raise OfficerError(problems + password_problems)
        if password_problems:
            raise PasswordRejected(password_problems)
        self.set_password(row.username, new_password, by=session)
