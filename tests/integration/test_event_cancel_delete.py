"""A draft is never public: it is deleted, not cancelled. A published event that is cancelled stays
visible, marked cancelled, with the reason its organisers gave."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Event,
    EventKind,
    EventStatus,
    ProgrammeSession,
    Question,
    QuestionKind,
    Registration,
    Series,
    YearParity,
    utcnow,
)
from tests.conftest import csrf_token, start_writing
from tests.integration.organiser_support import add_registrations, post_action, post_form


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def past_dates() -> dict:
    start = utcnow() - timedelta(days=40)
    return dict(starts_at=start, ends_at=start + timedelta(days=4), registration_opens_at=start - timedelta(days=90),
                registration_closes_at=start - timedelta(days=10))


def in_series(event: Event, year: int) -> Series:
    start_writing()
    series = Series(name="International Training Workshop on Science City Governance", slug="itw", code="ITW",
                    kind=EventKind.INTERNATIONAL_WORKSHOP, first_year=2005, interval_years=1,
                    year_parity=YearParity.ANY)
    db.session.add(series)
    edition = db.session.get(Event, event.id)
    edition.series, edition.series_year = series, year
    db.session.commit()
    return series


def test_cancelling_a_draft_does_not_publish_it_the_organiser_is_offered_to_delete_it(organiser, make_event,
                                                                                         client):
    make_event(slug="itw-last-year", **past_dates())
    draft = make_event(slug="itw-draft", status=EventStatus.DRAFT, **past_dates())
    series = in_series(draft, utcnow().year)

    # The attendees page of a draft offers to delete it; the old cancel address leads there too.
    attendees = client.get(f"/admin/events/{draft.id}/attendees").get_data(as_text=True)
    assert "Delete draft" in attendees and "Cancel event" not in attendees
    assert "Draft · not open until published" in attendees and "Registration closed" not in attendees
    page = client.get(f"/admin/events/{draft.id}/cancel", follow_redirects=True)
    assert "never published, so nobody has seen it: delete the draft instead" in page.get_data(as_text=True)
    confirm = client.get(f"/admin/events/{draft.id}/cancel")
    client.post(f"/admin/events/{draft.id}/cancel", data={"reason": "Not needed", "csrf_token": csrf_token(
        client.get(f"/admin/events/{draft.id}/delete"))})

    assert confirm.status_code == 302
    assert db.session.get(Event, draft.id).status is EventStatus.DRAFT
    past = client.get("/past").get_data(as_text=True)
    assert "itw-last-year" in past and "itw-draft" not in past
    assert "itw-draft" not in client.get(f"/series/{series.slug}").get_data(as_text=True)
    assert client.get("/events/itw-draft").status_code == 404
    assert client.get("/events/itw-draft/calendar.ics").status_code == 404


def test_the_public_rule_is_on_the_event_and_every_public_query_uses_it(organiser, make_event, client):
    draft = make_event(slug="itw-draft", status=EventStatus.DRAFT, **past_dates())
    assert client.get("/events/itw-draft").status_code == 404
    assert not db.session.get(Event, draft.id).is_public
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event).where(Event.is_public)) == 0


def test_an_organiser_deletes_a_draft_through_a_confirmation_page_that_says_what_goes(organiser, make_event,
                                                                                      client):
    draft = make_event(slug="itw-draft", status=EventStatus.DRAFT)
    start_writing()
    db.session.add(ProgrammeSession(event_id=draft.id, title="Opening", starts_at=draft.starts_at,
                                    ends_at=draft.starts_at + timedelta(hours=1)))
    db.session.add(Question(event_id=draft.id, position=1, kind=QuestionKind.YES_NO, label="Attended before?"))
    db.session.commit()
    add_registrations(draft, 2)  # organisers trying the form
    keep = make_event(slug="itw-published")
    draft_id = draft.id

    page = client.get(f"/admin/events/{draft_id}/delete")

    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Delete this draft?" in html
    assert "1 programme session " in html and "1 form question," in html
    assert "2 registrations" in html and "only by organisers trying the form" in html
    assert db.session.get(Event, draft.id) is not None  # the GET changes nothing
    # Without the form's token nothing happens.
    assert client.post(f"/admin/events/{draft.id}/delete").status_code == 400
    assert db.session.get(Event, draft.id) is not None

    done = client.post(f"/admin/events/{draft.id}/delete", data={"csrf_token": csrf_token(page)},
                       follow_redirects=True)

    assert "is deleted" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, draft_id) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                             .where(Registration.event_id == draft_id)) == 0
    assert db.session.get(Event, keep.id) is not None


def test_a_published_event_cannot_be_deleted_only_cancelled(organiser, make_event, client):
    event = make_event(slug="itw-published")

    page = client.get(f"/admin/events/{event.id}/delete", follow_redirects=True)

    assert "Only a draft can be deleted" in page.get_data(as_text=True)
    token = csrf_token(client.get(f"/admin/events/{event.id}/cancel"))
    client.post(f"/admin/events/{event.id}/delete", data={"csrf_token": token})
    assert db.session.get(Event, event.id) is not None


def test_cancelling_a_published_event_asks_for_the_reason_and_the_public_page_shows_it(organiser, make_event,
                                                                                        client):
    event = make_event(slug="itw-2026", **past_dates())

    form = client.get(f"/admin/events/{event.id}/cancel")
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "Cancel this event?" in html
    assert 'name="reason"' in html and "Why is the event cancelled?" in html and "confirm(" not in html

    missing = client.post(f"/admin/events/{event.id}/cancel", data={"reason": "  ", "csrf_token": csrf_token(form)})

    assert missing.status_code == 422
    assert "Please say why the event is cancelled" in missing.get_data(as_text=True)
    assert db.session.get(Event, event.id).status is EventStatus.PUBLISHED

    reason = "Postponed to spring because of the typhoon season; everyone registered will be invited again."
    done = post_action(client, f"/admin/events/{event.id}/cancel", f"/admin/events/{event.id}/cancel",
                       reason=reason)

    assert "is cancelled" in done.get_data(as_text=True)
    db.session.expire_all()
    cancelled = db.session.get(Event, event.id)
    assert (cancelled.status, cancelled.cancellation_reason) == (EventStatus.CANCELLED, reason)
    public = client.get("/events/itw-2026")
    assert public.status_code == 200
    assert "This event is cancelled." in public.get_data(as_text=True) and reason in public.get_data(as_text=True)
    past = client.get("/past").get_data(as_text=True)
    assert "itw-2026" in past and "<strong>cancelled</strong>" in past


def test_an_edition_cancelled_after_publication_stays_on_the_series_page_marked_cancelled(organiser, make_event,
                                                                                          client):
    event = make_event(slug="itw-2026", starts_at=datetime(2026, 11, 2, tzinfo=UTC),
                       ends_at=datetime(2026, 11, 6, tzinfo=UTC),
                       registration_opens_at=datetime(2026, 5, 1, tzinfo=UTC),
                       registration_closes_at=datetime(2026, 9, 1, tzinfo=UTC))
    series = in_series(event, 2026)
    post_action(client, f"/admin/events/{event.id}/cancel", f"/admin/events/{event.id}/cancel", reason="Typhoon.")

    page = client.get(f"/series/{series.slug}").get_data(as_text=True)

    assert "itw-2026" in page and "cancelled" in page


@pytest.mark.parametrize(("status", "message"), [
    (EventStatus.PUBLISHED, "This event is published already."),
    (EventStatus.CANCELLED, "A cancelled event cannot be published."),
    (EventStatus.ARCHIVED, "An archived event cannot be published."),
])
def test_only_a_draft_is_published(organiser, make_event, client, status, message):
    event = make_event(status=status)

    page = post_action(client, f"/admin/events/{event.id}/attendees", f"/admin/events/{event.id}/publish")

    assert f'<p class="flash flash-error" role="status">{message}</p>' in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, event.id).status is status


@pytest.mark.parametrize(("status", "message"), [
    (EventStatus.CANCELLED, "This event is cancelled already."),
    (EventStatus.ARCHIVED, "This event is archived already."),
])
def test_an_event_that_is_no_longer_published_is_not_cancelled_again(organiser, make_event, client, status,
                                                                      message):
    event = make_event(status=status)

    for response in (client.get(f"/admin/events/{event.id}/cancel", follow_redirects=True),
                     post_action(client, f"/admin/events/{event.id}/attendees", f"/admin/events/{event.id}/cancel",
                                 reason="Postponed.")):
        assert response.request.path == f"/admin/events/{event.id}/attendees"
        assert f'<p class="flash flash-info" role="status">{message}</p>' in response.get_data(as_text=True)
    db.session.expire_all()
    assert (db.session.get(Event, event.id).status, db.session.get(Event, event.id).cancellation_reason) == (status, "")


def test_an_overlong_cancellation_reason_is_refused_next_to_the_field(organiser, make_event, client):
    event = make_event()

    page = post_form(client, f"/admin/events/{event.id}/cancel", {"reason": "x" * 1001})

    assert page.status_code == 422
    assert 'id="reason-error">Please keep the reason under 1000 characters.' in page.get_data(as_text=True)
    assert db.session.get(Event, event.id).status is EventStatus.PUBLISHED
