"""Organiser forms for applications: the list's filters, a reviewer's score, travel support, decisions."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import CHOOSE, CURRENCY_CHOICES, TrimmedForm
from app.models import ApplicationStatus, TravelDecision, utcnow
from app.organiser.forms import PeopleFilterForm
from app.services.applications.application_list import SORT_KEYS, ApplicationQuery, SortKey
from app.services.applications.applications import Decision
from app.services.applications.confirmations import Confirmation
from app.services.applications.reviews import NOTES_MAX, SCORES
from app.services.numbers import small_int

STATUS_CHOICES = [("", _l("Any status"))] + [(s.value, s.label) for s in ApplicationStatus]
_STATUSES = {s.value for s in ApplicationStatus}
CONFIRMATION_CHOICES = [("", _l("Any"))] + [(c.value, c.label) for c in Confirmation]
_CONFIRMATIONS = {c.value for c in Confirmation}
SCORE_LABELS = {1: _l("1 – weak"), 2: "2", 3: _l("3 – good"), 4: "4", 5: _l("5 – excellent")}


class ApplicationFilterForm(PeopleFilterForm):
    sort_keys = SORT_KEYS
    default_sort = "score"
    status = SelectField(_l("Status"), choices=STATUS_CHOICES)
    travel = BooleanField(_l("Asked for travel support"))
    confirmation = SelectField(_l("Coming?"), choices=CONFIRMATION_CHOICES)
    duplicates = BooleanField(_l("Likely duplicates"))
    mine = BooleanField(_l("Not yet scored by me"))

    def __init__(self, args: MultiDict, countries: list[tuple[str, str]], *, reviewer_id: int | None = None) -> None:
        super().__init__(args, countries)
        self.reviewer_id = reviewer_id  # who "me" is in "not yet scored by me"

    @staticmethod
    def default_direction(sort: str) -> str:
        # Scores read best first; names, dates and countries from the top of the alphabet / calendar.
        return "desc" if sort == "score" else "asc"

    def application_query(self, now: datetime | None = None) -> ApplicationQuery:
        """Unknown values from an edited URL are ignored rather than refused: this only reads."""
        status = self.status.data
        confirmation = self.confirmation.data
        return ApplicationQuery(
            search=(self.q.data or "").strip()[:200],
            status=ApplicationStatus(status) if status in _STATUSES else None,
            country=self.chosen_country(),
            organisation_type=self.chosen_organisation_type(),
            travel_requested=bool(self.travel.data),
            confirmation=Confirmation(confirmation) if confirmation in _CONFIRMATIONS else None,
            likely_duplicates=bool(self.duplicates.data),
            now=now or utcnow(),
            not_scored_by=self.reviewer_id if self.mine.data else None,
            sort=cast(SortKey, self.sort),  # one of sort_keys: PeopleFilterForm checked it
            descending=self.descending,
        )

    def args(self, **changes) -> dict:
        """The list's URL arguments with some changed: page and sort links keep the filters."""
        query = self.application_query()
        args = {
            "q": query.search, "status": query.status.value if query.status else "", "country": query.country or "",
            "organisation_type": query.organisation_type.value if query.organisation_type else "",
            "travel": "y" if query.travel_requested else "",
            "confirmation": query.confirmation.value if query.confirmation else "",
            "duplicates": "y" if query.likely_duplicates else "",
            "mine": "y" if query.not_scored_by is not None else "",
            "sort": query.sort, "dir": "desc" if query.descending else "asc", "page": self.page,
        }
        args.update(changes)
        defaults = {("page", 1), ("sort", "score")}
        if args.get("sort") == "score":
            defaults.add(("dir", "desc"))
        return {key: value for key, value in args.items() if value not in ("", None) and (key, value) not in defaults}

    def described(self) -> str:
        """The filters in words, for a decision on everything they match: "country Kenya, status Submitted"."""
        query = self.application_query()
        parts = [f"“{query.search}”" if query.search else "",
                 _("status %(status)s", status=query.status.label) if query.status else "",
                 _("country %(country)s", country=dict(self.country.choices)[query.country]) if query.country else "",
                 _("organisation type %(type)s", type=query.organisation_type.label) if query.organisation_type else "",
                 _("asked for travel support") if query.travel_requested else "",
                 _("not yet scored by me") if query.not_scored_by is not None else ""]
        return ", ".join(part for part in parts if part) or _("all applications")


class ReviewForm(TrimmedForm):
    score = RadioField(_l("Your score"), choices=[(str(s), SCORE_LABELS[s]) for s in SCORES],
                       validators=[Optional()], validate_choice=False)
    notes = TextAreaField(_l("Your notes"), validators=[Optional(), Length(max=NOTES_MAX)],
                          description=_l("Only the organisers of this event see them."))

    def score_value(self) -> int | None:
        return small_int(self.score.data)


class TravelDecisionForm(TrimmedForm):
    decision = SelectField(_l("Decision on travel support"), choices=[CHOOSE, *((d.value, d.label) for d in TravelDecision)],
                           validators=[DataRequired(_l("Choose a decision."))])
    granted_amount = StringField(_l("Amount granted"), validators=[Optional(), Length(max=20)],
                                 description=_l("For “Granted” and “Partly granted”, e.g. 1200."))
    granted_currency = SelectField(_l("Currency"), choices=CURRENCY_CHOICES, default="USD", validate_choice=False)
    note = TextAreaField(_l("Note to the applicant (optional)"), validators=[Optional(), Length(max=1000)],
                         description=_l("Sent with the acceptance email, e.g. what the grant covers and how it is paid."))


class DecisionForm(FlaskForm):
    """Step one and two of a decision on a selection; the ids come as repeated `registration` values."""

    decision = SelectField(_l("Decision"), choices=[CHOOSE, *((d.value, d.value) for d in Decision)],
                           validators=[DataRequired(_l("Choose what to do with the selection."))])
    confirmed = BooleanField()
    # "ticked": the ticked rows (repeated `registration` values); "all": everything the list's filters match,
    # every page (the filters come as the list's query string in `filters`).
    scope = SelectField(choices=[("ticked", "ticked"), ("all", "all")], default="ticked", validate_choice=False)
    filters = StringField()


class TravelBulkForm(FlaskForm):
    """One travel-support decision for the selection: the same fields as for one applicant, prefixed."""

    travel_decision = SelectField(_l("Travel support"), choices=[CHOOSE, *((d.value, d.label) for d in TravelDecision
                                                                       if d is not TravelDecision.PENDING)],
                                  validators=[DataRequired(_l("Choose a travel-support decision."))])
    travel_amount = StringField(_l("Amount for each"), validators=[Optional(), Length(max=20)])
    travel_currency = SelectField(_l("Currency"), choices=CURRENCY_CHOICES, default="USD", validate_choice=False)
    travel_note = TextAreaField(_l("Note to each applicant (optional)"), validators=[Optional(), Length(max=1000)])
    confirmed = BooleanField()
    scope = SelectField(choices=[("ticked", "ticked"), ("all", "all")], default="ticked", validate_choice=False)
    filters = StringField()


class TravelBudgetForm(TrimmedForm):
    amount = StringField(_l("Travel budget"), validators=[Optional(), Length(max=20)],
                         description=_l("Leave empty for no budget. You are warned when grants go past it, never stopped."))
    currency = SelectField(_l("Currency"), choices=CURRENCY_CHOICES, default="USD", validate_choice=False)
