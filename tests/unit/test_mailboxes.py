"""One mailbox, many spellings: what the per-mailbox limits count."""

import pytest

from app.services.mail.mailboxes import mailbox_of


@pytest.mark.parametrize(("address", "mailbox"), [
    ("jane@example.org", "jane@example.org"),
    ("Jane+news@Example.org", "jane@example.org"),
    ("jane+a+b@example.org", "jane@example.org"),
    ("j.ane@example.org", "j.ane@example.org"),  # most domains keep the dots: another person
    ("j.a.n.e+1@gmail.com", "jane@gmail.com"),
    ("J.ANE@googlemail.com", "jane@gmail.com"),  # the same Gmail mailbox under its other name
    ("  jane@gmail.com ", "jane@gmail.com"),
    ("not an address", "not an address"),
])
def test_spellings_of_one_mailbox_count_as_one(address, mailbox):
    assert mailbox_of(address) == mailbox
