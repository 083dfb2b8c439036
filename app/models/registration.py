from __future__ import annotations

import enum
import functools
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, string_enum, utcnow
from app.models.event import Event
from app.models.names import NameOrder, default_name_order, search_name, sort_name, titled, written_name

if TYPE_CHECKING:
    from app.models.applications import Application, TravelSupportRequest


class RegistrationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    # An application not accepted (yet) in an application-mode event: no place (app/models/applications.py).
    APPLIED = "applied"

    @property
    def label(self) -> str:
        return str({"confirmed": _l("Confirmed"), "waitlisted": _l("On the waiting list"), "cancelled": _l("Cancelled"),
                    "applied": _l("Application submitted")}[self.value])


class Title(enum.StrEnum):
    MR = "Mr"
    MS = "Ms"
    MX = "Mx"
    DR = "Dr"
    PROF = "Prof"


class ParticipantRole(enum.StrEnum):
    """What someone is at the event, printed on their badge; set by the organisers."""

    PARTICIPANT = "participant"
    SPEAKER = "speaker"
    ORGANISER = "organiser"
    GUEST = "guest"
    PRESS = "press"

    @property
    def label(self) -> str:
        return str({
            "participant": _l("Participant"),
            "speaker": _l("Speaker"),
            "organiser": _l("Organiser"),
            "guest": _l("Guest"),
            "press": _l("Press"),
        }[self.value])


class OrganisationType(enum.StrEnum):
    SCIENCE_PARK = "science_park"
    INCUBATOR = "incubator"
    UNIVERSITY = "university"
    GOVERNMENT = "government"
    COMPANY = "company"
    INTERNATIONAL = "international"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str({
            "science_park": _l("Science / technology park"),
            "incubator": _l("Business incubator"),
            "university": _l("University or research institute"),
            "government": _l("Government"),
            "company": _l("Company"),
            "international": _l("International organisation"),
            "other": _l("Other"),
        }[self.value])


class Gender(enum.StrEnum):
    """The optional gender question (Event.asks_gender). Never required; "prefer not to say" is an answer
    of its own, apart from not answering (None). Shown one by one to managers only, otherwise in aggregate."""

    WOMAN = "woman"
    MAN = "man"
    ANOTHER = "another"
    UNDISCLOSED = "undisclosed"

    @property
    def label(self) -> str:
        return str({"woman": _l("Woman"), "man": _l("Man"), "another": _l("Another gender"),
                    "undisclosed": _l("Prefer not to say")}[self.value])


