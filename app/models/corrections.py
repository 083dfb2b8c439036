"""Corrections of a registration's details: the notes participants leave when a field is locked, and the
verification codes of documents replaced because the name they carried was corrected."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, string_enum, utcnow
from app.models.registration import Registration
from app.models.user import User


class CorrectionRequest(Base):
    """A participant asks the organisers to correct what they can no longer change themselves (a name
    printed on a visa letter, say). Open until a manager marks it done."""

    __tablename__ = "correction_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), default=None)

    registration: Mapped[Registration] = relationship(lazy="joined", innerjoin=True)
    resolved_by: Mapped[User | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    def __repr__(self) -> str:
        return f"<CorrectionRequest {self.id} {'open' if self.is_open else 'done'}>"


class ReplacedDocumentKind(enum.StrEnum):
    CERTIFICATE = "certificate"
    VISA_LETTER = "visa_letter"

    @property
    def label(self) -> str:
        return str({"certificate": _l("Certificate of attendance"), "visa_letter": _l("Visa invitation letter")}[self.value])


class ReplacedDocument(Base):
    """The code of a certificate or visa letter that was issued again with a corrected name. Its holder may
    still show the old copy: the verification page then says it was replaced, rather than "not valid"
    (it was genuine) or "genuine" under a name the copy does not carry."""

    __tablename__ = "replaced_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReplacedDocumentKind] = mapped_column(string_enum(ReplacedDocumentKind, 20))
    verification_code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name_printed: Mapped[str] = mapped_column(sa.String(210))  # the name the replaced copy carries
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<ReplacedDocument {self.verification_code}>"
