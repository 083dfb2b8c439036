"""Names as people write them (issue 14): 김민준 family name first and without a space, Sukarno with his one
name, the passport's Latin form on the visa letter and under the badge's name, search and sort across scripts
and accents."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.extensions import db
from app.models import NameOrder, Registration, utcnow
from tests.conftest import csrf_token, link_in, text_of
from tests.integration.documents_support import attend, pdf_text, registration_by_email, visa_fields
from tests.integration.organiser_support import add_registrations, row_cells
from tests.integration.test_exports import csv_rows


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def _people_listed(html: str) -> list[str]:
    """The names of the attendee list's rows, in the order shown."""
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()).split(" ")[0]
            for cell in re.findall(r'<td class="person">(.*?)<br>', html, re.S)]


def _text_sizes(pdf: bytes) -> dict[str, float]:
    """Each run of text on the first page with the size it is drawn at."""
    sizes: dict[str, float] = {}

    def visit(text, _cm, tm, _font, size):
        if text.strip():
            sizes[text.strip()] = size * tm[0]

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return sizes


def test_minjun_registers_in_hangul_and_is_written_family_name_first_everywhere(
        make_event, register, deliver_emails, mailbox, client, make_user, auth):
    event = make_event(capacity=20)

    page = register(event, title="", given_name="민준", family_name="김", email="minjun.kim@example.kr",
                    passport_given_name="Minjun", passport_family_name="Kim")

    assert page.status_code == 200 and b"You are registered" in page.data
    minjun = registration_by_email("minjun.kim@example.kr")
    assert minjun.name_order is NameOrder.FAMILY_FIRST  # nobody had to say so: the Hangul did
    assert minjun.full_name == "김민준"
    deliver_emails()
    [email] = mailbox.to("minjun.kim@example.kr")
    assert "Dear 김민준," in text_of(email) and "민준 김" not in text_of(email)
    assert "김민준" in client.get(link_in(email)).get_data(as_text=True)  # her personal page

    make_user()
    auth.login()
    listed = client.get(f"/admin/events/{event.id}/attendees").get_data(as_text=True)
    assert "김민준" in row_cells(listed, "minjun.kim@example.kr")[2]
    badge = client.get(f"/admin/events/{event.id}/documents/badges.pdf?layout=a6").data
    sizes = _text_sizes(badge)
    # Whole and large; the passport's Latin form under it, smaller, in the same order.
    assert sizes["김민준"] == max(sizes.values()) and sizes["Kim Minjun"] < sizes["김민준"]
    assert "민준 김" not in pdf_text(badge)


def test_sukarno_registers_with_his_one_name_and_is_listed_and_exported_under_it(
        make_event, register, deliver_emails, mailbox, organiser, client):
    event = make_event(capacity=20)
    add_registrations(event, 1, given_name="Amina", family_name="Diallo")
    add_registrations(event, 1, given_name="Zeynep", family_name="Yilmaz")

    refused = register(event, given_name="Sukarno", family_name="", email="sukarno@example.id")
    assert refused.status_code == 422
    assert "Please enter your family name, or tick “I have only one name”." in refused.get_data(as_text=True)
    conflicting = register(event, given_name="Sukarno", family_name="Sukarno", single_name="y",
                           email="sukarno@example.id")
    assert "please leave the family name empty, or untick the box" in conflicting.get_data(as_text=True)
    assert registration_by_email("sukarno@example.id") is None  # nothing was saved either time

    page = register(event, title="", given_name="Sukarno", family_name="", single_name="y",
                    email="sukarno@example.id")

    assert b"You are registered" in page.data
    deliver_emails()
    [email] = mailbox.to("sukarno@example.id")
    assert "Dear Sukarno," in text_of(email)
    # Sorted under his name, between Diallo and Yilmaz; not first for an empty family name.
    listed = client.get(f"/admin/events/{event.id}/attendees?sort=name").get_data(as_text=True)
    assert _people_listed(listed) == ["Amina", "Sukarno", "Zeynep"]
    [row] = [r for r in csv_rows(client.get(f"/admin/events/{event.id}/attendees.csv"))
             if r["Email"] == "sukarno@example.id"]
    assert (row["Name"], row["Given name"], row["Family name"]) == ("Sukarno", "Sukarno", "")
    details = client.get(f"/admin/events/{event.id}/attendees/{registration_by_email('sukarno@example.id').id}")
    assert "(has only one name)" in details.get_data(as_text=True)


def test_the_visa_letter_invites_the_name_in_the_passport(make_event, register, organiser, client):
    event = make_event(title="International Training Workshop on Science City Governance")
    register(event, given_name="小明", family_name="王", email="wang@example.cn", passport_given_name="Xiaoming",
             passport_family_name="Wang", **visa_fields(visa_passport_name="WANG XIAOMING", visa_nationality="CN"))
    wang = registration_by_email("wang@example.cn")
    assert wang.full_name == "王小明"

    documents = f"/admin/events/{event.id}/documents"
    draft = re.search(r'href="([^"]+)">Draft \(PDF\)</a>', client.get(documents).get_data(as_text=True)).group(1)
    letter = pdf_text(client.get(draft).data)
    assert "invite Wang Xiaoming of" in letter and "WANG XIAOMING" in letter
    assert "王小明" not in letter  # a consulate reads the passport's letters


