"""The personal page says what a registration's state means, and promises nothing it no longer will."""

from __future__ import annotations

import re

from app.models import RegistrationMode
from tests.conftest import csrf_token, link_in
from tests.integration.applications_support import confirm, decide, registration_of
from tests.integration.documents_support import visa_fields
from tests.integration.organiser_support import post_action

PROMISES = ("We will email you their decision", "we email you as soon as your letter is ready",
            "we email you the letter", "Withdraw my application", "Cancel my registration")


def _page_text(response) -> str:
    """What a person reads on the page: the text without tags, white space made single spaces."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", response.data.decode())
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_withdrawn_applicant_is_promised_neither_a_decision_nor_a_visa_letter(
    make_event, register, client, deliver_emails, mailbox
):
    event = make_event(registration_mode=RegistrationMode.APPLICATION)
    register(event, **visa_fields())
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[-1])
    before = _page_text(client.get(link))
    assert "We will email you their decision" in before

    page = client.get(f"{link}/withdraw")
    withdrawn = _page_text(client.post(f"{link}/withdraw", data={"csrf_token": csrf_token(page)},
                                       follow_redirects=True))
    for promise in PROMISES:
        assert promise not in withdrawn, promise
    assert "Status Application withdrawn" in withdrawn
    assert ("You withdrew your application. The organisers will not decide on it, you have no place at the "
            "event, and no visa invitation letter will be issued.") in withdrawn
    assert "Visa invitation letter: none will be issued, because you withdrew your application." in withdrawn
    # Before, the letter was not promised outright either: it comes only with a place.
    assert "A letter is only issued with a place at the event" in before


def test_a_declined_applicant_and_a_cancelled_registration_are_told_plainly(
    make_event, make_user, auth, register, client, deliver_emails, mailbox
):
    workshop = make_event(registration_mode=RegistrationMode.APPLICATION)
    register(workshop, **visa_fields())
    make_user()
    auth.login()
    confirm(client, workshop, decide(client, workshop, ["amina.diallo@example.org"], "decline"))
    assert registration_of("amina.diallo@example.org").ended_as == "declined"
    deliver_emails()
    declined = _page_text(client.get(link_in(mailbox.to("amina.diallo@example.org")[-1])))
    for promise in PROMISES:
        assert promise not in declined, promise
    assert "Status Application not selected" in declined
    assert "The organisers did not select your application this time." in declined
    assert "Visa invitation letter: none will be issued, because your application was not selected." in declined

    forum = make_event(title="Daejeon Global Innovation Forum", slug="forum", code="DGIF")
    register(forum, email="kim@example.org", **visa_fields())
    deliver_emails()
    link = link_in(mailbox.to("kim@example.org")[-1])
    post_action(client, f"{link}/cancel", f"{link}/cancel")
    cancelled = _page_text(client.get(link))
    for promise in PROMISES:
        assert promise not in cancelled, promise
    assert "This registration is cancelled: you have no place at the event, and no visa invitation letter" in cancelled
