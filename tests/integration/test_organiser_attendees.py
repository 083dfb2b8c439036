"""An organiser finds people in the attendee list and confirms or cancels them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Event, OrganisationType, OutboxEmail, OutboxStatus, Registration, RegistrationStatus
from tests.conftest import start_writing
from tests.integration.documents_support import visa_fields
from tests.integration.organiser_support import add_registrations, post_action, status_of


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def references_on(page) -> list[str]:
    return re.findall(r"<code>([A-Z0-9]+-[A-Z0-9]+)</code>", page.data.decode())


def names_on(page) -> list[str]:
    return re.findall(r'<td class="person">([^<]+)<br>', page.data.decode())


@pytest.fixture
def workshop(make_event):
    event = make_event(capacity=100)
    add_registrations(event, 1, given_name="Amina", family_name="Diallo", email="amina@dakar.sn",
                      organisation="Dakar Technology Park", country="SN", reference=f"{event.code}-AAAA")
    add_registrations(event, 1, given_name="민준", family_name="김", email="minjun@daedeok.kr",
                      organisation="Daedeok Innopolis", country="KR", organisation_type=OrganisationType.GOVERNMENT)
    add_registrations(event, 1, given_name="Émile", family_name="Zongo", email="emile@ouaga.bf",
                      organisation="Ouagadougou Incubator", country="BF", organisation_type=OrganisationType.INCUBATOR,
                      status=RegistrationStatus.WAITLISTED)
    add_registrations(event, 1, given_name="Carlos", family_name="Mendes", email="carlos@parque.br",
                      organisation="Parque Tecnológico", country="BR", status=RegistrationStatus.CANCELLED)
    return event


def test_the_list_shows_each_person_with_their_details(organiser, workshop, client):
    page = client.get(f"/admin/events/{workshop.id}/attendees")
    body = page.data.decode()
    assert page.status_code == 200
    assert f"{workshop.code}-AAAA" in body
    for text in ("Amina Diallo", "amina@dakar.sn", "Dakar Technology Park", "Senegal", "Science / technology park",
                 "김", "Waitlisted", "Cancelled", "Burkina Faso"):
        assert text in body
    assert "Showing 1–4 of 4." in body


def test_an_event_without_registrations_says_so(organiser, make_event, client):
    event = make_event()
    page = client.get(f"/admin/events/{event.id}/attendees")
    assert b"Nobody has registered yet." in page.data


@pytest.mark.parametrize(("query", "expected"), [
    ("DIALLO", ["Amina Diallo"]),
    ("amina diallo", ["Amina Diallo"]),
    ("DAKAR.sn", ["Amina Diallo"]),
    ("innopolis", ["김민준"]),
    ("민준", ["김민준"]),
    ("-aaaa", ["Amina Diallo"]),
    ("tecnológico", ["Carlos Mendes"]),
    ("émile", ["Émile Zongo"]),  # accented capitals fold on SQLite too
    ("ÉMILE ZONGO", ["Émile Zongo"]),
    ("100%", []),
    ("nobody", []),
])
def test_search_finds_name_email_organisation_and_reference_ignoring_case(organiser, workshop, client, query, expected):
    page = client.get(f"/admin/events/{workshop.id}/attendees", query_string={"q": query})
    assert names_on(page) == expected
    assert f'value="{query}"' in page.data.decode()  # the search box keeps the search
    if not expected:
        assert b"No registration matches your search." in page.data


def test_filters_by_status_country_and_organisation_type(organiser, workshop, client):
    url = f"/admin/events/{workshop.id}/attendees"
    assert names_on(client.get(url, query_string={"status": "waitlisted"})) == ["Émile Zongo"]
    assert names_on(client.get(url, query_string={"country": "KR"})) == ["김민준"]
    assert names_on(client.get(url, query_string={"organisation_type": "incubator"})) == ["Émile Zongo"]
    assert names_on(client.get(url, query_string={"status": "confirmed", "country": "SN"})) == ["Amina Diallo"]
    # An edited URL with unknown values shows everyone rather than an error.
    assert len(names_on(client.get(url, query_string={"status": "bogus", "country": "ZZ", "sort": "x"}))) == 4


def test_country_filter_offers_the_countries_present(organiser, workshop, client):
    body = client.get(f"/admin/events/{workshop.id}/attendees").data.decode()
    select = re.search(r'<select id="country" name="country">(.*?)</select>', body, re.S).group(1)
    assert re.findall(r'value="([A-Z]*)"', select) == ["", "BR", "BF", "SN", "KR"]  # by name: Brazil ... South Korea


def test_sorts_by_name_date_country_and_status_both_ways(organiser, workshop, client):
    url = f"/admin/events/{workshop.id}/attendees"

    def names(**args):
        return names_on(client.get(url, query_string=args))

    assert names() == ["Amina Diallo", "Carlos Mendes", "Émile Zongo", "김민준"]  # family name, then given name
    assert names(sort="name", dir="desc") == ["김민준", "Émile Zongo", "Carlos Mendes", "Amina Diallo"]
    assert names(sort="registered") == ["Amina Diallo", "김민준", "Émile Zongo", "Carlos Mendes"]
    assert names(sort="registered", dir="desc") == ["Carlos Mendes", "Émile Zongo", "김민준", "Amina Diallo"]
    assert names(sort="country") == ["Carlos Mendes", "Émile Zongo", "Amina Diallo", "김민준"]
    assert names(sort="status") == ["Amina Diallo", "김민준", "Émile Zongo", "Carlos Mendes"]
    assert names(sort="status", dir="desc")[0] == "Carlos Mendes"


def test_pages_of_fifty_with_links_that_keep_the_filters(organiser, make_event, client):
    event = make_event(capacity=None)
    add_registrations(event, 120, country="GH")
    add_registrations(event, 3, country="KE")
    url = f"/admin/events/{event.id}/attendees"

    first = client.get(url, query_string={"country": "GH", "sort": "registered"})
    assert len(references_on(first)) == 50
    assert "Showing 1–50 of 120." in first.data.decode()
    next_link = re.search(r'rel="next" href="([^"]+)"', first.data.decode()).group(1).replace("&amp;", "&")
    assert "country=GH" in next_link and "sort=registered" in next_link and "page=2" in next_link

    last = client.get(url, query_string={"country": "GH", "sort": "registered", "page": 3})
    assert len(references_on(last)) == 20
    assert "Showing 101–120 of 120." in last.data.decode()
    assert b'rel="next"' not in last.data
    beyond = client.get(url, query_string={"country": "GH", "page": 99})
    assert "Showing 101–120 of 120." in beyond.data.decode()  # a stale link shows the last page


def test_the_number_of_queries_does_not_grow_with_the_rows(organiser, make_event, client, count_queries):
    small = make_event(capacity=None)
    add_registrations(small, 5, country="GH")
    big = make_event(capacity=None)
    for i, country in enumerate(("GH", "KE", "SN", "KR", "BR")):
        add_registrations(big, 10, country=country, organisation=f"Org {i}")
    client.get("/admin/")  # the first request warms caches that later ones do not need

    queries_small = count_queries(f"/admin/events/{small.id}/attendees")
    queries_big = count_queries(f"/admin/events/{big.id}/attendees")

    assert queries_small == queries_big
    # Filtered by status or country, the number listed comes from the facets; a search's page counts its
    # matches in its own statement; a full page filtered by type asks for its count.
    assert count_queries(f"/admin/events/{big.id}/attendees?status=confirmed&country=KE") == queries_big
    assert count_queries(f"/admin/events/{big.id}/attendees?sort=country&q=org") == queries_big
    assert count_queries(f"/admin/events/{big.id}/attendees?organisation_type=science_park") == queries_big + 1
    # A search whose page is not full knows its count from the page: no count query.
    assert count_queries(f"/admin/events/{big.id}/attendees?q=org+1") == queries_big


def test_the_list_counts_what_its_filters_show(organiser, make_event, client):
    event = make_event(capacity=None)
    add_registrations(event, 3, country="GH")
    add_registrations(event, 2, country="KE")

    page = client.get(f"/admin/events/{event.id}/attendees?country=KE")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'value="GH"' in text and 'value="KE"' in text  # the filter offers both countries
    assert "Showing 1–2 of 2." in text


def test_the_dashboard_query_count_does_not_grow_with_events(organiser, make_event, client, count_queries):
    add_registrations(make_event(), 3)
    one = count_queries("/admin/")
    for _ in range(5):
        add_registrations(make_event(), 3)
    assert count_queries("/admin/") == one


def test_confirming_a_waitlisted_person_is_refused_while_full_and_works_when_a_seat_is_free(
        organiser, make_event, register, client, deliver_emails, mailbox):
    event = make_event(capacity=1)
    register(event, email="first@example.org")
    register(event, email="waiting@example.org", given_name="Bola", family_name="Adeyemi")
    waiting = _registration_id(event, "waiting@example.org")
    deliver_emails()
    mailbox.messages.clear()
    list_url = f"/admin/events/{event.id}/attendees"
    confirm_url = f"{list_url}/{waiting}/confirm"

    refused = post_action(client, list_url, confirm_url)

    assert "The event is full (1 of 1 places taken)" in refused.data.decode()
    assert status_of("waiting@example.org") is RegistrationStatus.WAITLISTED
    assert pending_emails() == 0  # nothing queued either

    set_capacity(event, 2)
    done = post_action(client, list_url, confirm_url)

    assert "Bola Adeyemi is confirmed." in done.data.decode()
    assert status_of("waiting@example.org") is RegistrationStatus.CONFIRMED
    deliver_emails()
    assert mailbox.to("waiting@example.org")[0]["Subject"].startswith("Good news, a place is yours")


def pending_emails() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxEmail).where(OutboxEmail.status == OutboxStatus.PENDING))


def set_capacity(event, capacity: int) -> None:
    start_writing()
    db.session.get(Event, event.id).capacity = capacity
    db.session.commit()


def test_cancelling_from_the_list_promotes_the_next_person_and_emails_both(
        organiser, make_event, register, client, deliver_emails, mailbox):
    event = make_event(capacity=1)
    register(event, email="kim@example.org", given_name="Min-jun", family_name="Kim")
    register(event, email="second@example.org", given_name="Bola", family_name="Adeyemi")
    register(event, email="third@example.org")
    deliver_emails()
    mailbox.messages.clear()
    list_url = f"/admin/events/{event.id}/attendees?status=confirmed"
    kim = _registration_id(event, "kim@example.org")

    page = post_action(client, list_url, f"/admin/events/{event.id}/attendees/{kim}/cancel", next=list_url)

    assert page.request.full_path.endswith("attendees?status=confirmed")  # back to the filtered list
    body = page.data.decode()
    assert "The registration of Min-jun Kim is cancelled" in body
    assert "Moved up from the waiting list (and emailed): Bola Adeyemi." in body
    assert status_of("kim@example.org") is RegistrationStatus.CANCELLED
    assert status_of("second@example.org") is RegistrationStatus.CONFIRMED
    assert status_of("third@example.org") is RegistrationStatus.WAITLISTED
    deliver_emails()
    cancelled = mailbox.to("kim@example.org")
    assert [m["Subject"] for m in cancelled] == [f"Your registration is cancelled: {event.title}"]
    assert mailbox.to("second@example.org")[0]["Subject"].startswith("Good news, a place is yours")
    assert mailbox.to("third@example.org") == []


def test_an_action_refuses_to_send_the_organiser_to_another_site(organiser, make_event, register, client):
    event = make_event()
    register(event)
    reg = _registration_id(event, "amina.diallo@example.org")
    page = post_action(client, f"/admin/events/{event.id}/attendees",
                       f"/admin/events/{event.id}/attendees/{reg}/cancel", next="https://evil.example/")
    assert page.request.path == f"/admin/events/{event.id}/attendees"


def test_cancelling_twice_says_so_and_changes_nothing(organiser, make_event, register, client):
    event = make_event()
    register(event)
    reg = _registration_id(event, "amina.diallo@example.org")
    url = f"/admin/events/{event.id}/attendees"
    post_action(client, url, f"{url}/{reg}/cancel")
    again = post_action(client, url, f"{url}/{reg}/cancel")
    assert b"This registration is already cancelled." in again.data


def test_the_registration_page_shows_every_field_and_the_emails_sent(organiser, make_event, register, client,
                                                                      deliver_emails):
    event = make_event()
    # Asking for a visa letter needs the passport details too (docs/features/documents.md).
    register(event, dietary_needs="Halal, no alcohol", accessibility_needs="Step-free access", **visa_fields())
    deliver_emails()
    reg = _registration_id(event, "amina.diallo@example.org")

    page = client.get(f"/admin/events/{event.id}/attendees/{reg}")

    body = page.data.decode()
    assert page.status_code == 200
    for text in ("Dr Amina Diallo", "Halal, no alcohol", "Step-free access", "Requested", "Director",
                 "+221 33 123 4567", "Consent given", f"Your place is confirmed: {event.title}", "Sent"):
        assert text in body


def _registration_id(event, email: str) -> int:
    return db.session.scalar(sa.select(Registration.id).where(Registration.event_id == event.id,
                                                             Registration.email == email))


def test_each_rows_links_and_buttons_lead_to_that_person(organiser, workshop, client):
    """The row links are built once per page (row_url): each must still carry its own row's id."""
    list_url = f"/admin/events/{workshop.id}/attendees"
    body = client.get(list_url).data.decode()
    emile = _registration_id(workshop, "emile@ouaga.bf")
    assert f'href="{list_url}/{emile}"><code>' in body
    assert f'action="{list_url}/{emile}/confirm"' in body

    person = client.get(f"{list_url}/{emile}")
    assert "Émile" in person.data.decode()
    done = post_action(client, list_url, f"{list_url}/{emile}/confirm")
    assert "Émile Zongo is confirmed." in done.data.decode()
    assert status_of("emile@ouaga.bf") is RegistrationStatus.CONFIRMED


