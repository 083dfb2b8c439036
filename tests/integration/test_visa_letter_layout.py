"""The visa letter stays on one sheet, and carries the event's scanned signature and stamp."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from app.extensions import db
from app.models import DocumentImage, DocumentSettings, Registration, VisaRequest
from app.services.documents.document_images import check_image
from app.services.documents.document_samples import longest_visa_request
from app.services.documents.document_wording import DEFAULT_LETTER
from app.services.documents.visa_letter_pdf import LETTER_BODY_MAX_CHARS
from app.services.errors import DomainError
from tests.conftest import csrf_token, link_in, start_writing
from tests.integration.documents_support import (
    pdf_pages,
    pdf_text,
    save_wording,
    verification_code_in,
    visa_fields,
)
from tests.integration.organiser_support import post_action
from tests.integration.questions_support import upload_folder  # noqa: F401 (a fixture)

PARAGRAPH = ("During the workshop the participant will attend lectures, site visits and country case "
             "presentations together with managers of science parks from other countries. ") * 2


def _letter_with(paragraphs: int) -> str:
    return DEFAULT_LETTER + ("\n\n" + PARAGRAPH.strip()) * paragraphs


def _images_url(event) -> str:
    return f"/admin/events/{event.id}/documents/images"


def _drawn_image_sizes(content: bytes) -> list[tuple[int, int]]:
    """The (width, height) of every image the letter's page draws, as a PDF reader shows them."""
    reader = PdfReader(io.BytesIO(content))
    page = reader.pages[0]
    drawn = [operands[0] for operands, operator in ContentStream(page.get_contents(), reader).operations
             if operator == b"Do"]
    return [page.images[name].image.size for name in drawn]


def _image(kind: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 40, 160)).save(out, kind)
    return out.getvalue()


def _approved_letter(event, register, client, deliver_emails, mailbox, **fields) -> bytes:
    """Register with a visa request, have the organiser approve it, download it from the personal link."""
    assert b"You are registered" in register(event, **visa_fields(**fields)).data
    request = db.session.scalar(sa.select(VisaRequest))
    documents = f"/admin/events/{event.id}/documents"
    assert b"is approved" in post_action(client, documents, f"{documents}/visa/{request.id}/approve").data
    deliver_emails()
    email = fields.get("email", "amina.diallo@example.org")
    letter = client.get(link_in(mailbox.to(email)[-1]) + "/visa-letter.pdf")
    assert letter.status_code == 200
    return letter.data


def test_a_letter_with_an_added_paragraph_stays_on_one_page(make_event, make_user, auth, client):
    event = make_event()
    make_user()
    auth.login()
    assert b"The wording is saved" in save_wording(client, event, letter_body=_letter_with(1)).data

    preview = client.get(f"/admin/events/{event.id}/documents/preview/letter.pdf").data
    pages = pdf_pages(preview)
    assert len(pages) == 1  # it used to put the verification line alone on a second page
    assert "presentations together with managers" in pages[0]
    assert "Dr Lee Hana" in pages[0] and "The verification code is added when the letter is approved" in pages[0]


def test_the_longest_wording_accepted_fits_one_page_for_the_longest_details(
    make_event, make_user, auth, register, client, deliver_emails, mailbox
):
    event = make_event()
    make_user()
    auth.login()
    # Add paragraphs until the wording page refuses one: the one before is the longest it accepts.
    added = 0
    while True:
        response = save_wording(client, event, letter_body=_letter_with(added + 1))
        if response.status_code == 422:
            break
        assert b"The wording is saved" in response.data
        added += 1
        assert added < 10
    assert added >= 2  # room for real letters: two long paragraphs more than the default
    error = re.search(rb'<p class="error" id="letter_body-error">([^<]*)</p>', response.data)
    assert error and b"would run onto a second page" in error.group(1)
    assert db.session.get(DocumentSettings, event.id).letter_body == _letter_with(added)  # unchanged

    # Whoever registers, with the longest name, organisation and passport name the forms accept:
    longest = longest_visa_request(event)
    person = longest.registration
    letter = _approved_letter(
        event, register, client, deliver_emails, mailbox,
        given_name=person.given_name, family_name=person.family_name, organisation=person.organisation,
        position=person.position, country=person.country, email="long.name@example.org",
        visa_passport_name=longest.passport_name, visa_nationality=longest.nationality,
        visa_passport_number=longest.passport_number,
    )
    assert len(pdf_pages(letter)) == 1
    text = pdf_text(letter)
    assert "presentations together with managers" in text and "Secretary General, WTA" in text
    code = verification_code_in(text)
    assert f"This letter can be verified at http://localhost/verify/{code}" in text


