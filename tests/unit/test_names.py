"""How names are written, folded for search and sorted (app/models/names.py): the rules the lists, emails and
documents share, and that static/js/name-preview.js mirrors."""

from __future__ import annotations

import pytest

from app.models.names import NameOrder, default_name_order, fold, search_name, sort_name, written_name

FAMILY_FIRST, GIVEN_FIRST = NameOrder.FAMILY_FIRST, NameOrder.GIVEN_FIRST


@pytest.mark.parametrize(("given", "family", "order"), [
    ("민준", "김", FAMILY_FIRST),  # Hangul
    ("小明", "王", FAMILY_FIRST),  # Han
    ("はなこ", "山田", FAMILY_FIRST),  # Kana
    ("Min-jun", "Kim", GIVEN_FIRST),  # a Korean name in Latin letters: as the person typed it
    ("Văn An", "Nguyễn", GIVEN_FIRST),  # Latin letters: given first unless the person says otherwise
    ("Иван", "Петров", GIVEN_FIRST),
])
def test_the_order_is_guessed_from_the_script(given, family, order):
    assert default_name_order(given, family) is order


@pytest.mark.parametrize(("given", "family", "order", "single", "written"), [
    ("Amina", "Diallo", GIVEN_FIRST, False, "Amina Diallo"),
    ("민준", "김", FAMILY_FIRST, False, "김민준"),  # no space in Hangul
    ("小明", "王", FAMILY_FIRST, False, "王小明"),
    ("Văn An", "Nguyễn", FAMILY_FIRST, False, "Nguyễn Văn An"),  # a space between Latin words
    ("민준", "김", GIVEN_FIRST, False, "민준 김"),  # the person's choice is kept
    ("Sukarno", "", GIVEN_FIRST, True, "Sukarno"),
    ("Sukarno", "", FAMILY_FIRST, True, "Sukarno"),
    ("  Amina ", " Diallo ", GIVEN_FIRST, False, "Amina Diallo"),
])
def test_the_name_is_written_as_the_person_writes_it(given, family, order, single, written):
    assert written_name(given, family, order, single=single) == written


def test_folding_drops_accents_and_case_but_keeps_hangul_syllables_whole():
    assert fold("NGUYỄN Văn") == "nguyen van"
    assert fold("Ørsted Đặng Łódź") == "orsted dang lodz"
    assert fold("김민준") == "김민준" and "기" not in fold("김민준")


def test_one_name_people_sort_under_their_name_and_the_others_by_family_name():
    keys = sorted([sort_name("Amina", "Diallo"), sort_name("Sukarno", "", single=True),
                   sort_name("Lan", "Nguyễn"), sort_name("Zoë", "Ábrego")])
    assert keys == ["abrego zoe", "diallo amina", "nguyen lan", "sukarno"]


def test_the_search_text_holds_every_way_the_name_is_typed():
    text = search_name("민준", "김", FAMILY_FIRST, passport_given_name="Minjun", passport_family_name="Kim")
    for typed in ("김민준", "민준 김", "minjun kim", "kim minjun"):
        assert fold(typed) in text
