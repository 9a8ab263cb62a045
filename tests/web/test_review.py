"""The curators' pages: login (hashing, fixation, next=), the queue, edit and accept into the
data file, reject; hostile text from fans shown escaped."""

from __future__ import annotations

import html
import json
import re

import pytest

from maps.dataset import store
from maps.suggestions import curators
from tests.support import HTTPS, csrf, login, post, suggest

pytestmark = pytest.mark.db
HOSTILE = '"><script>alert("zqx")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def app(queue_app):
    with queue_app.extensions["maps.queue"].get().session() as session:
        curators.add_curator(session, "alice", "correct horse battery")
        curators.add_curator(session, "bob", "another correct horse")
    return queue_app


@pytest.fixture
def fan(app):
    return app.test_client()


@pytest.fixture
def curator(app):
    client = app.test_client()
    assert login(client).status_code == 303
    return client


def session_cookie(client) -> str | None:
    cookie = client.get_cookie("session", domain="localhost")
    return cookie.value if cookie else None


def submitted_ref(fan, **fields) -> str:
    resp = suggest(fan, **fields)
    assert resp.status_code == 303, resp.get_data(as_text=True)
    return resp.headers["Location"].rsplit("/", 1)[1]


def edit_fields(page: str) -> dict:
    """The accept form's fields as the browser would send them."""
    start = re.search(r'<form[^>]*action="/review/[^"]+/accept"', page).start()
    form = page[start : page.index("</form>", start)]
    values = {
        n: html.unescape(v) for n, v in re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', form)
    }
    for name, body in re.findall(r'<textarea[^>]*?name="([^"]+)"[^>]*>\n?(.*?)</textarea>', form, re.S):
        values[name] = html.unescape(body)
    for name, options in re.findall(r'<select[^>]*?name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', options)
        values[name] = next(g for g in chosen.groups() if g is not None) if chosen else ""
    return values


def test_the_review_page_needs_a_login(fan):
    resp = fan.get("/review/?status=all", base_url=HTTPS)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/review/login?next=")
    assert fan.get("/review/S-ABCDEFGH", base_url=HTTPS).status_code == 302
    assert post(fan, "/review/S-ABCDEFGH/accept", {}).status_code in (302, 400)


def test_login_then_back_to_where_you_were(app):
    client = app.test_client()
    page = client.get("/review/login?next=/review/%3Fstatus%3Dall", base_url=HTTPS).get_data(as_text=True)
    assert 'value="/review/?status=all"' in page
    resp = post(
        client,
        "/review/login",
        {
            "csrf_token": csrf(page),
            "username": "alice",
            "password": "correct horse battery",
            "next": "/review/?status=all",
        },
    )
    assert resp.status_code == 303 and resp.headers["Location"] == "/review/?status=all"
    assert "Logged in as <strong>alice</strong>" in client.get("/review/", base_url=HTTPS).get_data(
        as_text=True
    )


def test_a_wrong_password_gives_no_session(app):
    client = app.test_client()
    resp = login(client, password="wrong horse battery")
    assert resp.status_code == 401 and "Wrong user name or password" in resp.get_data(as_text=True)
    assert client.get("/review/", base_url=HTTPS).status_code == 302
    assert login(client, username="mallory").status_code == 401


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "\t//evil.example",
    ],
)
def test_next_cannot_leave_the_site(app, target):
    client = app.test_client()
    page = client.get("/review/login", query_string={"next": target}, base_url=HTTPS).get_data(as_text=True)
    resp = post(
        client,
        "/review/login",
        {"csrf_token": csrf(page), "username": "alice", "password": "correct horse battery", "next": target},
    )
    assert resp.status_code == 303 and resp.headers["Location"] == "/review/"


def test_no_session_fixation(app):
    attacker = app.test_client()
    attacker.get("/review/login", base_url=HTTPS)
    planted = session_cookie(attacker)
    victim = app.test_client()
    victim.set_cookie("session", planted, domain="localhost", secure=True)
    assert login(victim).status_code == 303
    assert session_cookie(victim) != planted  # a new session on login
    assert attacker.get("/review/", base_url=HTTPS).status_code == 302  # the planted one stays anonymous


def test_the_session_cookie_is_secure(app):
    client = app.test_client()
    resp = login(client)
    cookie = resp.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout(curator):
    page = curator.get("/review/", base_url=HTTPS).get_data(as_text=True)
    assert post(curator, "/review/logout", {"csrf_token": csrf(page)}).status_code == 303
    assert curator.get("/review/", base_url=HTTPS).status_code == 302


