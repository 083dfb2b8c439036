"""Request-wide wiring: the login loader, the write transaction for POSTs, template helpers."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from werkzeug.datastructures import iter_multi_items

from app.database import begin_write, read_without_transaction
from app.extensions import db, login_manager
from app.i18n import current_language
from app.models import (
    ActorKind,
    ApplicationStatus,
    ChoiceStatus,
    Event,
    EventStatus,
    OrganisationType,
    OrganiserAlerts,
    OutboxStatus,
    QuestionKind,
    RegistrationStatus,
    TeamRole,
    TravelDecision,
    User,
)
from app.services.applications.applications import Decision
from app.services.audit import actors, recorder
from app.services.countries import country_name, country_names
from app.services.events.series import ordinal
from app.services.formatting import format_date_range, format_day, format_local, format_time_range
from app.services.people.permissions import Capability
from app.services.registration.availability import Availability

TEMPLATE_ENUMS = (ActorKind, ApplicationStatus, Availability, Capability, ChoiceStatus, Decision, EventStatus,
                  OrganisationType, OrganiserAlerts, OutboxStatus, QuestionKind, RegistrationStatus, TeamRole, TravelDecision)


# Built once: the loader runs on every signed-in request.
_USER_BY_TOKEN = sa.select(User).where(User.session_token == sa.bindparam("token"))
# An organiser page about an event reads the user and the event in one round trip (event_or_404 then takes the
# event from there): the event LEFT JOINed on its id, so that an unknown event still finds the user.
_USER_AND_EVENT = (sa.select(User, Event).outerjoin(Event, Event.id == sa.bindparam("event_id"))
                   .where(User.session_token == sa.bindparam("token")))
# Organiser pages that only read and are asked often: read without a transaction on PostgreSQL, as the public
# event and result pages (app/database.py read_without_transaction).
READING_PAGES = frozenset({"organiser.attendees"})


def init_app(app: Flask) -> None:
    from app.organiser.access import may, remember_event

    @login_manager.user_loader
    def load_user(session_token: str) -> User | None:
        # The cookies carry the account's session token (User.get_id), not its id: a token drawn anew on
        # sign-out, password change and deactivation leaves every earlier cookie pointing at nobody.
        event_id = _page_event_id()
        if event_id is None:
            user = db.session.scalar(_USER_BY_TOKEN, {"token": session_token})
        else:
            row = db.session.execute(_USER_AND_EVENT, {"token": session_token, "event_id": event_id}).first()
            user, event = row if row is not None else (None, None)
            remember_event(event_id, event)
        return user if user and user.active else None

    recorder.install()
    actors.use_request_actor(request_actor)

    @app.before_request
    def start_write_transaction() -> None:
        # Every state-changing request is one transaction that may take the write lock.
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            begin_write(db.session)
        elif request.endpoint in READING_PAGES:
            read_without_transaction(db.session)

    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["local"] = format_local
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.globals["row_url"] = row_url
    app.jinja_env.globals["query_url"] = query_url
    app.jinja_env.globals["local_dates"] = local_dates
    app.jinja_env.globals["RowMarkup"] = RowMarkup
    app.jinja_env.globals["event_nav"] = event_nav
    app.jinja_env.globals["row_action_texts"] = row_action_texts
    app.jinja_env.globals["labels"] = labels
    app.jinja_env.globals["country_names"] = country_names
    app.jinja_env.globals["format_date_range"] = format_date_range
    app.jinja_env.globals["format_time_range"] = format_time_range
    app.jinja_env.filters["ordinal"] = ordinal
    # Templates compare enums as enums (`registration.status == RegistrationStatus.CONFIRMED`), never
    # their values as strings, so that every use of a state is found from its member; each page sees them.
    app.jinja_env.globals.update({enum.__name__: enum for enum in TEMPLATE_ENUMS})
    # What the signed-in user may do on the event of the page (read from the request, no query): tabs and
    # buttons their role cannot use are not shown.
    app.jinja_env.globals["may"] = may

    @app.context_processor
    def inject_now() -> dict[str, datetime]:
        from app.models import utcnow

        return {"now": utcnow()}


def _page_event_id() -> int | None:
    """The event an organiser page is about (its URL's event_id), if the request is for one."""
    if not has_request_context() or request.blueprint != "organiser" or not request.view_args:
        return None
    event_id = request.view_args.get("event_id")
    return event_id if type(event_id) is int else None


def request_actor() -> actors.Actor | None:
    """Who the audit log names for a change made in this request (worked out at the first change, not per
    request: the public form must not load the signed-in user for nothing)."""
    if not has_request_context():
        return None
    actor = g.get("audit_actor")
    if actor is None:
        if request.blueprint == "participant":
            actor = actors.PARTICIPANT
        elif request.blueprint == "public":
            actor = actors.PUBLIC_FORM
        elif current_user.is_authenticated:
            actor = actors.organiser(current_user)
        else:
            actor = actors.NOT_SIGNED_IN
        g.audit_actor = actor
    return actor


ROW_ID = 987_654_321_987  # a marker no real id reaches
ROW_TEXT = str(ROW_ID)


def row_url(endpoint: str, key: str = "registration_id", **values: Any) -> Callable[[int], str]:
    """url_for(endpoint, **values, key=id) for each row of a list, built once: only the id differs from row to
    row, and three url_for calls for each of a page's rows were a fifth of the attendee list's time."""
    values[key] = ROW_ID
    head, _marker, tail = url_for(endpoint, **values).partition(str(ROW_ID))
    return lambda row_id: f"{head}{int(row_id)}{tail}"


# What werkzeug leaves unescaped in a URL's query (werkzeug.urls._urlencode): tests/unit/test_attendee_list_caches.py
# checks query_url's links against url_for's.
_QUERY_SAFE = "!$'()*,/:;?@"


def query_url(endpoint: str, **values: Any) -> Callable[[Mapping[str, Any]], str]:
    """url_for(endpoint, **values, **args) for a page's links that differ only in their query (the attendee list's
    sort and page links, a dozen on a page at 10 us each): the address built once, each link's query added as
    werkzeug writes it (None left out, a list or tuple as the key repeated)."""
    base = url_for(endpoint, **values)

    def with_query(args: Mapping[str, Any]) -> str:
        items = [(key, value) for key, value in iter_multi_items({k: v for k, v in args.items() if v is not None})
                 if value is not None]
        return f"{base}?{urlencode(items, safe=_QUERY_SAFE)}" if items else base

    return with_query


def mark(field: str) -> str:
    """Stands for a row's `field` in markup made once for a list's rows (RowMarkup): letters only, so that
    escaping leaves it as it is."""
    return f"Zq9{field}9qZ"


_MARKED = re.compile(r"Zq9([a-z_]+)9qZ")


class RowMarkup:
    """A row of a list as its template writes it, made once with markers where the row's values go (mark(field),
    and the id no row has, ROW_ID, where its id goes: row_url puts it in the links), then written for each row
    by putting in that row's values, escaped as the template escapes them. On the attendee list the template's
    own work for each of 50 rows (a dozen values looked up and escaped, the action buttons) was a quarter of the
    page's rendering."""

    def __init__(self, markup: Markup) -> None:
        head, *rest = _MARKED.split(str(markup).replace(ROW_TEXT, mark("id")))
        self._head = head
        self._rest = list(zip(rest[::2], rest[1::2], strict=True))  # (field, the text after it)
        self._fields = tuple(dict.fromkeys(rest[::2]))

    def __call__(self, values: dict[str, Any]) -> Markup:
        escaped = {field: _escaped(values[field]) for field in self._fields}  # once each, however often shown
        written = [self._head]
        for field, text in self._rest:
            written.append(escaped[field])
            written.append(text)
        return Markup("".join(written))


def _escaped(value: Any) -> str:
    """markupsafe.escape(value) as text: for plain text, the same five replacements written out (a quarter of
    its cost, which a list's rows pay a dozen times each); anything else (numbers, markup) through escape."""
    if type(value) is not str:
        return str(escape(value))
    if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
        return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
                .replace("'", "&#39;"))
    return value


