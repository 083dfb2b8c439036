"""CSRF tokens expire after WTF_CSRF_TIME_LIMIT (8 hours): a form left open longer is shown again with a message
(nothing is saved), and signing in renews the secret the tokens are made from."""

from __future__ import annotations

from itsdangerous import TimestampSigner

from app.extensions import db
from app.models import Registration
from tests.conftest import csrf_token, registration_form


def _later(monkeypatch, seconds: int) -> None:
    """Every CSRF check from now on happens `seconds` later (Flask-WTF's tokens are itsdangerous timestamps)."""
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + seconds)


def test_a_registration_form_left_open_too_long_is_shown_again_with_a_message(client, make_event, monkeypatch):
    event = make_event()
    page = client.get(f"/events/{event.slug}")
    token = csrf_token(page)
    assert client.application.config["WTF_CSRF_TIME_LIMIT"] == 8 * 3600
    _later(monkeypatch, 8 * 3600 + 60)
    response = client.post(f"/events/{event.slug}", data={**registration_form(), "csrf_token": token})
    assert response.status_code == 303 and response.location.endswith(f"/events/{event.slug}")
    again = client.get(response.location)
    text = again.get_data(as_text=True)
    assert "The form had been open for a long time" in text and "send it again" in text
    assert 'name="given_name"' in text
    assert db.session.query(Registration).count() == 0  # nothing was saved
    # the page shown again carries a fresh token: sending it now works
    response = client.post(f"/events/{event.slug}", data={**registration_form(), "csrf_token": csrf_token(again)})
    assert response.status_code == 302
    assert db.session.query(Registration).count() == 1


def test_an_expired_button_form_goes_back_to_the_page_it_was_on(client, auth, make_user, make_event, monkeypatch):
    make_user()
    auth.login()
    event = make_event()
    page = client.get(f"/admin/events/{event.id}/attendees")
    _later(monkeypatch, 9 * 3600)
    response = client.post("/logout", data={"csrf_token": csrf_token(page)},
                           headers={"Referer": f"http://localhost/admin/events/{event.id}/attendees"})
    assert response.status_code == 303 and response.location.endswith(f"/admin/events/{event.id}/attendees")
    assert client.get("/admin/").status_code == 200  # still signed in: the expired form did nothing


def test_a_token_from_before_signing_in_does_not_work_after(client, auth, make_user):
    make_user()
    before = csrf_token(client.get("/login"))
    auth.login()
    response = client.post("/logout", data={"csrf_token": before})
    assert response.status_code == 400 and "This form has expired" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 200  # still signed in
    assert auth.logout().status_code == 302  # with the page's own token it works


def test_the_check_in_pages_script_gets_a_plain_400_for_an_expired_page(client, auth, make_user, make_event,
                                                                         monkeypatch):
    """Its fetch asks for JSON; the script then says "This page has expired. Reload it, then scan again."."""
    make_user()
    auth.login()
    event = make_event()
    page = client.get(f"/admin/events/{event.id}/check-in")
    _later(monkeypatch, 9 * 3600)
    response = client.post(f"/admin/events/{event.id}/check-in", data={"code": "X", "csrf_token": csrf_token(page)},
                           headers={"Accept": "application/json"})
    assert response.status_code == 400
