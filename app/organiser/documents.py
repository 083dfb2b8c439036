"""An event's Documents page: visa letters, badges, certificates and previews (their wording: document_wording.py)."""

from __future__ import annotations

from datetime import date

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from app.actions import commit_or_flash
from app.extensions import db
from app.file_responses import csv_download, pdf_download, xlsx_download
from app.models import VisaRequest, utcnow
from app.organiser import bp
from app.organiser.access import managed_event_or_404, managed_registration_or_404
from app.organiser.audit_log import record_access
from app.organiser.document_forms import LAYOUT_CHOICES, badge_layout
from app.organiser.forms import AttendeeFilterForm
from app.services import spreadsheets
from app.services.documents import badges, certificates, document_images, document_samples, visa_letters
from app.services.documents.document_wording import settings_for
from app.services.errors import DomainError
from app.services.numbers import small_int
from app.services.registration import attendees as attendee_service

VISA_REQUESTS_PER_PAGE = 50


def _today(event) -> date:
    return event.local(utcnow()).date()


@bp.get("/events/<int:event_id>/documents")
def documents(event_id: int):
    event = managed_event_or_404(event_id)
    now = utcnow()
    page = visa_letters.requests_page(db.session, event.id, page=small_int(request.args.get("page"), default=1) or 1,
                                      per_page=VISA_REQUESTS_PER_PAGE)
    attendance = certificates.attendance_of(db.session, event) if now >= event.starts_at else []
    shown = [item.registration.reference for item in page.items if item.purged_at is None]  # whose passport data
    if shown:
        record_access("passport data viewed", event_id=event.id, details={"people": shown})
    return render_template(
        "organiser/documents.html",
        event=event,
        page=page,
        pending=visa_letters.pending_count(db.session, event.id),
        settings=settings_for(db.session, event),
        signature_images=[kind.label.lower() for kind in document_images.images_of(db.session, event.id)],
        filters=AttendeeFilterForm(request.args, attendee_service.countries_present(db.session, event.id)),
        layouts=LAYOUT_CHOICES,
        started=now >= event.starts_at,
        ended=now >= event.ends_at,
        qualifying=sum(1 for item in attendance if item.qualifies),
        issued=len(certificates.issued_ids(db.session, event.id)),
        action_form=FlaskForm(),
    )


@bp.get("/events/<int:event_id>/documents/preview/<kind>.pdf")
def document_preview(event_id: int, kind: str):
    """Each document as the participants will get it, filled with a sample person: nothing is saved."""
    event = managed_event_or_404(event_id)
    if kind == "letter":
        content = visa_letters.letter_pdf(db.session, document_samples.sample_visa_request(event), today=_today(event),
                                         image_folder=current_app.config["UPLOAD_FOLDER"])
    elif kind == "badge":
        content = badges.badge_pdf(db.session, event, [document_samples.sample_registration(event)],
                                   badge_layout(request.args.get("layout")))
    elif kind == "certificate":
        content = certificates.certificate_pdf(db.session, document_samples.sample_certificate(event))
    else:
        abort(404)
    db.session.rollback()  # the sample objects were never added; make sure nothing lingers
    return pdf_download(content, f"preview-{kind}.pdf", inline=True)


# --- visa letters -------------------------------------------------------------------------

def _visa_request_or_404(event_id: int, request_id: int) -> tuple:
    event = managed_event_or_404(event_id)
    visa_request = db.session.get(VisaRequest, request_id)
    if visa_request is None or visa_request.registration.event_id != event.id:
        abort(404)
    return event, visa_request


@bp.post("/events/<int:event_id>/documents/visa/<int:request_id>/approve")
def approve_visa_request(event_id: int, request_id: int):
    event, visa_request = _visa_request_or_404(event_id, request_id)
    name = visa_request.registration.full_name
    done = commit_or_flash(lambda: visa_letters.approve(
        db.session, event.id, [visa_request.id], actor=current_user._get_current_object(), now=utcnow()))
    if done:
        approved = done.value
        flash(_("The visa letter for %(name)s is approved; we are emailing them the link to download it.", name=name)
              if approved else _("The visa letter for %(name)s was already approved.", name=name), "success")
    return redirect(url_for("organiser.documents", event_id=event.id) + "#visa")


@bp.route("/events/<int:event_id>/documents/visa/approve-all", methods=["GET", "POST"])
def approve_all_visa_requests(event_id: int):
    event = managed_event_or_404(event_id)
    form = FlaskForm()
    if form.validate_on_submit():
        done = commit_or_flash(lambda: visa_letters.approve(
            db.session, event.id, None, actor=current_user._get_current_object(), now=utcnow()))
        if done:
            approved = done.value
            flash(ngettext("%(num)d visa letter approved; each person is being emailed.",
                           "%(num)d visa letters approved; each person is being emailed.", len(approved)), "success")
        return redirect(url_for("organiser.documents", event_id=event.id) + "#visa")
    return render_template("organiser/documents_confirm.html", event=event, form=form,
                           heading=_("Approve all pending visa letters?"),
                           pending=visa_letters.pending_count(db.session, event.id), action="approve")