def test_hostile_text_is_shown_escaped_in_the_review_pages(fan, curator):
    ref = submitted_ref(
        fan,
        name=HOSTILE,
        note=HOSTILE,
        locality=HOSTILE,
        where=HOSTILE,
        story_place=HOSTILE,
        credit=HOSTILE,
        email="a@b.example",
    )
    for url in ("/review/", f"/review/{ref}"):
        page = curator.get(url, base_url=HTTPS).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert(" in page or "&#34;&gt;&lt;script&gt;" in page, url


def test_a_curator_accepts_and_the_place_is_on_the_map_at_the_next_request(app, fan, curator, real_data):
    before = fan.get("/", base_url=HTTPS).get_data(as_text=True)
    assert "Riverside bench" not in before
    ref = submitted_ref(fan)
    page = curator.get(f"/review/{ref}", base_url=HTTPS).get_data(as_text=True)
    assert "fan@example.org" in page  # curators see the contact; fans never do
    resp = post(curator, f"/review/{ref}/accept", edit_fields(page))
    assert resp.status_code == 303
    assert f"Accepted {ref}" in curator.get("/review/", base_url=HTTPS).get_data(as_text=True)
    assert "Riverside bench" in fan.get("/", base_url=HTTPS).get_data(as_text=True)
    place = fan.get("/locations/riverside-bench", base_url=HTTPS)
    assert place.status_code == 200 and "Charlie waits on a bench" in place.get_data(as_text=True)
    assert "fan@example.org" not in real_data.read_text(encoding="utf-8")
    added = next(f for f in store.read_raw(real_data)["features"] if f["id"] == "riverside-bench")
    assert added["properties"]["access"] == "exterior"  # "not sure" never becomes "public"


def test_edit_before_accepting_from_the_web(fan, curator, real_data):
    ref = submitted_ref(fan)
    values = edit_fields(curator.get(f"/review/{ref}", base_url=HTTPS).get_data(as_text=True))
    values.update(
        name="Windsor riverside bench",
        precision="street",
        evidence=values["evidence"] + "\nhttps://example.org/more",
    )
    assert post(curator, f"/review/{ref}/accept", values).status_code == 303
    feature = next(f for f in store.read_raw(real_data)["features"] if f["id"] == "windsor-riverside-bench")
    assert feature["properties"]["precision"] == "street" and len(feature["properties"]["sources"]) == 2
    audit = curator.get(f"/review/{ref}", base_url=HTTPS).get_data(as_text=True)
    assert "alice · accepted" in audit and "edited:" in audit


def test_an_edit_that_breaks_the_data_is_refused_with_the_message(fan, curator, real_data):
    before = real_data.read_bytes()
    ref = submitted_ref(fan)
    values = edit_fields(curator.get(f"/review/{ref}", base_url=HTTPS).get_data(as_text=True))
    values.update(lat="48.8584", lon="2.2945")  # Paris, still "GB"
    resp = post(curator, f"/review/{ref}/accept", values)
    assert resp.status_code == 400 and "data would be invalid" in resp.get_data(as_text=True)
    assert real_data.read_bytes() == before
    values.update(lat="north")
    resp = post(curator, f"/review/{ref}/accept", values)
    assert resp.status_code == 400 and "must be a number" in resp.get_data(as_text=True)


def test_reject_with_a_reason(fan, curator, real_data):
    before = real_data.read_bytes()
    ref = submitted_ref(fan)
    page = curator.get(f"/review/{ref}", base_url=HTTPS).get_data(as_text=True)
    token = csrf(page)
    assert post(curator, f"/review/{ref}/reject", {"csrf_token": token, "reason": ""}).status_code == 400
    assert (
        post(curator, f"/review/{ref}/reject", {"csrf_token": token, "reason": "No source."}).status_code
        == 303
    )
    page = curator.get(f"/review/{ref}", base_url=HTTPS).get_data(as_text=True)
    assert "rejected" in page and "No source." in page and real_data.read_bytes() == before
    assert post(curator, f"/review/{ref}/reject", {"csrf_token": token, "reason": "again"}).status_code == 409


def test_accept_without_csrf_is_400(fan, curator):
    ref = submitted_ref(fan)
    assert post(curator, f"/review/{ref}/accept", {"name": "x"}).status_code == 400


def test_login_is_rate_limited(app):
    app.config["LOGIN_LIMIT"] = "3 per minute"
    client = app.test_client()
    codes = [login(client, password=f"wrong password {i}").status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]


def test_unknown_reference_is_404(curator):
    assert curator.get("/review/S-ABCDEFGH", base_url=HTTPS).status_code == 404
    assert json.loads(curator.get("/healthz").get_data())["status"] == "ok"


def test_an_instance_may_leave_the_review_pages_out(real_data, queue_url):
    from maps import create_app

    app = create_app(
        {"TESTING": True, "DATA_PATH": str(real_data), "DATABASE_URL": queue_url, "REVIEW_PAGES": "0"}
    )
    client = app.test_client()
    assert client.get("/review/", base_url=HTTPS).status_code == 404
    assert client.get("/suggest", base_url=HTTPS).status_code == 200  # fans can still suggest
