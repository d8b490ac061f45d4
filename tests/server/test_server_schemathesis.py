"""schemathesis against the live server's own /openapi.json, with a valid kiosk token: whatever it sends, the server
never answers 500 and every answer matches the document (status codes, content types, bodies, headers).

One check is left out: ``positive_data_acceptance`` expects every request the schema allows to be accepted, but the
server also applies what a schema cannot say (the report rules, the check digit, which kiosk owns a report, the
content hash) and refuses those with 403/409/422 by design."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
# (path, method, mode): operations without any input have no negative cases.
WITH_INPUT = (("/api/v1/reports", "POST"), ("/api/v1/events", "POST"), ("/api/v1/decisions", "GET"),
              ("/api/v1/heartbeat", "POST"))
CASES = [("/api/v1/health", "GET", POSITIVE), ("/api/v1/whoami", "GET", POSITIVE)] + [
    (path, method, mode) for path, method in WITH_INPUT for mode in (POSITIVE, NEGATIVE)]


@pytest.mark.parametrize("path,method,mode", CASES, ids=[f"{m} {p} {g.value}" for p, m, g in CASES])
def test_the_server_keeps_to_its_openapi_document(world, kiosk, path, method, mode):
    schema = schemathesis.openapi.from_url(world.url + "/openapi.json")
    operation = schema[path][method]

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        if _header_mode(case) is not NEGATIVE:
            # A well-formed Authorization header gets the kiosk's real token; a missing or malformed one (negative
            # cases) is sent as generated, and the server must refuse it.
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {kiosk.token}"}
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()


def _header_mode(case):
    for location, info in case.meta.components.items():
        if getattr(location, "value", location) == "header":
            return info.mode
    return None
