"""Many realistic reports, written straight into a store in one transaction, for the queue's tests and benchmarks.

``fill_reports(store, count, seed)`` writes ``count`` reports (100,000 take a few seconds) as the kiosk would have
stored them over the last years: valid p2c-report/1 documents with varied names (accents included), categories,
places, statuses and dates, their history events, search keys (``report_name_token``, ``report_serial``) and, for
approved reports, official numbers with the ``official_sequence`` table brought up to date. The same seed gives the
same reports.
"""

from __future__ import annotations

import copy
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from helpers import NOW, load_sample

from kiosk.access_codes import hash_access_code
from kiosk.audit import AuditLog
from kiosk.config import Config
from kiosk.home import Kiosk
from kiosk.notices import NoticeOutbox
from kiosk.officers import OfficerService
from kiosk.report_keys import report_keys
from kiosk.reports import ReportService, location_summary
from kiosk.review import ReviewService
from kiosk.storage.database import Store
from kiosk.storage.timestamps import utc_text
from kiosk.tracking import TrackingNumber

FIRST_NAMES = ("María", "José", "Dana", "Li", "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael",
               "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
               "Sarah", "Carlos", "Ana", "Luis", "Carmen", "Jorge", "Rosa", "Juan", "Lucía", "Ángel", "Sofía",
               "Miguel", "Isabel", "Wei", "Mei", "Aisha", "Omar", "Fatima", "Kwame", "Nadia", "Sean", "Siobhán",
               "Pierre", "Chloé", "Dmitri", "Olga", "Raj", "Priya", "Kenji")
LAST_NAMES = ("Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller", "Davis", "Rodríguez", "Martínez",
              "Hernández", "López", "González", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
              "Martin", "Lee", "Pérez", "Thompson", "White", "Harris", "Sánchez", "Clark", "Ramírez", "Lewis",
              "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill",
              "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter",
              "Roberts", "O'Brien", "Núñez Ortiz", "Whitfield", "Chen", "Kowalski", "Okafor", "Haddad", "Schmidt",
              "Rossi", "Dubois", "Ivanova", "Patel", "Tanaka", "Kim", "Murphy", "Díaz", "Vázquez", "Castillo",
              "Morales", "Ortiz", "Gutiérrez", "Chávez", "Ramos", "Ruiz", "Álvarez", "Mendoza", "Silva", "Romero")
STREETS = ("Farmington Ave", "Main St", "Park St", "Albany Ave", "Wethersfield Ave", "Franklin Ave", "Broad St",
           "Capitol Ave", "Asylum St", "Washington St", "Zion St", "Maple Ave", "Lewis St", "New Britain Ave",
           "Blue Hills Ave", "Homestead Ave", "Sisson Ave", "Prospect Ave", "Garden St", "Woodland St")
ZIPS = ("06103", "06105", "06106", "06112", "06114", "06120")
SAMPLES = {"larceny": "larceny-bicycle", "vandalism": "vandalism-car-es", "lost_property": "lost-wallet",
           "identity_theft": "identity-theft"}
CATEGORY_WEIGHTS = (("larceny", 45), ("vandalism", 25), ("lost_property", 20), ("identity_theft", 10))
# Older reports are mostly decided; the newest are mostly waiting.
DECIDED_WEIGHTS = (("approved", 80), ("rejected", 15), ("needs_info", 5))
RECENT_WEIGHTS = (("submitted", 55), ("in_review", 25), ("needs_info", 10), ("approved", 8), ("rejected", 2))
PLACES = ("residence", "street", "parking_lot", "business", "park", "school", "public_transit", "vehicle", "other")
REJECT_CODES = ("duplicate", "wrong_offense_type", "outside_city", "suspect_or_evidence", "not_eligible", "other")


@dataclass
class Filled:
    tracking_numbers: list[TrackingNumber] = field(default_factory=list)  # oldest first
    names: list[tuple[str, str]] = field(default_factory=list)  # (first, last) of each report, same order


