"""The checks every shipped catalogue must pass (``make test`` runs them through tests/test_translations.py):

- every text of the code is translated, none is fuzzy, and the catalogue holds nothing the code no longer says;
- a translation keeps exactly the place markers of its source: ``{name}``, ``$name``, ``%1``, ``%n``, ``%(n)d``;
- each glossary term of docs/translations.md is translated one way in a language: wherever the English text holds the
  term, the translation holds one of the forms the glossary allows for it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "resources" / "locale"
GLOSSARY = ROOT / "docs" / "translations.md"
PLACE_MARKER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%\d+|%n|%\([A-Za-z_]+\)[sd]")
# A glossary table row: | English term | language code | allowed form / another form |
_ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*([a-z]{2,3}(?:_[A-Za-z0-9]+)?)\s*\|\s*([^|]+?)\s*\|\s*$")


@dataclass(frozen=True)
class Term:
    english: str
    language: str
    forms: tuple[str, ...]


def markers(text: str) -> Counter[str]:
    return Counter(PLACE_MARKER.findall(text))


def read_catalogue(language: str, locale_dir: Path = LOCALE) -> Catalog:
    with (locale_dir / language / "LC_MESSAGES" / "p2c.po").open("rb") as file:
        return read_po(file, locale=language)


def glossary(path: Path = GLOSSARY) -> list[Term]:
    """The glossary's rows: ``| tracking number | es | número de seguimiento |`` (forms split by " / ")."""
    if not path.is_file():
        return []
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match and match.group(1).lower() != "english":
            english, language, forms = match.groups()
            terms.append(Term(english.strip("`"), language, tuple(form.strip() for form in forms.split(" / "))))
    return terms


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, (tuple, list)):
        return [text for text in message.string if text]
    return [message.string] if message.string else []


def _sources(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, (tuple, list)) else [message.id]


def problems(languages: list[str], template: Catalog, locale_dir: Path = LOCALE,
             terms: list[Term] | None = None) -> list[str]:
    """Every problem of the catalogues of ``languages`` against the code's texts (``template``), one line each."""
    found: list[str] = []
    terms = glossary() if terms is None else terms
    wanted = {(message.id if isinstance(message.id, str) else message.id[0], message.context)
              for message in template if message.id}
    for language in languages:
        catalogue = read_catalogue(language, locale_dir)
        held = set()
        for message in catalogue:
            if not message.id:
                continue
            key = (message.id if isinstance(message.id, str) else message.id[0], message.context)
            held.add(key)
            where = f"{language}: {key[0]!r}" + (f" ({message.context})" if message.context else "")
            if key not in wanted:
                found.append(f"{where}: not in the code any more (run scripts/translations.py update)")
                continue
            strings = _strings(message)
            if not strings or any(not text.strip() for text in strings):
                found.append(f"{where}: not translated")
                continue
            if message.fuzzy:
                found.append(f"{where}: fuzzy (check the translation and remove the fuzzy flag)")
            source_markers = markers(_sources(message)[0])
            for text in strings:
                if markers(text) != source_markers:
                    found.append(f"{where}: place markers {sorted(markers(text))} differ from the source's "
                                 f"{sorted(source_markers)}")
            for term in terms:
                if term.language != language:
                    continue
                # A term inside a name of code ("kiosk.languages", `kiosk`, p2c-kiosk, --kiosk) is not the word.
                if re.search(rf"(?<![\w.`-]){re.escape(term.english)}(?![\w.`-])", _sources(message)[0],
                             re.IGNORECASE) and not any(
                        form.lower() in text.lower() for form in term.forms for text in strings[:1]):
                    found.append(f"{where}: the glossary says “{term.english}” is “{' / '.join(term.forms)}”")
        for key in sorted(wanted - held, key=lambda item: (item[0], item[1] or "")):
            found.append(f"{language}: {key[0]!r}: missing (run scripts/translations.py update, then translate)")
    return found
