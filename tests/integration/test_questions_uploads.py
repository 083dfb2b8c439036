"""Files sent with answers: PDFs only, judged by their bytes; size limits; nothing left behind."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Registration, Upload, utcnow
from app.services.errors import DomainError
from app.services.questions import uploads
from tests.conftest import start_writing
from tests.integration.questions_support import (  # noqa: F401
    ELF,
    PDF,
    WINDOWS_EXE,
    ZIP,
    a_file,
    add_question,
    count,
    upload_folder,
)

NOT_A_PDF = "This file is not a PDF document. Please save your file as PDF and choose it again."


@pytest.fixture
def event_with_upload(make_event):
    event = make_event()
    event.slides = add_question(event, "file", "Case presentation", required=True)
    return event


@pytest.mark.parametrize(("data", "name", "message"), [
    (ELF, "case.pdf", NOT_A_PDF),  # a Linux program renamed
    (WINDOWS_EXE, "case.pdf", NOT_A_PDF),
    (ZIP, "case.pdf", NOT_A_PDF),  # a Word document or an archive renamed
    (b"Just some text, saved with a .pdf name", "case.pdf", NOT_A_PDF),
    (PDF[:60], "case.pdf", NOT_A_PDF),  # cut short: no end-of-file marker
    (b"%PDF-1.4\n%%EOF\n", "case.pdf", NOT_A_PDF),  # a header and nothing in it
    (b"", "case.pdf", "The file you chose is empty. Please choose your PDF file again."),
])
def test_files_that_are_not_pdfs_are_refused_whatever_their_name(event_with_upload, register, data, name, message,
                                                                 upload_folder):  # noqa: F811
    page = register(event_with_upload, **{event_with_upload.slides.field_name: a_file(data, name)})

    assert page.status_code == 422
    assert f'id="{event_with_upload.slides.field_name}-error">{message}</p>' in page.get_data(as_text=True)
    assert count(Registration) == count(Upload) == 0
    assert not upload_folder.exists() or not any(upload_folder.iterdir())


def test_a_required_file_must_be_sent(event_with_upload, register):
    page = register(event_with_upload)
    assert "Please choose a PDF file to send." in page.get_data(as_text=True)
    assert count(Registration) == 0


def test_a_pdf_with_any_name_is_accepted_and_shown_under_a_safe_name(event_with_upload, register,
                                                                    upload_folder):  # noqa: F811
    page = register(event_with_upload, **{event_with_upload.slides.field_name: a_file(PDF, "../../etc/Case")})
    assert b"You are registered" in page.data
    upload = db.session.scalar(sa.select(Upload))
    assert upload.original_filename == "Case.pdf"
    assert (upload_folder / upload.stored_name).read_bytes() == PDF


def test_a_file_over_the_size_limit_is_refused(app, event_with_upload, register, upload_folder,  # noqa: F811
                                               monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    big = PDF.replace(b"%%EOF", b"%" + b"x" * 2000 + b"\n%%EOF")
    page = register(event_with_upload, **{event_with_upload.slides.field_name: a_file(big)})
    assert page.status_code == 422
    assert "This file is larger than 1 KB. Please send a smaller PDF" in page.get_data(as_text=True)
    assert count(Registration) == count(Upload) == 0


def test_a_request_over_the_whole_limit_gets_a_friendly_page(app, event_with_upload, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    response = client.post(f"/events/{event_with_upload.slug}", data={
        event_with_upload.slides.field_name: a_file(PDF + b"%" * 5000)})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "What you sent is too large" in html and "choose smaller PDF files" in html
    assert "Traceback" not in html


def test_a_stored_file_is_deleted_again_when_its_transaction_rolls_back(event_with_upload, register,
                                                                       upload_folder):  # noqa: F811
    register(event_with_upload, **{event_with_upload.slides.field_name: a_file(PDF)})
    registration = db.session.scalar(sa.select(Registration))
    start_writing()
    checked = uploads.check_pdf("more.pdf", io.BytesIO(PDF), max_bytes=10_000)
    upload = uploads.store(db.session, str(upload_folder), registration, event_with_upload.slides, checked,
                           now=utcnow())
    assert (upload_folder / upload.stored_name).exists()
    db.session.rollback()
    assert not (upload_folder / upload.stored_name).exists()
    assert len(list(upload_folder.iterdir())) == 1  # the committed one stays


def test_check_pdf_reads_no_more_than_the_limit():
    class Endless(io.RawIOBase):
        read_calls = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            Endless.read_calls += 1
            buffer[: len(buffer)] = b"%" * len(buffer)
            return len(buffer)

    with pytest.raises(DomainError, match="larger than"):
        uploads.check_pdf("huge.pdf", io.BufferedReader(Endless()), max_bytes=100_000)


def test_flask_uploads_clean_removes_only_old_files_no_upload_refers_to(event_with_upload, register, runner,
                                                                        upload_folder):  # noqa: F811
    import os
    import time

    register(event_with_upload, **{event_with_upload.slides.field_name: a_file(PDF)})
    kept = db.session.scalar(sa.select(Upload)).stored_name
    stray, fresh = upload_folder / "left-by-a-crash", upload_folder / "being-written.part"
    stray.write_bytes(PDF)
    fresh.write_bytes(PDF)
    two_hours_ago = time.time() - 7200
    os.utime(stray, (two_hours_ago, two_hours_ago))
    os.utime(upload_folder / kept, (two_hours_ago, two_hours_ago))
    db.session.commit()

    dry = runner.invoke(args=["uploads", "clean", "--dry-run"])
    assert "would remove left-by-a-crash" in dry.output and stray.exists()

    done = runner.invoke(args=["uploads", "clean"])

    assert done.exit_code == 0, done.output
    assert "1 file removed" in done.output
    assert sorted(p.name for p in upload_folder.iterdir()) == sorted([kept, "being-written.part"])


# --- a chosen PDF is not lost when another field has an error ----------------------------------------

def post_registration(client, event, page, **fields):
    """Send the form as a browser does: multipart, with the page's CSRF token and its hidden fields."""
    from tests.conftest import csrf_token, registration_form

    hidden = dict(re.findall(r'<input id="(q_\d+_kept)" name="q_\d+_kept" type="hidden" value="([^"]*)"',
                             page.get_data(as_text=True)))
    return client.post(f"/events/{event.slug}", content_type="multipart/form-data", follow_redirects=True,
                       data={**registration_form(**fields), **hidden, "csrf_token": csrf_token(page)})


