"""Limits on the public forms (issue 16): a script cannot fill an event, flood a mailbox or fill the disk.

Each test runs an app of its own with the limits on (the suite's app has them off), counting in memory; one
runs the same story against Redis, as production does, when a Redis server is there.
"""

from __future__ import annotations

import logging
import secrets
import time

import pytest
import sqlalchemy as sa

from app.extensions import db, limiter
from app.models import Registration, RegistrationMode
from app.public.bot_check import REFUSAL
from tests.conftest import BrowserLikeClient, csrf_token, make_app, registration_form
from tests.integration.questions_support import upload_folder  # noqa: F401

REDIS_URL = "redis://127.0.0.1:6379"


def an_address() -> str:
    """A client address of its own for each test: counts in Redis outlive a test run."""
    return "10." + ".".join(str(secrets.randbelow(254) + 1) for _ in range(3))


@pytest.fixture
def limited(database_url, smtp_server, app):
    """limited(**settings): a client of an app with the limits on, from an address of its own."""

    def make(address: str | None = None, **settings):
        settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://", "FORM_MIN_FILL_SECONDS": 0,
                    **settings}
        limited_app = make_app(database_url, smtp_server.port, **settings)
        limited_app.test_client_class = BrowserLikeClient
        client = limited_app.test_client()
        client.environ_base["REMOTE_ADDR"] = address or an_address()
        return client

    yield make
    limiter.enabled = False  # one Limiter serves every app in this process; the others run unlimited


def from_address(client, address: str):
    """The same app seen from another client address."""
    other = client.application.test_client()
    other.environ_base["REMOTE_ADDR"] = address
    return other


def send_registration(client, event, **fields):
    page = client.get(f"/events/{event.slug}")
    return client.post(f"/events/{event.slug}", data={**registration_form(**fields), "csrf_token": csrf_token(page)})


def registered_emails(event) -> list[str]:
    return list(db.session.scalars(
        sa.select(Registration.email).where(Registration.event_id == event.id).order_by(Registration.id)))


def assert_too_many(response) -> None:
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "<h1>Too many attempts</h1>" in page
    assert "nothing was saved" in page
    assert "Please wait" in page and "then try again" in page
    assert int(response.headers["Retry-After"]) > 0


# --- per client address, per event, per mailbox ------------------------------------------------------------

def test_the_eleventh_registration_from_one_address_in_a_minute_gets_a_clear_429_page(make_event, limited):
    event = make_event(capacity=100)
    client = limited()  # the configured default: 10 a minute from one address

    statuses = [send_registration(client, event, email=f"delegate{n}@example.org").status_code for n in range(1, 12)]

    assert statuses == [302] * 10 + [429]
    assert_too_many(send_registration(client, event, email="delegate12@example.org"))
    assert len(registered_emails(event)) == 10
    assert client.get(f"/events/{event.slug}").status_code == 200  # reading the page is not counted


def test_one_event_has_one_limit_for_every_address_together(make_event, limited):
    forum, workshop = make_event(capacity=100), make_event(capacity=100)
    client = limited(REGISTRATION_EVENT_RATE_LIMIT="3 per minute")

    statuses = [send_registration(from_address(client, an_address()), forum, email=f"p{n}@example.org").status_code
                for n in range(4)]

    assert statuses == [302, 302, 302, 429]
    assert registered_emails(forum) == ["p0@example.org", "p1@example.org", "p2@example.org"]
    # Another event is not affected.
    assert send_registration(from_address(client, an_address()), workshop, email="p3@example.org").status_code == 302


