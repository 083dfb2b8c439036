"""deliverable_address: the same address, or the same refusal, as email-validator gives, whichever way it is
checked (a plain address on a domain seen before skips the library's checks of each character)."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email

from app.services.mail.email_addresses import UndeliverableAddress, deliverable_address

ADDRESSES = [
    "amina.diallo@example.org", "Amina.Diallo@Example.ORG", "a@b.co", "first_last+tag@sub.example.ac.kr",
    "x-y@example.org", "postmaster@example.org", "PostMaster@example.org", ".dot@example.org", "dot.@example.org",
    "two..dots@example.org", "no-at-sign.example.org", "a@", "@example.org", "a@localhost", "a@example",
    "a@example.test", "a@-example.org", "a@example-.org", "a@exa_mple.org", "a@example..org", "a@xn--bcher-kva.example",
    "a@xn--zz.example", "a@bücher.example", "jöhn@example.org", "a@b@example.org", "\"quoted\"@example.org",
    "Name <a@example.org>", "a b@example.org", "a@example.org.", "a@[192.0.2.1]", "a@123.456",
    "x" * 64 + "@example.org", "x" * 65 + "@example.org", "a@" + "b" * 63 + ".org", "a@" + "b" * 64 + ".org",
    "a@" + ".".join(["b" * 60] * 4) + ".org", "a" * 60 + "@" + ".".join(["b" * 60] * 3) + ".org",
]


def _by_the_library(address: str) -> str:
    result = validate_email(address, check_deliverability=False)
    if result.ascii_email is None:
        raise ValueError("not ASCII")
    return result.ascii_email.lower()


@pytest.mark.parametrize("address", ADDRESSES)
def test_an_address_is_taken_or_refused_as_email_validator_says(app, address):
    try:
        expected: str | type[Exception] = _by_the_library(address)
    except (EmailNotValidError, ValueError):
        expected = UndeliverableAddress
    with app.test_request_context("/"):
        for _ in range(2):  # the second time, its domain has been seen
            if expected is UndeliverableAddress:
                with pytest.raises(UndeliverableAddress):
                    deliverable_address(address)
            else:
                assert deliverable_address(address) == expected
