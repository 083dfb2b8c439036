"""English and Korean (issue 14): the language a page speaks comes from the visitor's choice (the switcher, kept in
a cookie), then the registration the page is about, then the browser; emails and documents speak the
registration's language, also when the mail worker writes them outside any request."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import force_locale

from app.extensions import db
from app.i18n import LANGUAGE_COOKIE
from app.models import Registration, RegistrationStatus
from app.services.countries import country_name
from app.services.formatting import format_date_range, format_day, format_local, format_time_range
from app.services.mail import notifications
from tests.conftest import csrf_token, link_in, start_writing, text_of

KOREAN = {"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}


def _html_lang(page) -> str:
    match = re.search(r'<html lang="([a-z]+)"', page.get_data(as_text=True))
    assert match
    return match.group(1)


def _current(page) -> str:
    """The language the switcher marks as the page's own."""
    match = re.search(r'<a [^>]*lang="([a-z]+)"[^>]*aria-current="true"', page.get_data(as_text=True))
    assert match, "the switcher marks no language as current"
    return match.group(1)


def _chosen_language(html: str) -> str:
    [chosen] = re.findall(r'<input checked id="language-\d" name="language"[^>]*value="([a-z]+)">', html)
    return chosen


def _registration(email: str) -> Registration:
    return db.session.scalars(sa.select(Registration).where(Registration.email == email)).one()


# --- which language a page speaks ---------------------------------------------------------------------

def test_a_visitor_whose_browser_asks_for_korean_gets_a_korean_page(client, make_event):
    make_event()
    english = client.get("/")
    assert _html_lang(english) == "en" and _current(english) == "en"
    assert 'aria-label="Language"' in english.get_data(as_text=True)

    korean = client.get("/", headers=KOREAN)
    assert _html_lang(korean) == "ko" and _current(korean) == "ko"
    assert 'aria-label="언어"' in korean.get_data(as_text=True)