def test_plus_addressing_is_counted_per_mailbox_so_one_inbox_is_not_flooded(
        make_event, limited, deliver_emails, mailbox):
    event = make_event(capacity=500)
    client = limited(REGISTRATION_MAILBOX_RATE_LIMIT="3 per 10 minutes")
    spellings = ["victim+1@gmail.com", "v.ictim+2@gmail.com", "VICTIM+3@googlemail.com", "vic.tim@gmail.com"]

    # Each from another address, as a script spread over many machines would.
    statuses = [send_registration(from_address(client, an_address()), event, email=email).status_code for email in spellings]

    assert statuses == [302, 302, 302, 429]
    assert send_registration(from_address(client, an_address()), event, email="someone.else@gmail.com").status_code == 302
    deliver_emails()
    arrived = [m["To"] for m in mailbox.messages]
    assert len([to for to in arrived if "ictim" in to.lower()]) == 3  # what reached the one inbox


def test_the_lost_link_form_counts_per_mailbox_too(make_event, limited):
    client = limited(LOST_LINK_MAILBOX_RATE_LIMIT="2 per hour")

    def ask(email: str):
        other = from_address(client, an_address())
        page = other.get("/lost-link")
        return other.post("/lost-link", data={"email": email, "csrf_token": csrf_token(page)})

    assert [ask(e).status_code for e in ("jane+a@example.org", "Jane+b@example.org", "jane@example.org")] == [
        200, 200, 429]
    assert_too_many(ask("jane+c@example.org"))
    assert ask("john@example.org").status_code == 200


# --- bots: the honeypot and the minimum fill time -----------------------------------------------------------

def test_a_form_sent_faster_than_a_person_types_is_refused_politely_and_nothing_is_saved(
        make_event, limited, monkeypatch):
    from app.public import bot_check

    event = make_event()
    client = limited(FORM_MIN_FILL_SECONDS=30)  # long, so that a slow test machine is still "too fast"

    page = client.get(f"/events/{event.slug}")
    too_fast = client.post(f"/events/{event.slug}", data={**registration_form(), "csrf_token": csrf_token(page)})

    assert too_fast.status_code == 422
    assert str(REFUSAL) in too_fast.get_data(as_text=True)
    assert 'value="Amina"' in too_fast.get_data(as_text=True)  # what was typed is still there
    assert registered_emails(event) == []

    # A person reads the form again for half a minute and sends it.
    later = time.time() + 31
    monkeypatch.setattr(bot_check, "_now", lambda: later)
    again = client.post(f"/events/{event.slug}", data={**registration_form(), "csrf_token": csrf_token(too_fast)})
    assert again.status_code == 302
    assert registered_emails(event) == ["amina.diallo@example.org"]


def test_a_form_with_the_hidden_field_filled_is_refused_and_nothing_is_saved(make_event, limited):
    event = make_event()
    client = limited()
    page = client.get(f"/events/{event.slug}")
    assert 'class="trap" aria-hidden="true"' in page.get_data(as_text=True)  # people do not see it

    response = client.post(f"/events/{event.slug}", data={
        **registration_form(), "website": "https://cheap-pills.example", "csrf_token": csrf_token(page)})

    assert response.status_code == 422
    assert str(REFUSAL) in response.get_data(as_text=True)
    assert registered_emails(event) == []


def test_the_application_form_has_the_same_checks(make_event, limited):
    workshop = make_event(registration_mode=RegistrationMode.APPLICATION)
    client = limited()
    page = client.get(f"/events/{workshop.slug}")
    assert "Submit my application" in page.get_data(as_text=True)

    response = client.post(f"/events/{workshop.slug}", data={
        **registration_form(), "website": "x", "csrf_token": csrf_token(page)})

    assert response.status_code == 422 and str(REFUSAL) in response.get_data(as_text=True)
    assert registered_emails(workshop) == []


def test_lifting_the_limits_lifts_the_fill_time_too_for_benchmarks(make_event, app, client, monkeypatch):
    monkeypatch.setitem(app.config, "FORM_MIN_FILL_SECONDS", 3)
    assert app.config["RATELIMIT_ENABLED"] is False
    event = make_event()

    assert send_registration(client, event).status_code == 302  # at once, as the rush benchmark does


