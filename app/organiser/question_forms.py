"""The organiser's form for one question of an event's registration form."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.forms import CHOOSE, TrimmedForm
from app.i18n import lazy_label
from app.models import Question, QuestionKind
from app.organiser.bilingual_forms import KoreanQuestionFields
from app.services.numbers import small_int
from app.services.questions.questions import QuestionDetails

KIND_CHOICES = [(kind.value, lazy_label(kind)) for kind in QuestionKind]


def _number_or_empty(form, field) -> None:
    if field.data and _to_float(field.data) is None:
        raise ValidationError(_l("Enter a number, e.g. 0 or 1500, or leave this empty."))


def _to_float(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace(" ", ""))
    except ValueError:
        return None


class QuestionForm(KoreanQuestionFields, TrimmedForm):
    kind = SelectField(_l("Type of answer"), choices=[CHOOSE, *KIND_CHOICES], validate_choice=False,  # validate_kind says it
                       validators=[DataRequired(_l("Please choose the type of answer."))])
    label = StringField(_l("Question"), validators=[DataRequired(_l("Please write the question.")), Length(max=300)],
                        description=_l("As participants read it, e.g. “Do you need travel support?”"))
    help_text = TextAreaField(_l("Help text (optional)"), validators=[Optional(), Length(max=500)],
                              description=_l("Shown under the question: what you expect, an example, a length."))
    required = BooleanField(_l("An answer is required"))
    options = TextAreaField(_l("Choices (for single and multiple choice)"), validators=[Optional()],
                            description=_l("One choice per line."))
    min_value = StringField(_l("Smallest number allowed (optional)"), validators=[Optional(), _number_or_empty])
    max_value = StringField(_l("Largest number allowed (optional)"), validators=[Optional(), _number_or_empty])
    condition = SelectField(_l("Show this question"), choices=[("", _l("Always"))], validate_choice=False)

    def __init__(self, *args, condition_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.condition.choices = [("", _("Always"))] + [(value, _("Only if %(condition)s", condition=text))
                                                      for value, text in condition_choices]

    def validate_kind(self, field) -> None:
        if field.data not in {k.value for k in QuestionKind}:
            raise ValidationError(_l("Please choose one of the types listed."))

    def details(self) -> QuestionDetails:
        condition_id, _, condition_value = (self.condition.data or "").partition(":")
        return QuestionDetails(
            kind=QuestionKind(self.kind.data),
            label=self.label.data or "",
            help_text=self.help_text.data or "",
            required=bool(self.required.data),
            options=(self.options.data or "").splitlines(),
            min_value=_to_float(self.min_value.data) if self.min_value.data else None,
            max_value=_to_float(self.max_value.data) if self.max_value.data else None,
            condition_question_id=small_int(condition_id),
            condition_value=condition_value,
            **self.korean_details(),
        )

    @staticmethod
    def values_of(question: Question) -> dict:
        from app.services.questions.answers import format_number

        return {
            "kind": question.kind.value,
            "label": question.label,
            "help_text": question.help_text,
            "required": question.required,
            "options": "\n".join(question.options),
            "min_value": format_number(question.min_value),
            "max_value": format_number(question.max_value),
            "condition": f"{question.condition_question_id}:{question.condition_value}"
            if question.condition_question_id else "",
            **KoreanQuestionFields.korean_values_of(question),
        }
