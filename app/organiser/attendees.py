"""An event's page for its organisers: the attendee list, its exports (CSV, XLSX), and actions on registrations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup

from app.actions import commit_or_flash
from app.extensions import db
from app.file_responses import csv_download, xlsx_download
from app.models import Event, OrganisationType, ParticipantRole, Registration, RegistrationStatus, utcnow
from app.models.names import titled
from app.organiser import bp
from app.organiser.access import event_or_404, managed_registration_or_404, may, registration_or_404
from app.organiser.email_forms import STATUS_LABELS
from app.organiser.forms import AttendeeFilterForm
from app.redirects import safe_next_url
from app.services import spreadsheets
from app.services.attendance import attendance, attendance_reports
from app.services.countries import country_names
from app.services.documents import certificates, visa_letters
from app.services.mail import email_log
from app.services.people.permissions import Capability
from app.services.programme import programme
from app.services.questions.answer_columns import answer_columns
from app.services.questions.answers import answers_of
from app.services.registration import attendees as attendee_service
from app.services.registration import corrections
from app.services.registration import registration as registration_service
from app.services.registration.attendees import ListedRegistration
from app.services.registration.availability import availability, event_figures
from app.services.spreadsheets import Table
from app.web import ROW_ID, RowMarkup, labels, local_dates, mark


@bp.get("/events/<int:event_id>/attendees")
def attendees(event_id: int):
    event = event_or_404(event_id, Capability.VIEW_LISTS)
    # The country filter's choices, the status counts and (unless the list is searched) the number of rows
    # listed all come from one grouped query, sent with the open correction requests and the questions.
    facets, notes = attendee_service.facets_and_notes(db.session, event.id)
    filters = AttendeeFilterForm(request.args, facets.countries)
    page = attendee_service.attendee_page(
        db.session, event.id, filters.attendee_query(),
        page=filters.page, per_page=current_app.config["ATTENDEES_PER_PAGE"], facets=facets,
    )
    counts = facets.status_counts
    now = utcnow()
    return render_template(
        "organiser/attendees.html",
        event=event,
        filters=filters,
        page=page,
        counts=counts,
        figures=event_figures(db.session, [event])[event.id] if event.takes_applications else None,
        state=availability(event, counts[RegistrationStatus.CONFIRMED], now),
        live=attendance_reports.live_counts_on_event_day(db.session, event, now),
        answer_cols=answer_columns(db.session, notes.questions, filters.columns, [r.id for r in page.items]),
        action_form=FlaskForm() if event.is_draft else None,  # for the Publish button only (60 us to make)
        open_corrections=notes.open_requests,
        rows=_Rows(event),
    )


class _Rows:
    """What each row of the list shows, as the template's attendee_row macro reads it: `values` for a row,
    `marked` for the markup made once for each status (RowMarkup, app/web.py), with markers where a row's values
    go. The words and lookups are the page's, made once for it."""

    SHOWN = ("name", "reference", "display_name", "email", "organisation", "country", "type", "registered")

    def __init__(self, event: Event) -> None:
        self._countries = country_names()
        self._types = labels(OrganisationType)
        self._registered_on = local_dates(event.timezone, "%d %b %Y")
        # The rule is the registration's (a model never added to the session), asked once per status.
        self._cancellable = {status: Registration(status=status).can_be_cancelled for status in RegistrationStatus}

    def values(self, row: ListedRegistration) -> dict[str, Any]:
        # The macro reads these keys as attributes (r.email): none may be the name of a dict method. The name is
        # made once (display_name would make it again).
        name = row.full_name
        return {
            "id": row.id, "status": row.status, "can_be_cancelled": self._cancellable[row.status],
            "name": name, "reference": row.reference, "display_name": titled(row.title, name),
            "email": row.email,
            "organisation": row.organisation, "country": self._countries.get(row.country, row.country or ""),
            "type": self._types[row.organisation_type], "registered": self._registered_on(row.created_at),
        }

    @staticmethod
    def statuses(rows: list[ListedRegistration]) -> list[RegistrationStatus]:
        """The statuses the page's rows are in, in the statuses' order: what is made once per status is made for
        these only."""
        present = {row.status for row in rows}
        return [status for status in RegistrationStatus if status in present]

    def written(self, rows: list[ListedRegistration], markups: dict[RegistrationStatus, RowMarkup],
                macro: Callable[[dict[str, Any]], Markup]) -> Markup:
        """The page's rows one after the other: each from its status's markup if made, else by the template's
        macro (the page has answer columns)."""
        written = []
        for row in rows:
            values = self.values(row)
            written.append(markups[row.status](values) if markups else macro(values))
        return Markup("".join(written))

    def marked(self, status: RegistrationStatus) -> dict[str, Any]:
        return {"id": ROW_ID, "status": status, "can_be_cancelled": self._cancellable[status],
                **{field: mark(field) for field in self.SHOWN}}


