"""POST /api/v1/access-codes: the verifiers of pushed reports, all or nothing, the latest replacing the one before."""

from __future__ import annotations

import httpx

from kiosk.access_codes import hash_access_code
from kiosk.sync.protocol import MAX_ACCESS_CODE_BATCH
from server.db import open_database


def _push(kiosk, items):
    return kiosk.http.post("/access-codes", json={"access_codes": items})


def _verifiers(db_url: str) -> dict[str, str | None]:
    database = open_database(db_url)
    try:
        with database.db.connection_context():
            Report = database.models.Report
            return {row.tracking_number: row.access_code_verifier for row in Report.select()}
    finally:
        database.close()


def test_verifiers_are_stored_and_a_reissued_one_replaces_the_one_before(world, kiosk):
    first, second = kiosk.stored(1), kiosk.stored(2)
    one, two, reissued = hash_access_code("K7QM-2XHD"), hash_access_code("ABCD-EFGH"), hash_access_code("ZZZZ-2222")
    response = _push(kiosk, [{"tracking_number": first, "verifier": one},
                             {"tracking_number": second, "verifier": two}])
    assert response.status_code == 200, response.text
    assert response.json() == {"results": [{"tracking_number": first, "outcome": "stored"},
                                           {"tracking_number": second, "outcome": "stored"}]}
    again = _push(kiosk, [{"tracking_number": second, "verifier": two},
                          {"tracking_number": first, "verifier": reissued},
                          {"tracking_number": first, "verifier": reissued}])
    assert again.json() == {"results": [{"tracking_number": second, "outcome": "unchanged"},
                                        {"tracking_number": first, "outcome": "stored"},
                                        {"tracking_number": first, "outcome": "unchanged"}]}
    held = _verifiers(world.db_url)
    assert (held[first], held[second]) == (reissued, two)


def test_an_unknown_report_or_another_kiosks_stores_nothing(world, kiosk):
    mine = kiosk.stored(1)
    other = world.new_kiosk()
    theirs = other.stored(1)
    verifier = hash_access_code("K7QM-2XHD")

    unknown = _push(kiosk, [{"tracking_number": mine, "verifier": verifier},
                            {"tracking_number": kiosk.tracking(7), "verifier": verifier}])
    assert unknown.status_code == 422, unknown.text
    error = unknown.json()["error"]
    assert [(i["index"], i["field"], i["code"]) for i in error["items"]] == [
        (1, "access_codes[1].tracking_number", "unknown_report")]
    foreign = _push(kiosk, [{"tracking_number": mine, "verifier": verifier},
                            {"tracking_number": theirs, "verifier": verifier}])
    assert foreign.status_code == 403, foreign.text
    assert [(i["field"], i["code"]) for i in foreign.json()["error"]["items"]] == [
        ("access_codes[1].tracking_number", "other_kiosk")]
    held = _verifiers(world.db_url)
    assert held[mine] is None and held[theirs] is None


def test_a_malformed_verifier_or_batch_is_refused_on_its_field(world, kiosk):
    mine = kiosk.stored(1)
    good = hash_access_code("K7QM-2XHD")
    for bad in ("K7QM-2XHD", good.upper(), good.replace("sha256", "md5"), good + "0", "", None):
        response = _push(kiosk, [{"tracking_number": mine, "verifier": good},
                                 {"tracking_number": mine, "verifier": bad}])
        assert response.status_code == 422, (bad, response.text)
        assert [i["field"] for i in response.json()["error"]["items"]] == ["access_codes[1].verifier"], bad
    wrong_number = _push(kiosk, [{"tracking_number": "T26-01-00001-0", "verifier": good}])
    assert wrong_number.status_code == 422
    assert wrong_number.json()["error"]["items"][0]["field"] == "access_codes[0].tracking_number"
    too_many = _push(kiosk, [{"tracking_number": mine, "verifier": good}] * (MAX_ACCESS_CODE_BATCH + 1))
    assert too_many.status_code == 413 and too_many.json()["error"]["code"] == "batch_too_large"
    assert _verifiers(world.db_url)[mine] is None


def test_without_a_token_it_is_refused(world):
    response = httpx.post(world.url + "/api/v1/access-codes", json={"access_codes": []})
    assert response.status_code == 401


def test_too_many_and_invalid_is_413_and_an_invalid_item_is_named_by_index_and_tracking_number(world, kiosk):
    mine = kiosk.stored(1)
    good = hash_access_code("K7QM-2XHD")
    items = [{"tracking_number": mine, "verifier": good}] * (MAX_ACCESS_CODE_BATCH + 1)
    items[3] = {"tracking_number": mine, "verifier": "not a verifier"}
    too_many = _push(kiosk, items)  # the size is what the kiosk must fix first, as for reports and events
    assert too_many.status_code == 413, too_many.text
    assert too_many.json()["error"]["code"] == "batch_too_large"
    assert too_many.json()["error"]["items"][0]["field"] == "access_codes"
    invalid = _push(kiosk, [{"tracking_number": mine, "verifier": good}, {"tracking_number": mine, "verifier": "x"}])
    assert invalid.status_code == 422
    assert [(i["index"], i["tracking_number"], i["field"]) for i in invalid.json()["error"]["items"]] == [
        (1, mine, "access_codes[1].verifier")]
    assert _verifiers(world.db_url)[mine] is None
