"""Organisers define a series once; editions are numbered by its rule, and the next one is one click away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    DocumentSettings,
    Event,
    EventKind,
    EventStatus,
    ProgrammeSession,
    Question,
    QuestionKind,
    Registration,
    Series,
    utcnow,
)
from app.services.events.series import ordinal
from tests.conftest import csrf_token, start_writing
from tests.integration.organiser_support import add_manager, add_registrations, post_action, post_form


def next_even_year() -> int:
    return utcnow().year + utcnow().year % 2


def series_form(**overrides) -> dict:
    data = {"name": "Daejeon Global Innovation Forum", "code": "DGIF", "slug": "", "kind": "forum",
            "first_year": "2014", "interval_years": "2", "year_parity": "even", "usual_month": "10",
            "description": "Held every even year in Daejeon since 2014."}
    data.update(overrides)
    return data


@pytest.fixture
def admin(make_user, auth):
    user = make_user(email="admin@wtanet.org", admin=True)
    auth.login("admin@wtanet.org")
    return user


def forum_edition(make_event, year: int, **overrides) -> Event:
    start = datetime(year, 10, 20, 0, 0, tzinfo=UTC)  # a Tuesday morning in Seoul in 2026
    values = dict(kind=EventKind.FORUM, title="", slug=f"dgif-{year}", code=f"DGIF{year % 100:02d}",
                  starts_at=start, ends_at=start + timedelta(days=2, hours=9),
                  registration_opens_at=start - timedelta(days=120), registration_closes_at=start - timedelta(days=7),
                  capacity=1000)
    values.update(overrides)
    return make_event(**values)


def create_series(client) -> Series:
    response = post_form(client, "/admin/series/new", series_form(), follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)
    return db.session.scalar(sa.select(Series))


def add_edition(client, series: Series, event: Event, reason: str = ""):
    """The administrator picks the event in the series page's form and presses "Add as edition"."""
    page = client.get(f"/admin/series/{series.id}")
    return client.post(f"/admin/series/{series.id}/editions",
                       data={"event_id": event.id, "off_rule_reason": reason, "csrf_token": csrf_token(page)},
                       follow_redirects=True)


def test_an_administrator_creates_the_forum_series_and_its_editions_get_their_numbers(admin, client, make_event):
    series = create_series(client)
    assert (series.code, series.slug, series.interval_years, series.usual_month) == (
        "DGIF", "daejeon-global-innovation-forum", 2, 10)
    edition = forum_edition(make_event, 2024, title="Science cities in the age of AI")

    page = add_edition(client, series, edition)

    assert "is now an edition of the series" in page.get_data(as_text=True)
    db.session.expire_all()
    edition = db.session.get(Event, edition.id)
    assert edition.title == "6th Daejeon Global Innovation Forum 2024"
    assert edition.theme == "Science cities in the age of AI"
    listing = client.get(f"/admin/series/{series.id}").get_data(as_text=True)
    assert "6th Daejeon Global Innovation Forum 2024" in listing
    assert "Every 2 years (even years) since 2014, usually in October" in listing


def test_an_edition_in_a_year_the_rule_does_not_allow_is_refused_with_a_clear_message(admin, client, make_event):
    series = create_series(client)
    odd = forum_edition(make_event, 2025)

    page = add_edition(client, series, odd)

    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "there is no edition in 2025" in html and "give the reason" in html
    assert db.session.get(Event, odd.id).series_id is None


def test_a_postponed_edition_is_accepted_with_its_reason_and_keeps_the_numbering(admin, client, make_event):
    series = create_series(client)
    postponed = forum_edition(make_event, 2021)

    add_edition(client, series, postponed, reason="Postponed from 2020 because of the pandemic")

    db.session.expire_all()
    event = db.session.get(Event, postponed.id)
    assert event.series_year == 2020 and event.title == "4th Daejeon Global Innovation Forum 2021"
    assert event.off_rule_reason == "Postponed from 2020 because of the pandemic"
    later = forum_edition(make_event, 2022)
    add_edition(client, series, later)
    assert db.session.get(Event, later.id).title == "5th Daejeon Global Innovation Forum 2022"