# --- behind a proxy -------------------------------------------------------------------------------------------

def test_without_trusted_proxies_a_forwarded_for_header_changes_nothing(limited):
    client = limited(VERIFY_RATE_LIMIT="2 per minute")  # TRUSTED_PROXIES=0, the default

    statuses = [client.get("/verify/WTA-0000-0000", headers={"X-Forwarded-For": an_address()}).status_code
                for _ in range(3)]

    assert statuses == [404, 404, 429]  # three "different" clients were one address


def test_behind_one_trusted_proxy_the_address_it_saw_counts_not_what_the_client_wrote(limited):
    proxy = "192.0.2.10"
    client = limited(address=proxy, TRUSTED_PROXIES=1, VERIFY_RATE_LIMIT="2 per minute")
    real = an_address()

    # The client writes its own X-Forwarded-For; the proxy appends the address it saw.
    statuses = [client.get("/verify/WTA-0000-0000", headers={"X-Forwarded-For": f"{an_address()}, {real}"}).status_code
                for _ in range(3)]

    assert statuses == [404, 404, 429]
    # Another client behind the same proxy has its own count.
    assert client.get("/verify/WTA-0000-0000", headers={"X-Forwarded-For": an_address()}).status_code == 404


# --- uploads: a quota per event -----------------------------------------------------------------------------

@pytest.fixture
def event_with_upload(make_event):
    from tests.integration.questions_support import add_question

    event = make_event(capacity=100)
    event.slides = add_question(event, "file", "Case presentation", required=True)
    return event


def test_uploads_past_the_event_quota_are_refused_next_to_the_field_and_nothing_is_saved(
        app, event_with_upload, register, upload_folder, monkeypatch):  # noqa: F811
    from tests.integration.questions_support import PDF, a_file, upload_count

    monkeypatch.setitem(app.config, "UPLOAD_QUOTA_PER_EVENT_MB", (len(PDF) * 2 + 10) / (1024 * 1024))
    field = event_with_upload.slides.field_name
    for n in range(2):
        assert b"You are registered" in register(event_with_upload, email=f"p{n}@example.org",
                                                 **{field: a_file(PDF)}).data

    page = register(event_with_upload, email="third@example.org", **{field: a_file(PDF)})

    assert page.status_code == 422
    assert f'id="{field}-error">We cannot take more files for this event' in page.get_data(as_text=True)
    assert "third@example.org" not in registered_emails(event_with_upload)
    assert upload_count() == 2
    assert len([p for p in upload_folder.rglob("*") if p.is_file()]) == 2  # nothing written, nothing kept


def test_the_quota_holds_for_files_sent_later_from_the_personal_link(
        app, event_with_upload, register, upload_folder, deliver_emails, mailbox, client, monkeypatch):  # noqa: F811
    from tests.conftest import link_in
    from tests.integration.questions_support import PDF, a_file, upload_count

    field = event_with_upload.slides.field_name
    register(event_with_upload, email="amina@example.org", **{field: a_file(PDF)})
    monkeypatch.setitem(app.config, "UPLOAD_QUOTA_PER_EVENT_MB", (len(PDF) + 10) / (1024 * 1024))
    deliver_emails()
    link = link_in(mailbox.to("amina@example.org")[0])
    form = client.get(f"{link}/answers")

    bigger = PDF.replace(b"%%EOF", b"%" + b"x" * 40 + b"\n%%EOF")
    page = client.post(f"{link}/answers", content_type="multipart/form-data",
                       data={field: a_file(bigger, "new.pdf"), "csrf_token": csrf_token(form)})

    assert page.status_code == 422
    assert f'id="{field}-error">We cannot take more files for this event' in page.get_data(as_text=True)
    assert upload_count() == 1  # the first file stays, the new one was not stored
    assert len([p for p in upload_folder.rglob("*") if p.is_file()]) == 1


