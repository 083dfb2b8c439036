"""Organiser accounts: created on the command line, signed in at /login."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import User
from tests.conftest import csrf_token


def cli(app, runner, *args, input=None):
    with app.app_context():
        return runner.invoke(args=list(args), input=input)


def test_user_create_with_password_prompt_then_sign_in(app, runner, auth, client):
    result = cli(app, runner, "user", "create", "Secretariat@WTAnet.org", "--admin",
                 input="a long passphrase\na long passphrase\n")
    assert result.exit_code == 0, result.output
    assert "Created admin secretariat@wtanet.org" in result.output
    user = db.session.scalar(sa.select(User))
    assert user.is_admin and user.password_hash.startswith("$argon2")

    response = auth.login("secretariat@wtanet.org", "a long passphrase")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    assert client.get("/admin/").status_code == 200


def test_user_create_refuses_short_passwords_and_duplicates(app, runner, make_user):
    short = cli(app, runner, "user", "create", "x@wtanet.org", "--password", "short")
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    make_user("taken@wtanet.org")
    duplicate = cli(app, runner, "user", "create", "taken@wtanet.org", "--password", "long enough pass")
    assert duplicate.exit_code != 0 and "exists already" in duplicate.output


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(make_user, auth):
    make_user()
    for email, password in (("organiser@wtanet.org", "wrong password"), ("nobody@wtanet.org", "correct horse battery")):
        response = auth.login(email, password)
        assert response.status_code == 401
        assert b"The email or password is not right." in response.data


def test_admin_pages_need_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("target", ["https://evil.example/x", "//evil.example",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_login_never_redirects_to_another_site(make_user, client, target):
    make_user()
    page = client.get("/login")
    response = client.post("/login", query_string={"next": target}, data={
        "email": "organiser@wtanet.org", "password": "correct horse battery", "csrf_token": csrf_token(page)})
    assert response.headers["Location"] == "/admin/"


def test_login_returns_to_the_page_asked_for(make_user, client):
    make_user()
    page = client.get("/login")
    response = client.post("/login", query_string={"next": "/admin/events/new?from=1"}, data={
        "email": "organiser@wtanet.org", "password": "correct horse battery", "csrf_token": csrf_token(page)})
    assert response.headers["Location"] == "/admin/events/new?from=1"


def test_sign_out(make_user, auth, client):
    make_user()
    auth.login()
    auth.logout()
    assert client.get("/admin/").status_code == 302


def test_repeated_wrong_passwords_are_slowed_down(database_url, smtp_server, make_user):
    """Ten tries a minute per address, counted in Redis when it is there (several app processes)."""
    import secrets

    import redis

    from tests.conftest import Auth, BrowserLikeClient, make_app

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
        storage = "redis://127.0.0.1:6379"
    except redis.RedisError:
        storage = "memory://"
    from app.extensions import limiter

    make_user()
    limited = make_app(database_url, smtp_server.port, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage,
                       LOGIN_RATE_LIMIT="3 per minute")
    limited.test_client_class = BrowserLikeClient
    client = limited.test_client()
    # Counts are kept per client address: each run comes from an address of its own.
    client.environ_base["REMOTE_ADDR"] = "10." + ".".join(str(secrets.randbelow(254) + 1) for _ in range(3))
    auth = Auth(client)

    try:
        statuses = [auth.login(password="wrong password").status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 429]
        assert b"Too many attempts" in auth.login().data  # even the right password waits
    finally:
        limiter.enabled = False  # one Limiter serves every app in this process; the others run unlimited


@pytest.mark.parametrize("hostile", [
    "https://evil.example/x", "//evil.example/x", "/\\evil.example/x", "\\\\evil.example", "/\t/evil.example",
    "javascript:alert(1)", "http:/evil.example", "admin/",
])
def test_after_sign_in_a_hostile_next_stays_on_this_site(make_user, client, hostile):
    make_user()
    page = client.get("/login")

    response = client.post("/login", query_string={"next": hostile}, data={
        "email": "organiser@wtanet.org", "password": "correct horse battery", "csrf_token": csrf_token(page)})

    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location
    assert urlsplit(location).netloc == ""
    if "\\" not in hostile:
        assert location == "/admin/"  # anything else leads to the dashboard


def test_after_sign_in_a_page_of_this_site_is_opened(make_user, make_event, client):
    make_user()
    event = make_event()
    wanted = f"/admin/events/{event.id}/attendees?sort=country&q=org"
    asked = client.get(wanted)
    assert asked.status_code == 302
    login_page = asked.headers["Location"]

    response = client.post(login_page, data={"email": "organiser@wtanet.org", "password": "correct horse battery",
                                             "csrf_token": csrf_token(client.get(login_page))})

    assert response.headers["Location"] == wanted
    assert client.get(wanted).status_code == 200
