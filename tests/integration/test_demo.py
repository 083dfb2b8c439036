"""Someone clones the project, runs `make run`, and finds a believable site to click through."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.demo import DEMO_EMAIL, DEMO_PASSWORD, login_line
from app.demo.events import forums
from app.extensions import db
from app.models import Event, EventKind, OutboxEmail, Registration, RegistrationStatus, Series, User, utcnow
from tests.conftest import ROOT


@pytest.fixture
def seed_demo(app, runner):
    """Run `flask seed-demo` as `make run` does: another process, with its own session."""

    def run(*args: str):
        db.session.commit()
        with app.app_context():
            return runner.invoke(args=["seed-demo", *args])

    return run


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def by_kind(kind: EventKind) -> list[Event]:
    return list(db.session.scalars(sa.select(Event).where(Event.kind == kind).order_by(Event.starts_at)))


def statuses(event: Event) -> dict[RegistrationStatus, int]:
    rows = db.session.execute(
        sa.select(Registration.status, sa.func.count()).where(Registration.event_id == event.id).group_by(Registration.status)
    )
    return {RegistrationStatus.CONFIRMED: 0, RegistrationStatus.WAITLISTED: 0, RegistrationStatus.CANCELLED: 0} | dict(
        rows.all()
    )


def test_seed_demo_fills_an_empty_database_quickly_and_prints_the_login(seed_demo):
    started = time.monotonic()
    result = seed_demo()
    elapsed = time.monotonic() - started

    assert result.exit_code == 0, result.output
    assert login_line("http://localhost/login") in result.output  # APP_BASE_URL of the tests
    assert elapsed < 10  # about one second; hundreds of emails or per-row queries would show here
    assert count(Event) == 11  # 3 workshops and the forum's 8 editions, 2014 to the one open now
    assert 700 <= count(Registration) <= 1200
    assert count(OutboxEmail) == 0  # demo participants are not emailed
    organiser = db.session.scalar(sa.select(User).where(User.email == DEMO_EMAIL))
    assert organiser.is_admin


def test_demo_registrations_follow_the_rules_of_the_real_service(seed_demo):
    seed_demo()

    for event in db.session.scalars(sa.select(Event)):
        counts = statuses(event)
        assert counts[RegistrationStatus.CONFIRMED] <= event.capacity
        if counts[RegistrationStatus.WAITLISTED]:  # a waiting list only forms once every place is taken
            assert counts[RegistrationStatus.CONFIRMED] == event.capacity
    [workshop] = by_kind(EventKind.INTERNATIONAL_WORKSHOP)
    assert 40 <= statuses(workshop)[RegistrationStatus.CONFIRMED] < workshop.capacity
    countries = db.session.scalars(sa.select(sa.distinct(Registration.country)).where(Registration.event_id == workshop.id))
    assert len(list(countries)) >= 15
    references = list(db.session.scalars(sa.select(Registration.reference)))
    assert len(set(references)) == len(references)
    assert all(email.endswith(".example.org") for email in db.session.scalars(sa.select(Registration.email)))


def test_home_page_lists_the_workshops_and_the_forum(seed_demo, client):
    seed_demo()
    [workshop] = by_kind(EventKind.INTERNATIONAL_WORKSHOP)
    [regional] = by_kind(EventKind.REGIONAL_WORKSHOP)
    *_, past_forum, forum = by_kind(EventKind.FORUM)

    home = client.get("/")

    assert home.status_code == 200
    page = home.get_data(as_text=True)
    assert workshop.title in page and forum.title in page and regional.title in page
    assert past_forum.title not in page
    assert "places left" in page and "Full · waiting list open" in page and "Opens on" in page
    assert past_forum.title in client.get("/past").get_data(as_text=True)


def test_a_participant_can_register_for_the_demo_workshop(seed_demo, register):
    seed_demo()
    [workshop] = by_kind(EventKind.INTERNATIONAL_WORKSHOP)
    applied_before = statuses(workshop).get(RegistrationStatus.APPLIED, 0)

    page = register(workshop, email="new.participant@example.org")

    # The demo workshop selects its participants: registering there is applying.
    assert b"Your application is received" in page.data
    assert statuses(workshop)[RegistrationStatus.APPLIED] == applied_before + 1


def test_the_demo_organiser_can_sign_in(seed_demo, auth, client):
    seed_demo()

    response = auth.login(DEMO_EMAIL, DEMO_PASSWORD)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/")
    [workshop] = by_kind(EventKind.INTERNATIONAL_WORKSHOP)
    assert workshop.title in client.get("/admin/").get_data(as_text=True)


def test_running_it_again_refuses_and_changes_nothing(seed_demo):
    seed_demo()
    registrations, users = count(Registration), count(User)

    again = seed_demo()

    assert again.exit_code != 0
    assert "already has data" in again.output and "only fills an empty database" in again.output
    assert "Traceback" not in again.output
    assert count(Registration) == registrations and count(User) == users


def test_if_empty_leaves_existing_data_alone_and_prints_the_login(seed_demo):
    seed_demo()
    registrations = count(Registration)

    again = seed_demo("--if-empty")

    assert again.exit_code == 0, again.output
    assert "already has data" in again.output and login_line("http://localhost/login") in again.output
    assert count(Registration) == registrations


def test_if_empty_on_a_database_without_the_demo_organiser_says_how_to_create_one(seed_demo, make_user):
    make_user("someone@wtanet.org")

    result = seed_demo("--if-empty")

    assert result.exit_code == 0, result.output
    assert "user create" in result.output and DEMO_PASSWORD not in result.output
    assert count(Event) == 0


@pytest.mark.parametrize(
    ("today", "open_edition", "past_edition"),
    [
        ("2026-03-01", 2026, 2024),  # an even year, forum still ahead: this year's edition
        ("2026-10-15", 2028, 2024),  # registration for 2026 closed, forum not held yet: neither is shown as open
        ("2026-11-26", 2028, 2026),
        ("2027-05-01", 2028, 2026),  # an odd year: the next even one
    ],
)
def test_the_demo_forum_is_the_edition_open_for_registration(today, open_edition, past_edition):
    now = datetime.fromisoformat(today).replace(hour=12, tzinfo=UTC)
    upcoming, past = forums(now)

    assert upcoming.own_title == f"Daejeon Global Innovation Forum {open_edition}"
    assert upcoming.registration_opens_at < now < upcoming.registration_closes_at
    assert past.own_title == f"Daejeon Global Innovation Forum {past_edition}" and past.ends_at < now


def test_the_demo_forum_series_has_every_edition_since_2014_and_a_programme_with_full_sessions(seed_demo, client):
    from app.models import ChoiceStatus, SessionChoice
    from app.services.events.series_editions import editions

    seed_demo()
    series = db.session.scalar(sa.select(Series).where(Series.code == "DGIF"))
    listed = editions(db.session, series.id)
    assert [e.number for e in reversed(listed)] == list(range(1, len(listed) + 1))
    assert listed[-1].event.title == "1st Daejeon Global Innovation Forum 2014"
    past = [e for e in listed if e.event.ends_at < utcnow()]
    assert past and all(e.attended and e.attended <= e.confirmed for e in past)
    open_now = listed[0].event
    assert len(open_now.programme) == 8
    waiting = db.session.scalar(sa.select(sa.func.count()).select_from(SessionChoice)
                                .where(SessionChoice.status == ChoiceStatus.WAITLISTED))
    assert waiting > 0  # some sessions are full
    page = client.get(f"/series/{series.slug}").get_data(as_text=True)
    assert "1st Daejeon Global Innovation Forum 2014" in page and open_now.title in page


def test_the_demo_international_workshop_is_numbered_by_its_series_and_titled_with_its_theme(seed_demo, client):
    from app.services.events.series import ordinal

    seed_demo()
    series = db.session.scalar(sa.select(Series).where(Series.code == "ITW"))
    edition = db.session.scalar(sa.select(Event).where(Event.series_id == series.id))
    number = edition.series_year - 2005 + 1

    assert series.title_pattern == "{ordinal} International Training Workshop on {theme}"
    assert edition.title == f"{ordinal(number)} International Training Workshop on Science City Governance"
    assert edition.title in client.get(f"/series/{series.slug}").get_data(as_text=True)


def test_seed_demo_prints_the_sign_in_address_of_the_site_it_serves(seed_demo, app, monkeypatch):
    monkeypatch.setitem(app.config, "APP_BASE_URL", "http://127.0.0.1:8080")

    result = seed_demo()

    assert "(sign in at http://127.0.0.1:8080/login)" in result.output and ":5000" not in result.output


def make_says(*args: str, env: dict | None = None) -> str:
    """What `make` would do: the variables it exports to the commands it runs, and the commands."""
    environment = {k: v for k, v in os.environ.items() if k not in ("APP_BASE_URL", "PORT", "HOST")} | (env or {})
    return subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", 'print-base-url: ; @echo "$$APP_BASE_URL"', *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_on_another_port_gives_the_app_the_same_address():
    assert make_says("print-base-url").strip() == "http://127.0.0.1:5000"
    assert make_says("print-base-url", "PORT=8123").strip() == "http://127.0.0.1:8123"
    assert "--port 8123" in make_says("-n", "run", "PORT=8123")
    # Behind a proxy the public address is set and kept.
    assert make_says("print-base-url", "PORT=8123", env={"APP_BASE_URL": "https://events.wtanet.org"}).strip() == (
        "https://events.wtanet.org")
