"""How a person's name is written, sorted and searched: the one place that decides it.

Registration (app/models/registration.py) exposes these as properties (full_name, display_name, ...) and keeps
two columns made from them, sort_name and search_name, for the lists' order and search. Migration 0026 carries
its own frozen copy of the rules for the rows that existed before; static/js/name-preview.js mirrors
written_name() for the form's live preview.
"""

from __future__ import annotations

import enum
import unicodedata

from flask_babel import lazy_gettext as _l


class NameOrder(enum.StrEnum):
    """How the person writes their name: "Amina Diallo" or "김민준" / "Nguyễn Văn An"."""

    GIVEN_FIRST = "given_first"
    FAMILY_FIRST = "family_first"

    @property
    def label(self) -> str:
        return str(NAME_ORDER_LABELS[self])


# Worded without "given name(s)" and "family name": the name fields are found by those labels (browser tests,
# screen-reader users' "go to field" lists), and a radio button named alike would make them ambiguous.
NAME_ORDER_LABELS = {
    NameOrder.GIVEN_FIRST: _l("Surname last"),
    NameOrder.FAMILY_FIRST: _l("Surname first"),
}

# Scripts whose names are written family name first by default, and without a space between the two parts:
# Hangul (Korean), Han (Chinese characters, also Japanese kanji) and Kana (Japanese).
_EAST_ASIAN_RANGES = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),  # Hangul Jamo extended A
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xD7B0, 0xD7FF),  # Hangul Jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFFDC),  # half-width Katakana and Hangul
    (0x20000, 0x3134F),  # CJK extensions B to G
)


def is_east_asian(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _EAST_ASIAN_RANGES)


def _east_asian_only(text: str) -> bool:
    """Every letter in a space-less script (spaces and punctuation aside): written without a space."""
    if text.isascii():  # most names, at C speed: no ASCII letter is in those scripts
        return False
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(is_east_asian(c) for c in letters)


def in_latin_letters(text: str) -> bool:
    """Every letter a Latin one, accents allowed ("Nguyễn Thị Lan" yes, "김민준" and "Иван" no)."""
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())


def default_name_order(given_name: str, family_name: str) -> NameOrder:
    """Family name first for a name typed in Hangul, Han or Kana; given name first otherwise.
    The person can change it on the form (a Vietnamese name in Latin letters, for one)."""
    name = given_name + family_name
    if not name.isascii() and any(is_east_asian(c) for c in name):  # isascii(): at C speed, for most names
        return NameOrder.FAMILY_FIRST
    return NameOrder.GIVEN_FIRST


def full_name(given_name: str | None, family_name: str | None, order: NameOrder | str | None,
              single: bool | None) -> str:
    """written_name for a row read as plain values: an order not stored yet is the one the insert would choose."""
    order = order or default_name_order(given_name or "", family_name or "")
    return written_name(given_name or "", family_name or "", order, single=bool(single))


def written_name(given_name: str, family_name: str, order: NameOrder | str | None, *, single: bool = False) -> str:
    """The name as the person writes it: "Amina Diallo", "김민준" (Hangul, Han and Kana names have no space
    between family and given name), "Nguyễn Văn An", or the one name of someone who has only one."""
    given, family = (given_name or "").strip(), (family_name or "").strip()
    if single or not family:
        return given or family
    if not given:
        return family
    if order != NameOrder.FAMILY_FIRST:
        return f"{given} {family}"
    if _east_asian_only(family) and _east_asian_only(given):
        return family + given
    return f"{family} {given}"


def titled(title: object, name: str) -> str:
    """The name with the person's title in front, when they gave one: "Dr Amina Diallo"."""
    return f"{title} {name}" if title else name


def fold(text: str) -> str:
    """Text as search and sort compare it: without accents and case ("Nguyễn" → "nguyen", "Ørsted" → "orsted").
    Hangul syllables stay whole (NFC again after the accents go), so "기" does not find "김"."""
    if text.isascii():  # nothing to decompose or translate, and casefold() is lower() there: the same, faster
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", stripped).casefold().split())


# Latin letters Unicode does not decompose into a base letter and an accent.
_NOT_DECOMPOSED = str.maketrans({"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i",
                                 "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ħ": "h"})


def sort_name(given_name: str, family_name: str, *, single: bool = False) -> str:
    """By family name, then given name; someone with one name sorts under it."""
    given, family = fold(given_name or ""), fold(family_name or "")
    if single or not family:
        return (given or family)[:200]
    return f"{family} {given}"[:200]


def search_name(given_name: str, family_name: str, order: NameOrder | str | None, *, single: bool = False,
                passport_given_name: str = "", passport_family_name: str = "") -> str:
    """Every way someone may type the name, folded: as written, in either order, with and without the space
    ("김민준", "민준 김"), and the passport's Latin form. A " | " keeps one form from running into the next."""
    forms = [
        written_name(given_name, family_name, order, single=single),
        written_name(given_name, family_name, NameOrder.GIVEN_FIRST, single=single),
        written_name(given_name, family_name, NameOrder.FAMILY_FIRST, single=single),
        f"{family_name}{given_name}",
        written_name(passport_given_name, passport_family_name, NameOrder.GIVEN_FIRST),
        written_name(passport_given_name, passport_family_name, NameOrder.FAMILY_FIRST),
    ]
    unique = dict.fromkeys(f for f in (fold(form) for form in forms) if f)
    return " | ".join(unique)[:600]
