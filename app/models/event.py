from __future__ import annotations

import enum
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, string_enum, utcnow
from app.models.bilingual import content_language, localized
from app.models.user import User

if TYPE_CHECKING:
    from app.models.programme import ProgrammeSession
    from app.models.series import Series
    from app.models.team import TeamMember


class EventKind(enum.StrEnum):
    INTERNATIONAL_WORKSHOP = "international_workshop"
    REGIONAL_WORKSHOP = "regional_workshop"
    NATIONAL_WORKSHOP = "national_workshop"
    FORUM = "forum"

    @property
    def label(self) -> str:
        return str({
            "international_workshop": _l("International training workshop"),
            "regional_workshop": _l("Regional training workshop"),
            "national_workshop": _l("National training workshop"),
            "forum": _l("Innovation forum"),
        }[self.value])

    @property
    def is_workshop(self) -> bool:
        return self is not EventKind.FORUM


class RegistrationMode(enum.StrEnum):
    OPEN = "open"  # first come, first served
    APPLICATION = "application"  # people apply, organisers select (docs/features/applications.md)

    @property
    def label(self) -> str:
        return str({"open": _l("Open registration (first come, first served)"),
                    "application": _l("Applications (organisers select participants)")}[self.value])


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return str({"draft": _l("Draft"), "published": _l("Published"), "cancelled": _l("Cancelled"),
                    "archived": _l("Archived")}[self.value])