def test_a_chosen_pdf_is_kept_when_another_field_has_an_error(event_with_upload, client,
                                                              upload_folder):  # noqa: F811
    slides = event_with_upload.slides.field_name
    first = client.get(f"/events/{event_with_upload.slug}")

    # The PDF is chosen but the email is mistyped: the form comes back with the error.
    again = post_registration(client, event_with_upload, first, email="amina@", **{slides: a_file(PDF, "report.pdf")})

    html = again.get_data(as_text=True)
    assert again.status_code == 422 and "This email address is not valid" in html
    assert "<strong>report.pdf</strong> is kept — you do not need to choose it again." in html
    assert count(Registration) == count(Upload) == 0

    # The person corrects the email and sends again without choosing the file a second time.
    done = post_registration(client, event_with_upload, again, email="amina@example.org")

    assert "You are registered" in done.get_data(as_text=True)
    upload = db.session.scalar(sa.select(Upload))
    assert upload.original_filename == "report.pdf" and (upload_folder / upload.stored_name).read_bytes() == PDF
    db.session.commit()
    assert not any((upload_folder / uploads.KEPT_FOLDER).iterdir())  # the copy kept between the tries is gone


def test_a_new_choice_replaces_the_kept_file(event_with_upload, client, upload_folder):  # noqa: F811
    slides = event_with_upload.slides.field_name
    first = client.get(f"/events/{event_with_upload.slug}")
    again = post_registration(client, event_with_upload, first, email="amina@", **{slides: a_file(PDF, "old.pdf")})

    post_registration(client, event_with_upload, again, email="amina@example.org", **{slides: a_file(PDF, "new.pdf")})

    assert db.session.scalar(sa.select(Upload.original_filename)) == "new.pdf"


def test_a_forged_or_foreign_kept_token_brings_no_file(event_with_upload, make_event, client,
                                                       upload_folder):  # noqa: F811
    from tests.conftest import csrf_token, registration_form

    slides = event_with_upload.slides.field_name
    page = client.get(f"/events/{event_with_upload.slug}")
    for token in ("", "not-a-token", '[1, "../../etc/passwd", "x.pdf"]'):
        response = client.post(f"/events/{event_with_upload.slug}", content_type="multipart/form-data",
                               data={**registration_form(), f"{slides}_kept": token, "csrf_token": csrf_token(page)})
        assert response.status_code == 422
        assert "Please choose a PDF file to send." in response.get_data(as_text=True)
    assert count(Registration) == 0


def test_flask_uploads_clean_removes_files_kept_for_a_try_that_never_came(runner, upload_folder):  # noqa: F811
    import os
    import time

    old = uploads.keep_for_next_try(str(upload_folder), uploads.CheckedFile("a.pdf", PDF))
    recent = uploads.keep_for_next_try(str(upload_folder), uploads.CheckedFile("b.pdf", PDF))
    two_days_ago = time.time() - 2 * 86400
    os.utime(upload_folder / uploads.KEPT_FOLDER / old, (two_days_ago, two_days_ago))

    done = runner.invoke(args=["uploads", "clean"])

    assert done.exit_code == 0 and "1 file removed" in done.output, done.output
    assert [p.name for p in (upload_folder / uploads.KEPT_FOLDER).iterdir()] == [recent]
