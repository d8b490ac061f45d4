"""The translation catalogues' cycle: extract, update, merge, compile and check (Babel's API, one lock).

    python scripts/translations.py extract            # the source texts -> resources/locale/p2c.pot
    python scripts/translations.py update             # every language's p2c.po follows the template
    python scripts/translations.py merge LANG FILE    # take the translations of a .po fragment into LANG's catalogue
    python scripts/translations.py compile            # p2c.po -> p2c.mo where the .po is newer (make translations)
    python scripts/translations.py check [LANG ...]   # untranslated, fuzzy, place markers; exit 1 on a problem

Every command holds ``resources/locale/.lock`` so that two people (or two helpers) never write a catalogue at once.
Texts are found where the code marks them: ``N_``, ``gettext``, ``ngettext``, ``pgettext`` (kiosk, printing, server)
and Qt's ``self.tr`` / ``QCoreApplication.translate`` (ui).
"""

from __future__ import annotations

import argparse
import fcntl
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "resources" / "locale"
TEMPLATE = LOCALE / "p2c.pot"
DOMAIN = "p2c"
SOURCES = ("kiosk", "ui", "printing", "server", "p2c_kiosk")
KEYWORDS = {
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "tr": None,
    "translate": (2,),
    "QT_TRANSLATE_NOOP": (2,),
}
COMMENT_TAGS = ("Translators:",)


def po_path(language: str, locale_dir: Path = LOCALE) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(locale_dir: Path = LOCALE) -> list[str]:
    return sorted(path.parent.parent.name for path in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


@contextmanager
def locked(locale_dir: Path = LOCALE) -> Iterator[None]:
    locale_dir.mkdir(parents=True, exist_ok=True)
    with (locale_dir / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    new = path.with_suffix(".tmp")
    with new.open("wb") as file:
        write_po(file, catalog, width=116, sort_output=False, omit_header=False, include_previous=False)
    new.replace(path)


def extract(root: Path = ROOT) -> Catalog:
    """Every marked text of the source folders, in file order, with where it is used."""
    catalog = Catalog(project="P2C Lobby Kiosk", domain=DOMAIN, charset="utf-8")
    for folder in SOURCES:
        method_map = [("**.py", "python")]
        for filename, lineno, message, comments, context in extract_from_dir(
            root / folder, method_map=method_map, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
        ):
            if not message or (isinstance(message, str) and not message.strip()):
                continue
            catalog.add(message, None, [(f"{folder}/{filename}", lineno)], auto_comments=comments,
                        context=context)
    return catalog


def update(template: Catalog, locale_dir: Path = LOCALE) -> None:
    for language in languages(locale_dir):
        path = po_path(language, locale_dir)
        catalog = read(path, language)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()  # a text the code no longer has is gone, not kept to drift
        write(catalog, path)


def merge(language: str, fragment: Path, locale_dir: Path = LOCALE) -> int:
    """Put each translated entry of ``fragment`` into ``language``'s catalogue (adding the id if it is new)."""
    path = po_path(language, locale_dir)
    catalog = read(path, language) if path.is_file() else Catalog(locale=language, domain=DOMAIN, charset="utf-8")
    taken = 0
    for message in read(fragment, language):
        if not message.id or not message.string:
            continue
        mine = catalog.get(message.id, message.context)
        if mine is None:
            catalog.add(message.id, message.string, message.locations, flags=message.flags,
                        auto_comments=message.auto_comments, user_comments=message.user_comments,
                        context=message.context)
        else:
            mine.string = message.string
            mine.flags = set(message.flags)
            mine.user_comments = list(message.user_comments) or mine.user_comments
        taken += 1
    write(catalog, path)
    return taken


def compile_all(locale_dir: Path = LOCALE, *, force: bool = False) -> list[str]:
    """Compile each ``p2c.po`` newer than its ``p2c.mo``; returns the languages compiled."""
    done = []
    for language in languages(locale_dir):
        source = po_path(language, locale_dir)
        target = source.with_suffix(".mo")
        if not force and target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        catalog = read(source, language)
        new = target.with_suffix(".mo.tmp")
        with new.open("wb") as file:
            write_mo(file, catalog, use_fuzzy=False)
        new.replace(target)
        done.append(language)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract")
    commands.add_parser("update")
    merge_parser = commands.add_parser("merge")
    merge_parser.add_argument("language")
    merge_parser.add_argument("fragment", type=Path)
    compile_parser = commands.add_parser("compile")
    compile_parser.add_argument("--force", action="store_true")
    check_parser = commands.add_parser("check")
    check_parser.add_argument("languages", nargs="*")
    args = parser.parse_args(argv)

    with locked():
        if args.command == "extract":
            template = extract()
            write(template, TEMPLATE)
            print(f"{len(template)} texts -> {TEMPLATE.relative_to(ROOT)}")
        elif args.command == "update":
            template = extract()
            write(template, TEMPLATE)
            update(template)
            print(f"{len(template)} texts; updated {', '.join(languages())}")
        elif args.command == "merge":
            print(f"{merge(args.language, args.fragment)} translations taken into {args.language}")
        elif args.command == "compile":
            compiled = compile_all(force=args.force)
            if compiled:
                print(f"compiled {', '.join(compiled)}")
        elif args.command == "check":
            from translation_checks import problems  # beside this script

            found = problems(args.languages or languages(), extract())
            for line in found:
                print(line)
            return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
