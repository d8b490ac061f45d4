"""The status page over plain HTTP against a real server process: its headers, its CSRF protection, the clear message
for every bad input (never a stack trace), the language rules, the time floor, the rate limit by client address
(X-Forwarded-For only from a trusted proxy), and a log that holds no access code, no query and no address.
The same flow in Chromium, with axe-core, is test_status_page_browser.py."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest
from conftest import QUESTION, World, csrf_of, look_up, make_world, text_of
from server_support import ServerProcess, database_kinds

from kiosk.access_codes import new_access_code
from kiosk.messages import Problem, render
from server.status_page import POST_FLOOR_SECONDS
from server.status_page.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.slow

MISMATCH = render(Problem("access_code", "lookup.mismatch"))


def assert_security_headers(response: httpx.Response, personal: bool = True) -> None:
    policy = response.headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    for directive in ("default-src 'none'", "style-src 'self'", "form-action 'self'", "frame-ancestors 'none'",
                      "base-uri 'none'"):
        assert directive in policy
    assert "script-src" not in policy  # default-src 'none' forbids every script
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    if personal:
        assert response.headers["cache-control"] == "no-store"
        assert "<script" not in response.text.lower()
        assert "traceback" not in response.text.lower()


def test_the_form_from_a_receipt_link_has_the_number_filled_in_and_the_headers(world: World) -> None:
    with world.visitor() as visitor:
        page = visitor.get("/status", params={"t": "T26-01-00042-1", "lang": "es"})
        assert page.status_code == 200
        assert_security_headers(page)
        assert '<html lang="es">' in page.text
        assert 'value="T26-01-00042-1"' in page.text
        assert "Número de seguimiento" in text_of(page.text)
        cookie = page.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/status" in cookie
        # Every field has its label, and its hint tied to it.
        for field_id in ("tracking", "code"):
            assert f'<label for="{field_id}">' in page.text
            assert re.search(rf'id="{field_id}"[^>]*aria-describedby="{field_id}-hint"', page.text)
        style = visitor.get("/status/status.css")
        assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
        assert_security_headers(style, personal=False)


def test_a_citizen_looks_up_answers_and_the_answer_is_in_the_decisions_feed(world: World) -> None:
    report = world.report()
    with world.visitor("en") as visitor:
        found = look_up(visitor, report.tracking, report.code.lower().replace("-", ""))  # typed loosely
        assert found.status_code == 200, text_of(found.text)
        assert_security_headers(found)
        assert QUESTION in text_of(found.text)
        assert 'action="/status/answer"' in found.text
        answer = "It was parked on Main Street, by the library."
        sent = visitor.post("/status/answer", data={"csrf": csrf_of(found.text), "t": report.tracking,
                                                    "code": report.code, "answer": answer})
        assert sent.status_code == 200, text_of(sent.text)
        assert_security_headers(sent)
        assert "Your answer was added to your report" in text_of(sent.text)
        assert 'action="/status/answer"' not in sent.text  # one answer per question
        again = visitor.post("/status/answer", data={"csrf": csrf_of(found.text), "t": report.tracking,
                                                     "code": report.code, "answer": answer + " Again."})
        assert again.status_code == 422
        assert render(Problem("answer", "lookup.cannot_answer")) in text_of(again.text)
    feed = world.kiosk.decisions().json()["decisions"]
    web = [item for item in feed if item["tracking_number"] == report.tracking and item["action"] == "supplemented"]
    assert len(web) == 1
    assert web[0]["message"] == answer and web[0]["status"] == "in_review"


def test_the_page_follows_the_reports_language_unless_the_visitor_chose_one(world: World) -> None:
    report = world.report(sample="vandalism-car-es", question="¿Dónde estaba el coche?")
    with world.visitor("en-US,en;q=0.9") as visitor:
        form = visitor.get("/status")
        assert '<html lang="en">' in form.text
        spanish = look_up(visitor, report.tracking, report.code)
        assert '<html lang="es">' in spanish.text and "Su informe" in text_of(spanish.text)
        chosen = visitor.post("/status", data={"csrf": csrf_of(form.text), "t": report.tracking,
                                               "code": report.code, "lang": "en"})
        assert '<html lang="en">' in chosen.text and "Your report" in text_of(chosen.text)
        assert "The officer's words are not translated." in text_of(chosen.text)
        switched = visitor.post("/status", data={"csrf": csrf_of(form.text), "t": report.tracking,
                                                 "code": report.code, "switch": "pt_BR"})
        assert '<html lang="pt-BR">' in switched.text and "Seu boletim" in text_of(switched.text)
        # The choice is carried by the answer form, so the answer's page stays in it.
        assert '<input type="hidden" name="lang" value="pt_BR">' in switched.text


def test_a_form_without_its_token_or_cookie_is_refused_and_counts_nothing(world: World) -> None:
    report = world.report()
    with world.visitor() as visitor:
        form = visitor.get("/status")
        token = csrf_of(form.text)
        wrong = visitor.post("/status", data={"csrf": "0" * 64, "t": report.tracking, "code": report.code})
        missing = visitor.post("/status", data={"t": report.tracking, "code": report.code})
        for refused in (wrong, missing):
            assert refused.status_code == 403
            assert_security_headers(refused)
            assert "This page has expired" in text_of(refused.text)
            assert QUESTION not in text_of(refused.text)
        answered = visitor.post("/status/answer", data={"csrf": "", "t": report.tracking, "code": report.code,
                                                        "answer": "An answer sent from another site."})
        assert answered.status_code == 403
    # Another site can make a browser post the form, but without the visitor's cookie its token does not match.
    with world.visitor() as stranger:
        forged = stranger.post("/status/answer", data={"csrf": token, "t": report.tracking, "code": report.code,
                                                       "answer": "An answer sent from another site."})
        assert forged.status_code == 403
    with world.visitor() as visitor:
        assert look_up(visitor, report.tracking, report.code).status_code == 200  # the report is still open
    feed = world.kiosk.decisions().json()["decisions"]
    assert not [item for item in feed if item["tracking_number"] == report.tracking
                and item["action"] == "supplemented"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_bad_input_gets_a_clear_message_in_the_visitors_language(world: World, language: str) -> None:
    # A report in the visitor's language: after a look-up the page is in the report's (test above).
    report = world.report(sample="vandalism-car-es" if language == "es" else "larceny-bicycle")
    with world.visitor(language) as visitor:
        def expect(response: httpx.Response, status: int, problem: Problem, field_id: str | None) -> None:
            assert response.status_code == status, text_of(response.text)
            assert_security_headers(response)
            assert f'<html lang="{language}">' in response.text
            assert render(problem, language) in text_of(response.text)
            if field_id:  # the message is tied to its field
                assert re.search(rf'id="{field_id}"[^>]*aria-describedby="[^"]*{field_id}-error"[^>]*'
                                 r'aria-invalid="true"', response.text), response.text
                assert f'href="#{field_id}"' in response.text  # and listed at the top, a link to the field

        expect(look_up(visitor, "T26-01-0042", report.code), 422,
               Problem("tracking_number", "tracking.format"), "tracking")
        expect(look_up(visitor, "", ""), 422, Problem("tracking_number", "lookup.tracking_required"), "tracking")
        expect(look_up(visitor, report.tracking, "K7QM-2XH"), 422, Problem("access_code", "lookup.code_format"),
               "code")
        wrong = look_up(visitor, report.tracking, new_access_code())
        unknown = look_up(visitor, world.kiosk.tracking(999), report.code)
        expect(wrong, 422, Problem("access_code", "lookup.mismatch"), "code")
        expect(unknown, 422, Problem("access_code", "lookup.mismatch"), "code")
        # The same page for an unknown number as for a wrong code, but for the number typed.
        assert (wrong.text.replace(report.tracking, "N")
                == unknown.text.replace(world.kiosk.tracking(999), "N"))

        token = csrf_of(visitor.get("/status").text)
        base = {"csrf": token, "t": report.tracking, "code": report.code}
        control = visitor.post("/status/answer", data={**base, "answer": "Main Street\x07 by the library"})
        expect(control, 422, Problem("answer", "lookup.answer_control_characters"), "answer")
        assert "Main Street" in control.text  # the answer is kept, to be corrected
        long_text = "x" * 5001
        expect(visitor.post("/status/answer", data={**base, "answer": long_text}), 422,
               Problem("answer", "lookup.answer_too_long", {"max": 5000, "count": 5001}), "answer")
        expect(visitor.post("/status/answer", data={**base, "answer": "Main St"}), 422,
               Problem("answer", "lookup.answer_too_short", {"min": 10, "count": 7}), "answer")

        huge = visitor.post("/status/answer", data={**base, "answer": "x" * 200_000})
        assert huge.status_code == 413 and "traceback" not in huge.text.lower()
        assert_security_headers(huge)
        assert f'<html lang="{language}">' in huge.text
        not_a_form = visitor.post("/status", json={"t": report.tracking, "code": report.code})
        assert not_a_form.status_code == 400
        assert_security_headers(not_a_form)
        broken = visitor.post("/status", content=b"t=%FF%FE&code=\xff", headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        assert broken.status_code == 400
        assert_security_headers(broken)


def test_five_wrong_codes_lock_the_number_with_the_minutes_left(world: World) -> None:
    report = world.report()
    with world.visitor() as visitor:
        for _ in range(4):
            assert look_up(visitor, report.tracking, new_access_code()).status_code == 422
        locked = look_up(visitor, report.tracking, new_access_code())
        assert locked.status_code == 429
        assert_security_headers(locked)
        assert render(Problem("access_code", "lookup.locked", {"minutes": 60})) in text_of(locked.text)
        right = look_up(visitor, report.tracking, report.code)  # the right code too, while locked
        assert right.status_code == 429 and QUESTION not in text_of(right.text)


def test_every_post_takes_at_least_the_floor_whether_the_number_exists_or_not(world: World) -> None:
    report = world.report()
    with world.visitor() as visitor:
        token = csrf_of(visitor.get("/status").text)
        cases = {
            "right code": {"csrf": token, "t": report.tracking, "code": report.code},
            "wrong code": {"csrf": token, "t": report.tracking, "code": new_access_code()},
            "unknown number": {"csrf": token, "t": world.kiosk.tracking(998), "code": report.code},
            "malformed code": {"csrf": token, "t": report.tracking, "code": "K7"},
            "refused token": {"csrf": "1" * 64, "t": report.tracking, "code": report.code},
        }
        for name, form in cases.items():
            started = time.monotonic()
            visitor.post("/status", data=form)
            took = time.monotonic() - started
            assert took >= POST_FLOOR_SECONDS, f"{name}: {took:.3f} s"
            assert took < POST_FLOOR_SECONDS + 1.0, f"{name}: {took:.3f} s"


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(tmp_path: Path) -> None:
    """Without --trusted-proxy, a client cannot dodge the per-client limit by naming another address."""
    for untrusted in make_world(tmp_path, ServerProcess):
        report = untrusted.report()
        for number in range(20):  # wrong codes for twenty numbers, so no number's own lock comes first
            with httpx.Client(base_url=untrusted.url, headers={"X-Forwarded-For": f"203.0.113.{number}"}) as liar:
                assert look_up(liar, untrusted.kiosk.tracking(500 + number), report.code).status_code in (422, 429)
        with httpx.Client(base_url=untrusted.url, headers={"X-Forwarded-For": "203.0.113.200"}) as liar:
            locked = look_up(liar, report.tracking, report.code)
        assert locked.status_code == 429
        assert "from this connection" in text_of(locked.text)


def test_the_server_log_holds_no_access_code_no_query_and_no_client_address(tmp_path: Path) -> None:
    for world in make_world(tmp_path):
        report = world.report()
        with world.visitor() as visitor:
            visitor.get("/status", params={"t": report.tracking})
            look_up(visitor, report.tracking, report.code)
            wrong = new_access_code()
            look_up(visitor, report.tracking, wrong)
            visitor.post("/status/answer", data={"csrf": csrf_of(visitor.get("/status").text), "t": report.tracking,
                                                 "code": report.code, "answer": "Main Street, by the library."})
        log = world.server.log_text()
        access = [line for line in log.splitlines() if "HTTP/1.1" in line]
        assert any('"GET /status HTTP/1.1" 200' in line for line in access), log
        assert any('"POST /status/answer HTTP/1.1" 200' in line for line in access), log
        for secret in (report.code, report.code.replace("-", ""), wrong, wrong.replace("-", "")):
            assert secret not in log
        assert "t=" not in log and "?" not in "".join(access)
        assert "198.51.100." not in log
        assert not [line for line in access if "127.0.0.1" in line]


def test_the_proxies_named_in_forwarded_allow_ips_are_believed(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The systemd unit and the compose file name the proxy in $FORWARDED_ALLOW_IPS: each visitor behind it is then
    counted by their own address, so one guesser's lock does not lock everybody."""
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")
    for world in make_world(tmp_path, ServerProcess):
        report = world.report()
        with httpx.Client(base_url=world.url, headers={"X-Forwarded-For": "203.0.113.7"}) as guesser:
            statuses = [look_up(guesser, world.kiosk.tracking(600 + number), report.code).status_code
                        for number in range(21)]
        assert statuses[-1] == 429 and statuses[0] == 422
        with world.visitor() as citizen:
            assert look_up(citizen, report.tracking, report.code).status_code == 200


