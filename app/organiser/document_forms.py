"""Organiser forms of the Documents page: the event's wording and the badge print options."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from app.forms import TrimmedForm
from app.models import DocumentSettings
from app.organiser.bilingual_forms import KoreanWordingFields
from app.services.documents.badges import BadgeLayout
from app.services.documents.document_images import IMAGE_MAX_BYTES
from app.services.documents.document_wording import Wording, check_placeholders
from app.services.documents.visa_letter_pdf import LETTER_BODY_MAX_CHARS
from app.services.errors import DomainError
from app.services.questions.uploads import readable_size


def _placeholders(form, field) -> None:
    """Refuse unknown {placeholders} next to the field, before anything is saved."""
    try:
        check_placeholders(field.data or "")
    except DomainError as error:
        raise ValidationError(error.message) from None


class WordingForm(KoreanWordingFields, TrimmedForm):
    signatory_name = StringField(_l("Signatory"), validators=[
        DataRequired(_l("Please give the name of the person who signs.")), Length(max=200)])
    signatory_title = StringField(_l("Signatory's position"), validators=[
        DataRequired(_l("Please give the signatory's position.")), Length(max=200)])
    letter_body = TextAreaField(
        _l("Visa letter text"),
        validators=[DataRequired(_l("Please write the letter's text.")), _placeholders, Length(
            max=LETTER_BODY_MAX_CHARS, message=_l("The letter text can be at most %(max)s characters, so that the letter fits on one page.",
                                               max=f"{LETTER_BODY_MAX_CHARS:,}"))],
        description=_l("Leave a blank line between paragraphs. The passport details, date, reference, "
                       "signature and verification link are added around this text. The letter always "
                       "fits on one page: text too long for that, for a participant with a long name and "
                       "organisation, is refused when you save."),
    )
    badge_heading = StringField(
        _l("Badge heading"), validators=[DataRequired(_l("Please give the badge a heading.")), Length(max=200), _placeholders],
        description=_l("The line at the top of every badge, e.g. {event_title}."),
    )
    certificate_body = TextAreaField(
        _l("Certificate text"), validators=[DataRequired(_l("Please write the certificate's text.")), _placeholders],
        description=_l("Follows “This is to certify that” and the person's name."),
    )
    certificate_threshold = IntegerField(
        _l("Attendance needed for a certificate (% of the days)"),
        validators=[InputRequired(_l("Please give a percentage.")),
                    NumberRange(min=1, max=100, message=_l("Give a percentage between 1 and 100."))],
        invalid_value_message=_l("Give a whole number, e.g. 80."),
    )

    def wording(self) -> Wording:
        return Wording(**{name: self[name].data for name in Wording.__dataclass_fields__})

    @staticmethod
    def values_of(settings: DocumentSettings) -> dict:
        return {name: getattr(settings, name) for name in Wording.__dataclass_fields__}


_IMAGE_HINT = _l("PNG (best, with a transparent background) or JPEG, at most %(size)s. "
                 "Printed on every visa letter above the signatory's name.", size=readable_size(IMAGE_MAX_BYTES))


class SignatureImagesForm(FlaskForm):
    """The scanned signature and stamp; a field left empty keeps the image there is."""

    signature = FileField(_l("Signature image"), description=_IMAGE_HINT)
    remove_signature = BooleanField(_l("Remove the signature image"))
    stamp = FileField(_l("Stamp image"), description=_IMAGE_HINT)
    remove_stamp = BooleanField(_l("Remove the stamp image"))


LAYOUT_CHOICES = [(layout.value, layout.label) for layout in BadgeLayout]


def badge_layout(value: str | None) -> BadgeLayout:
    return BadgeLayout(value) if value in {layout.value for layout in BadgeLayout} else BadgeLayout.A6