# --- the sign-in lock-out -----------------------------------------------------------------------------------

def sign_in(client, email="organiser@wtanet.org", password="correct horse battery"):
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(page)})


def test_wrong_passwords_lock_out_only_that_account_from_that_address(make_user, limited):
    make_user()
    make_user("colleague@wtanet.org", "another good password")
    attacker = limited(LOGIN_FREE_FAILURES=2, LOGIN_FIRST_DELAY_SECONDS=60)

    assert [sign_in(attacker, password="guess").status_code for _ in range(3)] == [401, 401, 401]
    locked = sign_in(attacker)  # even the right password waits, from this address, for this account
    assert locked.status_code == 429
    assert "Too many wrong passwords for this account from your connection" in locked.get_data(as_text=True)
    assert 0 < int(locked.headers["Retry-After"]) <= 60

    # The owner, from elsewhere, signs in at once; so does a colleague behind the attacker's address.
    assert sign_in(from_address(attacker, an_address())).status_code == 302
    colleague = from_address(attacker, attacker.environ_base["REMOTE_ADDR"])
    assert sign_in(colleague, "colleague@wtanet.org", "another good password").status_code == 302


def test_the_wait_grows_with_each_wrong_password_and_the_right_one_clears_it(make_user, limited):
    from app.auth.lockout import wait_after

    assert [wait_after(n, free=3, first=2, longest=900) for n in range(1, 14)] == [
        0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900]
    make_user()
    client = limited(LOGIN_FREE_FAILURES=1, LOGIN_FIRST_DELAY_SECONDS=2)

    assert sign_in(client, password="guess").status_code == 401  # free
    assert sign_in(client, password="guess").status_code == 401  # now 2 seconds to wait
    assert 1 <= int(sign_in(client).headers["Retry-After"]) <= 2
    time.sleep(2.1)

    assert sign_in(client).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/admin/"))})
    assert sign_in(client, password="guess").status_code == 401  # counting starts again: a free try
    assert sign_in(client).status_code == 302


# --- production set-up ----------------------------------------------------------------------------------------

def test_production_with_limits_counted_in_memory_warns_at_start_up(database_url, smtp_server, caplog):
    production = dict(ENV_NAME="production", SECRET_KEY=secrets.token_hex(32), RATELIMIT_ENABLED=True)
    try:
        with caplog.at_level(logging.WARNING):
            make_app(database_url, smtp_server.port, RATELIMIT_STORAGE_URI="memory://", **production)
        assert "4 times looser" in caplog.text and "RATELIMIT_STORAGE_URI=redis://" in caplog.text

        caplog.clear()
        with caplog.at_level(logging.WARNING):
            make_app(database_url, smtp_server.port, RATELIMIT_STORAGE_URI=REDIS_URL, **production)
        assert "looser" not in caplog.text
    finally:
        limiter.enabled = False


def test_the_limit_holds_in_redis_as_in_production(make_event, limited):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis server at {REDIS_URL}: the limits were tested in memory only")
    event = make_event(capacity=100)
    client = limited(RATELIMIT_STORAGE_URI=REDIS_URL, REGISTRATION_RATE_LIMIT="3 per minute")
    run = secrets.token_hex(4)  # Redis keeps counts between runs: addresses of this run only

    statuses = [send_registration(client, event, email=f"r{n}.{run}@example.org").status_code for n in range(4)]

    assert statuses == [302, 302, 302, 429]
    assert len(registered_emails(event)) == 3


def test_when_the_limit_storage_is_down_people_still_register_and_sign_in(make_event, make_user, limited, caplog):
    event = make_event()
    make_user()
    client = limited(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1")  # nothing listens there

    assert send_registration(client, event).status_code == 302
    assert sign_in(client, password="guess").status_code == 401
    assert sign_in(client).status_code == 302
    assert registered_emails(event) == ["amina.diallo@example.org"]
