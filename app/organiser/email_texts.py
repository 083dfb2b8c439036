"""An event's (or a series') Emails page: the text of every automatic email, its editor with a preview as the
participant will see it, and reset to the default."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.actions import commit_or_flash, commit_or_show, show_problems
from app.extensions import db
from app.models import Event, Registration, RegistrationStatus, Series, utcnow
from app.organiser import bp
from app.organiser.access import managed_event_or_404
from app.organiser.email_forms import EmailTextForm
from app.organiser.series import _admin_only, _series_or_404
from app.security_headers import allow_inline_styles
from app.services.documents.document_samples import sample_registration
from app.services.errors import DomainError
from app.services.mail import email_texts
from app.services.mail.email_kinds import KINDS
from app.services.mail.email_texts import Owner, Rendered, Text
from app.services.mail.notifications import personal_link, session_choices
from app.services.urls import external_url


@dataclass(frozen=True)
class Place:
    """Where the pages are: an event's or a series'."""

    owner: Owner
    endpoint_args: dict

    @property
    def is_series(self) -> bool:
        return isinstance(self.owner, Series)

    @property
    def list_url(self) -> str:
        return url_for("organiser.series_email_texts" if self.is_series else "organiser.event_email_texts",
                       **self.endpoint_args)

    def url(self, page: str, **args) -> str:
        prefix = "organiser.series_email_text" if self.is_series else "organiser.event_email_text"
        return url_for(f"{prefix}{page}", **self.endpoint_args, **args)


def _event_place(event_id: int) -> Place:
    event = managed_event_or_404(event_id)
    return Place(event, {"event_id": event.id})


def _series_place(series_id: int) -> Place:
    _admin_only()  # a series' texts reach every edition: whoever may edit the series
    series = _series_or_404(series_id)
    return Place(series, {"series_id": series.id})


def _kind_or_404(kind: str) -> str:
    if email_texts.kind_or_none(kind) is None:
        abort(404)
    return kind


# --- the list ---------------------------------------------------------------------------------

@bp.get("/events/<int:event_id>/email-texts")
def event_email_texts(event_id: int):
    return _list_page(_event_place(event_id))


@bp.get("/series/<int:series_id>/email-texts")
def series_email_texts(series_id: int):
    return _list_page(_series_place(series_id))


def _list_page(place: Place):
    return render_template("organiser/email_texts.html", place=place, event=None if place.is_series else place.owner,
                           kinds=KINDS, texts=email_texts.texts_of(db.session, place.owner))


# --- the editor -------------------------------------------------------------------------------

@bp.route("/events/<int:event_id>/email-texts/<kind>", methods=["GET", "POST"])
def event_email_text(event_id: int, kind: str):
    return _editor(_event_place(event_id), _kind_or_404(kind))


@bp.route("/series/<int:series_id>/email-texts/<kind>", methods=["GET", "POST"])
def series_email_text(series_id: int, kind: str):
    return _editor(_series_place(series_id), _kind_or_404(kind))


def _editor(place: Place, kind: str):
    current = email_texts.texts_of(db.session, place.owner)[kind]
    form = EmailTextForm(data={"subject": current.subject, "body": current.body, "subject_ko": current.subject_ko,
                               "body_ko": current.body_ko})
    shown = current
    if form.validate_on_submit():
        typed = Text(form.subject.data or "", form.body.data or "", current.source,
                     form.subject_ko.data or "", form.body_ko.data or "")
        if request.form.get("action") == "preview":
            try:
                email_texts.check_text(kind, typed.subject, typed.body, typed.subject_ko, typed.body_ko)
                shown = typed
            except DomainError as error:
                show_problems(form, error)
        else:
            done = commit_or_show(form, lambda: email_texts.save_text(
                db.session, place.owner, kind, typed.subject, typed.body,
                actor=current_user._get_current_object(), now=utcnow(),
                subject_ko=typed.subject_ko, body_ko=typed.body_ko))
            if done:
                flash(_("The “%(kind)s” email is saved: it is sent with this text from now on.", kind=KINDS[kind].label),
                      "success")
                return redirect(place.url("", kind=kind))
    failed = bool(form.errors or form.form_errors)
    preview, who = (None, None) if failed else _preview(place.owner, kind, shown)
    preview_ko = None if failed else _korean_preview(place.owner, kind, shown)
    allow_inline_styles()  # the preview's <iframe srcdoc> shows the email's own inline styles
    return render_template(
        "organiser/email_text.html", place=place, event=None if place.is_series else place.owner, kind=kind,
        email_kind=KINDS[kind], form=form, current=current, placeholders=email_texts.placeholders_of(kind),
        preview=preview, preview_person=who, reset_form=FlaskForm(), preview_ko=preview_ko,
    ), 422 if failed else 200


def _preview(owner: Owner, kind: str, text: Text) -> tuple[Rendered, str]:
    """The email as someone of the event (or the series' newest edition) would get it: the first person
    registered, else a sample person. Nothing is saved or queued."""
    event = owner if isinstance(owner, Event) else _newest_edition(owner)
    registration = None
    if event.id is not None:
        registration = db.session.scalar(
            sa.select(Registration).where(Registration.event_id == event.id,
                                          Registration.status != RegistrationStatus.CANCELLED)
            .order_by(Registration.id).limit(1))
    if registration is not None:
        link, choices, who = personal_link(registration), session_choices(db.session, registration.id), \
            _("%(name)s (%(reference)s), registered for this event", name=registration.full_name,
              reference=registration.reference)
    else:
        registration = sample_registration(event)
        link, choices, who = external_url("participant.show", token="SAMPLE-LINK"), [], \
            _("a sample person: nobody is registered yet")
    values = email_texts.values_for(registration, kind, link=link,
                                    event_link=external_url("public.event", slug=event.slug), choices=choices)
    return email_texts.render(event, text, values), who


def _korean_preview(owner: Owner, kind: str, text: Text) -> Rendered | None:
    """The Korean email, when the text has one, as the same person would get it registered in Korean."""
    if not (text.subject_ko.strip() and text.body_ko.strip()):
        return None
    with force_locale("ko"):
        return _preview(owner, kind, text)[0]


def _newest_edition(series: Series) -> Event:
    event = db.session.scalar(sa.select(Event).where(Event.series_id == series.id)
                              .order_by(Event.starts_at.desc()).limit(1))
    if event is not None:
        return event
    # No edition yet: a made-up one, never added to the session.
    start = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    return Event(title=f"{series.name} {start.year}", slug=series.slug, code=f"{series.code}{start.year % 100:02d}",
                 venue="", city="Daejeon", country="KR", timezone="Asia/Seoul", starts_at=start, ends_at=start,
                 registration_closes_at=start, contact_email="events@example.org")


# --- reset ------------------------------------------------------------------------------------

@bp.route("/events/<int:event_id>/email-texts/<kind>/reset", methods=["GET", "POST"])
def event_email_text_reset(event_id: int, kind: str):
    return _reset(_event_place(event_id), _kind_or_404(kind))


@bp.route("/series/<int:series_id>/email-texts/<kind>/reset", methods=["GET", "POST"])
def series_email_text_reset(series_id: int, kind: str):
    return _reset(_series_place(series_id), _kind_or_404(kind))


def _reset(place: Place, kind: str):
    form = FlaskForm()
    fallback = email_texts.inherited_text(db.session, place.owner, kind)
    if form.validate_on_submit():
        done = commit_or_flash(lambda: email_texts.reset_text(db.session, place.owner, kind))
        if done:
            flash(_("The “%(kind)s” email is back to %(source)s.", kind=KINDS[kind].label,
                    source=_source_name(fallback.source)) if done.value
                  else _("This email already used that text."), "success")
        return redirect(place.url("", kind=kind))
    return render_template("organiser/email_reset.html", place=place, event=None if place.is_series else place.owner,
                           kind=kind, email_kind=KINDS[kind], form=form, fallback=fallback,
                           source_name=_source_name(fallback.source))


def _source_name(source: str) -> str:
    return {"default": _("the default text"), "series": _("the series' text"), "event": _("this event's text")}[source]
