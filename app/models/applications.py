"""Applications to events that select their participants, the reviewers' scores, and travel support.

An application sits beside its Registration (1:1) and carries the detailed selection state.
The registration's own status keeps the rule the rest of the product relies on: CONFIRMED
means the person has a place. So an accepted application has a CONFIRMED registration, an
open one (submitted, under review, waitlisted) an APPLIED one, a declined or withdrawn one a
CANCELLED one. Waitlisted applicants are not on the registration waiting list on purpose:
that list promotes people automatically, while in an application event organisers choose.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, string_enum, utcnow
from app.models.registration import Registration
from app.models.user import User


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    # Accepted, but not confirmed by the deadline: the organisers released the place (no place any more).
    LAPSED = "lapsed"
    # The same person applied twice (another email): this one left the selection quietly, nobody emailed.
    DUPLICATE = "duplicate"

    @property
    def label(self) -> str:
        return str({
            "submitted": _l("Submitted"),
            "under_review": _l("Under review"),
            "accepted": _l("Accepted"),
            "waitlisted": _l("On the reserve list"),
            "declined": _l("Not selected"),
            "withdrawn": _l("Withdrawn"),
            "lapsed": _l("Acceptance lapsed"),
            "duplicate": _l("Duplicate"),
        }[self.value])

    @property
    def is_open(self) -> bool:
        """Still waiting for the organisers' decision (a reserve-list place may still become one)."""
        return self in (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.WAITLISTED)


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[ApplicationStatus] = mapped_column(
        string_enum(ApplicationStatus, 20), default=ApplicationStatus.SUBMITTED
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), default=None)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Accepted applicants confirm they are coming by confirm_by (set at acceptance from the event's
    # confirm_within_days; None: nothing to confirm). See app/services/applications/confirmations.py.
    confirm_by: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    attendance_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The application this one duplicates (status DUPLICATE); its registration, in the same event.
    duplicate_of_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), default=None
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    registration: Mapped[Registration] = relationship(
        back_populates="application", innerjoin=True, foreign_keys=[registration_id]
    )
    decided_by: Mapped[User | None] = relationship()
    duplicate_of: Mapped[Registration | None] = relationship(foreign_keys=[duplicate_of_id])
    reviews: Mapped[list[Review]] = relationship(
        back_populates="application", order_by="Review.updated_at", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (sa.Index("ix_applications_status", "status"),)

    @property
    def can_be_withdrawn(self) -> bool:
        return self.status in (
            ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW,
            ApplicationStatus.WAITLISTED, ApplicationStatus.ACCEPTED,
        )

    @property
    def awaits_confirmation(self) -> bool:
        """Accepted with a deadline to confirm, and not confirmed yet."""
        return (self.status is ApplicationStatus.ACCEPTED and self.confirm_by is not None
                and self.attendance_confirmed_at is None)

    def is_overdue(self, now: datetime) -> bool:
        """Not confirmed by the deadline: the organisers may release the place."""
        return self.awaits_confirmation and self.confirm_by is not None and now >= self.confirm_by

    def can_confirm_attendance(self, now: datetime) -> bool:
        """Until the event starts, even a little late: the place is theirs until the organisers release it."""
        return self.awaits_confirmation and now < self.registration.event.starts_at

    def __repr__(self) -> str:
        return f"<Application {self.registration_id} {self.status}>"


class Review(Base):
    """One reviewer's score and notes on one application; they change it, never add a second."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    score: Mapped[int | None] = mapped_column(default=None)  # None: notes only, not scored yet
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    __table_args__ = (
        sa.UniqueConstraint("application_id", "reviewer_id", name="uq_reviews_application_reviewer"),
        sa.CheckConstraint("score IS NULL OR (score BETWEEN 1 AND 5)", name="score_1_to_5"),
    )


class TravelDecision(enum.StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    PARTLY = "partly"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return str({
            "pending": _l("Not decided yet"),
            "granted": _l("Granted"),
            "partly": _l("Partly granted"),
            "declined": _l("Not granted"),
        }[self.value])


class TravelSupportRequest(Base):
    __tablename__ = "travel_support_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    wants_flight: Mapped[bool] = mapped_column(default=False)
    wants_accommodation: Mapped[bool] = mapped_column(default=False)
    wants_per_diem: Mapped[bool] = mapped_column(default=False)
    # Money is Decimal end to end: a float would turn 1234.10 into 1234.0999...
    estimated_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2), default=None)
    estimated_currency: Mapped[str] = mapped_column(sa.String(3), default="USD")  # ISO 4217
    decision: Mapped[TravelDecision] = mapped_column(string_enum(TravelDecision, 20), default=TravelDecision.PENDING)
    granted_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2), default=None)
    granted_currency: Mapped[str] = mapped_column(sa.String(3), default="USD")
    note: Mapped[str] = mapped_column(sa.String(1000), default="")  # shown to the applicant in the email
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    registration: Mapped[Registration] = relationship(back_populates="travel_support", innerjoin=True)

    __table_args__ = (
        sa.CheckConstraint("estimated_amount IS NULL OR estimated_amount >= 0", name="estimate_not_negative"),
        sa.CheckConstraint("granted_amount IS NULL OR granted_amount >= 0", name="grant_not_negative"),
    )

    @property
    def wanted(self) -> list[str]:
        """What the support is asked for, in words."""
        return support_words(self.wants_flight, self.wants_accommodation, self.wants_per_diem)

    @property
    def is_granted(self) -> bool:
        return self.grants(self.decision)

    @staticmethod
    def grants(decision: TravelDecision | str) -> bool:
        """Whether the decision gives money (the stored value says the same as the member: StrEnum)."""
        return decision in (TravelDecision.GRANTED, TravelDecision.PARTLY)

    @property
    def estimate_text(self) -> str:
        return money_text(self.estimated_amount, self.estimated_currency)

    @property
    def granted_text(self) -> str:
        return money_text(self.granted_amount, self.granted_currency) if self.is_granted else ""


def support_words(flight: bool, accommodation: bool, per_diem: bool) -> list[str]:
    """What travel support covers, in words (also for exports that read the three columns, not the row)."""
    return [word for wanted, word in ((flight, _("flight")), (accommodation, _("accommodation")),
                                      (per_diem, _("per diem"))) if wanted]


def money_text(amount: Decimal | None, currency: str) -> str:
    """1250.5, 'USD' -> 'USD 1,250.50' (the ISO code is clearer than a $ that several currencies use)."""
    return f"{currency} {amount:,.2f}" if amount is not None else ""
