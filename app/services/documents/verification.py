"""Verification codes printed on letters and certificates, and the public check of a code."""

from __future__ import annotations

import dataclasses
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from app.database import Session
from app.models import (
    Certificate,
    Event,
    Registration,
    RegistrationStatus,
    ReplacedDocument,
    VisaRequest,
    VisaRequestStatus,
)
from app.services.formatting import format_date_range, format_local
from app.services.registration.references import ALPHABET

# 12 characters from a 25-letter alphabet: about 55 bits, far beyond guessing through a web form.
CODE_GROUPS, GROUP_LENGTH = 3, 4


def new_code() -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _letter in range(GROUP_LENGTH)) for _group in range(CODE_GROUPS))


def normalise_code(typed: str) -> str:
    """What people type ('k7qm 3xrt9pld', with spaces or without dashes) as the printed form."""
    letters = re.sub(r"[^0-9A-Z]", "", typed.upper())
    if len(letters) != CODE_GROUPS * GROUP_LENGTH:
        return letters
    return "-".join(letters[i:i + GROUP_LENGTH] for i in range(0, len(letters), GROUP_LENGTH))


@dataclass(frozen=True)
class VerifiedDocument:
    """What the public may learn about a genuine document: no more than name, event and dates."""

    kind: str
    name: str
    event_title: str
    event_dates: str
    code: str
    # A letter whose registration was cancelled afterwards: genuine, but no longer an invitation.
    withdrawn: bool = False
    # A copy issued again since, with a corrected name: `name` is the name this copy carries,
    # `current_name` the one on the document that replaced it, `replaced_on` when (a date, as text).
    replaced: bool = False
    current_name: str = ""
    replaced_on: str = ""


def verify(session: Session, typed_code: str) -> VerifiedDocument | None:
    code = normalise_code(typed_code)
    if not code:
        return None
    certificate = session.scalar(sa.select(Certificate).where(Certificate.verification_code == code))
    if certificate is not None:
        return _document(_("Certificate of attendance"), certificate.registration, code)
    letter = session.scalar(
        sa.select(VisaRequest).where(
            VisaRequest.verification_code == code, VisaRequest.status == VisaRequestStatus.APPROVED
        )
    )
    if letter is not None:
        return _document(_("Visa invitation letter"), letter.registration, code,
                         withdrawn=letter.registration.status is RegistrationStatus.CANCELLED)
    replaced = session.scalar(sa.select(ReplacedDocument).where(ReplacedDocument.verification_code == code))
    if replaced is not None:
        registration = replaced.registration
        document = _document(str(replaced.kind.label), registration, code)
        return dataclasses.replace(
            document, name=replaced.name_printed, replaced=True, current_name=registration.full_name,
            replaced_on=format_local(replaced.replaced_at, registration.event.timezone, "%-d %B %Y"))
    return None


def _document(kind: str, registration: Registration, code: str, *, withdrawn: bool = False) -> VerifiedDocument:
    event: Event = registration.event
    return VerifiedDocument(
        kind=kind,
        name=registration.full_name,
        event_title=event.title,
        event_dates=format_date_range(event.starts_at, event.ends_at, event.timezone),
        code=code,
        withdrawn=withdrawn,
    )
