"""Which email addresses we accept: only ones our mail worker can deliver.

An address with letters outside ASCII before the @ (jöhn@example.org) needs SMTPUTF8 from every
server on the way; most relays, including the ones organisers use, refuse it or cannot encode it,
so accepting it would queue an email that can never be sent. Those are refused where they are typed,
with a message the person can act on. An internationalised domain (user@bücher.example) is fine:
its ASCII (punycode) form, user@xn--bcher-kva.example, reaches the same mailbox and is what we store.
"""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from app.services.errors import DomainError


class UndeliverableAddress(DomainError):
    """An address no retry will deliver to."""


# A part before the @ that email-validator takes as it is: ASCII letters, digits, _ + - and single dots between.
_PLAIN_LOCAL_PART = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*")
DOMAINS_KEPT = 1024


def deliverable_address(address: str) -> str:
    """The address as it is stored and sent: checked, in lower case, written in ASCII only."""
    local_part, at, domain = address.partition("@")
    if at and len(address) <= 254 and len(local_part) <= 64 and _PLAIN_LOCAL_PART.fullmatch(local_part) \
            and _domain_taken_as_it_is(domain):
        # What email-validator gives for it (its checks of the part before the @ pass, the domain is checked
        # once), without its checks of each of the domain's characters on every form: most of its 45 us.
        return address.lower()
    try:
        # No DNS look-up: it is slow, and a form must not fail because a resolver is.
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        # The reason is email-validator's own words (English only).
        raise UndeliverableAddress(_("This email address is not valid: %(reason)s", reason=error),
                                   field="email") from None
    if result.ascii_email is None:  # letters outside ASCII before the @
        letters = "".join(dict.fromkeys(c for c in result.local_part if not c.isascii()))
        raise UndeliverableAddress(
            _("Please use an address written with Latin letters only (a–z, 0–9, . _ -) before the @: "
              "our emails cannot be delivered to one with “%(letters)s” there. If you have no other address, "
              "ask your email provider for one without accents.", letters=letters),
            field="email",
        )
    return result.ascii_email.lower()


@lru_cache(maxsize=DOMAINS_KEPT)
def _domain_taken_as_it_is(domain: str) -> bool:
    """Whether email-validator accepts `domain` and writes it as it is (ASCII, already in its normal form, so
    an address with a plain part before the @ keeps its spelling). People of one organisation share a domain."""
    if "@" in domain or not domain.isascii():
        return False
    try:
        result = validate_email("x@" + domain, check_deliverability=False)
    except EmailNotValidError:
        return False
    return result.ascii_domain == domain and result.domain == domain