class OrganiserAlerts(enum.StrEnum):
    """Which emails the event's managers get about new registrations. A participant giving up a place
    (cancelling, withdrawing an accepted application) is always reported, whatever is chosen."""

    EACH = "each"
    DAILY = "daily"
    NONE = "none"

    @property
    def label(self) -> str:
        return str({"each": _l("An email for each new registration or application"),
                    "daily": _l("One email a day listing the new ones (a digest)"),
                    "none": _l("None")}[self.value])


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(string_enum(EventKind, 40))
    # For an edition of a series the title shown is derived from the series' title pattern
    # ("6th Daejeon Global Innovation Forum 2024", "24th International Training Workshop on
    # {theme}") and this column holds only the edition's theme, which may be empty.
    own_title: Mapped[str] = mapped_column("title", sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    # Prefix of the participants' reference codes, e.g. DGIF26 -> DGIF26-7KQ3.
    code: Mapped[str] = mapped_column(sa.String(12))
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    # The same in Korean, optional: where one is empty the English shows (app/models/bilingual.py). For an
    # edition of a series, title_ko is its theme in Korean, like own_title.
    title_ko: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    summary_ko: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    description_ko: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    venue_ko: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    city_ko: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    country: Mapped[str] = mapped_column(sa.String(2))  # ISO 3166-1 alpha-2
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Seoul")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registration_opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int | None] = mapped_column(default=None)  # None: unlimited
    waiting_list_enabled: Mapped[bool] = mapped_column(default=True)
    # The optional gender question on the form, for the reports to UNESCO and funders (Registration.gender).
    asks_gender: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    registration_mode: Mapped[RegistrationMode] = mapped_column(
        string_enum(RegistrationMode, 20), default=RegistrationMode.OPEN, server_default=RegistrationMode.OPEN.value
    )
    status: Mapped[EventStatus] = mapped_column(
        string_enum(EventStatus, 20),
        default=EventStatus.DRAFT,
    )
    contact_email: Mapped[str] = mapped_column(sa.String(254))
    # Why the organisers cancelled it, shown on the public page of the cancelled event.
    cancellation_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # What the managers hear about new registrations (app/services/mail/organiser_alerts.py), and when
    # the last daily digest went out: a digest lists the registrations since then.
    organiser_alerts: Mapped[OrganiserAlerts] = mapped_column(
        string_enum(OrganiserAlerts, 10), default=OrganiserAlerts.DAILY, server_default=OrganiserAlerts.DAILY.value
    )
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Accepted applicants confirm they are coming within this many days of their acceptance email
    # (app/services/applications/confirmations.py); None: nothing to confirm.
    confirm_within_days: Mapped[int | None] = mapped_column(default=None)
    # Until when participants correct their own details from their personal link (None: until registration
    # closes), and whether their names are final for everyone (badges printed): see docs/features/correcting-data.md.
    details_editable_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    names_locked: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # An optional travel-support budget (services/applications/travel_budget.py): organisers are warned
    # when grants go past it, never stopped. No amount: no budget.
    travel_budget_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2), default=None)
    travel_budget_currency: Mapped[str] = mapped_column(sa.String(3), default="USD", server_default="USD")
    # Months after the event's end until `flask privacy purge` anonymises its registrations;
    # None: the configured default (RETENTION_MONTHS).
    retention_months: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Series editions (docs/features/series-and-sessions.md). series_year is the year of the series rule this edition stands
    # for: the year it is held, unless off_rule_reason explains a deliberate exception.
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id", ondelete="RESTRICT"), default=None)
    series_year: Mapped[int | None] = mapped_column(default=None)
    off_rule_reason: Mapped[str] = mapped_column(sa.String(300), default="")

    # Its own team; a series' team works on every edition too (see managers below and
    # app/services/people/permissions.py).
    team: Mapped[list[TeamMember]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True, order_by="TeamMember.id"
    )
    series: Mapped[Series | None] = relationship(lazy="joined")
    programme: Mapped[list[ProgrammeSession]] = relationship(
        back_populates="event", order_by="ProgrammeSession.starts_at, ProgrammeSession.id",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    __table_args__ = (
        sa.Index("ix_events_status_starts_at", "status", "starts_at"),
        sa.CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("travel_budget_amount IS NULL OR travel_budget_amount >= 0",
                           name="travel_budget_not_negative"),
        sa.UniqueConstraint("series_id", "series_year", name="uq_events_series_year"),
    )

    @property
    def managers(self) -> tuple[User, ...]:
        """The people with the manager role on this event or on its series (they get the organiser alerts).
        Read-only: add people with app/services/people/teams.py."""
        from app.models.team import TeamRole

        members = [*self.team, *(self.series.team if self.series is not None else [])]
        users = {m.user.id: m.user for m in members if m.role is TeamRole.MANAGER}
        return tuple(users.values())

    @hybrid_property
    def title(self) -> str:
        """The title in the language of the page or email being made (Korean when given, else English)."""
        return self.title_in(content_language())

    def title_in(self, language: str) -> str:
        if self.series is not None and self.series_year is not None:
            from app.services.events.series import edition_title  # the rule lives in the service

            return edition_title(self.series, self.series_year, self.starts_at.year, self.own_title,
                                 language=language, theme_ko=self.title_ko)
        if language == "ko" and self.title_ko.strip():
            return self.title_ko
        return self.own_title

    @property
    def english_title(self) -> str:
        """What the organisers' own records say, whatever the language of the page."""
        return self.title_in("en")

    @title.inplace.setter
    def _title_setter(self, value: str) -> None:
        self.own_title = value

    @title.inplace.expression
    @classmethod
    def _title_expression(cls) -> sa.SQLColumnExpression[str]:
        return cls.own_title  # in SQL, the stored words (an edition's theme)

    @property
    def theme(self) -> str:
        """An edition's own words (its theme); empty for a standalone event."""
        return self.own_title if self.series is not None else ""

    @property
    def subtitle(self) -> str:
        """The theme shown under the title, unless the series' title already says it."""
        if self.series is None or self.series.asks_theme:
            return ""
        return self.title_ko if content_language() == "ko" and self.title_ko.strip() else self.own_title

    @property
    def title_in_sentence(self) -> str:
        """The title inside a sentence: "Your place at the 9th Daejeon Global Innovation Forum 2026"."""
        from app.services.formatting import title_in_sentence

        if content_language() != "en":
            return self.title  # English articles belong to English sentences only
        return title_in_sentence(self.title)

    @property
    def edition_ordinal(self) -> str:
        """ "9th" for the 9th edition of its series; empty for a standalone event."""
        if self.series is None or self.series_year is None:
            return ""
        from app.services.events.series import edition_number, ordinal

        number = edition_number(self.series, self.series_year)
        return ordinal(number) if number else ""

    def fill_in(self, text: str, language: str = "en") -> str:
        """An organiser's text with {edition} and {year} filled in, so a copied edition's words stay true."""
        from app.services.formatting import fill_placeholders

        edition = self.edition_ordinal
        if language != "en" and self.series is not None and self.series_year is not None:
            from app.services.events.series import edition_number, ordinal

            number = edition_number(self.series, self.series_year)
            edition = ordinal(number, language) if number else ""
        # The year as the title shows it.
        return fill_placeholders(text, {"edition": edition, "year": str(self.starts_at.year)})

    @property
    def stale_ordinals(self) -> list[str]:
        """Edition numbers written out in the summary or description that are not this edition's ("8th" in
        the 9th edition's copy): {edition} says it right in every edition."""
        own = self.edition_ordinal
        if not own or self.series is None:  # an ordinal implies a series
            return []
        from app.services.formatting import edition_ordinals_in

        texts = f"{self.summary}\n{self.description}"
        return [word for word in edition_ordinals_in(texts, self.series.name) if word != own]

    @property
    def shown_summary(self) -> str:
        """The summary in the current language (the English where no Korean is given)."""
        language = content_language()
        return self.fill_in(localized(self, "summary", language), language)

    @property
    def shown_description(self) -> str:
        language = content_language()
        return self.fill_in(localized(self, "description", language), language)

    @property
    def shown_venue(self) -> str:
        return localized(self, "venue")

    @property
    def shown_city(self) -> str:
        return localized(self, "city")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, moment: datetime) -> datetime:
        """A stored UTC moment as the clock on the wall at the venue shows it."""
        return moment.astimezone(self.tz)

    @property
    def takes_applications(self) -> bool:
        return self.registration_mode is RegistrationMode.APPLICATION

    def confirmation_deadline(self, accepted_at: datetime) -> datetime | None:
        """By when someone accepted at `accepted_at` confirms they are coming: confirm_within_days later,
        and never after the event starts. None when the event asks for no confirmation."""
        if self.confirm_within_days is None:
            return None
        return min(accepted_at + timedelta(days=self.confirm_within_days), self.starts_at)

    @property
    def is_published(self) -> bool:
        return self.status is EventStatus.PUBLISHED

    @hybrid_property
    def is_public(self) -> bool:
        """Anyone may see it: published, or cancelled or archived after being published. A draft
        never is (it cannot be cancelled, only deleted), whatever else happens to it."""
        return self.status is not EventStatus.DRAFT

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls) -> sa.ColumnElement[bool]:
        return cls.status != EventStatus.DRAFT

    @hybrid_property
    def is_listed(self) -> bool:
        """On the site's lists of upcoming and past events: public and not archived. An archived
        event leaves the lists but its page (and its series' page) still shows it to anyone."""
        return self.is_public and self.status is not EventStatus.ARCHIVED

    @is_listed.inplace.expression
    @classmethod
    def _is_listed_expression(cls) -> sa.ColumnElement[bool]:
        return sa.and_(cls.is_public, cls.status != EventStatus.ARCHIVED)

    @property
    def is_draft(self) -> bool:
        return self.status is EventStatus.DRAFT

    @property
    def details_deadline(self) -> datetime:
        """Until when participants correct their own details: the event's setting, else the end of registration."""
        return self.details_editable_until or self.registration_closes_at

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"
