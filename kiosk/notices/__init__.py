"""E-mail notices to citizens: their words (texts.py, from the translation catalogues) written out (templates.py),
the outbox in the database, and delivery over SMTP (docs/notices.md)."""

from kiosk.notices.outbox import NOTICE_STATUSES, NoticeOutbox, NoticeStatus
from kiosk.notices.secrets import KeyringUnavailable, smtp_password_from_keyring, store_smtp_password
from kiosk.notices.sender import DeliveryRun, NoticeSender

__all__ = [
    "NOTICE_STATUSES",
    "DeliveryRun",
    "KeyringUnavailable",
    "NoticeOutbox",
    "NoticeSender",
    "NoticeStatus",
    "smtp_password_from_keyring",
    "store_smtp_password",
]
