"""The editor of one automatic email's subject and body."""

from __future__ import annotations

from wtforms import StringField, TextAreaField

from app.forms import TrimmedForm


class EmailTextForm(TrimmedForm):
    # Checked by the service (email_texts.check_text): its messages go next to these fields.
    subject = StringField("Subject")
    body = TextAreaField("Text", description="Plain text: leave a blank line between paragraphs. Web addresses "
                                             "become links in the HTML version.")