def test_a_trusted_proxy_that_is_no_address_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    from server.cli import main

    assert main(["--db", "sqlite:///:memory:", "serve", "--trusted-proxy", "proxy.example"]) == 2
    assert "is not an IP address or network" in capsys.readouterr().err


@pytest.mark.parametrize("db_kind", database_kinds())
def test_look_up_answer_and_lock_on_each_database(tmp_path: Path, db_kind: str) -> None:
    """The page's whole round on SQLite and on PostgreSQL: a look-up, a wrong code, the answer in the feed, and the
    lock after five wrong codes."""
    for world in make_world(tmp_path, kind=db_kind):
        report = world.report()
        with world.visitor() as visitor:
            found = look_up(visitor, report.tracking, report.code)
            assert found.status_code == 200 and QUESTION in text_of(found.text)
            assert MISMATCH in text_of(look_up(visitor, report.tracking, new_access_code()).text)
            sent = visitor.post("/status/answer", data={"csrf": csrf_of(found.text), "t": report.tracking,
                                                        "code": report.code, "answer": "On Main Street."})
            assert sent.status_code == 200, text_of(sent.text)
            for _ in range(4):
                look_up(visitor, report.tracking, new_access_code())
            assert look_up(visitor, report.tracking, report.code).status_code == 429
        feed = world.kiosk.decisions().json()["decisions"]
        assert [item["message"] for item in feed if item["action"] == "supplemented"] == ["On Main Street."]
