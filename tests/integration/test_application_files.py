"""Every file uploaded with the filtered applications, downloaded as one ZIP and opened as the committee would."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.models import RegistrationMode
from app.services.applications.application_files import safe_part
from tests.integration.applications_support import confirm, decide, registration_of
from tests.integration.questions_support import PDF, a_file, add_question, upload_folder  # noqa: F401


@pytest.fixture
def workshop(make_event):
    event = make_event(registration_mode=RegistrationMode.APPLICATION, capacity=10)
    event.case = add_question(event, "file", "Country case presentation", required=True)
    event.letter = add_question(event, "file", "Letter of support: from your director?")
    return event


@pytest.fixture
def organiser(make_user, auth):
    user = make_user(name="Ji-woo Park")
    auth.login()
    return user


AMINA_CASE = PDF + b"% Amina's case\n"
AMINA_LETTER = PDF + b"% Amina's letter\n"
BAO_CASE = PDF + b"% Bao's case\n"


def apply_with_files(register, event, email, given_name, files):
    page = register(event, email=email, given_name=given_name, family_name="Tester",
                    **{event_field: a_file(data, name) for event_field, (data, name) in files.items()})
    assert "Your application is received" in page.get_data(as_text=True)


def download(client, event, **args) -> zipfile.ZipFile:
    response = client.get(f"/admin/events/{event.id}/applications/files.zip", query_string=args)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert f"{event.slug}-application-files-" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_zip_holds_every_uploaded_file_named_by_reference_and_name(
        workshop, organiser, register, client, upload_folder):  # noqa: F811
    apply_with_files(register, workshop, "amina@dakar.sn", "Amina", {
        workshop.case.field_name: (AMINA_CASE, "../../etc/Case: Senegal.pdf"),
        workshop.letter.field_name: (AMINA_LETTER, "letter.pdf"),
    })
    apply_with_files(register, workshop, "bao@hanoi.vn", "Bao", {workshop.case.field_name: (BAO_CASE, "case.pdf")})
    amina, bao = registration_of("amina@dakar.sn"), registration_of("bao@hanoi.vn")

    archive = download(client, workshop)
    assert archive.testzip() is None
    names = archive.namelist()
    amina_folder, bao_folder = f"{amina.reference} Amina Tester", f"{bao.reference} Bao Tester"
    expected = {
        f"{amina_folder}/Country case presentation - Case_ Senegal.pdf": AMINA_CASE,
        f"{amina_folder}/Letter of support_ from your director_ - letter.pdf": AMINA_LETTER,
        f"{bao_folder}/Country case presentation - case.pdf": BAO_CASE,
    }
    assert sorted(names) == sorted(expected)
    assert names == sorted(names, key=lambda n: (n.split("/")[0] != amina_folder) ^ (amina.reference > bao.reference))
    for name, data in expected.items():
        assert archive.read(name) == data
    assert not any(".." in name or name.startswith("/") or "\\" in name for name in names)

    again = download(client, workshop)
    assert again.namelist() == names  # the same selection, the same names and order


def test_the_zip_follows_the_lists_filter(workshop, organiser, register, client, upload_folder):  # noqa: F811
    apply_with_files(register, workshop, "amina@dakar.sn", "Amina", {workshop.case.field_name: (AMINA_CASE, "a.pdf")})
    apply_with_files(register, workshop, "bao@hanoi.vn", "Bao", {workshop.case.field_name: (BAO_CASE, "b.pdf")})
    confirm(client, workshop, decide(client, workshop, ["bao@hanoi.vn"], "accept"))

    page = client.get(f"/admin/events/{workshop.id}/applications?status=accepted").get_data(as_text=True)
    assert "applications/files.zip?status=accepted" in page

    archive = download(client, workshop, status="accepted")
    [name] = archive.namelist()
    assert name.endswith("Bao Tester/Country case presentation - b.pdf") and archive.read(name) == BAO_CASE
    assert download(client, workshop, q="nobody-matches").namelist() == []


def test_only_the_events_managers_download_the_files(workshop, make_user, auth, client):
    make_user(email="other@wtanet.org", admin=False)
    auth.login("other@wtanet.org")
    assert client.get(f"/admin/events/{workshop.id}/applications/files.zip").status_code == 404


@pytest.mark.parametrize(("text", "safe"), [
    ("../../etc/passwd", "_._etc_passwd"),
    ("..", "file"),
    ("a\x00b\nc", "a_b_c"),
    ("C:\\Users\\x.pdf", "C_Users_x.pdf"),
    ("  .hidden  ", "hidden"),
    ("x" * 200 + ".pdf", "x" * 76 + ".pdf"),  # 80 characters, the extension kept
])
def test_names_inside_the_zip_are_safe(text, safe):
    assert safe_part(text) == safe
