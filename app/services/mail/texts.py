"""What an organiser's email text may say about one person: the placeholders, their values, and the HTML
made from the plain text.

Organisers write plain text with {placeholders}; it is filled by app.services.placeholders.fill (plain
substitution, nothing else reachable) and turned into HTML here by escaping it first, so no organiser's text
ever puts markup into an email.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.models import Registration, SessionChoice
from app.models.applications import TravelDecision
from app.services.countries import country_name
from app.services.formatting import format_date_range, format_time_range

# The placeholders an email text may use, with what each stands for (shown beside the editor).
EMAIL_PLACEHOLDERS: dict[str, LazyString] = {
    "first_name": _l("given name(s), or the whole name when written family name first or a single name"),
    "family_name": _l("family name"),
    "full_name": _l("the name as the person writes it, e.g. Amina Diallo, 김민준"),
    "name": _l("name with title, e.g. Ms Amina Diallo (as the greeting uses it)"),
    "organisation": _l("organisation"),
    "country": _l("country of the organisation"),
    "reference": _l("registration reference, e.g. ITW27-UG4H"),
    "personal_link": _l("the person's private link to their registration"),
    "event_title": _l("title of the event"),
    "the_event": _l("the title as it reads inside a sentence, e.g. “the 9th Daejeon Global Innovation Forum 2026”"),
    "event_link": _l("the event's public page"),
    "dates": _l("dates of the event, e.g. 3–7 Nov 2026"),
    "venue": _l("venue, city and country"),
    "contact_email": _l("the event's contact address"),
    "sessions": _l("the person's programme sessions, one a line, with seat or waiting list"),
    "travel_support": _l("the travel-support decision, in a sentence (empty when none was asked for)"),
}


def email_values(registration: Registration, *, link: str, event_link: str,
                 choices: Iterable[SessionChoice] = ()) -> dict[str, str]:
    """The placeholders' values for one person; `choices` are their sessions (loaded by the caller, so a
    message to 1,000 people costs one query for everyone's sessions, not one each)."""
    event = registration.event
    return {
        # Whom "Dear …" addresses: "Amina", but "김민준" and "Sukarno" (Registration.greeting_name).
        "first_name": registration.greeting_name,
        "family_name": registration.family_name,
        "full_name": registration.full_name,
        "name": registration.display_name,
        "organisation": registration.organisation,
        "country": country_name(registration.country),
        "reference": registration.reference,
        "personal_link": link,
        "event_title": event.title,
        "the_event": event.title_in_sentence,
        "event_link": event_link,
        "dates": format_date_range(event.starts_at, event.ends_at, event.timezone),
        "venue": ", ".join(part for part in (event.shown_venue, event.shown_city, country_name(event.country)) if part),
        "contact_email": event.contact_email,
        "sessions": "\n".join(_session_line(c, event.timezone) for c in choices),
        "travel_support": travel_support_sentence(registration),
    }


# The kinds of support a person asks for (TravelSupport.wanted), in the reader's language.
_WANTED = {"flight": _l("flight"), "accommodation": _l("accommodation"), "per diem": _l("per diem")}


def wanted_support(words: Iterable[str]) -> str:
    return ", ".join(str(_WANTED.get(word, word)) for word in words)


def _session_line(choice: SessionChoice, timezone: str) -> str:
    programme_session = choice.session
    when = format_time_range(programme_session.starts_at, programme_session.ends_at, timezone)
    if programme_session.room:
        return _("- %(when)s  %(title)s (%(room)s): %(status)s", when=when, title=programme_session.shown_title,
                 room=programme_session.shown_room, status=str(choice.status.label))
    return _("- %(when)s  %(title)s: %(status)s", when=when, title=programme_session.shown_title,
             status=str(choice.status.label))


def travel_support_sentence(registration: Registration) -> str:
    travel = registration.travel_support
    if travel is None:
        return ""
    if travel.decision is TravelDecision.GRANTED:
        if travel.wanted:
            return _("Your request for travel support is granted: %(granted)s, for %(wanted)s.",
                     granted=travel.granted_text, wanted=wanted_support(travel.wanted))
        return _("Your request for travel support is granted: %(granted)s.", granted=travel.granted_text)
    if travel.decision is TravelDecision.PARTLY:
        return _("Your request for travel support is partly granted: %(granted)s.", granted=travel.granted_text)
    if travel.decision is TravelDecision.DECLINED:
        return _("We are sorry: we cannot offer you travel support for this event.")
    return _("Your request for travel support is still being considered.")


_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)]")


def text_to_html(text: str) -> Markup:
    """Plain text as HTML: escaped first, then paragraphs at blank lines, line breaks, and links made
    clickable. Nothing an organiser types can become markup."""
    paragraphs = [part for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]
    html = []
    for paragraph in paragraphs:
        html.append("<p>" + _linked(paragraph.strip("\n")).replace("\n", "<br>\n") + "</p>")
    return Markup("\n".join(html))


def _linked(text: str) -> str:
    """Escaped text with its web addresses as links (found in the raw text, escaped like the rest)."""
    out, last = [], 0
    for match in _URL.finditer(text):
        url = escape(match.group(0))
        out += [str(escape(text[last:match.start()])), f'<a href="{url}">{url}</a>']
        last = match.end()
    out.append(str(escape(text[last:])))
    return "".join(out)