@pytest.mark.parametrize("query", [
    {}, {"search": "org 1"}, {"search": "given"}, {"search": "50%_\\"}, {"country": "KE"},
    {"status": RegistrationStatus.WAITLISTED, "country": "SN", "sort": "country", "descending": True},
    {"organisation_type": OrganisationType.UNIVERSITY}, {"checked_in": False, "sort": "registered"},
    {"search": "family", "country": "GH", "sort": "status"},
])
def test_a_page_lists_what_the_list_select_does(app, make_event, query):
    """The page's statements are built once for each shape of query, its values sent as parameters: the same
    rows, in the same order, as the list's select made for the query alone."""
    from app.services.registration.attendees import AttendeeQuery, attendee_page, attendee_select

    event = make_event(capacity=None)
    for i, country in enumerate(("GH", "KE", "SN")):
        add_registrations(event, 4, country=country, organisation=f"Org {i} 50%_\\")
        add_registrations(event, 3, country=country, status=RegistrationStatus.WAITLISTED,
                          organisation_type=OrganisationType.UNIVERSITY)
    asked = AttendeeQuery(**query)
    with app.test_request_context("/"):
        expected = [r.id for r in db.session.scalars(attendee_select(event.id, asked))]
        for page_number in (1, 2, 3):
            for _ in range(2):  # the second time from the statements the first built
                page = attendee_page(db.session, event.id, asked, page=page_number, per_page=5)
                assert page.total == len(expected)
                assert [row.id for row in page.items] == expected[(page.page - 1) * 5:][:5]  # past the end: the last
