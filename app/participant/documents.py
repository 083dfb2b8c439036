"""The personal link: the visa invitation letter and the certificate of attendance, as PDFs."""

from __future__ import annotations

from flask import abort, current_app
from flask_babel import gettext as _

from app.extensions import db
from app.file_responses import pdf_download
from app.models import RegistrationStatus, utcnow
from app.participant import bp
from app.participant.routes import _registration_or_404
from app.services.documents import certificates, visa_letters


@bp.get("/<token>/visa-letter.pdf")
def visa_letter(token: str):
    registration = _registration_or_404(token)
    request = visa_letters.request_of(db.session, registration.id)
    if (request is None or not request.is_approved or request.purged_at is not None
            or registration.status is not RegistrationStatus.CONFIRMED):
        abort(404, description=_("There is no visa invitation letter for this registration yet."))
    today = registration.event.local(utcnow()).date()
    return pdf_download(visa_letters.letter_pdf(db.session, request, today=today,
                                                image_folder=current_app.config["UPLOAD_FOLDER"]),
                        f"visa-letter-{registration.reference}.pdf")


@bp.get("/<token>/certificate.pdf")
def certificate(token: str):
    registration = _registration_or_404(token)
    issued = certificates.certificate_of(db.session, registration.id)
    if issued is None:
        abort(404, description=_("There is no certificate of attendance for this registration."))
    return pdf_download(certificates.certificate_pdf(db.session, issued), f"certificate-{registration.reference}.pdf")