def test_the_same_edition_year_twice_is_refused(admin, client, make_event):
    series = create_series(client)
    add_edition(client, series, forum_edition(make_event, 2024))

    page = add_edition(client, series, forum_edition(make_event, 2024, slug="dgif-2024-bis", code="DGIFB"))

    assert page.status_code == 422 and "The edition of 2024 (number 6) already exists" in page.get_data(as_text=True)


def test_bad_series_input_is_refused_next_to_each_field(admin, client):
    page = post_form(client, "/admin/series/new", series_form(code="d", first_year="2015", interval_years="0"))

    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Choose an interval between 1 and 10 years." in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Series)) == 0

    page = post_form(client, "/admin/series/new", series_form(first_year="2015"))
    assert "must itself be in an even year" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Series)) == 0


def test_create_next_edition_copies_the_set_up_but_no_registrations(admin, client, make_event):
    series = create_series(client)
    latest = forum_edition(make_event, 2024, title="Science cities in the age of AI", venue="DCC Daejeon",
                           description="Three days of ceremony, plenary and parallel sessions.", capacity=900,
                           summary="The forum of science cities.")
    start_writing()
    db.session.add(ProgrammeSession(event_id=latest.id, title="Opening ceremony", room="Hall 1",
                                    starts_at=latest.starts_at, ends_at=latest.starts_at + timedelta(hours=1)))
    db.session.add(ProgrammeSession(event_id=latest.id, title="Parallel A", room="Room 201", seat_limit=80,
                                    starts_at=latest.starts_at + timedelta(days=1, hours=1),
                                    ends_at=latest.starts_at + timedelta(days=1, hours=3)))
    db.session.commit()
    add_edition(client, series, latest)
    add_registrations(latest, 5)
    start_writing()
    before = Question(event_id=latest.id, position=1, kind=QuestionKind.YES_NO, label="Attended before?")
    which = Question(event_id=latest.id, position=2, kind=QuestionKind.SHORT_TEXT, label="Which year?",
                     condition_question=before, condition_value="yes")
    gone = Question(event_id=latest.id, position=3, kind=QuestionKind.SHORT_TEXT, label="Old question",
                    archived_at=utcnow())
    db.session.add_all([before, which, gone, DocumentSettings(
        event_id=latest.id, signatory_name="Dr Kim", signatory_title="Secretary General", letter_body="Dear {given_name}",
        badge_heading="DGIF", certificate_body="{given_name} attended.", certificate_threshold=50)])
    db.session.commit()
    year = next_even_year()  # the next due edition: this year's if even, else next year's
    number = (year - 2014) // 2 + 1

    page = post_action(client, f"/admin/series/{series.id}", f"/admin/series/{series.id}/next-edition")

    html = page.get_data(as_text=True)
    assert f"{ordinal(number)} Daejeon Global Innovation Forum {year}" in html and "with 2 programme sessions" in html
    db.session.expire_all()
    new = db.session.scalar(sa.select(Event).where(Event.series_year == year))
    assert new.status is EventStatus.DRAFT
    assert (new.slug, new.code) == (f"daejeon-global-innovation-forum-{year}", f"DGIF{year % 100:02d}")
    assert (new.venue, new.capacity, new.summary, new.description, new.contact_email) == (
        "DCC Daejeon", 900, "The forum of science cities.", "Three days of ceremony, plenary and parallel sessions.",
        latest.contact_email)
    assert new.theme == ""  # the theme belongs to one edition
    # Moved to the new year, on the same weekday and at the same time in Seoul.
    old_local, new_local = latest.local(latest.starts_at), new.local(new.starts_at)
    assert new_local.year == year and new_local.weekday() == old_local.weekday()
    assert new_local.time() == old_local.time() and abs((new_local.replace(year=2024) - old_local).days) <= 3
    assert new.ends_at - new.starts_at == latest.ends_at - latest.starts_at
    assert [(s.title, s.room, s.seat_limit, s.starts_at - new.starts_at) for s in new.programme] == [
        ("Opening ceremony", "Hall 1", None, timedelta(0)), ("Parallel A", "Room 201", 80, timedelta(days=1, hours=1))]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                             .where(Registration.event_id == new.id)) == 0
    assert admin.id in {m.id for m in new.managers}
    # The form's own questions in use, with their condition, and the documents' wording come along.
    copied = db.session.scalars(sa.select(Question).where(Question.event_id == new.id).order_by(Question.position)).all()
    assert [(q.label, q.condition_question.label if q.condition_question else None) for q in copied] == [
        ("Attended before?", None), ("Which year?", "Attended before?")]
    wording = db.session.get(DocumentSettings, new.id)
    assert (wording.signatory_name, wording.certificate_threshold) == ("Dr Kim", 50)


