"""The email log's filters, and the editor of an automatic email's text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectField, StringField, TextAreaField

from app.forms import TrimmedForm
from app.models import OutboxStatus
from app.organiser.bilingual_forms import KoreanEmailTextFields
from app.services.mail.email_log import EmailQuery, kind_label
from app.services.numbers import small_int

STATUS_LABELS = {OutboxStatus.PENDING: _l("Waiting to be sent"), OutboxStatus.SENT: _l("Sent"), OutboxStatus.FAILED: _l("Failed")}


class EmailFilterForm(FlaskForm):
    """A GET form: bookmarkable, and the dashboard links to the failed ones."""

    class Meta:
        csrf = False

    status = SelectField(_l("Delivery"), choices=[("", _l("Any")), *((s.value, label) for s, label in STATUS_LABELS.items())])
    kind = SelectField(_l("Kind of email"), choices=[("", _l("Any kind"))])

    def __init__(self, args: MultiDict, kinds: list[str]) -> None:
        super().__init__(formdata=args)
        self.kind.choices = [("", _l("Any kind")), *((kind, kind_label(kind)) for kind in kinds)]
        self.page = small_int(args.get("page"), default=1) or 1

    def email_query(self) -> EmailQuery:
        """Unknown values from an edited URL are ignored rather than refused: this only reads."""
        status = self.status.data
        kind = self.kind.data
        return EmailQuery(
            status=OutboxStatus(status) if status in {s.value for s in OutboxStatus} else None,
            kind=kind if kind and kind in dict(self.kind.choices) else None,
        )

    def args(self, **changes) -> dict:
        query = self.email_query()
        args = {"status": query.status.value if query.status else "", "kind": query.kind or "", "page": self.page}
        args.update(changes)
        return {key: value for key, value in args.items() if value not in ("", None) and (key, value) != ("page", 1)}


class EmailTextForm(KoreanEmailTextFields, TrimmedForm):
    # Checked by the service (email_texts.check_text): its messages go next to these fields.
    subject = StringField(_l("Subject"))
    body = TextAreaField(_l("Text"), description=_l("Plain text: leave a blank line between paragraphs. Web addresses "
                                                    "become links in the HTML version."))
