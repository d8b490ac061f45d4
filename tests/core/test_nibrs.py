"""The suggested NIBRS offense code: one test per branch of the heuristics, in English and Spanish."""

from __future__ import annotations

import pytest
from helpers import edited, load_sample

from kiosk import nibrs


def larceny(place: str, *descriptions: str, narrative: str = "") -> dict:
    report = edited(load_sample("larceny-bicycle"), "incident.location.place_type", place)
    report["items"] = [{"disposition": "stolen", "description": d, "quantity": 1} for d in descriptions]
    if narrative:
        report["incident"]["narrative"] = narrative
    else:
        report["incident"]["narrative"] = "It was there in the evening and gone in the morning; nobody saw it."
    return report


def fraud(narrative: str, *descriptions: str) -> dict:
    report = load_sample("identity-theft")
    report["incident"]["narrative"] = narrative
    report["items"] = [{"disposition": "fraud", "description": d, "quantity": 1} for d in descriptions]
    return report


def test_the_table_has_every_code_with_its_title():
    assert nibrs.CODES["290"] == "Destruction/Damage/Vandalism of Property"
    assert [c for c in nibrs.CODES if c.startswith("23")] == [f"23{x}" for x in "ABCDEFGH"]
    assert [c for c in nibrs.CODES if c.startswith("26")] == [f"26{x}" for x in "ABCDEFG"]
    assert nibrs.CODES["23H"] == "All Other Larceny" and nibrs.CODES["26F"] == "Identity Theft"
    assert nibrs.LOST_PROPERTY == "NC-LOST" and "not a NIBRS offense" in nibrs.CODES["NC-LOST"]
    assert nibrs.LOST_PROPERTY not in nibrs.CRIMINAL_CODES and len(nibrs.CRIMINAL_CODES) == 16
    assert nibrs.is_known(" 23f ") and not nibrs.is_known("23I")


def test_vandalism_and_lost_property():
    assert nibrs.suggest(load_sample("vandalism-car-es")).code == "290"
    lost = nibrs.suggest(load_sample("lost-wallet"))
    assert lost.code == "NC-LOST" and "non-criminal" in lost.why


@pytest.mark.parametrize(("report", "code"), [
    (larceny("street", "Catalytic converter"), "23G"),
    (larceny("parking_lot", "Four tires and rims"), "23G"),
    (larceny("residence", "Tapacubos cromados"), "23G"),
    (larceny("vehicle", "Laptop bag"), "23F"),
    (larceny("parking_lot", "Sunglasses", narrative="Someone broke the window of my car in the lot and took "
                                                    "my sunglasses from the glove box."), "23F"),
    (larceny("business", "Quarters", narrative="The vending machine in the laundromat was pried open."), "23E"),
    (larceny("street", "Handbag", narrative="A man on a bike snatched my purse and rode off."), "23B"),
    (larceny("public_transit", "Wallet", narrative="On the bus someone took the wallet from my back pocket."),
     "23A"),
    (larceny("business", "Jacket", narrative="I left my jacket by the fitting room of the store while I shopped."),
     "23C"),
    (larceny("school", "Laptop"), "23D"),
    (larceny("other", "Phone", narrative="I left my phone in the locker at the gym and it was taken."), "23D"),
    (larceny("residence", "Bicycle, blue hybrid"), "23H"),
    (larceny("park", "Card game", narrative="We left the cards on the bench in the park and they were gone."),
     "23H"),
])
def test_larceny_by_place_and_items(report, code):
    suggestion = nibrs.suggest(report)
    assert suggestion.code == code, suggestion.why
    assert suggestion.title == nibrs.CODES[code]
    assert suggestion.why.startswith("Suggested because") and "confirm" in suggestion.why


@pytest.mark.parametrize(("report", "code"), [
    (load_sample("identity-theft"), "26F"),  # card charges AND an account opened in the name: identity theft
    (fraud("Charges I did not make appeared on my debit card statement over two weeks.", "Unknown charges"), "26B"),
    (fraud("Alguien usó mi tarjeta de crédito para hacer compras que yo no hice.", "Compras"), "26B"),
    (fraud("A caller said he was from the utility and I sent money by Zelle to avoid a shut-off.", "Payment"),
     "26E"),
    (fraud("A man sold me a used piano, took a cash deposit at my door and never delivered it.", "Deposit"),
     "26A"),
    (fraud("Recibí una carta de un préstamo a mi nombre que nunca pedí.", "Préstamo"), "26F"),
])
def test_identity_theft_and_fraud(report, code):
    assert nibrs.suggest(report).code == code


def test_short_words_match_whole_words_only():
    # "card" must not read as "car", "scar" not as "car".
    assert nibrs.suggest(larceny("parking_lot", "Gift card", narrative="My gift card was taken from the bench "
                                                                       "near the scarf stand.")).code == "23H"


def test_the_reason_is_said_in_the_officers_language_and_the_title_stays_the_fbis():
    suggestion = nibrs.suggest(larceny("parking_lot", "Radio", narrative="They broke into my car in the lot."))
    assert suggestion.code == "23F"
    assert suggestion.why_in("en") == suggestion.why
    spanish = suggestion.why_in("es")
    assert spanish.startswith("Sugerido porque") and "estacionamiento" in spanish
    unknown = nibrs.suggest({"category": "arson"})
    assert "“arson”" in unknown.why and "«arson»" in unknown.why_in("es")
    assert suggestion.title == "Theft From Motor Vehicle"  # the FBI's name, as the records system has it
