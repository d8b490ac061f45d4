"""The one-pass check of a pushed report (server.input_checks.storable_json) agrees with the walk of every string
(text_problems): whatever the walk refuses, the pass sends back to the walk; whatever it passes is the canonical JSON
the content hash is computed over."""

from __future__ import annotations

from helpers import load_sample
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.sync.protocol import canonical_json
from server.input_checks import MAX_DEPTH, storable_json, text_problems

# Text with the characters that matter here more often than chance would give them: NUL, a lone surrogate, a
# backslash and the letters of the escape "\u0000".
_TEXT = st.text(alphabet=st.sampled_from(["a", "é", "\x00", "\ud800", "\\", "u", "0", "\n", "😀"]), max_size=8)
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | _TEXT,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
                     max_leaves=30)


def _nested(depth: int, leaf: object) -> object:
    value = leaf
    for level in range(depth):
        value = {"a": value} if level % 2 else [value]
    return value


@settings(max_examples=400, deadline=None)
@given(_JSON)
def test_what_the_walk_refuses_the_one_pass_never_passes(value):
    body = storable_json(value)
    if list(text_problems(value, "report")):
        assert body is None
    if body is not None:
        assert body == canonical_json(value)


def test_a_real_report_passes_as_its_canonical_json():
    report = load_sample("larceny-bicycle")
    assert storable_json(report) == canonical_json(report)
    assert list(text_problems(report, "report")) == []


def test_the_escape_written_out_in_letters_is_sent_to_the_walk_which_finds_nothing():
    value = {"narrative": "the text \\u0000 as typed"}
    assert storable_json(value) is None
    assert list(text_problems(value, "report")) == []


def test_depth_is_counted_as_the_walk_counts_it():
    deepest = _nested(MAX_DEPTH, "leaf")
    assert list(text_problems(deepest, "r")) == []
    assert storable_json(deepest) == canonical_json(deepest)
    too_deep = _nested(MAX_DEPTH + 1, "leaf")
    assert [code for _, code, _ in text_problems(too_deep, "r")] == ["too_deep"]
    assert storable_json(too_deep) is None
    empty_at_the_limit = _nested(MAX_DEPTH, [])
    assert list(text_problems(empty_at_the_limit, "r")) == []
    assert storable_json(empty_at_the_limit) is not None
