"""The fans' forms through the Flask test client, on a copy of the real dataset and a real
database: validation, CSRF, honeypot, proof of work, rate limits, nothing shown before review."""

from __future__ import annotations

import re

import pytest

from maps.suggestions import queue
from tests.support import HTTPS, csrf, form_page, place_form, post, suggest

pytestmark = pytest.mark.db
HOSTILE = '<script>alert("zqx")</script><img src=x onerror=alert(1)> zqxmarker'


@pytest.fixture
def client(queue_app):
    return queue_app.test_client()


def queued(app):
    with app.extensions["maps.queue"].get().session() as session:
        return queue.listing(session, None)


def test_suggest_a_place_gives_a_reference(client, queue_app):
    resp = suggest(client)
    assert resp.status_code == 303
    ref = resp.headers["Location"].rsplit("/", 1)[1]
    page = client.get(resp.headers["Location"], base_url=HTTPS).get_data(as_text=True)
    assert ref in page and "Thank you" in page
    (row,) = queued(queue_app)
    assert row.ref == ref and row.pow_verified and row.contact_email == "fan@example.org"
    assert row.payload["name"] == "Riverside bench" and row.payload["lat"] == 51.4862


def test_the_form_works_without_script_under_a_stricter_limit(client, queue_app):
    token, _ = form_page(client, "/suggest")
    resp = post(client, "/suggest", {"csrf_token": token, **place_form()})
    assert resp.status_code == 303
    assert queued(queue_app)[0].pow_verified is False


def test_a_site_may_require_the_proof_of_work(client, queue_app):
    queue_app.config["SUGGEST_REQUIRE_POW"] = True
    token, _ = form_page(client, "/suggest")
    resp = post(client, "/suggest", {"csrf_token": token, "altcha": "bm9uc2Vuc2U=", **place_form()})
    assert resp.status_code == 400 and "automatic check" in resp.get_data(as_text=True)
    assert queued(queue_app) == []


def test_validation_messages_are_shown_with_the_fields_kept(client, queue_app):
    token, solved = form_page(client, "/suggest")
    data = {"csrf_token": token, "altcha": solved, **place_form(evidence="javascript:alert(1)", season="")}
    resp = post(client, "/suggest", data)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "not an http(s) link" in page and 'href="#season"' in page and 'aria-invalid="true"' in page
    assert 'value="Riverside bench"' in page
    assert queued(queue_app) == []


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_csrf_missing_or_wrong_is_400(client, queue_app, token):
    form_page(client, "/suggest")
    data = place_form() if token is None else {"csrf_token": token, **place_form()}
    resp = post(client, "/suggest", data)
    assert resp.status_code == 400 and "CSRF" in resp.get_data(as_text=True)
    assert queued(queue_app) == []


def test_a_token_from_another_session_is_refused(queue_app):
    stolen, _ = form_page(queue_app.test_client(), "/suggest")
    victim = queue_app.test_client()
    form_page(victim, "/suggest")
    assert post(victim, "/suggest", {"csrf_token": stolen, **place_form()}).status_code == 400


def test_the_honeypot_refuses(client, queue_app):
    resp = suggest(client, website="http://spam.example")
    assert resp.status_code == 400 and "Leave this field empty" in resp.get_data(as_text=True)
    assert queued(queue_app) == []


def test_a_proof_of_work_is_used_once(client, queue_app):
    token, solved = form_page(client, "/suggest")
    data = {"csrf_token": token, "altcha": solved, **place_form()}
    assert post(client, "/suggest", data).status_code == 303
    again = post(client, "/suggest", data)
    assert again.status_code == 400 and "already used" in again.get_data(as_text=True)
    assert len(queued(queue_app)) == 1


def test_over_the_limit_is_429_with_retry_after(client, queue_app):
    queue_app.config["SUGGEST_LIMIT_WITHOUT_POW"] = "2 per minute"
    token, _ = form_page(client, "/suggest")
    codes = [
        post(client, "/suggest", {"csrf_token": token, **place_form(name=f"B{i}")}).status_code
        for i in range(3)
    ]
    assert codes == [303, 303, 429]
    resp = post(client, "/suggest", {"csrf_token": token, **place_form()})
    assert resp.status_code == 429 and int(resp.headers["Retry-After"]) > 0
    assert "Too Many Requests" in resp.get_data(as_text=True)
    # A solved proof of work is not held to the stricter limit.
    token, solved = form_page(client, "/suggest")
    assert (
        post(client, "/suggest", {"csrf_token": token, "altcha": solved, **place_form()}).status_code == 303
    )