@bp.get("/events/<int:event_id>/documents/visa/<int:request_id>/letter.pdf")
def visa_letter(event_id: int, request_id: int):
    event, visa_request = _visa_request_or_404(event_id, request_id)
    if visa_request.purged_at is not None:
        abort(404)
    record_access("visa letter viewed", event_id=event.id, registration_id=visa_request.registration_id,
                  object_id=visa_request.id, object_label=visa_request.registration.reference)
    return pdf_download(visa_letters.letter_pdf(db.session, visa_request, today=_today(event),
                                                image_folder=current_app.config["UPLOAD_FOLDER"]),
                        f"visa-letter-{visa_request.registration.reference}.pdf", inline=True)


@bp.get("/events/<int:event_id>/documents/visa.csv")
def visa_requests_csv(event_id: int):
    event = managed_event_or_404(event_id)
    record_access("passport data exported", event_id=event.id, details={"format": "CSV"})
    table = visa_letters.export_table(db.session, event)
    return csv_download(spreadsheets.csv_chunks(table), f"{event.slug}-visa-requests-{_today(event):%Y-%m-%d}.csv")


@bp.get("/events/<int:event_id>/documents/visa.xlsx")
def visa_requests_xlsx(event_id: int):
    event = managed_event_or_404(event_id)
    record_access("passport data exported", event_id=event.id, details={"format": "Excel"})
    return xlsx_download([visa_letters.export_table(db.session, event)],
                         f"{event.slug}-visa-requests-{_today(event):%Y-%m-%d}.xlsx")


@bp.route("/events/<int:event_id>/documents/passport-data/delete", methods=["GET", "POST"])
def delete_passport_data(event_id: int):
    event = managed_event_or_404(event_id)
    form = FlaskForm()
    if form.validate_on_submit():
        done = commit_or_flash(lambda: visa_letters.purge_passport_data(db.session, event, now=utcnow()))
        if done:
            count = done.value
            flash(ngettext("The passport data of %(num)d request is deleted. Letters already sent can still be verified.",
                           "The passport data of %(num)d requests is deleted. Letters already sent can still be "
                           "verified.", count), "success")
        return redirect(url_for("organiser.documents", event_id=event.id) + "#visa")
    return render_template("organiser/documents_confirm.html", event=event, form=form,
                           heading=_("Delete the passport data of this event?"), action="purge",
                           ended=utcnow() >= event.ends_at,
                           pending=len([r for r in visa_letters.requests_of(db.session, event.id) if r.purged_at is None]))


# --- badges ---------------------------------------------------------------------------------

@bp.get("/events/<int:event_id>/documents/badges.pdf")
def badges_pdf(event_id: int):
    event = managed_event_or_404(event_id)
    filters = AttendeeFilterForm(request.args, attendee_service.countries_present(db.session, event.id))
    try:
        registrations = badges.badge_registrations(db.session, event, filters.attendee_query())
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("organiser.documents", event_id=event.id, **filters.args(page=None)) + "#badges")
    if not registrations:
        flash(_("No registration matches these filters, so there is no badge to print."), "info")
        return redirect(url_for("organiser.documents", event_id=event.id, **filters.args(page=None)) + "#badges")
    layout = badge_layout(request.args.get("layout"))
    return pdf_download(badges.badge_pdf(db.session, event, registrations, layout),
                        f"{event.slug}-badges-{layout.value}.pdf", inline=True)


# --- certificates ---------------------------------------------------------------------------

@bp.route("/events/<int:event_id>/documents/certificates", methods=["GET", "POST"])
def issue_certificates(event_id: int):
    event = managed_event_or_404(event_id)
    form = FlaskForm()
    if form.validate_on_submit():
        done = commit_or_flash(lambda: certificates.issue_all(
            db.session, event.id, actor=current_user._get_current_object(), now=utcnow()))
        if done:
            issued = done.value
            flash(ngettext("%(num)d certificate issued; each is being emailed with the PDF attached.",
                           "%(num)d certificates issued; each is being emailed with the PDF attached.", len(issued)),
                  "success")
        return redirect(url_for("organiser.documents", event_id=event.id) + "#certificates")
    started = utcnow() >= event.starts_at
    attendance = certificates.attendance_of(db.session, event) if started else []
    already = certificates.issued_ids(db.session, event.id)
    return render_template(
        "organiser/documents_certificates.html", event=event, form=form, started=started,
        settings=settings_for(db.session, event),
        to_issue=[item for item in attendance if item.qualifies and item.registration.id not in already],
        not_qualifying=[item for item in attendance if not item.qualifies],
        already=len(already),
    )


@bp.post("/events/<int:event_id>/attendees/<int:registration_id>/certificate")
def issue_certificate(event_id: int, registration_id: int):
    """One person's certificate, from their registration page (e.g. a late check-in was recorded)."""
    event, registration = managed_registration_or_404(event_id, registration_id)
    done = commit_or_flash(lambda: certificates.issue_one(
        db.session, registration.id, actor=current_user._get_current_object(), now=utcnow()))
    if done:
        flash(_("The certificate of %(name)s is issued and is being emailed with the PDF.", name=registration.full_name),
              "success")
    return redirect(url_for("organiser.registration", event_id=event.id, registration_id=registration.id))


@bp.get("/events/<int:event_id>/attendees/<int:registration_id>/certificate.pdf")
def certificate_pdf(event_id: int, registration_id: int):
    _event, registration = managed_registration_or_404(event_id, registration_id)
    certificate = certificates.certificate_of(db.session, registration.id)
    if certificate is None:
        abort(404)
    return pdf_download(certificates.certificate_pdf(db.session, certificate),
                        f"certificate-{registration.reference}.pdf", inline=True)

