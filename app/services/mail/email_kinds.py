"""Every automatic email: its default subject and body (plain text with {placeholders}), the placeholders
its body must keep, and the ones of its own, filled from what the change that sends it knows.

Adding a kind is one entry in KINDS (and a call to notifications.queue where it happens).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

from flask_babel import LazyString, get_locale, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.models import Event, Registration
from app.services.formatting import format_local, format_time_range
from app.services.mail.texts import wanted_support

Values = Callable[[Registration, Mapping[str, Any]], dict[str, str]]
# A kind's words are given lazily: each is read in the language of the person it is written to (the caller
# wraps the rendering in force_locale(registration.language), in a request or in the mail worker).
Words: TypeAlias = "str | LazyString"

# The end of every default body: what the person needs to find their way back.
FOOTER = _l("""Event:      {event_title}
When:       {dates}
Where:      {venue}
Reference:  {reference}

Your sessions:
{sessions}

Your registration (keep this link private):
{personal_link}

Questions? Write to {contact_email}.

With kind regards,
The organisers
World Technopolis Association""")

# The emails that carry nothing but the personal link: at most one per LINK_RESEND_INTERVAL per registration,
# whichever way it was asked for (registering again, the lost-link form).
LINK_KINDS = ("registration_link", "link_requested", "link_resent")
LINK_NEEDED = {"personal_link": _l("it is the only way the person can see, change or cancel their registration.")}
# Every other email carries the personal link. These go to an address that may not be the person's (the old
# address after the organisers changed it: perhaps a typing mistake), so the link must not be in them.
WITHOUT_PERSONAL_LINK = frozenset({"email_changed_old"})


def _no_values(_registration: Registration, _extra: Mapping[str, Any]) -> dict[str, str]:
    return {}


class EmailKind:
    """One automatic email. Its words (label, when, subject, body, the placeholders' descriptions) are read
    as plain strings in the current language each time they are asked for."""

    def __init__(self, label: Words, when: Words, subject: Words, body: Words, *,
                 required: Mapping[str, Words] | None = None, own: Mapping[str, Words] | None = None,
                 values: Values = _no_values, calendar: bool = False) -> None:
        self._label, self._when, self._subject, self._body = label, when, subject, body
        self._required = dict(required or {})  # name -> why it must stay
        self._own = dict(own or {})  # this kind's placeholders -> what each stands for
        self.values = values  # their values; the change's details arrive as `extra` (a preview has none)
        self.calendar = calendar  # a .ics file is attached

    @property
    def label(self) -> str:  # what the organiser's list calls it
        return str(self._label)

    @property
    def when(self) -> str:  # when it is sent, in a sentence
        return str(self._when)

    @property
    def subject(self) -> str:
        return str(self._subject)

    @property
    def body(self) -> str:
        return str(self._body)

    @property
    def required(self) -> dict[str, str]:
        return {name: str(why) for name, why in self._required.items()}

    @property
    def own(self) -> dict[str, str]:
        return {name: str(what) for name, what in self._own.items()}


def _greeted(text: Words) -> str:
    return _("Dear {name},") + "\n\n" + str(text).strip("\n") + "\n\n" + str(FOOTER)


def _body(text: Words) -> LazyString:
    return LazyString(_greeted, text)


def in_sentence(event: Event) -> str:
    """The event's title inside a sentence: English puts “the” before most titles, Korean names it as it is."""
    locale = get_locale()
    return event.title_in_sentence if locale is None or locale.language == "en" else event.title


# --- the values of each kind's own placeholders ------------------------------------------------

def _cancellation(registration: Registration, extra: Mapping[str, Any]) -> dict[str, str]:
    event = registration.event
    if extra.get("cancelled_by_organiser"):
        return {"cancellation": _("The organisers have cancelled your registration for %(the_event)s. "
                                  "If you think this is a mistake, please write to %(contact_email)s.",
                                  the_event=in_sentence(event), contact_email=event.contact_email)}
    return {"cancellation": _("Your registration for %(the_event)s is cancelled, as you asked. "
                              "Thank you for letting us know.", the_event=in_sentence(event))}


def _event_cancelled(_registration: Registration, extra: Mapping[str, Any]) -> dict[str, str]:
    return {"reason": str(extra.get("reason", ""))}


def _event_changed(registration: Registration, extra: Mapping[str, Any]) -> dict[str, str]:
    dates, place = bool(extra.get("dates_changed")), bool(extra.get("place_changed"))
    if dates and place:
        what = pgettext("what an event change changed", "the dates and the place")
    elif place:
        what = pgettext("what an event change changed", "the place")
    else:
        what = pgettext("what an event change changed", "the dates")
    lines = []
    if dates:
        lines += [_("When:   %(dates)s", dates=extra.get("new_dates", "")),
                  _("        (before: %(dates)s)", dates=extra.get("previous_dates", ""))]
    if place:
        lines += [_("Where:  %(place)s", place=extra.get("new_place") or pgettext("event place", "to be announced")),
                  _("        (before: %(place)s)",
                    place=extra.get("previous_place") or pgettext("event place", "not announced"))]
    if registration.application:
        leave = pgettext("how to give up a place", "withdraw your application")
    else:
        leave = pgettext("how to give up a place", "cancel")
    return {"what_changed": what, "changes": "\n".join(lines), "leave": leave}


def _status(registration: Registration, _extra: Mapping[str, Any]) -> dict[str, str]:
    return {"status": str(registration.status.label)}


def _application(registration: Registration, _extra: Mapping[str, Any]) -> dict[str, str]:
    event = registration.event
    travel = registration.travel_support
    request = ""
    if travel is not None:
        wanted = wanted_support(travel.wanted)
        if travel.estimate_text:
            request = _("You asked for travel support (%(wanted)s, about %(estimate)s). We will tell you our decision "
                        "together with the decision on your application.", wanted=wanted, estimate=travel.estimate_text)
        else:
            request = _("You asked for travel support (%(wanted)s). We will tell you our decision together with the "
                        "decision on your application.", wanted=wanted)
    return {"deadline": format_local(event.registration_closes_at, event.timezone), "travel_request": request}


def _accepted(registration: Registration, _extra: Mapping[str, Any]) -> dict[str, str]:
    application = registration.application
    confirm_by = application.confirm_by if application is not None else None
    if application is None:  # a preview
        confirm_by = registration.event.confirmation_deadline(registration.event.registration_closes_at)
    confirm_step = ""
    if confirm_by is not None:
        confirm_step = _("- Please confirm that you are coming by %(deadline)s: open your personal link below and "
                         "press “I am coming”. If we have not heard from you by then, we may offer your place to "
                         "someone on the reserve list.",
                         deadline=format_local(confirm_by, registration.event.timezone))
    return {"visa_letter_step": _("- You asked for a visa invitation letter. We are preparing it; you can follow it "
                                  "from your personal link.") if registration.needs_visa_letter else "",
            "confirm_step": confirm_step}


def _lapsed(registration: Registration, _extra: Mapping[str, Any]) -> dict[str, str]:
    application = registration.application
    confirm_by = application.confirm_by if application is not None else None
    when = format_local(confirm_by or registration.event.registration_closes_at, registration.event.timezone)
    return {"confirm_by": when}


def _withdrawn(registration: Registration, extra: Mapping[str, Any]) -> dict[str, str]:
    accepted = bool(extra.get("was_accepted"))
    return {
        "place_offered": _(" Your place will be offered to someone else.") if accepted else "",
        "apply_again": "" if accepted else _(", or apply again on the event page before the application deadline"),
    }


def _session_named(key: str) -> Values:
    def values(registration: Registration, extra: Mapping[str, Any]) -> dict[str, str]:
        session = extra.get(key)
        if session is None:  # a preview, its time zoned like the real email's
            zone = registration.event.local(registration.event.starts_at).tzname()
            return {"session": _("“Parallel A: science park governance” (14:00–15:30 %(zone)s, Room 201)", zone=zone)}
        # A session, or (removed ones, gone from the database) a dict of its title and times.
        def part(name: str) -> Any:
            return session.get(name) if isinstance(session, Mapping) else getattr(session, name, None)

        when = format_time_range(part("starts_at"), part("ends_at"), registration.event.timezone)
        room = part("room")
        if room:
            return {"session": _("“%(title)s” (%(when)s, %(room)s)", title=part("title"), when=when, room=room)}
        return {"session": _("“%(title)s” (%(when)s)", title=part("title"), when=when)}
    return values


def _address_change(_registration: Registration, extra: Mapping[str, Any]) -> dict[str, str]:
    return {"old_email": str(extra.get("old_email") or "old.address@example.org"),
            "new_email": str(extra.get("new_email") or "new.address@example.org")}


def _certificate(_registration: Registration, extra: Mapping[str, Any]) -> dict[str, str]:
    certificate = extra.get("certificate")
    return {"verification_code": certificate.verification_code if certificate is not None else "CERT-7KQ3",
            "verify_link": extra.get("verify_url") or "https://events.example.org/verify/CERT-7KQ3"}


KINDS: dict[str, EmailKind] = {
    "registration_confirmed": EmailKind(
        _l("Place confirmed"), _l("when someone registers and gets a place"),
        _l("Your place is confirmed: {event_title}"),
        _body(_l("""Your place at {the_event} is confirmed. We look forward to welcoming you.

A calendar file is attached: open it to add the event to your calendar.""")),
        required=LINK_NEEDED, calendar=True),
    "registration_waitlisted": EmailKind(
        _l("On the waiting list"), _l("when someone registers while every place is taken"),
        _l("You are on the waiting list: {event_title}"),
        _body(_l("""Thank you for registering for {the_event}. All places are taken at the moment, so you are on the waiting list.

We will email you as soon as a place becomes free for you. You do not need to do anything until then.""")),
        required=LINK_NEEDED),
    "registration_promoted": EmailKind(
        _l("Place from the waiting list"), _l("when a place becomes free for someone on the waiting list"),
        _l("Good news, a place is yours: {event_title}"),
        _body(_l("""Good news: a place at {the_event} has become free, and it is yours. Your registration is now confirmed.

If you can no longer come, please cancel through your personal link below so that the place goes to the next person.
A calendar file is attached.""")),
        required=LINK_NEEDED, calendar=True),
    "registration_cancelled": EmailKind(
        _l("Registration cancelled"), _l("when a person cancels, or the organisers cancel their registration"),
        _l("Your registration is cancelled: {event_title}"),
        _body("{cancellation}"),
        own={"cancellation": _l("“cancelled, as you asked” or “the organisers have cancelled your registration”, "
                             "in a sentence")},
        values=_cancellation, calendar=True),
    "registration_link": EmailKind(
        _l("Registration link again"), _l("when someone registers an address that is already registered"),
        _l("Your registration link: {event_title}"),
        _body(_l("""Someone (probably you) tried to register this email address again for {the_event}. You are already registered, so nothing was changed.

Your registration status is: {status}. Use the link below to see or change it.""")),
        required=LINK_NEEDED, own={"status": _l("the registration's status, e.g. Confirmed")}, values=_status),
    "link_requested": EmailKind(
        _l("Registration link asked for"), _l("when someone asks for their link on the “Lost your link?” page"),
        _l("Your registration link: {event_title}"),
        _body(_l("""You (or someone who knows your email address) asked for your personal registration link for {the_event}. Here it is; if you did not ask for it, you can ignore this email.

Your registration status is: {status}. Use the link below to see or change it.""")),
        required=LINK_NEEDED, own={"status": _l("the registration's status, e.g. Confirmed")}, values=_status),
    "link_resent": EmailKind(
        _l("Registration link sent by the organisers"), _l("when an organiser sends someone their link again"),
        _l("Your registration link: {event_title}"),
        _body(_l("""The organisers of {the_event} are sending you your personal registration link again.

Your registration status is: {status}. Use the link below to see or change it.""")),
        required=LINK_NEEDED, own={"status": _l("the registration's status, e.g. Confirmed")}, values=_status),
    "application_received": EmailKind(
        _l("Application received"), _l("when someone applies"),
        _l("We have received your application: {event_title}"),
        _body(_l("""Thank you for applying for {the_event}. We have received your application.

What happens next: places are limited, so the organisers read every application after the application deadline ({deadline}) and select the participants. We will email you with the decision. You do not need to do anything until then.

You can see your application from your personal link below, and withdraw it if you can no longer come.

{travel_request}""")),
        required=LINK_NEEDED,
        own={"deadline": _l("the application deadline, e.g. 12 Oct 2027, 23:59"),
             "travel_request": _l("the travel support the person asked for, in a sentence (empty when none)")},
        values=_application),
    "application_accepted": EmailKind(
        _l("Application accepted"), _l("when the organisers accept an application"),
        _l("Your application is accepted: {event_title}"),
        _body(_l("""Congratulations! Your application for {the_event} is accepted: a place is reserved for you. We look forward to welcoming you.

TRAVEL SUPPORT
{travel_support}

NEXT STEPS
{confirm_step}
- Make sure your passport is valid for at least six months after the event.
{visa_letter_step}
- Plan your travel so that you arrive before the start of the event. We will send the programme and practical details (venue, arrival) before the event.
- If you can no longer come, please withdraw from your personal link as soon as possible, so that we can offer your place to someone else.

A calendar file is attached: open it to add the event to your calendar.""")),
        required=LINK_NEEDED,
        own={"visa_letter_step": _l("a step about the visa letter, for those who asked for one (empty otherwise)"),
             "confirm_step": _l("a step asking them to confirm they are coming, with the deadline (empty when the "
                             "event asks for no confirmation)")},
        values=_accepted, calendar=True),
    "application_lapsed": EmailKind(
        _l("Acceptance lapsed"), _l("when the organisers release the places not confirmed by the deadline"),
        _l("Your place has been released: {event_title}"),
        _body(_l("""We accepted your application for {the_event} and asked you to confirm by {confirm_by} that you are coming. We did not hear from you by then, so we have offered your place to someone on our reserve list, as we said we would.

You no longer have a place at the event, and any travel support offered to you is cancelled. If this is a mistake, please write to {contact_email} as soon as possible: if a place becomes free again, the organisers may offer it to you.""")),
        own={"confirm_by": _l("the deadline they had to confirm by, e.g. 12 Oct 2027, 23:59")},
        values=_lapsed),
    "application_waitlisted": EmailKind(
        _l("Application on the reserve list"), _l("when the organisers put an application on the reserve list"),
        _l("Your application is on our reserve list: {event_title}"),
        _body(_l("""Thank you for your application for {the_event}. We received many more strong applications than we have places, and we cannot offer you a place at the moment.

Your application is on our reserve list. If a place becomes free, the organisers may offer it to you: we will email you if that happens. You do not need to do anything until then. If you make other plans, you can withdraw your application from your personal link."""))),
    "application_declined": EmailKind(
        _l("Application declined"), _l("when the organisers decline an application"),
        _l("About your application: {event_title}"),
        _body(_l("""Thank you for your application for {the_event} and for the time you gave to it. We received many more applications than we have places, and we are sorry that we cannot offer you a place this time.

This is not a judgement of your work. WTA runs several training workshops every year, and we warmly encourage you to apply again: you will find them on our website."""))),
    "application_withdrawn": EmailKind(
        _l("Application withdrawn"), _l("when a person withdraws their application"),
        _l("Your application is withdrawn: {event_title}"),
        _body(_l("""Your application for {the_event} is withdrawn, as you asked.{place_offered} Thank you for letting us know.

If this was a mistake, please write to {contact_email}{apply_again}.""")),
        own={"place_offered": _l("“Your place will be offered to someone else.” when they had been accepted"),
             "apply_again": _l("“, or apply again on the event page before the application deadline” when they had "
                            "not been accepted")},
        values=_withdrawn),
    "travel_support_decided": EmailKind(
        _l("Travel support decided"), _l("when the organisers decide on the travel support of someone with a place"),
        _l("Your travel support: {event_title}"),
        _body(_l("""We have decided on your request for travel support for {the_event}, where your place is confirmed.

TRAVEL SUPPORT
{travel_support}

If you have questions about the support or how it is paid, reply to this email."""))),
    "session_seat_confirmed": EmailKind(
        _l("Seat in a session"), _l("when a seat in a session becomes free for someone on its waiting list"),
        _l("A seat is yours in a session: {event_title}"),
        _body(_l("""Good news: a seat has become free in {session}, and it is yours.

If you can no longer attend this session, please change your sessions through your personal link below so that the seat goes to the next person.""")),
        own={"session": _l("the session, with its time and room")}, values=_session_named("programme_session")),
    "session_removed": EmailKind(
        _l("Session removed"), _l("when the organisers remove a session someone had chosen"),
        _l("A session you chose is cancelled: {event_title}"),
        _body(_l("""We are sorry: the session {session} has been removed from the programme of {the_event}. You had chosen it; your registration for the event stays as it is.

You can choose another session from your personal link below while registration is open.""")),
        own={"session": _l("the session removed, with its time and room")}, values=_session_named("removed_session"),
        calendar=True),
    "sessions_changed": EmailKind(
        _l("Sessions changed"), _l("when a person changes their choice of sessions"),
        _l("Your sessions are changed: {event_title}"),
        _body(_l("""Your choice of sessions for {the_event} is saved. Your sessions are listed below.
The attached calendar file holds the event and the sessions where you have a seat.

If you did not make this change, please write to us.""")),
        calendar=True),
    "visa_letter_ready": EmailKind(
        _l("Visa letter ready"), _l("when the organisers approve a visa invitation letter"),
        _l("Your visa invitation letter is ready: {event_title}"),
        _body(_l("""Your visa invitation letter for {the_event} is ready.

Download it from your registration page (the link is below), print it and take it to the embassy or
consulate with your visa application. The letter has a verification code that the embassy can check
on our website.

Please apply for your visa soon: it can take several weeks.""")),
        required={"personal_link": _l("the letter is downloaded from the person's registration page.")}),
    "certificate_issued": EmailKind(
        _l("Certificate issued"), _l("when the organisers issue certificates of attendance (the PDF is attached)"),
        _l("Your certificate of attendance: {event_title}"),
        _body(_l("""Thank you for taking part in {the_event}. Your certificate of attendance is attached to this
email as a PDF. You can also download it again from your registration page (the link is below).

Its verification code is {verification_code}: anyone can check the certificate with it at
{verify_link}""")),
        own={"verification_code": _l("the certificate's verification code"),
             "verify_link": _l("the page where anyone can check the certificate")},
        values=_certificate),
    "email_changed_new": EmailKind(
        _l("Email address changed (new address)"), _l("when the organisers change someone's email address, to the new one"),
        _l("Your registration now uses this address: {event_title}"),
        _body(_l("""Your registration for {the_event} now uses this email address ({new_email}) instead of {old_email}. From now on our emails about the event come here.

Your personal link is below: use it to see or change your registration.""")),
        required=LINK_NEEDED,
        own={"old_email": _l("the address used before"), "new_email": _l("the address used from now on")},
        values=_address_change),
    # To the old address, without the personal link: it may belong to someone else (a typing mistake).
    "email_changed_old": EmailKind(
        _l("Email address changed (old address)"), _l("when the organisers change someone's email address, to the old one"),
        _l("Your registration moved to another address: {event_title}"),
        _l("""Dear {name},

The organisers of {the_event} have changed the email address of your registration (reference {reference}) from this address to {new_email}. Our emails about the event now go there, with your personal link.

If you did not ask for this, please write to {contact_email}.

With kind regards,
The organisers
World Technopolis Association"""),
        own={"old_email": _l("the address used before (this email goes to it)"), "new_email": _l("the address used from now on")},
        values=_address_change),
    "event_cancelled": EmailKind(
        _l("Event cancelled"), _l("when the organisers cancel the event (with their reason)"),
        _l("The event is cancelled: {event_title}"),
        _body(_l("""We are sorry to tell you that {the_event} is cancelled. The organisers wrote:

{reason}

You do not need to do anything: there is no event to attend, and your registration is kept in case the organisers write to you again. The attached calendar file removes the event from your calendar.""")),
        own={"reason": _l("the reason the organisers gave on the cancel page")}, values=_event_cancelled, calendar=True),
    "event_changed": EmailKind(
        _l("New dates or place"), _l("when the organisers move a published event to other dates, times or another place"),
        _l("New dates or place: {event_title}"),
        _body(_l("""The organisers have changed {what_changed} of {the_event}.

{changes}

Your registration stays as it is. The attached calendar file updates the event in your calendar. If you can no longer come, please {leave} from your personal link below, so that someone else can have the place.""")),
        own={"what_changed": _l("“the dates”, “the place” or both"), "changes": _l("the new and the previous dates or place"),
             "leave": _l("“cancel”, or “withdraw your application”")},
        values=_event_changed, calendar=True),
}
