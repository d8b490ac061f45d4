"""NIBRS offense codes for the kiosk's categories, and the code the review screen suggests for a report.

The suggestion is a help, never a decision: the approving officer confirms it or picks another code from
:data:`CODES`. The heuristics (see docs/review.md) read the category, the kind of place and the words of the item
descriptions and the narrative (English and Spanish, accents folded):

- ``vandalism`` → 290 Destruction/Damage/Vandalism of Property.
- ``larceny`` → 23A–23H: parts taken from a vehicle (catalytic converter, tires, hubcaps...) → 23G; anything else
  taken from a vehicle, or at a vehicle place → 23F; coin-operated machine words → 23E; pocket-picking and
  purse-snatching words → 23A / 23B; a shop (shoplifting words, or a business place with store words) → 23C; a
  building (business or school place, or indoor words such as "inside the", "office", "locker") → 23D; otherwise
  23H All Other Larceny.
- ``identity_theft`` → 26F when an account was opened in the citizen's name, 26B for card or ATM charges, 26E for
  wire or online transfers, 26A (false pretenses) otherwise.
- ``lost_property`` → :data:`LOST_PROPERTY` ("NC-LOST"): lost property is not a NIBRS offense; the code marks a
  non-criminal incident so that it is never counted as a crime.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.report_document import Item, ReportDocument, StoredReport
from kiosk.report_keys import fold
from kiosk.translation import N_, translation
from kiosk.vocabulary import Category, PlaceType

LOST_PROPERTY = "NC-LOST"
_NOT_WORD = re.compile(r"[^a-z0-9]+")

# code -> title, in the order a picker shows them.
CODES: dict[str, str] = {
    "290": "Destruction/Damage/Vandalism of Property",
    "23A": "Pocket-picking",
    "23B": "Purse-snatching",
    "23C": "Shoplifting",
    "23D": "Theft From Building",
    "23E": "Theft From Coin-Operated Machine or Device",
    "23F": "Theft From Motor Vehicle",
    "23G": "Theft of Motor Vehicle Parts or Accessories",
    "23H": "All Other Larceny",
    "26A": "False Pretenses/Swindle/Confidence Game",
    "26B": "Credit Card/Automated Teller Machine Fraud",
    "26C": "Impersonation",
    "26D": "Welfare Fraud",
    "26E": "Wire Fraud",
    "26F": "Identity Theft",
    "26G": "Hacking/Computer Invasion",
    LOST_PROPERTY: "Lost property (non-criminal incident, not a NIBRS offense)",
}
CRIMINAL_CODES = tuple(code for code in CODES if code != LOST_PROPERTY)


@dataclass(frozen=True)
class NibrsSuggestion:
    code: str
    title: str  # the FBI's name of the offense, in English on every screen (as the department's records system has it)
    why: str  # one English sentence for the officer: what the suggestion was based on
    why_message: str = ""  # the catalogue's message ``why`` was made from, and the values put into it
    why_values: tuple[tuple[str, str], ...] = ()

    def why_in(self, language: str) -> str:
        """``why`` in ``language`` (the officer's)."""
        if not self.why_message:
            return self.why
        return translation(language).gettext(self.why_message).format(**dict(self.why_values))


def normalise_code(code: str) -> str:
    """``" 23f "`` → ``"23F"``; ``"nc-lost"`` → ``"NC-LOST"``."""
    return code.strip().upper()


def is_known(code: str) -> bool:
    return normalise_code(code) in CODES


# Words are matched against the folded text (lower case, no accents) as substrings of words, so "tires" and
# "tire" both hit "tire". English and Spanish.
_VEHICLE_PARTS = ("catalytic", "catalitico", "tire", "tyre", "wheel", "rim", "hubcap", "hub cap", "tapacubo",
                  "llanta", "neumatico", "rueda", "mirror", "espejo", "battery", "bateria", "license plate",
                  "licence plate", "placa", "airbag", "headlight", "faro", "tailgate", "bumper", "parachoque",
                  "emblem")
_VEHICLE_WORDS = ("car", "vehicle", "truck", "van", "suv", "auto", "coche", "carro", "vehiculo", "camioneta",
                  "glove box", "guantera", "trunk", "maletero", "cajuela", "dashboard")
_COIN_MACHINE = ("vending", "coin", "parking meter", "meter", "laundromat", "washing machine", "arcade",
                 "payphone", "pay phone", "maquina expendedora", "monedas", "parquimetro", "lavadora")
_POCKET = ("pickpocket", "pick pocket", "pocket", "bolsillo", "carterista")
_PURSE_SNATCH = ("snatch", "grabbed my purse", "grabbed my bag", "arrebat", "jalon")
_SHOP = ("shoplift", "store", "shop", "retail", "merchandise", "supermarket", "tienda", "mercancia",
         "supermercado", "almacen")
_BUILDING = ("inside the", "office", "lobby", "hallway", "locker", "gym", "library", "hospital", "church",
             "dentro del", "oficina", "pasillo", "casillero", "gimnasio", "biblioteca", "iglesia")
_ACCOUNT_OPENED = ("opened in my name", "account was opened", "accounts were opened", "new account", "new credit",
                   "applied for", "loan in my name", "in my name", "a mi nombre", "abrieron", "cuenta nueva",
                   "nueva cuenta", "prestamo")
_CARD = ("card", "atm", "debit", "tarjeta", "cajero")
_WIRE = ("wire", "transfer", "zelle", "venmo", "paypal", "cash app", "western union", "moneygram", "bitcoin",
         "crypto", "gift card", "online", "transferencia", "giro", "en linea", "internet")


def suggest(report: ReportDocument | StoredReport) -> NibrsSuggestion:
    """The suggested code for a report in the p2c-report/1 format (stored or new)."""
    category = report.get("category", "")
    incident = report.get("incident")
    location = incident.get("location") if incident else None
    place = location.get("place_type", PlaceType.OTHER) if location else PlaceType.OTHER
    items = report.get("items") or []
    item_text = " ".join(_item_words(item) for item in items)
    narrative = fold(incident.get("narrative", "") if incident else "")
    everything = f"{item_text} {narrative}"

    if category == Category.VANDALISM:
        return _made("290", N_("Suggested because the report is about damaged property (vandalism); confirm or "
                               "choose another code."))
    if category == Category.LOST_PROPERTY:
        return _made(LOST_PROPERTY, N_("Suggested because lost property is a non-criminal incident, not a NIBRS "
                                       "offense; confirm or choose another code."))
    if category == Category.IDENTITY_THEFT:
        return _fraud(everything)
    if category == Category.LARCENY:
        return _larceny(place, item_text, everything)
    return _made("23H", N_("Suggested because the category “{category}” has no rule of its own; confirm or choose "
                           "another code."), category=str(category))


def _larceny(place: str, item_text: str, everything: str) -> NibrsSuggestion:
    if _has(item_text, _VEHICLE_PARTS):
        return _made("23G", N_("Suggested because an item taken is a vehicle part or accessory; confirm or choose "
                               "another code."))
    if place == "vehicle":
        return _made("23F", N_("Suggested because the place is a vehicle; confirm or choose another code."))
    if place in ("parking_lot", "street") and _has(everything, _VEHICLE_WORDS):
        return _made("23F", N_("Suggested because the place is a parking lot and the report mentions a vehicle; "
                               "confirm or choose another code.") if place == "parking_lot" else
                     N_("Suggested because the place is a street and the report mentions a vehicle; confirm or "
                        "choose another code."))
    if _has(everything, _COIN_MACHINE):
        return _made("23E", N_("Suggested because the report mentions a coin-operated machine; confirm or choose "
                               "another code."))
    if _has(everything, _PURSE_SNATCH):
        return _made("23B", N_("Suggested because the report describes a purse or bag snatched; confirm or choose "
                               "another code."))
    if _has(everything, ("pickpocket", "pick pocket", "carterista")) or (
            place == "public_transit" and _has(everything, _POCKET)):
        return _made("23A", N_("Suggested because the report describes a pocket picked; confirm or choose another "
                               "code."))
    if _has(everything, ("shoplift",)) or (place == "business" and _has(everything, _SHOP)):
        return _made("23C", N_("Suggested because the place is a store or the report describes shoplifting; confirm "
                               "or choose another code."))
    if place in ("business", "school") or _has(everything, _BUILDING):
        return _made("23D", N_("Suggested because the items were taken from inside a building; confirm or choose "
                               "another code."))
    return _made("23H", N_("Suggested because no more specific larceny code fits the place and the items; confirm or "
                           "choose another code."))


def _fraud(everything: str) -> NibrsSuggestion:
    if _has(everything, _ACCOUNT_OPENED):
        return _made("26F", N_("Suggested because an account or credit was opened in the citizen's name; confirm or "
                               "choose another code."))
    if _has(everything, _CARD):
        return _made("26B", N_("Suggested because the losses are credit card, debit card or ATM charges; confirm or "
                               "choose another code."))
    if _has(everything, _WIRE):
        return _made("26E", N_("Suggested because the money left by a wire or online transfer; confirm or choose "
                               "another code."))
    return _made("26A", N_("Suggested because a fraud without card charges, transfers or accounts opened in the "
                           "citizen's name; confirm or choose another code."))


def _made(code: str, why: str, **values: str) -> NibrsSuggestion:
    return NibrsSuggestion(code, CODES[code], why.format(**values), why, tuple(values.items()))


def _item_words(item: Item) -> str:
    return fold(" ".join(str(item.get(key) or "") for key in ("description", "brand", "model", "institution")))


def _has(text: str, needles: tuple[str, ...]) -> bool:
    padded = f" {' '.join(_NOT_WORD.sub(' ', text).split())} "
    return any(_word_hit(padded, needle) for needle in needles)


def _word_hit(padded: str, needle: str) -> bool:
    """A short needle (4 letters or fewer) must be a whole word or its plural ("car", "cars", not "card" or
    "scar"); a longer one may start a word ("shoplift" hits "shoplifted", "tire" hits "tires")."""
    if len(needle) <= 4:
        return f" {needle} " in padded or f" {needle}s " in padded
    return f" {needle}" in padded