def local_dates(tz_name: str, fmt: str) -> Callable[[datetime | None], str]:
    """The `local` filter (format_local) with a date-only `fmt`, for each row of a list: the page's language and
    the zone looked up once, not for each row. English reads as strftime writes it; another language, or a
    format with a time in it, goes through format_local itself."""
    if "%H" in fmt or current_language() != "en":
        return lambda moment: format_local(moment, tz_name, fmt)
    zone = ZoneInfo(tz_name)
    return lambda moment: "" if moment is None else moment.astimezone(zone).strftime(fmt)


def row_action_texts(full: bool = False) -> dict[str, str]:
    """The words of a registration's action buttons (organiser/_macros.html), translated once for a whole list
    instead of three times for each row (a third of the attendee list's time went on translating them).
    `cancel_question` keeps its %(name)s for the row; like the templates' _(), the translation is markup."""
    return {
        "application": _("Application"),
        "confirm": _("Confirm a place") if full else _("Confirm"),
        "cancel": _("Cancel registration") if full else _("Cancel"),
        "cancel_question": Markup(_("Cancel the registration of %(name)s? They will be emailed.")),
        "csrf": generate_csrf(),
    }


# (enum, language) -> each member's label: an enum's `label` builds its table of words on every read.
_LABELS: dict[tuple[type[Any], str], dict[Any, str]] = {}


def labels(enum: type[Any]) -> dict[Any, str]:
    """Each member's label in the page's language, for a list that shows one per row: made once per language,
    not per row (nor per page). A copy: the page may change its own."""
    key = (enum, str(get_locale()))
    made = _LABELS.get(key)
    if made is None:
        made = _LABELS[key] = {member: str(member.label) for member in enum}
    return dict(made)


# The tabs of an event's organiser pages, by what they depend on: (language, script root, endpoint, event id,
# whether it takes applications, the user's capabilities on it). Bounded: emptied when full.
_EVENT_NAVS: dict[tuple[Any, ...], Markup] = {}
_EVENT_NAVS_MAX = 4096


def event_nav(event: Any) -> Markup:
    """organiser/_event_tabs.html for the event, rendered once for each of the few things it depends on rather
    than on every page: its fifteen tabs' words and links were a tenth of the attendee list's rendering. The
    key holds the user's capabilities on the event (set by the page's access check), so a tab is shown to a
    role exactly as if the template ran."""
    key = (str(get_locale()), request.script_root, request.endpoint, event.id, event.takes_applications,
           g.get("capabilities", frozenset()))
    html = _EVENT_NAVS.get(key)
    if html is None:
        # Rendered as render_template would, without its signal: tests that look at the page's template
        # and context see the page, not this fragment.
        context: dict[str, Any] = {"event": event}
        current_app.update_template_context(context)
        html = Markup(current_app.jinja_env.get_template("organiser/_event_tabs.html").render(context))
        if len(_EVENT_NAVS) >= _EVENT_NAVS_MAX:
            _EVENT_NAVS.clear()
        _EVENT_NAVS[key] = html
    return html
