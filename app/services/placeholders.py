"""{placeholders} in the texts organisers write (document wording, email texts): checked when a text is saved,
filled for one person when it is used.

The filling is plain substitution of named values, never `str.format` on objects nor a template engine, so an
organiser's text can reach nothing but the values handed to it for that one person.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping

from flask_babel import gettext as _

from app.services.errors import DomainError


def unknown_placeholders(text: str, allowed: Iterable[str]) -> list[str]:
    """Placeholders in `text` that are not in `allowed` (or carry a format or conversion).

    Raises ValueError for a lone { or }."""
    allowed = set(allowed)
    found = []
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            found.append(name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else ""))
    return found


def check_placeholders(text: str, allowed: Iterable[str], *, field: str | None = None,
                       required: Mapping[str, str] | None = None) -> None:
    """Refuse a text with a placeholder we cannot fill, an unclosed brace, or without a `required` one
    (name -> why it is needed, said in the message)."""
    allowed = list(allowed)
    try:
        unknown = unknown_placeholders(text, allowed)
    except ValueError:
        raise DomainError(
            _("A { or } is not closed. Write placeholders like {given_name}; for a brace itself write {{ or }}."),
            field=field,
        ) from None
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        raise DomainError(
            _("Unknown placeholder %(names)s. You can use: %(allowed)s.", names=names,
              allowed=", ".join("{" + p + "}" for p in allowed)),
            field=field,
        )
    used = used_placeholders(text)
    for name, why in (required or {}).items():
        if name not in used:
            raise DomainError(_("Please keep %(placeholder)s in this text: %(why)s", placeholder="{" + name + "}", why=why),
                              field=field)


def used_placeholders(text: str) -> set[str]:
    try:
        return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name}
    except ValueError:
        return set()


def fill(text: str, values: Mapping[str, str]) -> str:
    """The text with its placeholders replaced by `values`. Saved texts were checked; should anything odd
    remain (a name without a value, an unclosed brace), it stays as typed rather than failing."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return text
    out = []
    for literal, name, spec, conversion in parts:
        out.append(literal)
        if name is None:
            continue
        if name in values and not spec and not conversion:
            out.append(str(values[name]))
        else:
            out.append("{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    return "".join(out)