def test_the_series_page_shows_the_next_due_edition(admin, client, make_event):
    series = create_series(client)
    add_edition(client, series, forum_edition(make_event, 2024))

    page = client.get(f"/admin/series/{series.id}").get_data(as_text=True)

    assert "Create next edition (" in page
    assert 'id="next-due"' in page


def test_only_administrators_define_series_and_only_an_editions_organisers_copy_it(
        make_user, auth, client, make_event):
    make_user(email="admin@wtanet.org", admin=True)
    colleague = make_user(email="colleague@wtanet.org", admin=False)
    auth.login("admin@wtanet.org")
    series = create_series(client)
    edition = forum_edition(make_event, 2024)
    add_edition(client, series, edition)
    auth.logout()
    auth.login("colleague@wtanet.org")

    assert client.get("/admin/series/new").status_code == 403
    assert client.get(f"/admin/series/{series.id}/edit").status_code == 403
    listing = client.get(f"/admin/series/{series.id}").get_data(as_text=True)
    assert "Daejeon Global Innovation Forum 2024" not in listing  # not an edition they manage
    page = post_action(client, f"/admin/series/{series.id}", f"/admin/series/{series.id}/next-edition")
    assert page.status_code == 403

    add_manager(edition, colleague)
    assert "6th Daejeon Global Innovation Forum 2024" in client.get(f"/admin/series/{series.id}").get_data(as_text=True)


def test_moving_an_edition_to_another_year_needs_a_reason(admin, client, make_event):
    from tests.integration.organiser_support import event_form

    series = create_series(client)
    edition = forum_edition(make_event, 2024)
    add_edition(client, series, edition)

    page = post_form(client, f"/admin/events/{edition.id}/edit", event_form(
        kind="forum", title="", starts_at="2025-10-20T09:00", ends_at="2025-10-22T18:00",
        registration_opens_at="2025-06-01T09:00", registration_closes_at="2025-10-01T09:00"))

    assert page.status_code == 422
    assert "there is no edition in 2025" in page.get_data(as_text=True)
    assert db.session.get(Event, edition.id).series_year == 2024

    # Postponed on purpose: with the reason, the edition moves and keeps its number.
    page = post_form(client, f"/admin/events/{edition.id}/edit", event_form(
        kind="forum", title="", starts_at="2025-10-20T09:00", ends_at="2025-10-22T18:00",
        registration_opens_at="2025-06-01T09:00", registration_closes_at="2025-10-01T09:00",
        off_rule_reason="Postponed by a year: the convention centre is being rebuilt"), follow_redirects=True)
    assert "Your changes are saved." in page.get_data(as_text=True)
    db.session.expire_all()
    moved = db.session.get(Event, edition.id)
    assert (moved.series_year, moved.title) == (2024, "6th Daejeon Global Innovation Forum 2025")