def test_an_oversized_body_is_413_before_any_work(client, queue_app):
    token, _ = form_page(client, "/suggest")
    resp = post(client, "/suggest", {"csrf_token": token, **place_form(note="x" * 100_000)})
    assert resp.status_code == 413 and queued(queue_app) == []


def test_hostile_text_is_stored_as_given_and_never_shown_to_fans(client, queue_app):
    resp = suggest(client, name=HOSTILE, note=HOSTILE, locality=HOSTILE, credit=HOSTILE)
    assert resp.status_code == 303
    (row,) = queued(queue_app)
    assert row.payload["name"] == HOSTILE and row.credit == HOSTILE
    for url in ("/", "/locations", "/download/locations.geojson", "/ogc/collections/locations/items"):
        body = client.get(url, base_url=HTTPS).get_data(as_text=True)
        assert "zqx" not in body, url


def test_report_a_problem_on_a_place(client, queue_app, real_data):
    page = client.get("/locations/hampton-court-house", base_url=HTTPS).get_data(as_text=True)
    assert 'href="/locations/hampton-court-house/report"' in page
    token, solved = form_page(client, "/locations/hampton-court-house/report")
    data = {
        "csrf_token": token,
        "altcha": solved,
        "problem": "wrong_position",
        "details": "The pin is a street off.",
        "lat": "51.4082",
        "lon": "-0.3421",
        "evidence": "https://example.org/where",
    }
    resp = post(client, "/locations/hampton-court-house/report", data)
    assert resp.status_code == 303
    (row,) = queued(queue_app)
    assert (row.kind, row.place_id, row.payload["problem"]) == (
        "problem",
        "hampton-court-house",
        "wrong_position",
    )
    assert client.get("/locations/no-such-place/report", base_url=HTTPS).status_code == 404


def test_report_without_a_problem_chosen_says_so(client, queue_app):
    token, _ = form_page(client, "/locations/hampton-court-house/report")
    resp = post(client, "/locations/hampton-court-house/report", {"csrf_token": token, "details": ""})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "say what is wrong" in page and "required" in page


def test_map_and_list_link_to_the_form(client):
    for url in ("/", "/locations"):
        assert 'href="/suggest"' in client.get(url, base_url=HTTPS).get_data(as_text=True), url


def test_the_form_prefills_a_point_from_the_map(client):
    page = client.get("/suggest?lat=51.5&lon=-0.1", base_url=HTTPS).get_data(as_text=True)
    assert re.search(r'id="lat"[^>]*value="51.5"', page) and "data-altcha=" in page


def test_thanks_only_for_a_well_formed_reference(client):
    assert client.get("/suggest/thanks/<script>", base_url=HTTPS).status_code == 404
    assert client.get("/suggest/thanks/S-ABCDEFGH", base_url=HTTPS).status_code == 200


def test_csrf_token_is_in_the_page(client):
    page = client.get("/suggest", base_url=HTTPS).get_data(as_text=True)
    assert len(csrf(page)) > 20


def test_behind_a_trusted_proxy_limits_count_per_visitor(real_data, queue_url):
    from maps import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATA_PATH": str(real_data),
            "DATABASE_URL": queue_url,
            "PROXY_HOPS": "1",
            "SUGGEST_LIMIT_WITHOUT_POW": "1 per minute",
        }
    )
    client = app.test_client()
    token, _ = form_page(client, "/suggest")

    def send(ip):
        headers = {"Referer": HTTPS + "/", "X-Forwarded-For": ip, "X-Forwarded-Proto": "https"}
        return client.post(
            "/suggest", data={"csrf_token": token, **place_form()}, base_url=HTTPS, headers=headers
        )

    assert [send("198.51.100.7").status_code, send("198.51.100.7").status_code] == [303, 429]
    assert send("203.0.113.9").status_code == 303  # another visitor behind the same proxy