def test_passport_names_are_in_latin_letters(make_event, register):
    event = make_event(capacity=20)
    refused = register(event, given_name="민준", family_name="김", passport_given_name="민준")
    assert refused.status_code == 422
    assert "Please write it in Latin letters" in refused.get_data(as_text=True)


def test_search_finds_names_across_accents_scripts_and_orders(make_event, organiser, client):
    event = make_event(capacity=None)
    add_registrations(event, 1, given_name="민준", family_name="김", email="minjun@example.kr")
    add_registrations(event, 1, given_name="Văn An", family_name="Nguyễn", email="an@example.vn",
                      name_order=NameOrder.FAMILY_FIRST)
    add_registrations(event, 1, given_name="Søren", family_name="Ørsted", email="soren@example.dk")
    add_registrations(event, 1, given_name="Amina", family_name="Diallo", email="amina@example.sn")

    def found(q: str) -> set[str]:
        html = client.get(f"/admin/events/{event.id}/attendees", query_string={"q": q}).get_data(as_text=True)
        return set(re.findall(r'<td class="person">.*?mailto:([^"]+)"', html))

    assert found("김") == {"minjun@example.kr"}
    assert found("김민준") == found("민준 김") == {"minjun@example.kr"}  # as written, or given name first
    assert found("nguyen") == found("NGUYỄN văn") == {"an@example.vn"}
    assert found("orsted") == {"soren@example.dk"}
    assert found("diallo") == {"amina@example.sn"}
    assert found("기") == set()  # a syllable is not a part of another one


def test_sort_by_name_reads_family_names_without_their_accents(make_event, organiser, client):
    event = make_event(capacity=None)
    for given, family in (("Zoë", "Zúñiga"), ("Ali", "Ómar"), ("Lan", "Nguyễn"), ("Pierre", "Abadie")):
        add_registrations(event, 1, given_name=given, family_name=family)

    listed = client.get(f"/admin/events/{event.id}/attendees?sort=name").get_data(as_text=True)
    assert _people_listed(listed) == ["Pierre", "Lan", "Ali", "Zoë"]  # Abadie, Nguyễn, Ómar, Zúñiga
    backwards = client.get(f"/admin/events/{event.id}/attendees?sort=name&dir=desc").get_data(as_text=True)
    assert _people_listed(backwards) == ["Zoë", "Ali", "Lan", "Pierre"]


def test_an_organiser_corrects_the_name_order_and_the_search_follows(make_event, organiser, client):
    event = make_event(capacity=None)
    [an] = add_registrations(event, 1, given_name="Văn An", family_name="Nguyễn", email="an@example.vn")
    assert an.full_name == "Văn An Nguyễn"  # Latin letters: given name first, until told otherwise
    edit = f"/admin/events/{event.id}/attendees/{an.id}/edit"
    page = client.get(edit)
    assert page.status_code == 200 and "We will write your name as:" in page.get_data(as_text=True)

    form = {"title": "", "given_name": "Văn An", "family_name": "Nguyễn", "name_order": "family_first",
            "email": "an@example.vn", "organisation": "Test Science Park", "organisation_type": "science_park",
            "country": "VN", "role": "participant", "csrf_token": csrf_token(page)}
    saved = client.post(edit, data=form, follow_redirects=True)

    assert saved.status_code == 200
    db.session.expire_all()
    an = db.session.get(Registration, an.id)
    assert an.full_name == "Nguyễn Văn An"
    assert db.session.scalar(sa.select(Registration.search_name).where(Registration.id == an.id)).startswith(
        "nguyen van an")


def test_the_name_preview_is_shown_again_with_the_form_without_javascript(make_event, register):
    event = make_event(capacity=20)
    page = register(event, given_name="민준", family_name="김", email="not-an-address")
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert re.search(r"We will write your name as:\s*<strong data-name-preview-value>김민준</strong>", html)
    assert "js/name-preview.js" in html



def test_the_name_fields_speak_korean_to_a_korean_browser(make_event, client):
    event = make_event(capacity=20)
    page = client.get(f"/events/{event.slug}", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "성 없이 이름 하나만 있습니다" in page and "성, 이름 순서" in page and "이름은 다음과 같이 표기됩니다:" in page


def test_the_certificate_prints_the_name_in_hangul_and_its_latin_form_under_it(
        make_event, organiser, client, deliver_emails, mailbox):
    now = utcnow()
    event = make_event(registration_opens_at=now - timedelta(days=60), registration_closes_at=now - timedelta(days=30),
                       starts_at=now - timedelta(days=3, hours=12), ends_at=now - timedelta(days=1, hours=12))
    [minjun] = add_registrations(event, 1, given_name="민준", family_name="김", email="minjun@example.kr",
                                 passport_given_name="Minjun", passport_family_name="Kim")
    attend(event, minjun, 3)
    confirm = client.get(f"/admin/events/{event.id}/documents/certificates")
    client.post(f"/admin/events/{event.id}/documents/certificates", data={"csrf_token": csrf_token(confirm)})
    deliver_emails()

    [email] = mailbox.to("minjun@example.kr")
    [attachment] = [part for part in email.iter_attachments() if part.get_content_type() == "application/pdf"]
    text = pdf_text(attachment.get_content())
    assert "김민준" in text and "Kim Minjun" in text and text.index("김민준") < text.index("Kim Minjun")