def test_the_public_series_page_lists_past_and_upcoming_editions(admin, client, make_event):
    series = create_series(client)
    past = forum_edition(make_event, 2024)
    year = next_even_year() + (2 if utcnow().month == 12 else 0)  # its 20 December is still ahead
    upcoming = forum_edition(make_event, year, starts_at=datetime(year, 12, 20, tzinfo=UTC),
                             ends_at=datetime(year, 12, 22, tzinfo=UTC), registration_opens_at=utcnow(),
                             registration_closes_at=datetime(year, 12, 10, tzinfo=UTC))
    add_edition(client, series, past)
    add_edition(client, series, upcoming)

    page = client.get(f"/series/{series.slug}").get_data(as_text=True)

    upcoming_part, past_part = page.split("Past editions")
    assert f"Daejeon Global Innovation Forum {year}" in upcoming_part
    assert "6th Daejeon Global Innovation Forum 2024" in past_part
    past_page = client.get(f"/events/{past.slug}").get_data(as_text=True)  # a past edition stays browsable
    assert "6th Daejeon Global Innovation Forum 2024" in past_page and "all editions of the" in past_page
    assert client.get("/series/no-such-series").status_code == 404



def test_editing_a_series_renames_its_editions_but_refuses_a_rule_they_no_longer_fit(admin, client, make_event):
    series = create_series(client)
    edition = forum_edition(make_event, 2024)
    add_edition(client, series, edition)

    odd = post_form(client, f"/admin/series/{series.id}/edit", series_form(year_parity="odd", first_year="2015"))
    assert odd.status_code == 422
    assert "The 2024 edition would no longer fit the rule" in odd.get_data(as_text=True)

    done = post_form(client, f"/admin/series/{series.id}/edit",
                     series_form(name="Daejeon Global Innovation Forum (DGIF)"), follow_redirects=True)
    assert "Your changes are saved." in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, edition.id).title == "6th Daejeon Global Innovation Forum (DGIF) 2024"


def workshop_series_form(**overrides) -> dict:
    values = dict(name="International Training Workshop on Science City Governance", code="ITW",
                  kind="international_workshop", first_year="2005", interval_years="1", year_parity="any",
                  usual_month="11", description="A week in Daejeon every year since 2005.")
    return series_form(**{**values, **overrides})


def workshop_edition(make_event, year: int, **overrides) -> Event:
    start = datetime(year, 11, 2, 0, 0, tzinfo=UTC)
    values = dict(kind=EventKind.INTERNATIONAL_WORKSHOP, title="", slug=f"itw-{year}", code=f"ITW{year % 100:02d}",
                  starts_at=start, ends_at=start + timedelta(days=4, hours=9),
                  registration_opens_at=start - timedelta(days=150), registration_closes_at=start - timedelta(days=60),
                  capacity=40)
    values.update(overrides)
    return make_event(**values)


def test_the_next_edition_follows_the_latest_one_even_when_an_earlier_year_was_skipped(admin, client, make_event):
    # The workshop's latest edition is already planned for next year; this year's was skipped.
    this_year = utcnow().year
    post_form(client, "/admin/series/new", workshop_series_form())
    series = db.session.scalar(sa.select(Series))
    add_edition(client, series, workshop_edition(make_event, this_year - 1))
    latest = workshop_edition(make_event, this_year + 1)
    add_edition(client, series, latest)
    following = this_year + 2
    number = following - 2005 + 1

    page = client.get(f"/admin/series/{series.id}").get_data(as_text=True)

    assert f"<strong>{following}</strong> — the {ordinal(number)} edition" in page
    assert f"Create next edition ({following})" in page

    created = post_action(client, f"/admin/series/{series.id}", f"/admin/series/{series.id}/next-edition")

    assert f"“{ordinal(number)} International Training Workshop on Science City Governance {following}” is created" in (
        created.get_data(as_text=True))
    db.session.expire_all()
    new = db.session.scalar(sa.select(Event).where(Event.series_year == following))
    assert new.status is EventStatus.DRAFT and new.local(new.starts_at).year == following
    assert new.starts_at > latest.starts_at
    assert new.ends_at - new.starts_at == latest.ends_at - latest.starts_at
    # And the one after that follows it in turn.
    page = client.get(f"/admin/series/{series.id}").get_data(as_text=True)
    assert f"<strong>{following + 1}</strong> — the {ordinal(number + 1)} edition" in page


