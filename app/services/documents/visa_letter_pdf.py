"""The visa letter as a PDF, always on one page.

A consulate wants one signed sheet; a second page holding only the verification line looks forged.
So the letter is laid out in the roomiest of a few layouts that fits one page, and wording is
refused when even the tightest layout cannot hold it for the longest details the forms accept.
The signature area has the same height with or without signature and stamp images, so adding
them never changes what fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _

from app.database import Session
from app.models import DocumentSettings, Event, VisaRequest
from app.models.names import in_latin_letters
from app.services.countries import country_name
from app.services.documents import document_images, document_samples
from app.services.documents.document_wording import Wording, event_place, fill, paragraphs, settings_for, values_for
from app.services.documents.pdf import layout_pdf

# The longest letter text the wording form takes: what fits one page in the tightest layout with
# one of the longest event titles. The page check below is the real limit; this one answers first.
LETTER_BODY_MAX_CHARS = 2500


@dataclass(frozen=True)
class LetterLayout:
    font_pt: float
    line_height: float
    margin_mm: float
    space: float  # scales the gaps between letterhead, reference, passport table and signature


LAYOUTS = (
    LetterLayout(10.5, 1.45, 22, 1.0),
    LetterLayout(10, 1.4, 19, 0.8),
    LetterLayout(9.5, 1.35, 16, 0.6),
    LetterLayout(9, 1.3, 14, 0.45),
)


def letter_pdf(session: Session, request: VisaRequest, *, today: date, image_folder: str) -> bytes:
    """The letter in its holder's language (their registration's), whoever asks for it."""
    with force_locale(request.registration.language):
        return _letter_pdf(session, request, today=today, image_folder=image_folder)


def _letter_pdf(session: Session, request: VisaRequest, *, today: date, image_folder: str) -> bytes:
    event = request.registration.event  # not .event_id: a preview's sample person is never flushed
    settings = settings_for(session, event)
    images = document_images.data_uris(session, image_folder, event.id)
    document, _fits = _lay_out(request, settings, today=today, images=images)
    return document.write_pdf()


def overflow_problem(event: Event, wording: Wording, *, today: date) -> str | None:
    """Why this wording cannot be accepted for the letter, or None when the letter stays on one page
    for the longest details any participant can give."""
    if len(wording.letter_body) > LETTER_BODY_MAX_CHARS:
        most, length = f"{LETTER_BODY_MAX_CHARS:,}", f"{len(wording.letter_body):,}"
        return _("The letter text can be at most %(max)s characters, so that the letter fits on one page; "
                 "it has %(length)s.", max=most, length=length)
    _document, fits = _lay_out(document_samples.longest_visa_request(event), wording, today=today,
                               layouts=LAYOUTS[-1:], images={})
    if not fits:
        return _("With this text the visa letter would run onto a second page for a participant with a long "
                 "name and organisation. Please shorten it, or join short paragraphs: each paragraph and "
                 "each placeholder takes room.")
    return None


def letter_name(request: VisaRequest) -> str:
    """The name the letter invites: a consulate matches it against the passport, so the passport's Latin form
    (the registration's passport names; else, for a name in another script, the request's full passport name),
    and the name as typed only when it is already in Latin letters and no passport form was given."""
    registration = request.registration
    if registration.passport_name:
        return registration.passport_name
    if not in_latin_letters(registration.full_name) and request.passport_name:
        return request.passport_name
    return registration.full_name


def _lay_out(request: VisaRequest, settings: DocumentSettings | Wording, *, today: date, images: dict[str, str],
             layouts: tuple[LetterLayout, ...] = LAYOUTS):
    """(document, fits): the letter in the first layout that keeps it on one page, else in the last."""
    from app.services.urls import external_url

    registration = request.registration
    event = registration.event
    context = dict(
        request=request,
        registration=registration,
        event=event,
        settings=settings,
        body=[fill(p, values_for(registration, full_name=letter_name(request)))
              for p in paragraphs(settings.text("letter_body"))],
        nationality=country_name(request.nationality),
        place=event_place(event),
        today=today,
        verify_url=external_url("public.verify", code=request.verification_code) if request.verification_code else "",
        preview=request.verification_code is None,
        images=images,
    )
    for layout in layouts:
        document = layout_pdf("visa_letter.html", layout=layout, **context)
        if len(document.pages) == 1:
            return document, True
    return document, False
