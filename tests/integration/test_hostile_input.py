"""No server error on any input: every route of the URL map, as a stranger and as an organiser, gets hostile
values in its address, its query string and every form field, and answers without a 5xx.

The demo is loaded once per database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set). Every POST
carries its browser's valid CSRF token, so the values reach the views instead of stopping at the token check
(turning CSRF off instead would break the templates, which render `form.csrf_token`). Hypothesis draws the
route, the person, the ids and the values; FUZZ_EXAMPLES (default 150 per database) bounds the run so CI
stays fast. A longer run: `FUZZ_EXAMPLES=2000 make fuzz`. A 5xx, or an exception the app lets out, fails
the test with the request that caused it, which hypothesis shrinks to the smallest it can find.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import demo
from app.extensions import db
from app.models import Registration
from app.services.registration.tokens import participant_token
from tests.conftest import BrowserLikeClient, _empty_all_tables, csrf_token
from tests.integration.fuzz_support import (
    KINDS,
    Target,
    hostile_path,
    load_demo,
    names_on,
    signed_junk,
    targets,
    url,
)

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))


class Site:
    def __init__(self, app: Flask, found: list[Target]) -> None:
        self.app = app
        self.targets = found
        self.last_location = ""  # where the last response redirected to
        self.junk_tokens = signed_junk(app)
        self.field_pool = sorted({name for t in found for name in t.fields})
        self.arg_pool = sorted({name for t in found for name in t.args})
        self.clients = {"anonymous": self._client(), "organiser": self._client()}
        self.tokens = {who: csrf_token(client.get("/login")) for who, client in self.clients.items()}
        self.clients["organiser"].post("/login", data={"email": demo.DEMO_EMAIL, "password": demo.DEMO_PASSWORD,
                                                       "csrf_token": self.tokens["organiser"]})
        self.tokens["organiser"] = csrf_token(self.clients["organiser"].get("/admin/"))  # renewed at sign-in

    def _client(self) -> BrowserLikeClient:
        self.app.test_client_class = BrowserLikeClient
        return self.app.test_client()  # type: ignore[return-value]

    def send(self, who: str, method: str, path: str, query: dict | None = None, form: dict | None = None) -> int:
        client = self.clients[who]
        try:
            if method == "GET":
                response = client.get(path, query_string=query)
            else:
                response = client.post(path, query_string=query, data={**(form or {}), "csrf_token": self.tokens[who]})
            response.get_data()  # a streamed download runs to its end, its errors included
            response.close()
        except Exception as error:  # the app let an exception out: the same as a 500 for the person
            raise AssertionError(f"{who} {method} {path} query={query!r} form={form!r} raised {error!r}") from error
        assert response.status_code < 500, (
            f"{who} {method} {path} query={query!r} form={form!r} answered {response.status_code}"
        )
        self.last_location = response.location or ""
        return response.status_code


@pytest.fixture(scope="module")
def site(_migrated_app) -> Iterator[Site]:
    """The demo, the routes to fuzz with their fields found on their own pages, and two browsers."""
    app = _migrated_app
    found = targets(app, load_demo(app))
    try:
        with app.app_context():
            site = Site(app, [])
            for target in found:  # each page's own fields, read from the page as the organiser sees it
                if "GET" in target.methods:
                    page = site.clients["organiser"].get(url(app, target, target.valid[0]))
                    if page.mimetype == "text/html":
                        target.fields, target.args, target.plausible = names_on(page.get_data(as_text=True))
                    page.close()  # a streamed download, not read, must not outlive this request
            site = Site(app, found)
            yield site
    finally:
        with app.app_context():
            db.session.remove()
            _empty_all_tables()


def _values(site: Site) -> st.SearchStrategy[str]:
    """A kind of hostile value first (each as likely as the others), then one of its values."""
    kinds = [st.sampled_from(values) for values in KINDS.values()]
    return st.one_of(
        *kinds,
        st.sampled_from(site.junk_tokens),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.text(max_size=40),
    )


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_no_hostile_request_gets_a_server_error(site, data):
    target = data.draw(st.sampled_from(site.targets), label="route")
    who = data.draw(st.sampled_from(sorted(site.clients)), label="who")
    method = data.draw(st.sampled_from(target.methods), label="method")
    kwargs = data.draw(st.sampled_from(target.valid), label="ids")
    values = _values(site)
    path = url(site.app, target, kwargs)
    if target.rule.arguments and data.draw(st.booleans(), label="hostile address"):
        name = data.draw(st.sampled_from(sorted(target.rule.arguments)), label="argument")
        path = hostile_path(target.rule, kwargs, name, data.draw(values, label="argument value"))
    arg_names = st.sampled_from(target.args or site.arg_pool or ["q"])
    query = data.draw(st.dictionaries(st.one_of(arg_names, st.sampled_from(site.arg_pool)), values, max_size=4),
                      label="query")
    form = None
    if method == "POST":
        own = target.fields or site.field_pool
        how = data.draw(st.sampled_from(["one field", "every field", "any fields"]), label="how")
        if how == "one field" and target.plausible:
            # The form as a person fills it in, with one to three values hostile: it passes the other checks
            # and reaches the code that stores it.
            form = dict(target.plausible)
            for name in data.draw(st.lists(st.sampled_from(own), min_size=1, max_size=3), label="hostile fields"):
                form[name] = data.draw(values, label=name)
        elif how == "every field":
            form = {name: data.draw(values, label=name) for name in own}
        else:  # a few fields from anywhere in the app
            form = data.draw(st.dictionaries(st.sampled_from(own + site.field_pool), values, max_size=6),
                             label="form")
    site.send(who, method, path, query=query, form=form)


# --- each kind of value the probe found, on every route, without chance ----------------------------------

NUL = "a\x00b"
SWEEP = [NUL, str(2**63), "①"]  # the other kinds: hypothesis draws them (KINDS)


def test_every_route_answers_each_hostile_kind_without_a_server_error(site):
    """Each value the probe got a 500 with, in every id, query parameter and form field of every route, for both
    people; and each form filled in as a person would but for one field. (A stranger sent to the sign-in page
    by an organiser route is not sent the rest: the view never runs for them.)"""
    for target in site.targets:
        kwargs = target.valid[0]
        path = url(site.app, target, kwargs)
        for who in site.clients:
            first = "GET" if "GET" in target.methods else "POST"
            if site.send(who, first, path) == 302 and site.last_location.startswith("/login"):
                continue
            for value in SWEEP:
                for name in target.rule.arguments:
                    site.send(who, first, hostile_path(target.rule, kwargs, name, value))
                query = {name: value for name in target.args}
                if "GET" in target.methods:
                    site.send(who, "GET", path, query=query)
                if "POST" in target.methods:
                    site.send(who, "POST", path, query=query, form={name: value for name in target.fields})
                    if value != NUL:  # refused before any view, whichever field holds it
                        for name in target.fields:  # the form as a person fills it in, but for this one field
                            site.send(who, "POST", path, form={**target.plausible, name: value})


def test_signed_links_of_the_wrong_shape_are_refused_like_forged_ones(site):
    for token in site.junk_tokens:
        assert site.send("anonymous", "GET", f"/r/{token}") == 404


def test_a_nul_byte_gets_a_clear_message_and_changes_nothing(site):
    with site.app.app_context():
        registration = db.session.scalars(sa.select(Registration).limit(1)).one()
        token = participant_token(registration.id)
        before = db.session.scalar(sa.select(sa.func.count()).select_from(Registration))
    response = site.clients["anonymous"].post("/lost-link", data={"email": "amina\x00@example.org",
                                                                  "csrf_token": site.tokens["anonymous"]})
    assert response.status_code == 400
    assert "NUL byte" in response.get_data(as_text=True)
    # Checked before the form's CSRF token: an expired form does not hide the reason.
    stale = site.clients["anonymous"].post("/lost-link", data={"email": "amina\x00@example.org", "csrf_token": "old"})
    assert stale.status_code == 400 and "NUL byte" in stale.get_data(as_text=True)
    response = site.clients["anonymous"].get(f"/r/{token}%00")
    assert response.status_code == 400
    with site.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == before


def test_an_id_past_what_the_database_holds_is_not_found(site):
    organiser = site.clients["organiser"]
    for event_id in (2**31, 2**63, 10**30):
        response = organiser.get(f"/admin/events/{event_id}/attendees")
        assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)
    assert organiser.get("/admin/events/%D9%A3/attendees").status_code == 404  # "٣", an Arabic-Indic 3
