"""Which mailbox an address reaches: many spellings of one address land in the same inbox.

`jane+1@example.org`, `jane+2@example.org` and `JANE@example.org` all reach jane@example.org, and Gmail also
ignores dots before the @ (`j.ane@gmail.com`). A limit on emails sent to one person counts per mailbox, or a
script sends a thousand emails to one inbox with a thousand spellings of its address (issue 16).
"""

from __future__ import annotations

# Domains whose mailboxes ignore dots in the part before the @; googlemail.com is gmail.com under another name.
DOTS_IGNORED = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def mailbox_of(address: str) -> str:
    """The mailbox `address` reaches, as one key: lower case, no plus-tag, no dots where the domain ignores them.

    Only for counting: the address stored and written to stays as the person typed it."""
    local, at, domain = address.strip().lower().rpartition("@")
    if not at:
        return address.strip().lower()
    local = local.split("+", 1)[0]
    if domain in DOTS_IGNORED:
        domain = DOTS_IGNORED[domain]
        local = local.replace(".", "")
    return f"{local}@{domain}"