def test_every_page_offers_both_languages_each_named_in_itself(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<a href="/language/en\?next=/"[^>]*lang="en"[^>]*>English</a>', html)
    assert re.search(r'<a href="/language/ko\?next=/"[^>]*lang="ko"[^>]*>한국어</a>', html)


def test_the_switcher_remembers_the_choice_and_goes_back_to_the_page(client, make_event):
    event = make_event()
    response = client.get(f"/language/ko?next=/events/{event.slug}")
    assert response.status_code == 302 and response.headers["Location"] == f"/events/{event.slug}"
    cookie = response.headers["Set-Cookie"]
    assert f"{LANGUAGE_COOKIE}=ko" in cookie and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie

    page = client.get(f"/events/{event.slug}")
    assert _html_lang(page) == "ko"
    assert "이메일 및 문서 언어" in page.get_data(as_text=True)  # the registration form speaks Korean

    client.get("/language/en?next=/")
    assert _html_lang(client.get(f"/events/{event.slug}")) == "en"


def test_the_choice_beats_what_the_browser_asks_for(client):
    client.get("/language/en?next=/")
    assert _html_lang(client.get("/", headers=KOREAN)) == "en"


def test_the_switcher_only_goes_back_to_this_site_and_knows_only_its_languages(client):
    for elsewhere in ("https://evil.example/", "//evil.example", "javascript:alert(1)"):
        response = client.get("/language/ko", query_string={"next": elsewhere})
        assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/language/fr?next=/").status_code == 404
    assert LANGUAGE_COOKIE not in client.get("/language/fr?next=/").headers.get("Set-Cookie", "")


def test_a_page_in_korean_names_countries_in_korean(client, make_event):
    event = make_event()
    english = client.get(f"/events/{event.slug}").get_data(as_text=True)
    korean = client.get(f"/events/{event.slug}", headers=KOREAN).get_data(as_text=True)
    assert '<option value="KR">South Korea</option>' in english
    assert '<option value="KR">대한민국</option>' in korean and "국가를 선택해 주십시오…" in korean
    # The form kept for the next visitors is kept per language: an English visitor after a Korean one reads English.
    assert '<option value="KR">South Korea</option>' in client.get(f"/events/{event.slug}").get_data(as_text=True)


# --- the registration's language -----------------------------------------------------------------------

def test_the_form_asks_the_language_of_emails_defaulting_to_the_page_language(client, make_event):
    event = make_event()
    english = client.get(f"/events/{event.slug}").get_data(as_text=True)
    korean = client.get(f"/events/{event.slug}", headers=KOREAN).get_data(as_text=True)
    assert _chosen_language(english) == "en"
    assert _chosen_language(korean) == "ko"


def test_a_korean_registration_gets_its_email_in_korean(client, make_event, register, deliver_emails, mailbox):
    event = make_event(starts_at=datetime(2028, 10, 17, 0, 30, tzinfo=UTC), ends_at=datetime(2028, 10, 19, 9, tzinfo=UTC))
    client.get(f"/language/ko?next=/events/{event.slug}")
    register(event, given_name="민준", family_name="김", email="minjun.kim@example.kr")
    registration = _registration("minjun.kim@example.kr")
    assert registration.language == "ko" and registration.status is RegistrationStatus.CONFIRMED

    deliver_emails()
    [email] = mailbox.to("minjun.kim@example.kr")
    assert "2028년 10월 17일~19일" in text_of(email)  # the event's dates, written the Korean way

    # Her personal link speaks Korean even in a browser that never chose: her status reads in Korean.
    client.delete_cookie(LANGUAGE_COOKIE)
    page = client.get(link_in(email))
    assert _html_lang(page) == "ko" and ">확정<" in page.get_data(as_text=True)
    # Unless whoever opens it switches.
    client.get("/language/en?next=/")
    page = client.get(link_in(email))
    assert _html_lang(page) == "en" and "Confirmed" in page.get_data(as_text=True)


def test_a_person_may_choose_another_language_than_the_page(client, make_event, register, deliver_emails, mailbox):
    event = make_event(starts_at=datetime(2028, 10, 17, 0, 30, tzinfo=UTC), ends_at=datetime(2028, 10, 19, 9, tzinfo=UTC))
    client.get("/language/ko?next=/")
    register(event, language="en")
    assert _registration("amina.diallo@example.org").language == "en"
    deliver_emails()
    [email] = mailbox.to("amina.diallo@example.org")
    assert "17–19 Oct 2028" in text_of(email)


def test_the_worker_writes_in_the_registration_language_outside_any_request(app, make_event, register, client,
                                                                            deliver_emails, mailbox):
    event = make_event(starts_at=datetime(2028, 10, 17, 0, 30, tzinfo=UTC), ends_at=datetime(2028, 10, 19, 9, tzinfo=UTC))
    register(event, language="ko")
    deliver_emails()
    mailbox.messages.clear()
    with app.app_context():  # as `flask` commands and the worker run: no request, no Accept-Language
        start_writing()
        registration = _registration("amina.diallo@example.org")
        notifications.queue(db.session, registration, "registration_link")
        db.session.commit()
    deliver_emails()
    [email] = mailbox.to("amina.diallo@example.org")
    assert "2028년 10월 17일~19일" in text_of(email)


def test_organisers_see_and_change_the_language(client, make_event, register, make_user, auth):
    event = make_event()
    register(event, language="ko")
    registration = _registration("amina.diallo@example.org")
    make_user()
    auth.login()
    url = f"/admin/events/{event.id}/attendees/{registration.id}/edit"
    page = client.get(f"/admin/events/{event.id}/attendees/{registration.id}").get_data(as_text=True)
    assert re.search(r'<dt>Language for emails and documents</dt><dd lang="ko">한국어</dd>', page)
    form = client.get(url)
    assert _chosen_language(form.get_data(as_text=True)) == "ko"
    data = {"title": "Dr", "given_name": "Amina", "family_name": "Diallo", "email": "amina.diallo@example.org",
            "organisation": "Dakar Technology Park", "position": "Director", "organisation_type": "science_park",
            "country": "SN", "phone": "+221 33 123 4567", "role": "participant", "language": "en",
            "csrf_token": csrf_token(form)}
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert _registration("amina.diallo@example.org").language == "en"


def test_the_privacy_export_says_the_language(client, make_event, register):
    from app.services.privacy.export import data_of

    event = make_event()
    register(event, language="ko")
    assert data_of(db.session, _registration("amina.diallo@example.org"))["registration"]["language"] == "ko"


# --- how dates, labels and countries read ------------------------------------------------------------------

START = datetime(2028, 10, 17, 0, 30, tzinfo=UTC)  # 09:30 in Daejeon


def test_dates_read_in_english_as_before(app):
    with app.app_context():
        assert format_local(START, "Asia/Seoul") == "17 Oct 2028, 09:30 (KST)"
        assert format_local(START, "Asia/Seoul", "%-d %B %Y") == "17 October 2028"
        assert format_date_range(START, datetime(2028, 10, 19, tzinfo=UTC), "Asia/Seoul") == "17–19 Oct 2028"
        assert format_time_range(START, datetime(2028, 10, 17, 2, tzinfo=UTC), "Asia/Seoul") == "Tue 17 Oct, 09:30–11:00 KST"
        local = START.astimezone(ZoneInfo("Asia/Seoul"))
        assert format_day(local.date(), "%A %-d %B %Y") == "Tuesday 17 October 2028"
        assert format_day(local, "%H:%M %Z") == "09:30 KST"


def test_dates_read_in_korean_the_korean_way(app):
    with app.app_context(), force_locale("ko"):
        assert format_local(START, "Asia/Seoul") == "2028년 10월 17일 (화) 09:30 KST"
        assert format_local(START, "Asia/Seoul", "%-d %B %Y") == "2028년 10월 17일"
        assert format_local(None, "Asia/Seoul") == ""
        local = START.astimezone(ZoneInfo("Asia/Seoul"))
        assert format_day(local.date(), "%A %-d %B %Y") == "2028년 10월 17일 화요일"
        assert format_day(local.date(), "%a %-d %b") == "10월 17일 (화)"
        assert format_day(local, "%H:%M %Z") == "09:30 KST"
        assert format_date_range(START, START, "Asia/Seoul") == "2028년 10월 17일"
        assert format_date_range(START, datetime(2028, 10, 19, tzinfo=UTC), "Asia/Seoul") == "2028년 10월 17일~19일"
        assert format_date_range(START, datetime(2028, 11, 2, tzinfo=UTC), "Asia/Seoul") == "2028년 10월 17일~11월 2일"
        assert format_date_range(START, datetime(2029, 1, 2, tzinfo=UTC), "Asia/Seoul") == "2028년 10월 17일~2029년 1월 2일"
        assert format_time_range(START, datetime(2028, 10, 17, 2, tzinfo=UTC), "Asia/Seoul") == "10월 17일 (화) 09:30~11:00 KST"
        assert (format_time_range(START, datetime(2028, 10, 18, 9, tzinfo=UTC), "Asia/Seoul")
                == "10월 17일 (화) 09:30~10월 18일 (수) 18:00 KST")
        # The zone is the event's, whatever the language: Bogotá's evening is still named as Bogotá's.
        assert format_local(START, "America/Bogota") == "2028년 10월 16일 (월) 19:30 -05"


def test_labels_and_countries_follow_the_language(app):
    with app.app_context():
        assert RegistrationStatus.CONFIRMED.label == "Confirmed" and country_name("KR") == "South Korea"
        with force_locale("ko"):
            assert RegistrationStatus.CONFIRMED.label == "확정"
            assert country_name("KR") == "대한민국" and country_name("kp") == "북한"
    assert RegistrationStatus.WAITLISTED.label == "On the waiting list"  # outside any app: English


# --- documents ------------------------------------------------------------------------------------------------

def test_each_badge_on_a_sheet_speaks_its_holders_language(client, make_event, make_user, auth):
    from tests.integration.documents_support import pdf_pages
    from tests.integration.organiser_support import add_registrations

    event = make_event(title="Daejeon Global Innovation Forum 2026", code="DGIF26")
    add_registrations(event, 1, given_name="민준", family_name="김", country="KR", language="ko")
    add_registrations(event, 1, given_name="Lan", family_name="Nguyen", country="VN")
    make_user()
    auth.login()
    client.get("/language/ko?next=/")  # the organiser's page language does not choose theirs

    pages = pdf_pages(client.get(f"/admin/events/{event.id}/documents/badges.pdf?layout=a6").data)
    [kim] = [page for page in pages if "민준" in page]
    [lan] = [page for page in pages if "Lan" in page]
    assert "대한민국" in kim and "참가자" in kim
    assert "Vietnam" in lan and "PARTICIPANT" in lan.upper()