THEMED = "{ordinal} International Training Workshop on {theme}"


def themed_workshop_series(client) -> Series:
    page = post_form(client, "/admin/series/new", workshop_series_form(name="International Training Workshop",
                                                                      title_pattern=THEMED), follow_redirects=True)
    assert page.status_code == 200, page.get_data(as_text=True)
    return db.session.scalar(sa.select(Series))


def test_a_workshop_series_numbers_its_editions_in_one_sequence_while_the_theme_changes(admin, client, make_event):
    series = themed_workshop_series(client)
    governance = workshop_edition(make_event, 2027,
                                  title="23rd International Training Workshop on Science City Governance")
    # The ordinal typed in an event's title is not trusted: the series counts (2028 is the 24th).
    parks = workshop_edition(make_event, 2028, title="25th International Training Workshop on Science Park Management")

    add_edition(client, series, governance)
    page = add_edition(client, series, parks)

    assert page.status_code == 200
    assert "“24th International Training Workshop on Science Park Management” is now an edition" in (
        page.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Event, governance.id).title == "23rd International Training Workshop on Science City Governance"
    parks = db.session.get(Event, parks.id)
    assert (parks.title, parks.theme, parks.series_year) == (
        "24th International Training Workshop on Science Park Management", "Science Park Management", 2028)
    listing = client.get(f"/admin/series/{series.id}").get_data(as_text=True)
    assert THEMED in listing and 'name="theme"' in listing
    public = client.get(f"/events/{parks.slug}").get_data(as_text=True)
    assert "<h1>24th International Training Workshop on Science Park Management</h1>" in public
    assert '<p class="lead">Science Park Management</p>' not in public  # said once, in the title


def test_an_edition_whose_title_does_not_give_the_theme_is_asked_for_it(admin, client, make_event):
    series = themed_workshop_series(client)
    event = workshop_edition(make_event, 2028, title="WTA autumn workshop")

    page = add_edition(client, series, event)

    assert page.status_code == 422
    assert "Give the theme of this edition" in page.get_data(as_text=True)
    assert db.session.get(Event, event.id).series_id is None

    with_theme = client.post(f"/admin/series/{series.id}/editions", follow_redirects=True, data={
        "event_id": event.id, "theme": "Technology Business Incubation", "off_rule_reason": "",
        "csrf_token": csrf_token(client.get(f"/admin/series/{series.id}"))})

    assert "“24th International Training Workshop on Technology Business Incubation” is now an edition" in (
        with_theme.get_data(as_text=True))


def test_the_event_form_of_a_themed_edition_asks_for_its_theme(admin, client, make_event):
    from tests.integration.organiser_support import event_form

    series = themed_workshop_series(client)
    edition = workshop_edition(make_event, 2028, title="International Training Workshop on Science Park Management")
    add_edition(client, series, edition)
    form = client.get(f"/admin/events/{edition.id}/edit").get_data(as_text=True)
    assert "Theme of this edition" in form and "(optional)" not in form
    dates = dict(kind="international_workshop", starts_at="2028-11-02T09:00", ends_at="2028-11-06T18:00",
                 registration_opens_at="2028-06-01T09:00", registration_closes_at="2028-09-01T09:00")

    empty = post_form(client, f"/admin/events/{edition.id}/edit", event_form(title="", **dates))

    assert empty.status_code == 422
    assert "Please give this edition its theme" in empty.get_data(as_text=True)

    post_form(client, f"/admin/events/{edition.id}/edit", event_form(title="Science and Technology Parks", **dates))
    db.session.expire_all()
    assert db.session.get(Event, edition.id).title == "24th International Training Workshop on Science and Technology Parks"


