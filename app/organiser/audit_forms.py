"""The audit log's filters: who, what kind of thing, between which days."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectField, StringField

from app.forms import DATE_HINT, TypedDateInput
from app.services.audit.display import actor_name, object_name
from app.services.audit.log import LogQuery


class LogFilterForm(FlaskForm):
    """A GET form: bookmarkable; a value an edited URL made up is ignored (this only reads), a badly written
    date is said next to its box."""

    class Meta:
        csrf = False

    actor = SelectField(_l("Who"), choices=[("", _l("Anyone"))])
    object_type = SelectField(_l("What"), choices=[("", _l("Anything"))])
    since = StringField(_l("From"), widget=TypedDateInput(), description=DATE_HINT)
    until = StringField(_l("Until"), widget=TypedDateInput())

    def __init__(self, args: MultiDict, actors: list[str], object_types: list[str]) -> None:
        super().__init__(formdata=args)
        self.actor.choices = [("", _l("Anyone")), *((label, actor_name(label)) for label in actors)]
        self.object_type.choices = [("", _l("Anything")), *((kind, object_name(kind)) for kind in object_types)]
        self.page = args.get("page", 1, type=int) or 1
        self._since = self._day(self.since)
        self._until = self._day(self.until)

    @staticmethod
    def _day(field) -> date | None:
        text = (field.data or "").strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            field.errors = [_("“%(text)s” is not a date.", text=text) + f" {DATE_HINT}"]
            return None

    def log_query(self) -> LogQuery:
        actor, kind = self.actor.data or "", self.object_type.data or ""
        return LogQuery(
            actor=actor if actor in dict(self.actor.choices) else "",
            object_type=kind if kind in dict(self.object_type.choices) else "",
            since=self._since, until=self._until,
        )

    def args(self, **changes) -> dict:
        query = self.log_query()
        args = {"actor": query.actor, "object_type": query.object_type,
                "since": query.since.isoformat() if query.since else "",
                "until": query.until.isoformat() if query.until else "", "page": self.page}
        args.update(changes)
        return {key: value for key, value in args.items() if value not in ("", None) and (key, value) != ("page", 1)}