class Registration(Base):
    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(sa.String(24), unique=True)
    status: Mapped[RegistrationStatus] = mapped_column(string_enum(RegistrationStatus, 20))

    title: Mapped[Title | None] = mapped_column(string_enum(Title, 10), default=None)
    given_name: Mapped[str] = mapped_column(sa.String(100))
    # "" for someone with only one name (single_name): their one name is the given_name.
    family_name: Mapped[str] = mapped_column(sa.String(100))
    single_name: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # How the person writes their name (app/models/names.py); when not given, from the script of the name.
    name_order: Mapped[NameOrder] = mapped_column(
        string_enum(NameOrder, 12), default=lambda ctx: _default_order(ctx.get_current_parameters()),
        server_default=NameOrder.GIVEN_FIRST.value)
    # The name in Latin letters as in the passport, where it differs from the name above (another script).
    passport_given_name: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    passport_family_name: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    # Made from the name by names.py, never typed: the lists' order and search (accents and case folded).
    # Set on insert by these defaults (ORM and Core inserts alike) and on update by _refresh_name_keys.
    sort_name: Mapped[str] = mapped_column(
        sa.String(200), default=lambda ctx: name_keys(ctx.get_current_parameters())[0], server_default="",
        info={"audit": "skip"})  # made from the name, whose own changes the log records
    search_name: Mapped[str] = mapped_column(
        sa.String(600), default=lambda ctx: name_keys(ctx.get_current_parameters())[1], server_default="",
        info={"audit": "skip"})
    email: Mapped[str] = mapped_column(sa.String(254))  # normalised, lower case
    organisation: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[str] = mapped_column(sa.String(200), default="")
    organisation_type: Mapped[OrganisationType] = mapped_column(string_enum(OrganisationType, 30))
    country: Mapped[str] = mapped_column(sa.String(2))  # of the organisation, ISO 3166-1 alpha-2
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    dietary_needs: Mapped[str] = mapped_column(sa.String(500), default="")
    accessibility_needs: Mapped[str] = mapped_column(sa.String(500), default="")
    needs_visa_letter: Mapped[bool] = mapped_column(default=False)
    gender: Mapped[Gender | None] = mapped_column(string_enum(Gender, 12), default=None)  # where the event asks
    role: Mapped[ParticipantRole] = mapped_column(string_enum(ParticipantRole, 20), default=ParticipantRole.PARTICIPANT)
    # The language of this person's emails and documents, and of their personal pages unless they switch
    # ("en", "ko": app/i18n.py LANGUAGES). Asked on the form, defaulted from the page's language.
    language: Mapped[str] = mapped_column(sa.String(5), default="en", server_default="en")
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # What was agreed to (docs/features/privacy.md): the consent text's version and the privacy notice
    # shown beside it. Written at each registration; a later registration is a new record, never this one.
    consent_version: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    privacy_notice_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    # The person asked for their data to be deleted (from their personal link); organisers carry it out.
    deletion_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Personal data removed (retention purge or a deletion request): only what statistics need is left.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When the person joined the waiting list: its order. Kept after promotion for the record.
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    event: Mapped[Event] = relationship(lazy="joined", innerjoin=True)
    # The selection details live beside the registration (app/models/applications.py): None in open events,
    # and None when no travel support was asked for. The database deletes them with it (ON DELETE CASCADE).
    application: Mapped[Application | None] = relationship(
        back_populates="registration", passive_deletes=True, foreign_keys="Application.registration_id"
    )
    travel_support: Mapped[TravelSupportRequest | None] = relationship(
        back_populates="registration", passive_deletes=True
    )

    __table_args__ = (
        sa.UniqueConstraint("event_id", "email", name="uq_registrations_event_email"),
        # The attendee list at 20,000 registrations (migration 0022): its sorts and filters read these in
        # order instead of sorting the whole event; the seat counts read the last one only (the list's counts per
        # status and country come from registration_counts.py since migration 0030).
        # sort_name since migration 0026 (was lower(family_name), lower(given_name)).
        sa.Index("ix_registrations_event_name", "event_id", "sort_name", "id"),
        sa.Index("ix_registrations_event_status_name", "event_id", "status", "sort_name", "id"),
        sa.Index("ix_registrations_event_created", "event_id", "created_at", "id"),
        sa.Index("ix_registrations_event_status_country", "event_id", "status", "country"),
    )

    # --- the name, as people read it (the rules: app/models/names.py) ---------------------------------------

    @property
    def full_name(self) -> str:
        """The name as the person writes it: "Amina Diallo", "김민준", "Nguyễn Văn An", "Sukarno"."""
        return written_name(self.given_name, self.family_name, self._order, single=bool(self.single_name))

    @property
    def display_name(self) -> str:
        return titled(self.title, self.full_name)

    @property
    def greeting_name(self) -> str:
        """Whom "Dear …" addresses: the given name ("Amina"), but the whole name where it comes first and the
        given name alone would be too familiar ("김민준"), and the one name of someone who has one ("Sukarno")."""
        if self.single_name or not self.family_name.strip() or self._order is NameOrder.FAMILY_FIRST:
            return self.full_name
        return self.given_name

    @property
    def passport_name(self) -> str:
        """The name in Latin letters as in the passport ("Kim Minjun"), in the person's order; "" when not given."""
        return written_name(self.passport_given_name or "", self.passport_family_name or "", self._order)

    @property
    def latin_name(self) -> str:
        """The passport's Latin form when it says something the name itself does not; else ""."""
        latin = self.passport_name
        return latin if latin and latin.casefold() != self.full_name.casefold() else ""

    @property
    def badge_lines(self) -> tuple[str, str]:
        """(large, small) on the badge: "Amina" over "Diallo"; a name written family name first, or a single
        name, stays whole on the large line ("김민준") with nothing under it."""
        if self.single_name or not self.family_name.strip() or self._order is NameOrder.FAMILY_FIRST:
            return self.full_name, ""
        return self.given_name, self.family_name

    @property
    def _order(self) -> NameOrder:
        # None before the first flush (a preview's unsaved sample): what the insert would choose.
        return self.name_order or default_name_order(self.given_name or "", self.family_name or "")

    def refresh_name_keys(self) -> None:
        """Recompute sort_name and search_name from the name (done before every update by an event below)."""
        self.sort_name, self.search_name = name_keys(
            {name: getattr(self, name) for name in _NAME_INPUTS} | {"name_order": self._order})

    @hybrid_property
    def has_place(self) -> bool:
        """A place at the event: confirmed (an accepted application is confirmed too, see
        app/models/applications.py). Only they are checked in, expected and counted as present.
        Also a SQL expression: `.where(Registration.has_place)`."""
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def why_no_place(self) -> str:
        """Why the person has no place, as a sentence about them ("" when they have one), for the
        check-in staff: the registration's status, or the application's where there is one."""

        from app.models.applications import ApplicationStatus  # that module imports this one

        name = self.display_name
        application = self.application  # None outside application events
        decision = application.status if application is not None else None
        if self.status is RegistrationStatus.WAITLISTED:
            return _("%(name)s is on the waiting list, not confirmed", name=name)
        if self.status is RegistrationStatus.APPLIED:
            if decision is ApplicationStatus.WAITLISTED:
                return _("%(name)s is on the reserve list, not accepted", name=name)
            return _("%(name)s has applied and the application is not decided yet", name=name)
        if self.status is RegistrationStatus.CANCELLED:
            if decision is ApplicationStatus.DECLINED:
                return _("the application of %(name)s was declined", name=name)
            if decision is ApplicationStatus.WITHDRAWN:
                return _("%(name)s withdrew the application", name=name)
            if decision is ApplicationStatus.LAPSED:
                return _("the acceptance of %(name)s lapsed (not confirmed in time)", name=name)
            if decision is ApplicationStatus.DUPLICATE:
                return _("the application of %(name)s is a duplicate of another one", name=name)
            return _("the registration of %(name)s was cancelled", name=name)
        return ""

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def can_be_cancelled(self) -> bool:
        return self.status is not RegistrationStatus.CANCELLED

    def can_be_cancelled_by_participant(self, now: datetime) -> bool:
        """From the personal link until the event ends; an organiser may cancel it later too."""
        return self.can_be_cancelled and now < self.event.ends_at

    def can_edit_answers(self, now: datetime) -> bool:
        """Until registration closes (for applications: the application deadline), while not cancelled."""
        return self.status is not RegistrationStatus.CANCELLED and now < self.event.registration_closes_at

    def can_edit_details(self, now: datetime) -> bool:
        """From the personal link, until the event's deadline for corrections, while not cancelled."""
        return self.status is not RegistrationStatus.CANCELLED and now < self.event.details_deadline

    def can_change_sessions(self, now: datetime) -> bool:
        """The same window as the answers: the sessions chosen are part of what the person told us."""
        return self.can_edit_answers(now)

    def can_withdraw_application(self, now: datetime) -> bool:
        """Until the event starts, whatever the decision so far: an accepted person who can no longer
        come should free the place early, for someone on the reserve list."""
        application = self.application  # None in open events
        return application is not None and application.can_be_withdrawn and now < self.event.starts_at

    @property
    def ended_as(self) -> str | None:
        """"withdrawn", "declined", "lapsed", "duplicate" or "cancelled" once nothing more will come of this registration (no
        decision, no place, no visa letter); None while it is alive."""
        if self.status is not RegistrationStatus.CANCELLED:
            return None
        from app.models.applications import ApplicationStatus  # that module imports this one

        application = self.application  # None in open events
        if application is not None and application.status in (
            ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED, ApplicationStatus.LAPSED, ApplicationStatus.DUPLICATE
        ):
            return application.status.value
        return "cancelled"

    def __repr__(self) -> str:
        return f"<Registration {self.reference} {self.status}>"


