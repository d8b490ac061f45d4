"""The error table of docs/sync-api.md on a real server: every status, the one error body, and no 500 for hostile
input."""

from __future__ import annotations

import json

import httpx
import pytest
from server_support import (
    ServerProcess,
    add_kiosk,
    database_kinds,
    drop_database,
    fresh_database_url,
    server_reports,
)

from kiosk.sync.protocol import MAX_BATCH, MAX_BODY_BYTES
from server.db import open_database
from server.kiosks import revoke_kiosk


def _error(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "items"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def _held(world, kiosk):
    return [row for row in server_reports(world.db_url) if row["kiosk_number"] == kiosk.number]


@pytest.mark.parametrize("method,path", [("GET", "/whoami"), ("POST", "/reports"), ("POST", "/events"),
                                         ("GET", "/decisions")])
def test_no_token_or_an_unknown_one_is_401_with_a_bearer_challenge(world, method, path):
    api = world.url + "/api/v1" + path
    body = {"reports": []} if path == "/reports" else {"events": []} if path == "/events" else None
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic dXNlcjpwYXNz"}):
        response = httpx.request(method, api, json=body, headers=headers)
        _error(response, 401, "unauthorized")
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working_at_once(world, kiosk):
    assert kiosk.http.get("/whoami").json() == {"kiosk_name": f"Lobby {kiosk.number}", "kiosk_number": kiosk.number}
    database = open_database(world.db_url)
    try:
        revoke_kiosk(database, kiosk.number)
    finally:
        database.close()
    _error(kiosk.http.get("/whoami"), 401, "unauthorized")
    _error(kiosk.push_reports([kiosk.report(1)]), 401, "unauthorized")
    assert _held(world, kiosk) == []


def test_health_needs_no_token(world):
    assert httpx.get(world.url + "/api/v1/health").json() == {"status": "ok", "api_version": 1}


def test_an_unknown_path_is_404_and_a_wrong_method_405_with_the_error_body(world, kiosk):
    _error(kiosk.http.get("/nothing-here"), 404, "not_found")
    _error(httpx.get(world.url + "/api/v2/health"), 404, "not_found")
    response = kiosk.http.delete("/reports")
    _error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["allow"]


def test_more_than_max_batch_items_is_413_batch_too_large(world, kiosk):
    reports = [kiosk.report(n) for n in range(1, MAX_BATCH + 2)]
    error = _error(kiosk.push_reports(reports), 413, "batch_too_large")
    assert error["items"][0]["field"] == "reports"
    reports[5]["kiosk_number"] = "five"  # too many AND invalid: the size is what the kiosk must fix first
    _error(kiosk.push_reports(reports), 413, "batch_too_large")
    events = [kiosk.event(n, 1, "submitted", "submitted") for n in range(1, MAX_BATCH + 2)]
    _error(kiosk.push_events(events), 413, "batch_too_large")
    assert _held(world, kiosk) == []
    assert kiosk.push_reports([*reports[:MAX_BATCH - 1], kiosk.report(999)]).status_code == 422  # 5 is invalid
    del reports[5]
    response = kiosk.push_reports(reports[:MAX_BATCH])
    assert response.status_code == 200, response.text
    assert len(_held(world, kiosk)) == MAX_BATCH


def test_a_body_over_the_limit_is_413_body_too_large_by_length_and_when_chunked(world, kiosk):
    padding = "x" * (MAX_BODY_BYTES + 10)
    body = json.dumps({"reports": [kiosk.report(1) | {"padding": padding}]}).encode()
    headers = {"content-type": "application/json"}
    _error(kiosk.http.post("/reports", content=body, headers=headers), 413, "body_too_large")

    def chunks():  # no Content-Length: the server counts what arrives
        for start in range(0, len(body), 1 << 20):
            yield body[start:start + (1 << 20)]

    _error(kiosk.http.post("/reports", content=chunks(), headers=headers), 413, "body_too_large")
    assert _held(world, kiosk) == []
    assert kiosk.http.get("/whoami").status_code == 200


HOSTILE_BODIES = [
    (b"", "body"),
    (b"not json", "body"),
    (b"\xff\xfe\x00{", "body"),
    (b"[]", "body"),
    (b'{"reports": {"a": 1}}', "reports"),
    (b'{"reports": "nope"}', "reports"),
    (b'{"reports": [1]}', "reports[0]"),
    (b'{"reports": [{"tracking_number": 12}]}', "reports[0].tracking_number"),
    (b'{"reports": [{"tracking_number": "T26-01-00001-9"}]}', "reports[0].tracking_number"),
    (b'{"reports": [{"kiosk_number": 100000000000000000000000000000000000}]}', "reports[0].kiosk_number"),
    (b'{"reports": [{"kiosk_number": 1e400}]}', "reports[0].kiosk_number"),
    (b'{"reports": [{"kiosk_number": ' + b"9" * 5000 + b"}]}", "body"),
    (b'{"reports": [{"submitted_at": "2026-13-45T99:00:00+00:00"}]}', "reports[0].submitted_at"),
    (b'{"reports": ' + b"[" * 5000 + b"]" * 5000 + b"}", "body"),
    (b'{"events": [{"action": "exploded"}]}', "events[0].action"),
    (b'{"events": [{"actor": "a\\u0000b"}]}', "events[0].actor"),
]


@pytest.mark.parametrize("path", ["/reports", "/events"])
def test_hostile_bodies_are_422_naming_the_field_never_500(world, kiosk, path):
    for raw, field in HOSTILE_BODIES:
        response = kiosk.http.post(path, content=raw, headers={"content-type": "application/json"})
        error = _error(response, 422, "invalid")
        fields = [item["field"] for item in error["items"]]
        key = path.strip("/")
        if field.startswith(key) or field == "body":
            assert any(f == field or f.startswith(field + ".") or f.startswith(field + "[") for f in fields), (
                raw[:80], fields)
    assert _held(world, kiosk) == []


def test_nul_characters_and_lone_surrogates_in_a_report_are_422_never_stored(world, kiosk):
    report = kiosk.report(1)
    report["report"]["incident"]["narrative"] = "My bike\u0000 was taken from the rack outside the library."
    text = json.dumps({"reports": [report]})
    response = kiosk.http.post("/reports", content=text.encode(), headers={"content-type": "application/json"})
    error = _error(response, 422, "invalid")
    assert [(i["field"], i["code"]) for i in error["items"]] == [("reports[0].report.incident.narrative",
                                                                  "nul_character")]
    surrogate = text.replace("\\u0000", "\\ud800")
    response = kiosk.http.post("/reports", content=surrogate.encode(), headers={"content-type": "application/json"})
    error = _error(response, 422, "invalid")
    assert [(i["field"], i["code"]) for i in error["items"]] == [("reports[0].report.incident.narrative",
                                                                  "not_utf8")]
    event = kiosk.event(1, 1, "submitted", "submitted", message="\ud800")
    response = kiosk.http.post("/events", content=json.dumps({"events": [event]}).encode(),
                               headers={"content-type": "application/json"})
    assert [i["field"] for i in _error(response, 422, "invalid")["items"]] == ["events[0].message"]
    event = kiosk.event(1, 1, "submitted", "submitted", actor="kiosk\u0000")
    response = kiosk.http.post("/events", content=json.dumps({"events": [event]}).encode(),
                               headers={"content-type": "application/json"})
    assert [i["field"] for i in _error(response, 422, "invalid")["items"]] == ["events[0].actor"]
    assert _held(world, kiosk) == []



@pytest.mark.parametrize("db_kind", database_kinds()[1:])  # PostgreSQL: a database can be dropped under the server
def test_a_database_that_goes_away_answers_503_with_retry_after_and_stores_nothing(db_kind, tmp_path):
    """A database dropped under the running server (its connections cut): every request, the token check included,
    gets 503 "unavailable" with Retry-After and the error body, never a 500; the kiosk sends again later."""
    url = fresh_database_url(db_kind, tmp_path)
    token = add_kiosk(url, "Lobby North", 1)
    with ServerProcess(url) as server:
        headers = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{server.url}/api/v1/whoami", headers=headers, timeout=30).status_code == 200
        drop_database(url)
        for method, path, body in (("GET", "/api/v1/whoami", None), ("POST", "/api/v1/reports", {"reports": []}),
                                   ("GET", "/api/v1/decisions", None)):
            answer = httpx.request(method, f"{server.url}{path}", headers=headers, json=body, timeout=30)
            assert answer.status_code == 503, (path, answer.text)
            assert answer.headers["Retry-After"] == "30"
            assert answer.json()["error"]["code"] == "unavailable"
        assert "Traceback" not in server.log_text()
