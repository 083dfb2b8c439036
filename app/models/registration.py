from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, string_enum, utcnow
from app.models.event import Event

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
        return {"confirmed": "Confirmed", "waitlisted": "On the waiting list", "cancelled": "Cancelled",
                "applied": "Application submitted"}[self.value]


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
        return {
            "participant": "Participant",
            "speaker": "Speaker",
            "organiser": "Organiser",
            "guest": "Guest",
            "press": "Press",
        }[self.value]


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
        return {
            "science_park": "Science / technology park",
            "incubator": "Business incubator",
            "university": "University or research institute",
            "government": "Government",
            "company": "Company",
            "international": "International organisation",
            "other": "Other",
        }[self.value]


class Gender(enum.StrEnum):
    """The optional gender question (Event.asks_gender). Never required; "prefer not to say" is an answer
    of its own, apart from not answering (None). Shown one by one to managers only, otherwise in aggregate."""

    WOMAN = "woman"
    MAN = "man"
    ANOTHER = "another"
    UNDISCLOSED = "undisclosed"

    @property
    def label(self) -> str:
        return {"woman": "Woman", "man": "Man", "another": "Another gender",
                "undisclosed": "Prefer not to say"}[self.value]


class Registration(Base):
    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(sa.String(24), unique=True)
    status: Mapped[RegistrationStatus] = mapped_column(string_enum(RegistrationStatus, 20))

    title: Mapped[Title | None] = mapped_column(string_enum(Title, 10), default=None)
    given_name: Mapped[str] = mapped_column(sa.String(100))
    family_name: Mapped[str] = mapped_column(sa.String(100))
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
        # order instead of sorting the whole event; the facets and seat counts read the last one only.
        sa.Index("ix_registrations_event_name", "event_id", sa.text("lower(family_name)"),
                 sa.text("lower(given_name)"), "id"),
        sa.Index("ix_registrations_event_status_name", "event_id", "status", sa.text("lower(family_name)"),
                 sa.text("lower(given_name)"), "id"),
        sa.Index("ix_registrations_event_created", "event_id", "created_at", "id"),
        sa.Index("ix_registrations_event_status_country", "event_id", "status", "country"),
    )

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def display_name(self) -> str:
        return f"{self.title} {self.full_name}" if self.title else self.full_name

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
        from flask_babel import gettext as _  # the check-in page reads it in its own language

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