_NAME_INPUTS = ("given_name", "family_name", "single_name", "name_order", "passport_given_name",
                "passport_family_name")
_NAME_INPUT_SET = frozenset(_NAME_INPUTS)


def _default_order(values: dict) -> NameOrder:
    return default_name_order(values.get("given_name") or "", values.get("family_name") or "")


def name_keys(values: dict) -> tuple[str, str]:
    """(sort_name, search_name) from a row's values (an insert's parameters, or the object's attributes)."""
    given, family = values.get("given_name") or "", values.get("family_name") or ""
    return _keys_of(given, family, bool(values.get("single_name")),
                    NameOrder(values.get("name_order") or default_name_order(given, family)),
                    values.get("passport_given_name") or "", values.get("passport_family_name") or "")


@functools.lru_cache(maxsize=1024)  # an insert asks twice (both columns' defaults); the demo's 1,000 rows once each
def _keys_of(given: str, family: str, single: bool, order: NameOrder, passport_given: str,
             passport_family: str) -> tuple[str, str]:
    return (sort_name(given, family, single=single),
            search_name(given, family, order, single=single, passport_given_name=passport_given,
                        passport_family_name=passport_family))


@sa.event.listens_for(Registration, "before_update")
def _refresh_name_keys(_mapper, _connection, registration: Registration) -> None:
    # committed_state: the attributes changed since loading (cheaper than each one's history, on every flush).
    if not _NAME_INPUT_SET.isdisjoint(sa.inspect(registration).committed_state):
        registration.refresh_name_keys()
