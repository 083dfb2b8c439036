"""Participant documents: visa letter requests, certificates, and each event's wording for them."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, string_enum, utcnow
from app.models.bilingual import localized
from app.models.event import Event
from app.models.registration import Registration
from app.models.user import User


class VisaRequestStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        return str({"requested": _l("Waiting for approval"), "approved": _l("Letter ready")}[self.value])


class VisaRequest(Base):
    """The passport data someone gave to get a visa invitation letter.

    Kept apart from the registration so that only this event's organisers ever read it, and so
    that it can be wiped after the event (`purged_at`) while the letter's verification code
    still confirms that the letter was genuine.
    """

    __tablename__ = "visa_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[VisaRequestStatus] = mapped_column(
        string_enum(VisaRequestStatus, 20), default=VisaRequestStatus.REQUESTED
    )
    # Passport data: NULL once purged.
    passport_name: Mapped[str | None] = mapped_column(sa.String(200), default=None)
    nationality: Mapped[str | None] = mapped_column(sa.String(2), default=None)
    date_of_birth: Mapped[date | None] = mapped_column(sa.Date, default=None)
    passport_number: Mapped[str | None] = mapped_column(sa.String(40), default=None)
    passport_expiry: Mapped[date | None] = mapped_column(sa.Date, default=None)

    verification_code: Mapped[str | None] = mapped_column(sa.String(20), unique=True, default=None)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    approved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    registration: Mapped[Registration] = relationship(lazy="joined", innerjoin=True)
    approved_by: Mapped[User | None] = relationship()

    @property
    def is_approved(self) -> bool:
        return self.status is VisaRequestStatus.APPROVED

    @property
    def letter_number(self) -> str:
        """The reference printed on the letter: the registration's code, marked as a visa letter."""
        return f"WTA/VL/{self.registration.reference}"

    def __repr__(self) -> str:
        return f"<VisaRequest {self.registration_id} {self.status}>"


class Certificate(Base):
    """A certificate of attendance, issued once per registration; its code proves it is genuine."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    verification_code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    days_attended: Mapped[int]
    days_total: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), default=None)

    registration: Mapped[Registration] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<Certificate {self.verification_code}>"


class DocumentSettings(Base):
    """One event's wording for its letters, badges and certificates; absent means the defaults."""

    __tablename__ = "document_settings"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    signatory_name: Mapped[str] = mapped_column(sa.String(200))
    signatory_title: Mapped[str] = mapped_column(sa.String(200))
    letter_body: Mapped[str] = mapped_column(sa.Text)
    badge_heading: Mapped[str] = mapped_column(sa.String(200))
    certificate_body: Mapped[str] = mapped_column(sa.Text)
    # The same in Korean, for participants whose registration is in Korean; empty: the English is used.
    signatory_name_ko: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    signatory_title_ko: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    letter_body_ko: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    badge_heading_ko: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    certificate_body_ko: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Percent of the event's days a participant must have been checked in on to get a certificate.
    certificate_threshold: Mapped[int] = mapped_column(default=80)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()

    __table_args__ = (
        sa.CheckConstraint("certificate_threshold BETWEEN 1 AND 100", name="threshold_is_a_percent"),
    )

    def text(self, name: str) -> str:
        """One of the texts in the language of the document being made (the Korean when given)."""
        return localized(self, name)


class DocumentImageKind(enum.StrEnum):
    SIGNATURE = "signature"
    STAMP = "stamp"

    @property
    def label(self) -> str:
        return str({"signature": _l("Signature"), "stamp": _l("Stamp")}[self.value])


class DocumentImage(Base):
    """A scanned signature or stamp an event prints on its visa letters, so nobody signs each one by hand.

    The bytes live in the upload folder (outside the web root) under stored_name, like participants' files.
    """

    __tablename__ = "document_images"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[DocumentImageKind] = mapped_column(string_enum(DocumentImageKind, 20), primary_key=True)
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(20))
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), default=None)

    def __repr__(self) -> str:
        return f"<DocumentImage {self.event_id} {self.kind}>"
