"""The command line speaks the language of whoever runs it: the standard gettext variables choose it
(kiosk.cli_common.cli_language), and its results and refusals come from that language's catalogue."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import FIXTURES, load_sample

from kiosk.cli_common import cli_language
from kiosk.messages import CATALOG
from kiosk.tracking import TrackingNumber
from kiosk.translation import SOURCE_LANGUAGE, Catalogues, catalogues, use_catalogues
from p2c_kiosk import main

# What a machine has installed, for the choice rules: the source language and three catalogues.
INSTALLED = {SOURCE_LANGUAGE, "es", "pt_BR", "zh_CN"}


def has(language: str) -> bool:
    return language in INSTALLED


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANGUAGE": "pt_BR:es"}, "pt_BR"),  # LANGUAGE is a list, in the order of preference
    ({"LANGUAGE": "es:pt_BR"}, "es"),
    ({"LANGUAGE": "fr:de:zh_CN:es"}, "zh_CN"),  # languages without a catalogue are passed over
    ({"LANGUAGE": "fr", "LANG": "es_ES.UTF-8"}, "es"),  # then the locale
    ({"LANG": "pt_BR.UTF-8"}, "pt_BR"),  # the locale's encoding is dropped
    ({"LANG": "es_MX.UTF-8"}, "es"),  # a territory without a catalogue of its own: its language
    ({"LANG": "es_MX.utf8@euro"}, "es"),
    ({"LC_ALL": "pt_BR.UTF-8", "LC_MESSAGES": "es_ES.UTF-8", "LANG": "zh_CN.UTF-8"}, "pt_BR"),  # LC_ALL first
    ({"LC_MESSAGES": "es_ES.UTF-8", "LANG": "zh_CN.UTF-8"}, "es"),  # then LC_MESSAGES, then LANG
    ({"LANGUAGE": "es", "LC_ALL": "C"}, SOURCE_LANGUAGE),  # a script's LC_ALL=C: English, as in GNU gettext
    ({"LANG": "C.UTF-8"}, SOURCE_LANGUAGE),
    ({"LANGUAGE": "es", "LANG": "C.UTF-8"}, "es"),  # a container's usual locale: LANGUAGE still has its say
    ({"LANGUAGE": "fr", "LANG": "C.UTF-8"}, SOURCE_LANGUAGE),
    ({"LANG": "de_DE.UTF-8"}, SOURCE_LANGUAGE),  # a language with no catalogue: English
    ({"LANGUAGE": "fr:de", "LANG": "it_IT.UTF-8"}, SOURCE_LANGUAGE),
    ({"LANGUAGE": "", "LANG": ""}, SOURCE_LANGUAGE),
    ({}, SOURCE_LANGUAGE),
    ({"LANGUAGE": "../../etc:es"}, "es"),  # not a language code: passed over, never looked for as a file
])
def test_the_first_language_with_a_catalogue_is_chosen(environ, expected):
    assert cli_language(environ, has) == expected


@pytest.fixture
def spanish(translations_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The command line run by someone whose LANGUAGE is Spanish, with the repository's catalogues."""
    before = catalogues()
    use_catalogues(Catalogues(translations_dir))
    monkeypatch.setenv("LANGUAGE", "es")
    yield
    use_catalogues(before)


def test_the_installed_catalogues_decide(translations_dir):
    installed = Catalogues(translations_dir).has
    assert cli_language({"LANG": "es_US.UTF-8"}, installed) == "es"
    assert cli_language({"LANG": "xx_XX.UTF-8"}, installed) == SOURCE_LANGUAGE


def cli(home: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--home", str(home), *args], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_a_result_in_spanish(tmp_path, spanish):
    code, out, err = cli(tmp_path, "submit", str(FIXTURES / "larceny-bicycle.json"))
    assert code == 0, err
    assert out.startswith("Código de acceso: ")
    tracking = out.strip().splitlines()[-1]
    code, out, _ = cli(tmp_path, "show", tracking)
    assert code == 0
    assert "Número de seguimiento" in out and "Historial:" in out


def test_refusals_in_spanish(tmp_path, spanish):
    code, _, err = cli(tmp_path, "show", str(TrackingNumber(26, 1, 99)))
    assert code == 1
    assert err == "tracking_number: Ningún informe tiene este número de seguimiento.\n"
    code, _, err = cli(tmp_path, "list", "--limit", "0")
    assert code == 2
    assert err == "p2c-kiosk list: --limit debe ser 1 o más y --offset 0 o más\n"


def test_an_english_report_refused_in_the_language_asked_for(tmp_path, spanish):
    """--lang still chooses: the report's problems in English for someone whose LANGUAGE is Spanish."""
    report = load_sample("lost-wallet")
    report["reporter"]["phone"] = "12"
    code, _, err = cli(tmp_path, "submit", "-", "--lang", SOURCE_LANGUAGE, stdin=json.dumps(report))
    assert code == 2
    assert err.startswith("reporter.phone: This is not a valid phone number.")


def test_a_process_started_with_language_es_answers_in_spanish(tmp_path, translations_dir):
    """The real program, its environment naming Spanish; it reads the repository's compiled catalogues (`make
    translations`)."""
    env = {**os.environ, "LANGUAGE": "es"}
    result = subprocess.run([sys.executable, "-m", "p2c_kiosk", "--home", str(tmp_path), "show", "T-not-a-number"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    english = CATALOG["tracking.format"]
    spanish_text = Catalogues(translations_dir).get("es").gettext(english)
    assert spanish_text != english
    # argparse's own words ("usage:", "error:", "argument") stay English: Python ships no catalogue for them.
    assert result.stderr.startswith("usage: p2c-kiosk")
    assert result.stderr.endswith(f"error: argument tracking_number: {spanish_text}\n")
