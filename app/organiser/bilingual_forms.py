"""The Korean fields beside the English ones in the organiser's forms (the event, a programme session, a
question, an email text, the documents' wording, a series).

Mixins, kept apart from the English forms: each Korean field is optional (where it is empty the English
shows, app/models/bilingual.py) and named `<english field>_ko`, which is also the column's name, so a form's
values map onto the model and back by name. The templates put each pair side by side
(templates/_bilingual_macros.html).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.models import Event, ProgrammeSession, Question, Series


def _values(obj: Any, names: tuple[str, ...]) -> dict[str, str]:
    return {name: getattr(obj, name) or "" for name in names}


def _typed(form: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: (form[name].data or "") for name in names}


class KoreanEventFields:
    KOREAN = ("title_ko", "summary_ko", "description_ko", "venue_ko", "city_ko")

    title_ko = StringField(_l("Title (Korean)"), validators=[Optional(), Length(max=200)])
    summary_ko = TextAreaField(_l("Summary (Korean)"), validators=[Optional(), Length(max=500)])
    description_ko = TextAreaField(_l("Description (Korean)"), validators=[Optional()])
    venue_ko = StringField(_l("Venue (Korean)"), validators=[Optional(), Length(max=200)])
    city_ko = StringField(_l("City (Korean)"), validators=[Optional(), Length(max=120)])

    def korean_for_edition_of(self, series: Series) -> None:
        """An edition's own words are its theme (see EventForm.for_edition_of)."""
        self.title_ko.label.text = _l("Theme of this edition (Korean)")

    def korean_details(self) -> dict[str, Any]:
        return _typed(self, self.KOREAN)

    @classmethod
    def korean_values_of(cls, event: Event) -> dict[str, str]:
        return _values(event, cls.KOREAN)


class KoreanSessionFields:
    KOREAN = ("title_ko", "description_ko", "room_ko")

    title_ko = StringField(_l("Title (Korean)"), validators=[Optional(), Length(max=200)])
    description_ko = TextAreaField(_l("Description (Korean)"), validators=[Optional()])
    room_ko = StringField(_l("Room (Korean)"), validators=[Optional(), Length(max=120)])

    def korean_details(self) -> dict[str, Any]:
        return _typed(self, self.KOREAN)

    @classmethod
    def korean_values_of(cls, programme_session: ProgrammeSession) -> dict[str, str]:
        return _values(programme_session, cls.KOREAN)


class KoreanQuestionFields:
    label_ko = StringField(_l("Question (Korean)"), validators=[Optional(), Length(max=300)])
    help_text_ko = TextAreaField(_l("Help text (Korean, optional)"), validators=[Optional(), Length(max=500)])
    options_ko = TextAreaField(
        _l("Choices (Korean)"), validators=[Optional()],
        description=_l("One per line, in the same order as the English choices. Answers are kept under the "
                       "English choice, whichever language the participant reads."))

    def korean_details(self) -> dict[str, Any]:
        return {"label_ko": self.label_ko.data or "", "help_text_ko": self.help_text_ko.data or "",
                "options_ko": (self.options_ko.data or "").splitlines()}

    @staticmethod
    def korean_values_of(question: Question) -> dict[str, str]:
        return {"label_ko": question.label_ko, "help_text_ko": question.help_text_ko,
                "options_ko": "\n".join(question.options_ko or [])}


class KoreanEmailTextFields:
    # Checked by the service (email_texts.check_text): its messages go next to these fields.
    subject_ko = StringField(_l("Subject (Korean)"))
    body_ko = TextAreaField(
        _l("Text (Korean)"),
        description=_l("Optional. Sent to people registered in Korean; without it they get the English. "
                       "Use the same placeholders as the English text."))


class KoreanWordingFields:
    signatory_name_ko = StringField(_l("Signatory (Korean)"), validators=[Optional(), Length(max=200)])
    signatory_title_ko = StringField(_l("Signatory's position (Korean)"), validators=[Optional(), Length(max=200)])
    letter_body_ko = TextAreaField(_l("Visa letter text (Korean)"), validators=[Optional()])
    badge_heading_ko = StringField(_l("Badge heading (Korean)"), validators=[Optional(), Length(max=200)])
    certificate_body_ko = TextAreaField(_l("Certificate text (Korean)"), validators=[Optional()])


class KoreanSeriesFields:
    KOREAN = ("name_ko", "description_ko", "title_pattern_ko")

    name_ko = StringField(_l("Name (Korean)"), validators=[Optional(), Length(max=200)])
    title_pattern_ko = StringField(
        _l("Title of each edition (Korean)"), validators=[Optional(), Length(max=300)],
        description=_l("Optional, with the same placeholders, e.g. “{ordinal} {name} {year}” (“제9회 … 2026”). "
                       "Leave empty to use the English pattern with the Korean name when it has no English words."))
    description_ko = TextAreaField(_l("Description (Korean)"), validators=[Optional()])

    def korean_details(self) -> dict[str, Any]:
        return _typed(self, self.KOREAN)

    @classmethod
    def korean_values_of(cls, series: Series) -> dict[str, str]:
        return _values(series, cls.KOREAN)

