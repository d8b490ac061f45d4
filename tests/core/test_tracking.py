import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.tracking import TrackingNumber, TrackingNumberError, damm_check_digit, damm_is_valid


def test_shown_grouped_for_reading():
    assert str(TrackingNumber(26, 1, 42)) == "T26-01-00042-1"
    assert TrackingNumber(26, 1, 42).compact == "T2601000421"


def test_sequence_grows_past_five_digits():
    number = TrackingNumber(26, 7, 123456)
    assert str(number).startswith("T26-07-123456-")
    assert TrackingNumber.parse(str(number)) == number


@pytest.mark.parametrize("typed", [
    "T26-01-00042-1", "t26-01-00042-1", "T2601000421", "t 26 01 00042 1", "  T26--01--00042--1 ",
    "T26.01.00042.1", "2601000421", "T26 - 01 - 00042 - 1",
])
def test_parse_accepts_what_people_and_scanners_type(typed):
    assert TrackingNumber.parse(typed) == TrackingNumber(26, 1, 42)


@pytest.mark.parametrize("typed", ["", "T26-01-00042", "X26-01-00042-1", "T26-01-0042-1", "T26-01-00042-1x",
                                   "T26-00-00042-9", "hello"])
def test_parse_refuses_what_is_not_a_tracking_number(typed):
    with pytest.raises(TrackingNumberError) as caught:
        TrackingNumber.parse(typed)
    assert caught.value.code == "tracking.format"


def test_parse_refuses_a_wrong_check_digit():
    with pytest.raises(TrackingNumberError) as caught:
        TrackingNumber.parse("T26-01-00042-2")
    assert caught.value.code == "tracking.check_digit"


def test_damm_known_value():
    # The worked example of the Damm algorithm: 572 -> check digit 4.
    assert damm_check_digit("572") == 4
    assert damm_is_valid("5724")


numbers = st.builds(TrackingNumber, st.integers(0, 99), st.integers(1, 99), st.integers(1, 9_999_999))


@given(numbers)
def test_every_single_digit_substitution_is_caught(number):
    digits = number.body + str(number.check_digit)
    assert damm_is_valid(digits)
    for position, original in enumerate(digits):
        for replacement in "0123456789":
            if replacement != original:
                mistyped = digits[:position] + replacement + digits[position + 1:]
                assert not damm_is_valid(mistyped), mistyped


@given(numbers)
def test_every_adjacent_transposition_is_caught(number):
    digits = number.body + str(number.check_digit)
    for position in range(len(digits) - 1):
        a, b = digits[position], digits[position + 1]
        if a != b:
            swapped = digits[:position] + b + a + digits[position + 2:]
            assert not damm_is_valid(swapped), swapped


@given(numbers)
def test_round_trip_through_text(number):
    assert TrackingNumber.parse(str(number)) == number
    assert TrackingNumber.parse(number.compact.lower()) == number
