"""Reviewing at committee scale: a reviewer goes through a filtered list from the application pages (next,
previous, save and next), sees what they have scored; managers see who has not finished; decisions and
travel support apply to everything a filter matches, every page; a travel budget warns when it is exceeded."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Application,
    ApplicationStatus,
    Event,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    Review,
    TravelDecision,
    TravelSupportRequest,
    User,
)
from tests.conftest import csrf_token, start_writing, text_of
from tests.integration.applications_support import add_applications, registration_of
from tests.integration.organiser_support import add_manager, row_cells


@pytest.fixture
def organiser(make_user, auth):
    user = make_user(name="Ola Organiser")
    auth.login()
    return user


@pytest.fixture
def workshop(make_event):
    return make_event(registration_mode=RegistrationMode.APPLICATION, capacity=30)


def list_url(event, **args):
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/admin/events/{event.id}/applications" + (f"?{query}" if query else "")


def name_on(page) -> str:
    return re.search(r"<h1>([^<]+)</h1>", page.data.decode()).group(1)


def link(page, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', page.data.decode())
    return found.group(1).replace("&amp;", "&") if found else None


def position(page) -> str:
    return re.search(r'id="walk-position">([^<]+)<', page.data.decode()).group(1)


def first_application(client, url: str):
    listing = client.get(url).data.decode()
    href = re.search(r'<td class="person"><a href="([^"]+)">', listing).group(1).replace("&amp;", "&")
    return client.get(href)


def kenyans_and_others(workshop):
    for name in ("Odhiambo", "Achieng", "Wanjiru", "Kamau", "Mutua"):
        add_applications(workshop, 1, given_name="Kenyan", family_name=name, country="KE")
    add_applications(workshop, 2, country="GH")


# --- next and previous -----------------------------------------------------------------------

def test_a_reviewer_walks_next_and_previous_through_a_filtered_list_in_its_order(workshop, organiser, client):
    kenyans_and_others(workshop)

    page = first_application(client, list_url(workshop, country="KE", sort="name"))
    seen = [name_on(page)]
    assert position(page) == "1 of 5" and link(page, "prev") is None
    while link(page, "next"):
        page = client.get(link(page, "next"))
        seen.append(name_on(page))
    assert seen == ["Kenyan Achieng", "Kenyan Kamau", "Kenyan Mutua", "Kenyan Odhiambo", "Kenyan Wanjiru"]
    assert position(page) == "5 of 5"

    back = client.get(link(page, "prev"))
    assert name_on(back) == "Kenyan Odhiambo" and position(back) == "4 of 5"
    # Back to the list: the same filters and order.
    back_link = re.search(r'href="([^"]+)">Back to the list', back.data.decode()).group(1).replace("&amp;", "&")
    assert "country=KE" in back_link and "sort=name" in back_link

    # Reversed order: the walk follows it.
    page = first_application(client, list_url(workshop, country="KE", sort="name", dir="desc"))
    assert name_on(page) == "Kenyan Wanjiru"
    assert name_on(client.get(link(page, "next"))) == "Kenyan Odhiambo"


def test_save_and_next_goes_through_what_i_have_not_scored_and_the_list_shows_what_i_scored(
    workshop, organiser, make_user, client
):
    colleague = make_user("second@wtanet.org", name="Second")
    kenyans_and_others(workshop)
    achieng = registration_of(next(r.email for r in _registrations(workshop) if r.family_name == "Achieng"))
    _score(achieng.id, organiser.id, 4)
    _score(registration_of(next(r.email for r in _registrations(workshop) if r.family_name == "Kamau")).id,
           colleague.id, 2)  # someone else's score does not count as mine

    url = list_url(workshop, country="KE", sort="name", mine="y")
    page = first_application(client, url)
    assert name_on(page) == "Kenyan Kamau" and position(page) == "1 of 4"
    scored = []
    while True:
        name = name_on(page)
        response = client.post(re.search(r'class="form review-form" action="([^"]+)"', page.data.decode())
                               .group(1).replace("&amp;", "&"),
                               data={"score": "3", "notes": "", "then": "next", "csrf_token": csrf_token(page)})
        assert response.status_code == 302
        scored.append(name)
        page = client.get(response.headers["Location"])
        if "That was the last application in the list." in page.data.decode():
            break
        assert f"Your review of {name} is saved." in page.data.decode()
    assert scored == ["Kenyan Kamau", "Kenyan Mutua", "Kenyan Odhiambo", "Kenyan Wanjiru"]
    assert "No application matches your search." in page.data.decode()  # nothing left to score

    listing = client.get(list_url(workshop, sort="name")).data.decode()
    assert listing.count("Scored by you") == 5  # the Kenyans
    assert listing.count(">Not scored<") == 2  # the two from Ghana


def test_the_walk_costs_the_same_number_of_queries_for_10_or_60_applications(workshop, organiser, count_queries):
    add_applications(workshop, 10)
    some = registration_of(_registrations(workshop)[4].email)
    small = count_queries(f"/admin/events/{workshop.id}/applications/{some.id}?sort=name&mine=y")
    add_applications(workshop, 50)
    assert count_queries(f"/admin/events/{workshop.id}/applications/{some.id}?sort=name&mine=y") == small


# --- who has not finished ----------------------------------------------------------------------

def test_managers_see_how_far_each_reviewer_has_got(workshop, organiser, make_user, client):
    manager = make_user("manager@wtanet.org", admin=False, name="Mina Manager")
    add_manager(workshop, manager)
    scorer = make_user("scorer@wtanet.org", name="Sam Scorer")
    add_applications(workshop, 2, scores=[(scorer.id, 4)])
    add_applications(workshop, 1, scores=[(organiser.id, 5), (scorer.id, 3)])
    add_applications(workshop, 1, status=ApplicationStatus.WITHDRAWN, scores=[(scorer.id, 1)])

    page = client.get(f"/admin/events/{workshop.id}/selection").data.decode()
    assert row_cells(page, "Sam Scorer") == ["Sam Scorer", "3 of 3", "Finished"]
    assert row_cells(page, "Ola Organiser") == ["Ola Organiser", "1 of 3", "2"]
    assert row_cells(page, "Mina Manager") == ["Mina Manager", "0 of 3", "3"]


def test_the_teams_reviewers_count_before_they_score_and_a_deactivated_one_no_longer(
    workshop, organiser, make_user, client
):
    from app.models import TeamRole
    from tests.integration.organiser_support import add_to_team, post_action

    add_applications(workshop, 2)
    for email, name in (("rita@wtanet.org", "Rita Review"), ("left@wtanet.org", "Lee Left")):
        add_to_team(workshop, make_user(email, admin=False, name=name), TeamRole.REVIEWER)
    left = db.session.scalar(sa.select(User).where(User.email == "left@wtanet.org"))
    post_action(client, f"/admin/users/{left.id}/deactivate", f"/admin/users/{left.id}/deactivate")

    page = client.get(f"/admin/events/{workshop.id}/selection").data.decode()
    assert row_cells(page, "Rita Review") == ["Rita Review", "0 of 2", "2"]
    # Someone whose account is closed will never finish: they are not waited for.
    assert "Lee Left" not in page


# --- decisions on everything the filters match -------------------------------------------------

def test_accepting_everything_a_filter_matches_across_three_pages(
    workshop, organiser, client, app, monkeypatch, deliver_emails, mailbox
):
    monkeypatch.setitem(app.config, "ATTENDEES_PER_PAGE", 3)
    add_applications(workshop, 7, country="KE")
    add_applications(workshop, 2, country="KE", status=ApplicationStatus.DECLINED)
    add_applications(workshop, 3, country="GH")
    listing = client.get(list_url(workshop, country="KE", status="submitted"))
    assert "all 7 applications matching the filters, on every page" in listing.data.decode()

    filters = re.search(r'name="filters" value="([^"]*)"', listing.data.decode()).group(1).replace("&amp;", "&")
    confirmation = client.post(f"/admin/events/{workshop.id}/applications/decide", data={
        "scope": "all", "filters": filters, "decision": "accept", "csrf_token": csrf_token(listing),
        "next": list_url(workshop, country="KE", status="submitted")})
    body = confirmation.data.decode()
    assert "Accept <strong>7 applications</strong>" in body and "matching: status Submitted, country Kenya" in body
    assert "7 emails will go out" in body

    done = client.post(f"/admin/events/{workshop.id}/applications/decide",
                       data=_hidden_fields(confirmation), follow_redirects=True)
    assert "Done: 7 applications accepted" in done.data.decode()
    statuses = _statuses(workshop)
    assert statuses[("KE", ApplicationStatus.ACCEPTED)] == 7
    assert statuses[("KE", ApplicationStatus.DECLINED)] == 2 and statuses[("GH", ApplicationStatus.SUBMITTED)] == 3

    deliver_emails()
    kenyans = [r.email for r in _registrations(workshop) if r.country == "KE" and r.status is RegistrationStatus.CONFIRMED]
    assert len(kenyans) == 7
    assert all(len(mailbox.to(email)) == 1 for email in kenyans)
    assert len(mailbox.messages) == 7


def test_a_selection_that_changed_before_confirming_is_shown_again_not_decided(workshop, organiser, client):
    add_applications(workshop, 4, country="KE")
    listing = client.get(list_url(workshop, country="KE"))
    confirmation = client.post(f"/admin/events/{workshop.id}/applications/decide", data={
        "scope": "all", "filters": "country=KE", "decision": "decline", "csrf_token": csrf_token(listing)})
    assert "Decline <strong>4 applications</strong>" in confirmation.data.decode()
    add_applications(workshop, 1, country="KE", given_name="Late", family_name="Comer")

    again = client.post(f"/admin/events/{workshop.id}/applications/decide", data=_hidden_fields(confirmation))
    body = again.data.decode()
    assert "changed since you looked (4 then, 5 now)" in body
    assert "Decline <strong>5 applications</strong>" in body and "Late Comer" in body
    assert _statuses(workshop) == {("KE", ApplicationStatus.SUBMITTED): 5}


def test_ticked_rows_still_work(workshop, organiser, client):
    add_applications(workshop, 3)
    first, second, _ = _registrations(workshop)
    listing = client.get(list_url(workshop))
    confirmation = client.post(f"/admin/events/{workshop.id}/applications/decide", data={
        "scope": "ticked", "filters": "", "registration": [first.id, second.id], "decision": "waitlist",
        "csrf_token": csrf_token(listing)})
    assert "Put on the reserve list 2 applications?" in confirmation.data.decode()
    assert 'id="selection-scope"' not in confirmation.data.decode()


# --- travel support in bulk, and the budget ----------------------------------------------------

def test_granting_travel_support_to_a_selection_warns_past_the_budget(
    workshop, organiser, client, deliver_emails, mailbox
):
    flight = {"wants_flight": True, "estimated_amount": Decimal("900"), "estimated_currency": "USD"}
    add_applications(workshop, 2, travel=flight, country="KE")
    add_applications(workshop, 1, travel=flight, country="KE", status=ApplicationStatus.ACCEPTED,
                     email="accepted@example.org")
    add_applications(workshop, 1, country="KE", given_name="No", family_name="Travel")

    selection = client.get(f"/admin/events/{workshop.id}/selection")
    saved = client.post(f"/admin/events/{workshop.id}/selection/budget", follow_redirects=True, data={
        "amount": "1,000", "currency": "USD", "csrf_token": csrf_token(selection)})
    assert "The travel budget is saved." in saved.data.decode()
    assert "<strong>USD 0.00</strong> of a budget of USD 1,000.00" in saved.data.decode()

    listing = client.get(list_url(workshop, country="KE"))
    confirmation = client.post(f"/admin/events/{workshop.id}/applications/travel", data={
        "scope": "all", "filters": "country=KE", "travel_decision": "granted", "travel_amount": "400",
        "travel_currency": "USD", "travel_note": "Economy flight.", "csrf_token": csrf_token(listing)})
    body = confirmation.data.decode()
    assert "for 3 applicants?" in body
    assert "1 did not ask for travel support, left as they are:\n      No Travel." in body
    assert "1 email will go out" in body
    assert "<strong>USD 1,200.00</strong> of the budget of USD 1,000.00" in body
    assert "over the budget by USD 200.00" in body

    done = client.post(f"/admin/events/{workshop.id}/applications/travel", data=_hidden_fields(confirmation),
                       follow_redirects=True)
    page = done.data.decode()
    assert "“Granted” saved for 3 applicants, and 1 email is on the way." in page
    assert "over the budget of USD 1,000.00 by USD 200.00" in page  # the warning; the decisions stand
    assert 'class="flash flash-warning"' in page
    granted = db.session.scalars(sa.select(TravelSupportRequest)
                                 .where(TravelSupportRequest.decision == TravelDecision.GRANTED)).all()
    assert sorted(r.granted_amount for r in granted) == [Decimal("400.00")] * 3

    listing = client.get(list_url(workshop)).data.decode()
    assert "over the budget by USD 200.00" in listing
    deliver_emails()
    [email] = mailbox.to("accepted@example.org")
    assert "USD 400.00" in text_of(email)


def test_a_bulk_grant_without_an_amount_or_to_nobody_who_asked_changes_nothing(workshop, organiser, client):
    add_applications(workshop, 2, travel={"wants_flight": True}, country="KE")
    add_applications(workshop, 1, country="GH", given_name="No", family_name="Travel")
    listing = client.get(list_url(workshop))
    no_amount = client.post(f"/admin/events/{workshop.id}/applications/travel", follow_redirects=True, data={
        "scope": "all", "filters": "country=KE", "travel_decision": "granted", "travel_amount": "",
        "travel_currency": "USD", "csrf_token": csrf_token(listing)})
    assert "Enter the amount granted." in no_amount.data.decode()
    nobody = client.post(f"/admin/events/{workshop.id}/applications/travel", follow_redirects=True, data={
        "scope": "ticked", "registration": [_registrations(workshop)[-1].id], "travel_decision": "declined",
        "csrf_token": csrf_token(listing)})
    assert "None of the selected applicants asked for travel support." in nobody.data.decode()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TravelSupportRequest)
                             .where(TravelSupportRequest.decision != TravelDecision.PENDING)) == 0


def test_a_budget_that_is_not_an_amount_is_refused_next_to_the_field(workshop, organiser, client):
    selection = client.get(f"/admin/events/{workshop.id}/selection")
    refused = client.post(f"/admin/events/{workshop.id}/selection/budget", data={
        "amount": "lots", "currency": "USD", "csrf_token": csrf_token(selection)})
    assert refused.status_code == 422
    assert "Enter an amount in figures" in refused.data.decode()
    assert db.session.get(Event, workshop.id).travel_budget_amount is None


def test_grants_in_another_currency_are_listed_beside_the_budget(workshop, organiser, client):
    add_applications(workshop, 1, travel={"wants_flight": True, "decision": TravelDecision.GRANTED,
                                          "granted_amount": Decimal("300"), "granted_currency": "EUR"})
    selection = client.get(f"/admin/events/{workshop.id}/selection")
    page = client.post(f"/admin/events/{workshop.id}/selection/budget", follow_redirects=True, data={
        "amount": "5000", "currency": "USD", "csrf_token": csrf_token(selection)}).data.decode()
    assert "<strong>USD 0.00</strong> of a budget of USD 5,000.00" in page
    assert "not counted against it): EUR 300.00" in page


# --- helpers -----------------------------------------------------------------------------------

def _registrations(event):
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id)
                                   .order_by(Registration.id)))


def _score(registration_id: int, reviewer_id: int, score: int) -> None:
    start_writing()
    application = db.session.scalar(sa.select(Application).where(Application.registration_id == registration_id))
    db.session.add(Review(application_id=application.id, reviewer_id=reviewer_id, score=score))
    db.session.commit()


def _statuses(event) -> dict:
    db.session.expire_all()
    return {(country, status): count for country, status, count in db.session.execute(
        sa.select(Registration.country, Application.status, sa.func.count())
        .join(Application, Application.registration_id == Registration.id)
        .where(Registration.event_id == event.id).group_by(Registration.country, Application.status))}


def _hidden_fields(confirmation) -> dict:
    """The confirmation form as the browser sends it: its hidden fields."""
    form = confirmation.data.decode().split("<form")[-1]
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(value.replace("&amp;", "&"))
    token = csrf_token(confirmation)
    return {**{k: v if len(v) > 1 else v[0] for k, v in fields.items()}, "csrf_token": token}
