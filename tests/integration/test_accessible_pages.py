"""What a screen reader and the W3C checker need from the forms: every error tied to its field, required
selects that start on "Choose…", one id per page, and a site icon. The browser suite runs axe-core and
the Nu HTML checker over every page of the demo (tests/e2e/test_every_page.py); these pin the fixes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from app.demo import DEMO_EMAIL, DEMO_PASSWORD
from app.extensions import db
from app.models import QuestionKind, Series
from tests.conftest import csrf_token, registration_form
from tests.integration.organiser_support import event_form, post_form
from tests.integration.questions_support import add_question


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)


class _Page(HTMLParser):
    """The page's elements in document order, each with its text and the elements inside it."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "area", "col", "embed", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        for parent in self._open:
            parent.children.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open and self._open.pop().tag != tag:
            pass

    def handle_data(self, data):
        for parent in self._open:
            parent.text += data


def page_of(response) -> list[Element]:
    return _Page(response.get_data(as_text=True)).elements


def by_id(elements: list[Element]) -> dict[str, Element]:
    return {e.attrs["id"]: e for e in elements if "id" in e.attrs}


def described_by(element: Element, elements: list[Element]) -> list[str]:
    ids = by_id(elements)
    return [" ".join(ids[i].text.split()) for i in element.attrs.get("aria-describedby", "").split() if i in ids]


def empty_submit(client, url: str):
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(page)})


def test_the_consent_error_is_read_with_the_consent_checkbox(make_event, client):
    event = make_event()
    page = client.get(f"/events/{event.slug}")

    response = client.post(f"/events/{event.slug}",
                           data={**registration_form(consent=None), "csrf_token": csrf_token(page)})

    assert response.status_code == 422
    elements = page_of(response)
    [consent] = [e for e in elements if e.attrs.get("name") == "consent"]
    assert consent.attrs.get("aria-invalid") == "true"
    assert described_by(consent, elements) == ["We can only register you with your consent."]


def test_every_error_of_an_empty_form_is_tied_to_its_field(make_event, client):
    event = make_event()
    add_question(event, QuestionKind.YES_NO, "Do you need travel support?", required=True,
                 help_text="We fund economy flights.")
    add_question(event, QuestionKind.MULTIPLE_CHOICE, "Which topics?", required=True, options=["Parks", "Incubators"])
    add_question(event, QuestionKind.NUMBER, "Years in your post", required=True)

    response = empty_submit(client, f"/events/{event.slug}")

    assert response.status_code == 422
    elements = page_of(response)
    messages = [e for e in elements if "error" in e.attrs.get("class", "").split() and e.tag == "p"]
    assert len(messages) >= 8  # name, email, organisation, type, country, consent and the three questions
    invalid = [e for e in elements if e.attrs.get("aria-invalid") == "true"]
    for message in messages:
        readers = [e for e in invalid if message.attrs.get("id") in e.attrs.get("aria-describedby", "").split()]
        assert readers, f"no invalid field is described by the error {message.text!r}"
    for control in invalid:
        assert described_by(control, elements), f"{control.attrs.get('name')} is invalid and says not why"
    # A hint is read with its field too, and each option of a question says it is invalid, and why.
    [travel] = [e for e in elements if e.tag == "fieldset" and e.text.strip().startswith("Do you need travel support?")]
    options = [e for e in travel.children if e.tag == "input"]
    assert len(options) == 2 and all(o.attrs.get("aria-invalid") == "true" for o in options)
    assert described_by(options[0], elements) == ["We fund economy flights.", "Please answer yes or no."]


@pytest.fixture
def demo_organiser(app, runner, auth):
    db.session.commit()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    auth.login(DEMO_EMAIL, DEMO_PASSWORD)


def test_a_series_page_with_several_forms_repeats_no_id(demo_organiser, client):
    series = db.session.scalars(sa.select(Series).order_by(Series.id)).first()

    elements = page_of(client.get(f"/admin/series/{series.id}"))

    assert sum(e.tag == "form" for e in elements) >= 2
    repeated = [i for i, n in Counter(e.attrs["id"] for e in elements if "id" in e.attrs).items() if n > 1]
    assert repeated == []


def required_selects(response) -> dict[str, list[tuple[str, str]]]:
    elements = page_of(response)
    return {s.attrs.get("id") or s.attrs["name"]: [(o.attrs.get("value"), o.text.strip()) for o in s.children
                                                   if o.tag == "option"]
            for s in elements if s.tag == "select" and "required" in s.attrs}


def test_required_selects_start_with_an_empty_choose_option(demo_organiser, client):
    from app.models import Event, RegistrationMode, TravelSupportRequest

    workshop = db.session.scalar(sa.select(Event).where(Event.registration_mode == RegistrationMode.APPLICATION))
    applicant = db.session.scalars(sa.select(TravelSupportRequest.registration_id)).first()
    series = db.session.scalars(sa.select(Series).order_by(Series.id)).first()
    pages = ["/admin/events/new", f"/admin/events/{workshop.id}/edit", f"/admin/events/{workshop.id}/questions/new",
             f"/admin/events/{workshop.id}/applications", f"/admin/events/{workshop.id}/applications/{applicant}",
             f"/admin/series/{series.id}"]

    selects = {url: required_selects(client.get(url)) for url in pages}

    assert {"kind", "decision", "event_id"} <= {name for found in selects.values() for name in found}
    for url, found in selects.items():
        for name, options in found.items():
            assert options[0][0] == "" and options[0][1].startswith("Choose"), (url, name, options[:2])
            assert all(value for value, _ in options[1:]), (url, name)


def test_an_unchosen_select_is_refused_with_a_message_not_a_default(make_user, auth, client, make_event):
    make_user()
    auth.login()

    new_event = post_form(client, "/admin/events/new", event_form(kind=""))

    assert new_event.status_code == 422
    page = new_event.get_data(as_text=True)
    assert 'id="kind-error">Please choose a kind.' in page and "Not a valid choice" not in page


def test_adding_an_edition_without_choosing_the_event_says_so(demo_organiser, client):
    series = db.session.scalars(sa.select(Series).order_by(Series.id)).first()
    page = client.get(f"/admin/series/{series.id}")

    response = client.post(f"/admin/series/{series.id}/editions",
                           data={"event_id": "", "off_rule_reason": "", "csrf_token": csrf_token(page)},
                           follow_redirects=True)

    text = response.get_data(as_text=True)
    assert "Please choose an event." in text and "coerce" not in text


def test_the_site_icon_is_served_and_linked_from_every_page(app, client):
    icon = client.get("/favicon.ico")

    assert icon.status_code == 200
    assert icon.mimetype == "image/vnd.microsoft.icon" and icon.data[:4] == b"\x00\x00\x01\x00"
    links = [e.attrs["href"] for e in page_of(client.get("/")) if e.tag == "link" and "icon" in e.attrs.get("rel", "")]
    assert links and all(client.get(href).status_code == 200 for href in links)