def fill_reports(store: Store, count: int, seed: int, *, now: datetime = NOW, days: int = 1095,
                 kiosks: tuple[int, ...] = (1, 2, 3), short_name: str = "HPD",
                 zone_name: str = "America/New_York") -> Filled:
    """Write ``count`` reports submitted over the ``days`` before ``now``; returns their numbers and names."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(zone_name)
    rng = random.Random(seed)
    samples = {category: load_sample(name) for category, name in SAMPLES.items()}
    code_hash = hash_access_code("ABCDEFGH")  # one hash for all: the queue never reads it
    span = days * 86400
    moments = sorted(now - timedelta(seconds=rng.uniform(60, span)) for _ in range(count))
    db = store.db
    filled = Filled()
    reports: list[dict[str, Any]] = []
    events: list[tuple] = []
    tokens: list[tuple[str, int]] = []
    serials: list[tuple[str, int]] = []
    sequences: dict[tuple[int, int], int] = defaultdict(int)
    official: dict[int, int] = defaultdict(int)
    with db.atomic("IMMEDIATE"):
        (last_id,) = db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM report").fetchone()
        for row in db.execute_sql("SELECT kiosk_number, year, MAX(sequence) FROM report GROUP BY 1, 2"):
            sequences[(row[0], row[1])] = row[2]
        for row in db.execute_sql("SELECT year, last FROM official_sequence"):
            official[row[0]] = row[1]
        (last_event,) = db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM report_event").fetchone()
        for index, moment in enumerate(moments):
            report_id = last_id + index + 1
            category = _weighted(rng, CATEGORY_WEIGHTS)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            document = _document(rng, samples[category], first, last, moment, zone)
            recent = now - moment < timedelta(days=21)
            status = _weighted(rng, RECENT_WEIGHTS if recent else DECIDED_WEIGHTS)
            kiosk = rng.choice(kiosks)
            local = moment.astimezone(zone)
            year = local.year % 100
            sequences[(kiosk, year)] += 1
            tracking = TrackingNumber(year, kiosk, sequences[(kiosk, year)])
            keys = report_keys(document)
            official_number = nibrs = updated_at = None
            if status == "approved":
                official[local.year] += 1
                official_number = f"{short_name}-{local.year}-{official[local.year]:06d}"
                nibrs = {"larceny": "23H", "vandalism": "290", "lost_property": "NC-LOST",
                         "identity_theft": "26F"}[category]
            history = [("citizen", "submitted", "submitted", None, None, moment)]
            if status != "submitted":
                decided = moment + timedelta(hours=rng.uniform(1, 48))
                history.append(("officer:jdoe", "review_started", "in_review", None, None, decided))
                action = {"approved": "approved", "rejected": "rejected", "needs_info": "info_requested"}.get(status)
                if action:
                    reason = rng.choice(REJECT_CODES) if status == "rejected" else None
                    history.append(("officer:jdoe", action, status, reason, None,
                                    decided + timedelta(minutes=5)))
                updated_at = history[-1][-1]
            reports.append({
                "id": report_id, "tracking_number": tracking, "kiosk_number": kiosk, "year": year,
                "sequence": sequences[(kiosk, year)], "category": category, "language": document["language"],
                "status": status, "submitted_at": moment, "official_number": official_number,
                "access_code_hash": code_hash, "location_summary": location_summary(document["incident"]["location"]),
                "data": json.dumps(document, ensure_ascii=False, separators=(",", ":")), "nibrs_code": nibrs,
                "updated_at": updated_at, "reporter_name": keys.reporter_name, "person_key": keys.person_key,
                "home_address_key": keys.home_address_key, "location_key": keys.location_key,
            })
            for actor, action, event_status, reason, message, at in history:
                last_event += 1
                events.append((last_event, report_id, utc_text(at), actor,
                               action, event_status, reason, message))
            tokens += [(token, report_id) for token in keys.name_tokens]
            serials += [(serial, report_id) for serial in keys.serial_keys]
            filled.tracking_numbers.append(tracking)
            filled.names.append((first, last))
        Report = store.models.Report
        for start in range(0, len(reports), 1000):
            Report.insert_many(reports[start:start + 1000]).execute()
        cursor = db.cursor()
        cursor.executemany("INSERT INTO report_event (id, report_id, at, actor, action, status, reason_code, message) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", events)
        cursor.executemany("INSERT INTO report_name_token (token, report_id) VALUES (?, ?)", tokens)
        cursor.executemany("INSERT INTO report_serial (serial_key, report_id) VALUES (?, ?)", serials)
        cursor.executemany("INSERT INTO official_sequence (year, last) VALUES (?, ?) "
                           "ON CONFLICT (year) DO UPDATE SET last = excluded.last", list(official.items()))
    return filled


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _document(rng: random.Random, sample: dict[str, Any], first: str, last: str, moment: datetime,
              zone: Any) -> dict[str, Any]:
    document = copy.deepcopy(sample)
    document["language"] = "es" if rng.random() < 0.3 else "en"
    reporter = document["reporter"]
    reporter.update(first_name=first, last_name=last,
                    date_of_birth=f"{rng.randint(1940, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    reporter["address"] = _address(rng)
    reporter["phone"] = f"+1860555{rng.randint(0, 9999):04d}"
    if rng.random() < 0.8:
        reporter["email"] = f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 999)}@example.org"
        reporter["contact_preference"] = "email"
    else:
        reporter["email"], reporter["contact_preference"] = "", "phone"
    incident = document["incident"]
    ended = moment - timedelta(hours=rng.uniform(0.5, 72))
    incident["occurred_to"] = ended.astimezone(zone).replace(microsecond=0).isoformat()
    incident["occurred_from"] = (ended - timedelta(hours=rng.uniform(0, 12))).astimezone(zone).replace(
        microsecond=0).isoformat()
    location = reporter["address"] if rng.random() < 0.4 else _address(rng)
    place = "online" if document["category"] == "identity_theft" else rng.choice(PLACES)
    incident["location"] = {**location, "place_type": place}
    for item in document["items"]:
        if item.get("serial_number"):
            item["serial_number"] = f"SN{rng.randint(0, 10 ** 8):08d}"
    return document


def _address(rng: random.Random) -> dict[str, str]:
    return {"line1": f"{rng.randint(1, 2000)} {rng.choice(STREETS)}", "line2": "", "city": "Hartford",
            "state": "CT", "zip": rng.choice(ZIPS)}


def _ascii(text: str) -> str:
    from kiosk.report_keys import words

    return "".join(words(text)) or "x"


PASSWORD = "correct horse battery staple"


class ReviewWorld:
    """The real services of officer mode over one store, for the review tests, from the kiosk's container
    (kiosk.home.Kiosk) with the test's store and clock, a fast argon2 cost and no printer: the report service, the
    audit log, the e-mail outbox, officer accounts and the review service."""

    def __init__(self, store: Store, config: Config, clock: Any) -> None:
        home = store.path.parent if store.path is not None else Path(".")
        self.kiosk = Kiosk(home, config, clock=clock, store=store, receipt_printer=None,
                           password_hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        self.store, self.config, self.clock = store, config, clock

    @property
    def reports(self) -> ReportService:
        return self.kiosk.reports

    @property
    def audit(self) -> AuditLog:
        return self.kiosk.audit

    @property
    def outbox(self) -> NoticeOutbox:
        return self.kiosk.outbox

    @property
    def officers(self) -> OfficerService:
        return self.kiosk.officers

    @property
    def review(self) -> ReviewService:
        return self.kiosk.review

    def officer(self, username: str, display_name: str = "") -> Any:
        """A logged-in session for ``username`` (the account is created on first use)."""
        if self.officers.find(username) is None:
            self.officers.add(username, display_name or username.title(), f"B-{len(username):03d}", PASSWORD,
                              by="cli:test")
        return self.officers.login(username, PASSWORD)

    def submit(self, sample: str, **changes: Any) -> TrackingNumber:
        """Submit a fixture report (with ``changes`` applied by path, ``__`` for ``.``); its tracking number."""
        from helpers import edited

        document = load_sample(sample)
        for path, value in changes.items():
            document = edited(document, path.replace("__", "."), value)
        return self.reports.submit(document).tracking_number

    def audit_actions(self) -> list[tuple[str, str, str]]:
        """(actor, action, subject) of every audit entry, oldest first."""
        return [(e.actor, e.action, e.subject) for e in reversed(self.audit.entries(limit=10_000))]
