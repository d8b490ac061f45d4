"""clean_line and clean_block (kiosk.rules.fields) against the plain per-character definition, for any text: the
shortcut for text with nothing to drop must never change a result."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from kiosk.rules.fields import clean_block, clean_line

# Any code point, surrogates and unassigned ones included, with white space and control characters made common.
TEXT = st.text(st.one_of(st.characters(), st.sampled_from(" \t\n\r\x00\x85\u00a0\u200b\u2028\u2029\ufeff")))


def reference_line(value: str) -> str:
    kept = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in value)
    return re.sub(r"\s+", " ", kept).strip()


def reference_block(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [line.rstrip() for line in kept.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@given(TEXT)
def test_clean_line_matches_its_definition(value):
    assert clean_line(value) == reference_line(value)


@given(TEXT)
def test_clean_block_matches_its_definition(value):
    assert clean_block(value) == reference_block(value)


def test_the_usual_cases():
    assert clean_line("  María\u00a0José \x00 Núñez\u200b ") == "María José Núñez"
    assert clean_block("Line one\r\n\r\n\r\n\tLine two \x07\n") == "Line one\n\n\tLine two"
