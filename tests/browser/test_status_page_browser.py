"""The status page in a real browser: Debian's Chromium (/usr/bin/chromium) driven by Playwright for Python, against a
real server process. A citizen opens the receipt's link (``/status?t=<tracking>``), types the access code (a wrong
one first), reads the officer's question, answers it, and the answer is in the decisions feed for the kiosk. axe-core
(tests/browser/node_modules, from `npm ci`) finds no serious or critical violation on the form, the error page, the
status page and the answered page, in English and in Spanish.

Screenshots at phone size (390x844) go to a temporary folder, or to the folder $P2C_STATUS_SCREENSHOTS names (how
docs/status-page/*.png are made: ``P2C_STATUS_SCREENSHOTS=docs/status-page pytest tests/browser -k screenshots``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import AXE, QUESTION, QUESTION_ES, World
from helpers import load_sample
from server_support import ServerProcess, add_kiosk, decide, fresh_database_url
from sync_support import sync_kiosk

from kiosk.sync.protocol import WEB_ANSWER_ACTOR

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

pytestmark = pytest.mark.slow


def _missing(what: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI=true but {what}")
    pytest.skip(what)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing("/usr/bin/chromium is missing (bash scripts/install-system-deps.sh installs it)")
    if not AXE.exists():
        _missing("axe-core is missing (cd tests/browser && npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


def _page(browser: Any, world: World, language: str, address: str, *, bypass_csp: bool = True) -> Any:
    # bypass_csp only so that axe-core can be put into the page: the page itself runs no script, and its policy
    # forbids all (test_the_page_keeps_its_style_under_its_own_policy checks the page under it).
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale=language, bypass_csp=bypass_csp,
                                  extra_http_headers={"X-Forwarded-For": address})
    return context.new_page()


def assert_accessible(page: Any, name: str) -> None:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    bad = [f"{item['id']} ({item['impact']}): {item['help']} -- {[node['target'] for node in item['nodes']]}"
           for item in result["violations"] if item["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: " + "\n".join(bad)
    assert result["passes"], f"{name}: axe-core checked nothing"


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("P2C_STATUS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


CASES = {
    "en": {"sample": "larceny-bicycle", "question": QUESTION, "answer": "It was parked on Main Street, by the library.",
           "check": "Check", "send": "Send", "heading": "Your report", "thanks": "Your answer was added",
           "mismatch": "do not match"},
    "es": {"sample": "vandalism-car-es", "question": QUESTION_ES, "answer": "Estaba en la calle Main, frente a la "
           "biblioteca.", "check": "Consultar", "send": "Enviar", "heading": "Su informe",
           "thanks": "Su respuesta se agregó", "mismatch": "no coinciden"},
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_screenshots_a_citizen_answers_the_officer_in_chromium(browser: Any, world: World, tmp_path: Path,
                                                               language: str) -> None:
    case = CASES[language]
    report = world.report(sample=case["sample"], question=case["question"])
    page = _page(browser, world, language, f"192.0.2.{1 if language == 'en' else 2}")
    folder = shots_dir(tmp_path)

    page.goto(f"{world.url}/status?t={report.tracking}")  # the receipt's QR link
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#tracking").input_value() == report.tracking
    assert_accessible(page, f"{language} form")
    page.screenshot(path=str(folder / f"form-{language}.png"), full_page=True)
    page.keyboard.press("Tab")  # the focus is visible: a solid outline on the focused control
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"

    page.fill("#code", "AAAA-AAAB")
    page.get_by_role("button", name=case["check"], exact=True).click()
    assert case["mismatch"] in page.locator("#code-error").inner_text()
    assert page.locator("#code").get_attribute("aria-invalid") == "true"
    assert_accessible(page, f"{language} error page")

    page.fill("#code", report.code)
    page.get_by_role("button", name=case["check"], exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == case["heading"]
    assert case["question"] in page.locator(".status").inner_text()
    assert_accessible(page, f"{language} status page")
    page.screenshot(path=str(folder / f"status-{language}.png"), full_page=True)

    page.fill("#answer", case["answer"])
    page.get_by_role("button", name=case["send"], exact=True).click()
    assert case["thanks"] in page.locator(".done").inner_text()
    assert_accessible(page, f"{language} answered page")
    page.screenshot(path=str(folder / f"answered-{language}.png"), full_page=True)
    page.context.close()

    feed = world.kiosk.decisions().json()["decisions"]
    web = [item for item in feed if item["tracking_number"] == report.tracking and item["action"] == "supplemented"]
    assert [item["message"] for item in web] == [case["answer"]]
    assert web[0]["status"] == "in_review"


def test_the_page_keeps_its_style_under_its_own_policy_and_fits_320_px(browser: Any, world: World) -> None:
    report = world.report()
    page = _page(browser, world, "en", "192.0.2.3", bypass_csp=False)
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{world.url}/status?t={report.tracking}")
    # The style sheet is allowed ('self'): the header has its colour.
    assert page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") == "rgb(11, 46, 89)"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # The hints' example number and code each stay on one line, not broken at a hyphen.
    examples = page.evaluate("[...document.querySelectorAll('.hint .number')].map("
                             "e => [e.textContent, e.getClientRects().length])")
    assert [text for text, _ in examples] == ["T26-01-00042-1", "K7QM-2XHD"]
    assert all(lines == 1 for _, lines in examples), examples
    page.fill("#code", report.code)
    page.get_by_role("button", name="Check", exact=True).click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # The language switch on the status page looks the report up again in Spanish (a POST: the code never goes
    # into a URL).
    page.get_by_role("button", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"
    assert "?" not in page.url and report.code not in page.url
    assert not refused, refused
    page.context.close()


def test_an_answer_given_in_chromium_arrives_at_the_kiosk_after_a_sync(browser: Any, tmp_path: Path) -> None:
    """The whole way: a real kiosk takes the report and syncs it (its access-code verifier with it), an officer asks
    at the server (p2c-server decide), the kiosk syncs the question, the citizen answers in Chromium, and the next
    sync brings the answer to the kiosk."""
    db_url = fresh_database_url("sqlite", tmp_path)
    token = add_kiosk(db_url, "Lobby North", 1)
    words = "It was locked to the rack outside the Main Street library."
    with ServerProcess(db_url) as server, sync_kiosk(tmp_path / "kiosk", server.url, token) as kiosk:
        receipt = kiosk.reports.submit(load_sample("larceny-bicycle"))
        tracking = str(receipt.tracking_number)
        assert kiosk.sync.run_once(force=True).error is None
        decide(db_url, tracking, "request-info", question=QUESTION)
        assert kiosk.sync.run_once(force=True).error is None
        assert kiosk.reports.get(receipt.tracking_number)["status"] == "needs_info"

        context = browser.new_context(viewport=PHONE, locale="en")
        page = context.new_page()
        page.goto(f"{server.url}/status?t={tracking}")
        page.fill("#code", receipt.access_code)
        page.get_by_role("button", name="Check", exact=True).click()
        assert QUESTION in page.locator(".status").inner_text()
        page.fill("#answer", words)
        page.get_by_role("button", name="Send", exact=True).click()
        assert "Your answer was added" in page.locator(".done").inner_text()
        context.close()

        run = kiosk.sync.run_once(force=True)
        assert run.error is None and run.decisions_pulled == 1
        last = kiosk.reports.get(receipt.tracking_number)["history"][-1]
        assert (last["actor"], last["action"], last["status"], last["message"]) == (
            WEB_ANSWER_ACTOR, "supplemented", "in_review", words)
        assert kiosk.reports.get(receipt.tracking_number)["status"] == "in_review"