def test_a_letter_text_over_the_length_limit_is_refused_next_to_the_field(make_event, make_user, auth, client):
    event = make_event()
    make_user()
    auth.login()
    refused = save_wording(client, event, letter_body="Word " * (LETTER_BODY_MAX_CHARS // 5 + 1))
    assert refused.status_code == 422
    assert re.search(rb'id="letter_body-error">The letter text can be at most 2,500 characters', refused.data)
    assert db.session.get(DocumentSettings, event.id) is None


def test_an_event_uploads_a_signature_and_a_stamp_printed_on_its_letters(
    make_event, make_user, auth, register, client, deliver_emails, mailbox, upload_folder  # noqa: F811
):
    event = make_event()
    make_user()
    auth.login()
    assert b"The wording is saved" in save_wording(client, event, letter_body=_letter_with(1)).data
    wording = client.get(f"/admin/events/{event.id}/documents/wording")
    saved = client.post(_images_url(event), data={
        "csrf_token": csrf_token(wording),
        "signature": (io.BytesIO(_image("PNG", (300, 100))), "signature.png"),
        "stamp": (io.BytesIO(_image("JPEG", (200, 200))), "stamp.jpg"),
    }, content_type="multipart/form-data", follow_redirects=True)
    assert b"The signature and stamp are saved" in saved.data
    assert b'alt="The signature printed on the letters"' in saved.data
    assert client.get(f"/admin/events/{event.id}/documents/images/stamp").mimetype == "image/jpeg"
    assert b"Visa letters print the uploaded signature and stamp." in client.get(
        f"/admin/events/{event.id}/documents").data

    letter = _approved_letter(event, register, client, deliver_emails, mailbox)
    assert len(pdf_pages(letter)) == 1
    assert sorted(_drawn_image_sizes(letter)) == [(200, 200), (300, 100)]
    preview = client.get(f"/admin/events/{event.id}/documents/preview/letter.pdf").data
    assert sorted(_drawn_image_sizes(preview)) == [(200, 200), (300, 100)]

    # Replace the signature, remove the stamp: the old files leave the disk too.
    wording = client.get(f"/admin/events/{event.id}/documents/wording")
    client.post(_images_url(event), data={
        "csrf_token": csrf_token(wording), "remove_stamp": "y",
        "signature": (io.BytesIO(_image("PNG", (240, 80))), "new-signature.png"),
    }, content_type="multipart/form-data", follow_redirects=True)
    request = db.session.scalar(sa.select(VisaRequest))
    letter = client.get(f"/admin/events/{event.id}/documents/visa/{request.id}/letter.pdf").data
    assert _drawn_image_sizes(letter) == [(240, 80)]
    stored = db.session.scalars(sa.select(DocumentImage.stored_name)).all()
    assert sorted(p.name for p in (upload_folder / "document-images").iterdir()) == stored
    assert client.get(f"/admin/events/{event.id}/documents/images/stamp").status_code == 404


def test_a_file_that_is_not_an_image_is_refused_next_to_its_field_and_nothing_changes(
    make_event, make_user, auth, client, upload_folder  # noqa: F811
):
    event = make_event()
    make_user()
    auth.login()
    wording = client.get(f"/admin/events/{event.id}/documents/wording")
    refused = client.post(_images_url(event), data={
        "csrf_token": csrf_token(wording),
        "signature": (io.BytesIO(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF"), "signature.png"),
        "stamp": (io.BytesIO(_image("PNG", (200, 200))), "stamp.png"),  # good, but not stored alone
    }, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert re.search(rb'id="signature-error">This file is not a PNG or JPEG image', refused.data)
    assert b'id="stamp-error"' not in refused.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentImage)) == 0
    assert not (upload_folder / "document-images").exists() or not any((upload_folder / "document-images").iterdir())

    assert client.post(_images_url(event), data={"signature": (io.BytesIO(_image("PNG", (9, 9))), "s.png")},
                       content_type="multipart/form-data").status_code == 400  # no CSRF token, no change
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentImage)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_only_the_events_organisers_can_see_or_change_its_signature(make_event, make_user, auth, client,
                                                                     upload_folder):  # noqa: F811
    event = make_event()
    make_user()
    make_user("other@wtanet.org", admin=False)
    auth.login()
    wording = client.get(f"/admin/events/{event.id}/documents/wording")
    client.post(_images_url(event), data={
        "csrf_token": csrf_token(wording), "signature": (io.BytesIO(_image("PNG", (300, 100))), "signature.png"),
    }, content_type="multipart/form-data")
    assert client.get(f"/admin/events/{event.id}/documents/images/signature").status_code == 200
    assert client.get(f"/admin/events/{event.id}/documents/images/other").status_code == 404

    auth.logout()
    auth.login("other@wtanet.org")
    page = client.get("/admin/")
    assert client.get(f"/admin/events/{event.id}/documents/images/signature").status_code == 404
    removed = client.post(_images_url(event), data={"csrf_token": csrf_token(page), "remove_signature": "y"},
                          content_type="multipart/form-data")
    assert removed.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentImage)) == 1


