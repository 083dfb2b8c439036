"""Which email addresses we accept: only ones our mail worker can deliver.

An address with letters outside ASCII before the @ (jöhn@example.org) needs SMTPUTF8 from every
server on the way; most relays, including the ones organisers use, refuse it or cannot encode it,
so accepting it would queue an email that can never be sent. Those are refused where they are typed,
with a message the person can act on. An internationalised domain (user@bücher.example) is fine:
its ASCII (punycode) form, user@xn--bcher-kva.example, reaches the same mailbox and is what we store.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from app.services.errors import DomainError


class UndeliverableAddress(DomainError):
    """An address no retry will deliver to."""


def deliverable_address(address: str) -> str:
    """The address as it is stored and sent: checked, in lower case, written in ASCII only."""
    try:
        # No DNS look-up: it is slow, and a form must not fail because a resolver is.
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise UndeliverableAddress(_("This email address is not valid: %(error)s", error=error), field="email") from None
    if result.ascii_email is None:  # letters outside ASCII before the @
        letters = "".join(dict.fromkeys(c for c in result.local_part if not c.isascii()))
        raise UndeliverableAddress(
            _("Please use an address written with Latin letters only (a–z, 0–9, . _ -) before the @: our emails "
              "cannot be delivered to one with “%(letters)s” there. If you have no other address, ask your email "
              "provider for one without accents.", letters=letters),
            field="email",
        )
    return result.ascii_email.lower()