def test_the_next_themed_edition_waits_for_its_theme_before_it_is_published(admin, client, make_event):
    series = themed_workshop_series(client)
    add_edition(client, series, workshop_edition(
        make_event, utcnow().year + 1, title="International Training Workshop on Science City Governance"))

    post_action(client, f"/admin/series/{series.id}", f"/admin/series/{series.id}/next-edition")
    new = db.session.scalar(sa.select(Event).where(Event.series_year == utcnow().year + 2))
    assert new.theme == "" and new.title.endswith("International Training Workshop on (theme to be given)")

    page = post_action(client, f"/admin/events/{new.id}/attendees", f"/admin/events/{new.id}/publish")

    assert "Give this edition its theme" in page.get_data(as_text=True)
    assert db.session.get(Event, new.id).status is EventStatus.DRAFT


def test_a_title_pattern_with_an_unknown_placeholder_is_refused_next_to_the_field(admin, client, make_event):
    page = post_form(client, "/admin/series/new", workshop_series_form(title_pattern="{ordinal} Workshop on {topic}"))

    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert '<p class="error" id="title_pattern-error">Unknown placeholder {topic}. Use {ordinal}' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Series)) == 0


def test_a_series_cannot_start_asking_a_theme_its_editions_do_not_have(admin, client, make_event):
    series = create_series(client)
    add_edition(client, series, forum_edition(make_event, 2024))  # no theme

    page = post_form(client, f"/admin/series/{series.id}/edit",
                     series_form(title_pattern="{ordinal} Daejeon Global Innovation Forum: {theme}"))

    assert page.status_code == 422
    assert "The 2024 edition has no theme yet" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Series, series.id).title_pattern == "{ordinal} {name} {year}"


def test_the_series_list_shows_each_series_with_its_rule_code_and_next_due_year(make_user, auth, client, make_event):
    from tests.integration.organiser_support import row_cells

    make_user(email="admin@wtanet.org", admin=True)
    make_user(email="colleague@wtanet.org", admin=False)
    auth.login("admin@wtanet.org")
    empty = client.get("/admin/series").get_data(as_text=True)
    assert "No series yet." in empty and "Create the first one" in empty and ">New series</a>" in empty

    series = create_series(client)
    add_edition(client, series, forum_edition(make_event, next_even_year()))
    listing = client.get("/admin/series").get_data(as_text=True)
    assert row_cells(listing, "Daejeon Global Innovation Forum") == [
        "Daejeon Global Innovation Forum", "Every 2 years (even years) since 2014, usually in October", "DGIF",
        str(next_even_year() + 2)]
    assert f'href="/admin/series/{series.id}"' in listing

    # Organisers who are not administrators read the list but are not offered to define a series.
    auth.logout()
    auth.login("colleague@wtanet.org")
    listing = client.get("/admin/series").get_data(as_text=True)
    assert "Daejeon Global Innovation Forum" in listing and "New series" not in listing


@pytest.mark.parametrize(("overrides", "field", "message"), [
    (dict(name=""), "name", "Please give the series a name."),
    (dict(code="d"), "code", "Use 2 to 8 capital letters or digits, starting with a letter, e.g. DGIF."),
    (dict(code="ITW", slug="Forum 2014!"), "slug", "Use lower-case letters, digits and single hyphens."),
    (dict(first_year="1900"), "first_year", "Give a year between 1950 and 2100."),
    (dict(interval_years="3"), "year_parity",
     "Every 3 years alternates between even and odd years; choose an even interval, or any year."),
    (dict(code="ITW"), "slug", "Another series uses the address “daejeon-global-innovation-forum” already."),
    (dict(slug="forum-two"), "code", "Another series uses the code DGIF already."),
])
def test_the_series_form_says_what_is_wrong_next_to_the_field(admin, client, overrides, field, message):
    create_series(client)  # the Daejeon Global Innovation Forum, DGIF: its code and address are taken

    page = post_form(client, "/admin/series/new", series_form(**overrides))

    assert page.status_code == 422
    assert f'id="{field}-error">{message}' in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Series)) == 1