def test_flask_uploads_clean_keeps_signatures_in_use_and_removes_stray_ones(make_event, make_user, auth, client,
                                                                            runner, upload_folder):  # noqa: F811
    import os
    import time

    event = make_event()
    make_user()
    auth.login()
    wording = client.get(f"/admin/events/{event.id}/documents/wording")
    client.post(_images_url(event), data={
        "csrf_token": csrf_token(wording), "stamp": (io.BytesIO(_image("PNG", (200, 200))), "stamp.png"),
    }, content_type="multipart/form-data")
    images = upload_folder / "document-images"
    (kept,) = list(images.iterdir())
    stray = images / "left-by-a-crash"
    stray.write_bytes(_image("PNG", (20, 20)))
    two_hours_ago = time.time() - 7200
    for path in (kept, stray):
        os.utime(path, (two_hours_ago, two_hours_ago))

    done = runner.invoke(args=["uploads", "clean"])
    assert done.exit_code == 0, done.output
    assert "removed left-by-a-crash" in done.output
    assert list(images.iterdir()) == [kept]


def test_wording_saved_before_the_one_page_rule_is_flagged_where_it_can_be_fixed(make_event, make_user, auth, client):
    event = make_event()
    make_user()
    auth.login()
    start_writing()
    db.session.add(DocumentSettings(
        event_id=event.id, signatory_name="Dr Lee Hana", signatory_title="Secretary General",
        letter_body=_letter_with(6), badge_heading="{event_title}", certificate_body="took part.",
        certificate_threshold=80,
    ))
    db.session.commit()
    page = client.get(f"/admin/events/{event.id}/documents/wording")
    assert page.status_code == 200
    warning = " ".join(re.search(r'(?s)id="letter-warning">(.*?)</div>', page.data.decode()).group(1).split())
    assert "The saved visa letter does not always fit on one page." in warning
    assert "would run onto a second page" in warning

    assert b"The wording is saved" in save_wording(client, event, letter_body=_letter_with(1)).data
    assert b"does not always fit" not in client.get(f"/admin/events/{event.id}/documents/wording").data


def test_a_new_edition_uses_the_signature_and_stamp_of_the_last_one(make_event, make_user, auth, client,
                                                                     upload_folder):  # noqa: F811
    from datetime import timedelta

    from app.models import EventKind, Series

    start_writing()
    series = Series(name="International Training Workshop", slug="itw", code="ITW", kind=EventKind.INTERNATIONAL_WORKSHOP,
                    first_year=2004)
    db.session.add(series)
    db.session.commit()
    last = make_event(title="23rd workshop", series_id=series.id)
    new = make_event(title="24th workshop", series_id=series.id, starts_at=last.starts_at + timedelta(days=365),
                     ends_at=last.ends_at + timedelta(days=365))
    make_user()
    auth.login()
    wording = client.get(f"/admin/events/{last.id}/documents/wording")
    client.post(_images_url(last), data={
        "csrf_token": csrf_token(wording), "signature": (io.BytesIO(_image("PNG", (300, 100))), "signature.png"),
        "stamp": (io.BytesIO(_image("PNG", (200, 200))), "stamp.png"),
    }, content_type="multipart/form-data")

    page = client.get(f"/admin/events/{new.id}/documents/wording")
    assert b"23rd workshop, another edition of this series, has a signature or stamp uploaded." in page.data
    copied = post_action(client, f"/admin/events/{new.id}/documents/wording",
                         f"/admin/events/{new.id}/documents/images/copy")
    assert b"The signature and stamp of 23rd workshop are now this event&#39;s too." in copied.data
    preview = client.get(f"/admin/events/{new.id}/documents/preview/letter.pdf").data
    assert sorted(_drawn_image_sizes(preview)) == [(200, 200), (300, 100)]

    # Its own copies: removing them from the new edition leaves the last one's as they were.
    page = client.get(f"/admin/events/{new.id}/documents/wording")
    client.post(_images_url(new), data={"csrf_token": csrf_token(page), "remove_signature": "y", "remove_stamp": "y"},
                content_type="multipart/form-data")
    assert client.get(f"/admin/events/{last.id}/documents/images/signature").status_code == 200
    assert len(list((upload_folder / "document-images").iterdir())) == 2


def test_only_whole_png_and_jpeg_images_of_a_sensible_size_are_taken(app):
    import weasyprint  # noqa: F401  as in a server that has made a PDF: it makes Pillow lenient with cut files

    png = _image("PNG", (300, 100))
    assert check_image(io.BytesIO(png)).content_type == "image/png"
    assert check_image(io.BytesIO(_image("JPEG", (300, 100)))).content_type == "image/jpeg"
    for data, message in (
        (png[: len(png) // 2], "not a PNG or JPEG image"),  # cut short
        (_image("GIF", (300, 100)), "not a PNG or JPEG image"),
        (b"MZ\x90\x00" + png, "not a PNG or JPEG image"),  # a program wearing a .png name
        (b"", "is empty"),
        (_image("PNG", (4001, 10)), "at most 4000 pixels"),
    ):
        with pytest.raises(DomainError, match=message):
            check_image(io.BytesIO(data))
    with pytest.raises(DomainError, match="larger than 1 KB"):
        check_image(io.BytesIO(png + b"\0" * 2048), max_bytes=1024)
