"""The receipt leaves the building: it must carry no date of birth, phone number, email address, home address or
narrative. Proved by reading the text back out of the PDF, for every sample, in both languages, on both papers."""

from __future__ import annotations

import re
from datetime import date

import pytest
from helpers import VALID_SAMPLES, edited, load_sample
from print_helpers import pdf_text

from printing.receipt import receipt_content, render_receipt
from printing.texts import format_date

SECRET_WORD = "Quetzalcoatlplume"  # in the narrative only: if it shows up, the narrative leaked


def private_variants(report: dict) -> dict[str, list[str]]:
    """Every way each private value could appear in printed text."""
    reporter = report["reporter"]
    born = date.fromisoformat(reporter["date_of_birth"])
    digits = re.sub(r"\D", "", reporter["phone"])[-10:]
    email = reporter["email"]
    address = reporter["address"]
    return {
        "date of birth": [born.isoformat(), f"{born.month}/{born.day}/{born.year}", f"{born.month:02d}/{born.day:02d}/"
                          f"{born.year}", f"{born.day}/{born.month}/{born.year}", format_date(born, "en"),
                          format_date(born, "es")],
        "phone": [digits, digits[3:], f"{digits[3:6]}-{digits[6:]}", f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"],
        "email": [email, email.split("@")[0]] if email else [],
        "home address": [address["line1"], *([address["line2"]] if address["line2"] else [])],
        "narrative": [SECRET_WORD],
    }


def narrative_phrases(narrative: str) -> list[str]:
    words = re.findall(r"\w+", narrative)
    return [" ".join(words[i:i + 4]) for i in range(len(words) - 3)]


@pytest.mark.parametrize("paper", ("80mm", "letter"))
@pytest.mark.parametrize("language", ("en", "es"))
@pytest.mark.parametrize("sample", VALID_SAMPLES)
def test_the_receipt_carries_nothing_private(service, config, sample, language, paper):
    data = edited(load_sample(sample), "language", language)
    data = edited(data, "incident.narrative", f"{data['incident']['narrative']} {SECRET_WORD} was nearby.")
    receipt = service.submit(data)
    report = service.get(receipt.tracking_number)
    pdf = render_receipt(receipt_content(report, receipt.access_code, config.kiosk.zone), config.department, paper)

    words = pdf_text(pdf.data)
    only_digits = re.sub(r"\D", "", words)
    assert receipt.tracking_number in words  # the text really was read back
    for kind, variants in private_variants(report).items():
        for variant in variants:
            assert variant.casefold() not in words.casefold(), f"{kind} printed: {variant!r}"
    phone_digits = re.sub(r"\D", "", report["reporter"]["phone"])[-7:]
    assert phone_digits not in only_digits, "phone digits printed"
    for phrase in narrative_phrases(report["incident"]["narrative"]):
        assert phrase not in words, f"narrative printed: {phrase!r}"


@pytest.mark.parametrize("name", ["María José Núñez", "Zoë O'Brien-Łukasik", "Nguyễn Thị Minh"])
def test_the_receipt_names_no_one(service, config, name):
    first, last = name.rsplit(" ", 1)
    data = edited(edited(load_sample("lost-wallet"), "reporter.first_name", first), "reporter.last_name", last)
    receipt = service.submit(data)
    report = service.get(receipt.tracking_number)
    words = pdf_text(render_receipt(receipt_content(report, receipt.access_code, config.kiosk.zone),
                                    config.department).data)
    assert first not in words and last not in words


def test_the_receipt_record_holds_only_what_is_printed(service, config):
    receipt = service.submit(load_sample("identity-theft"))
    content = receipt_content(service.get(receipt.tracking_number), receipt.access_code, config.kiosk.zone)
    assert set(vars(content)) == {"tracking_number", "access_code", "submitted_at", "category", "place_type",
                                  "location", "at_home", "language", "reprinted_at", "status_page_url"}
    assert content.at_home and content.location == "Hartford, CT"  # the incident was at home: no street printed
