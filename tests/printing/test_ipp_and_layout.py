"""The small pieces under the documents and the dispatch: the IPP codec, line wrapping, fonts."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.resources import resource_path
from printing import ipp
from printing.cups import PrinterStatus
from printing.fonts import BOLD, REGULAR, register_fonts, string_width
from printing.layout import NO_BREAK_SPACE, fit_font_size, keep_together, wrap_text


def test_a_request_encodes_charset_and_language_first():
    body = ipp.encode_request(ipp.GET_JOB_ATTRIBUTES, 7, [(0x45, "job-uri", "ipp://localhost/jobs/3"),
                                                         (0x44, "requested-attributes", ["job-state", "job-id"])])
    assert body[:8] == struct.pack(">bbhi", 2, 0, 0x0009, 7)
    assert body.index(b"attributes-charset") < body.index(b"attributes-natural-language") < body.index(b"job-uri")
    assert body.endswith(b"\x03")


def test_a_response_decodes_integers_booleans_and_repeated_values():
    def attribute(tag, name, value: bytes):
        return struct.pack(">bh", tag, len(name)) + name.encode() + struct.pack(">h", len(value)) + value

    payload = (struct.pack(">bbhi", 2, 0, 0x0000, 7) + b"\x01" + attribute(0x47, "attributes-charset", b"utf-8")
               + b"\x04" + attribute(0x23, "printer-state", struct.pack(">i", 5))
               + attribute(0x44, "printer-state-reasons", b"paused")
               + attribute(0x44, "", b"media-empty-error")
               + attribute(0x22, "printer-is-accepting-jobs", b"\x00") + b"\x03")
    answer = ipp.decode_response(payload)
    assert answer.ok and answer.status == 0
    assert answer.first("printer-state") == ipp.PRINTER_STOPPED
    assert answer.attributes["printer-state-reasons"] == ["paused", "media-empty-error"]
    assert answer.first("printer-is-accepting-jobs") is False
    # A state is read as a number, or None: missing, a boolean or text is not a state.
    assert answer.integer("printer-state") == ipp.PRINTER_STOPPED
    assert answer.integer("job-state") is None
    assert answer.integer("printer-is-accepting-jobs") is None
    assert answer.integer("printer-state-reasons") is None


def test_a_get_jobs_answer_keeps_each_job_in_its_own_group():
    def attribute(tag, name, value: bytes):
        return struct.pack(">bh", tag, len(name)) + name.encode() + struct.pack(">h", len(value)) + value

    payload = (struct.pack(">bbhi", 2, 0, 0x0000, 7) + b"\x01" + attribute(0x47, "attributes-charset", b"utf-8")
               + b"\x02" + attribute(0x21, "job-id", struct.pack(">i", 12)) + attribute(0x23, "job-state",
                                                                                    struct.pack(">i", 9))
               + b"\x02" + attribute(0x21, "job-id", struct.pack(">i", 11)) + b"\x03")
    answer = ipp.decode_response(payload)
    assert [tag for tag, _ in answer.groups] == [0x01, 0x02, 0x02]
    assert answer.groups[1][1] == {"job-id": [12], "job-state": [9]}
    assert answer.groups[2][1] == {"job-id": [11]}  # a job without a state does not borrow the previous one's
    assert answer.attributes["job-id"] == [12, 11]


@pytest.mark.parametrize("payload", [b"", b"\x02\x00\x00", b"\x02\x00\x00\x00\x00\x00\x00\x01\x01\x44\x00"])
def test_garbage_is_not_ipp(payload):
    with pytest.raises(ipp.IppError):
        ipp.decode_response(payload)


@pytest.mark.parametrize(("status", "stopped"), [
    (PrinterStatus(True, ipp.PRINTER_IDLE, True, ()), False),
    (PrinterStatus(True, ipp.PRINTER_IDLE, True, ("media-low-warning", "cups-missing-filter-warning")), False),
    (PrinterStatus(True, ipp.PRINTER_PROCESSING, True, ("connecting-to-device",)), False),
    (PrinterStatus(True, ipp.PRINTER_STOPPED, True, ("paused",)), True),
    (PrinterStatus(True, ipp.PRINTER_IDLE, False, ()), True),
    (PrinterStatus(True, ipp.PRINTER_IDLE, True, ("media-empty-error",)), True),
    (PrinterStatus(True, ipp.PRINTER_PROCESSING, True, ("offline-report",)), True),
    (PrinterStatus(True, ipp.PRINTER_PROCESSING, True, ("media-jam",)), True),
    # What CUPS relays from an IPP printer waiting for paper: a "warning", and still no paper will come out.
    (PrinterStatus(True, ipp.PRINTER_PROCESSING, True,
                   ("cups-waiting-for-job-completed", "media-empty-warning", "media-needed-warning")), True),
    (PrinterStatus(True, ipp.PRINTER_IDLE, True, ("cover-open-report",)), True),
])
def test_which_printer_states_mean_no_paper_will_come_out(status, stopped):
    assert status.stopped is stopped


@pytest.fixture(scope="module", autouse=True)
def fonts():
    register_fonts()


words = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzÑñŁłễịØ0123456789-'.@ "), max_size=300)


@settings(max_examples=200, deadline=None)
@given(words, st.floats(min_value=40, max_value=400), st.sampled_from([REGULAR, BOLD]), st.sampled_from([8, 10, 13]))
def test_wrapped_lines_fit_and_keep_every_character(text, width, font, size):
    lines = wrap_text(text, font, size, width)
    assert all(string_width(line, font == BOLD, size) <= width + 1e-6 for line in lines if len(line) > 1)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_no_break_spaces_hold_a_phone_number_together():
    phone = keep_together("(860) 757-4000")
    assert NO_BREAK_SPACE in phone
    lines = wrap_text(f"Questions? Call {phone} and give your tracking number.", REGULAR, 9, 150)
    assert any(phone in line for line in lines)


def test_the_tracking_number_gets_the_largest_size_that_fits():
    size = fit_font_size("T26-01-00042-1", BOLD, 204, 30, 14)
    assert string_width("T26-01-00042-1", True, size) <= 204 < string_width("T26-01-00042-1", True, size + 0.5)


def test_the_fonts_and_their_licence_are_shipped():
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"):
        assert resource_path("fonts", name).is_file()
    assert "Bitstream" in resource_path("fonts", "LICENSE-DejaVu.txt").read_text()
    register_fonts()  # a second call is free and harmless