@bp.get("/events/<int:event_id>/attendees.csv")
def attendees_csv(event_id: int):
    event, table = _attendee_export(event_id)
    return csv_download(spreadsheets.csv_chunks(table), f"{_export_name(event)}.csv")


@bp.get("/events/<int:event_id>/attendees.xlsx")
def attendees_xlsx(event_id: int):
    event, table = _attendee_export(event_id)
    return xlsx_download([table], f"{_export_name(event)}.xlsx")


def _attendee_export(event_id: int) -> tuple[Event, Table]:
    """The list as the page shows it: the download links carry the page's filters and sort."""
    event = event_or_404(event_id, Capability.EXPORT)
    filters = AttendeeFilterForm(request.args, attendee_service.countries_present(db.session, event.id))
    return event, attendee_service.export_table(db.session, event, filters.attendee_query())


def _export_name(event: Event) -> str:
    return f"{event.slug}-attendees-{event.local(utcnow()):%Y-%m-%d}"


@bp.get("/events/<int:event_id>/attendees/<int:registration_id>")
def registration(event_id: int, registration_id: int):
    event, registration = registration_or_404(event_id, registration_id, Capability.VIEW_LISTS)
    # The emails carry the person's personal link, and the visa request their passport: managers only.
    emails = email_log.emails_of_registration(db.session, registration.id) if may(Capability.MANAGE) else []
    return render_template(
        "organiser/registration.html",
        event=event,
        registration=registration,
        emails=emails,
        status_labels=STATUS_LABELS,
        kind_label=email_log.kind_label,
        position=registration_service.waiting_list_position(db.session, registration),
        action_form=FlaskForm(),
        roles=list(ParticipantRole),
        choices=programme.choices_of(db.session, registration.id),
        shown_answers=answers_of(db.session, registration.id),
        days=attendance.event_days(event),
        attended=attendance.days_attended(db.session, registration.id),
        certificate=certificates.certificate_of(db.session, registration.id),
        visa_request=visa_letters.request_of(db.session, registration.id) if may(Capability.SEE_PASSPORTS) else None,
        correction_requests=corrections.requests_of(db.session, registration.id),
    )


@bp.post("/events/<int:event_id>/attendees/<int:registration_id>/role")
def set_role(event_id: int, registration_id: int):
    event, registration = managed_registration_or_404(event_id, registration_id)
    value = request.form.get("role", "")
    if value not in {role.value for role in ParticipantRole}:
        flash(_("Please choose a role from the list."), "error")
    else:
        done = commit_or_flash(lambda: registration_service.set_role(db.session, registration.id, ParticipantRole(value)))
        if done:
            flash(_("%(name)s is now “%(role)s”: their badge says so.", name=registration.full_name,
                    role=ParticipantRole(value).label), "success")
    return redirect(url_for("organiser.registration", event_id=event.id, registration_id=registration.id))


@bp.post("/events/<int:event_id>/attendees/<int:registration_id>/confirm")
def confirm_registration(event_id: int, registration_id: int):
    event, registration = managed_registration_or_404(event_id, registration_id)
    done = commit_or_flash(lambda: registration_service.confirm(
        db.session, registration.id, actor=current_user._get_current_object(), now=utcnow()
    ))
    if done:
        confirmed = done.value
        flash(_("%(name)s is confirmed. We are emailing them.", name=confirmed.full_name), "success")
    return redirect(_back_to_list(event.id))


@bp.post("/events/<int:event_id>/attendees/<int:registration_id>/cancel")
def cancel_registration(event_id: int, registration_id: int):
    event, registration = managed_registration_or_404(event_id, registration_id)
    name = registration.full_name
    done = commit_or_flash(lambda: registration_service.cancel(
        db.session, registration.id, actor=current_user._get_current_object(), now=utcnow()
    ))
    if done:
        promoted = done.value
        message = _("The registration of %(name)s is cancelled and they are being emailed.", name=name)
        if promoted:
            message += " " + _("Moved up from the waiting list (and emailed): %(names)s.",
                               names=", ".join(r.full_name for r in promoted))
        flash(message, "success")
    return redirect(_back_to_list(event.id))


def _back_to_list(event_id: int) -> str:
    """Where the action was clicked: the list with its filters and page, or the registration page."""
    prefix = url_for("organiser.attendees", event_id=event_id)
    return safe_next_url(request.form.get("next"), fallback=prefix, under=prefix)
