"""The reports an organiser downloads from the statistics page: the participation report for UNESCO (PDF and
XLSX: figures, charts, participants by country and organisation) and the finance export (XLSX: travel
support against days attended, totals per currency), read back the way their readers open them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import Answer, QuestionKind
from tests.conftest import start_writing
from tests.integration.documents_support import pdf_text
from tests.integration.questions_support import add_question
from tests.integration.statistics_support import known_workshop


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def download(client, url: str, mimetype: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert "attachment" in response.headers["Content-Disposition"]
    return response.data


def workbook(client, url: str):
    return load_workbook(io.BytesIO(download(
        client, url, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))


def test_the_participation_report_xlsx_holds_the_figures_and_the_participants(organiser, make_event, client):
    event, _ = known_workshop(make_event)

    book = workbook(client, f"/admin/events/{event.id}/statistics/participation-report.xlsx")

    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Participants (with a place)"] == 6
    assert summary["Countries"] == 3
    assert summary["No-shows"] == 2
    regions = list(book["By world region (UN M49)"].iter_rows(min_row=2, values_only=True))
    assert regions == [("Asia", 3, "50 %"), ("Africa", 2, "33 %"), ("Europe", 1, "17 %"), ("Total", 6, "100 %")]
    participants = list(book["Participants"].iter_rows(values_only=True))
    assert participants[0][:5] == ("Country", "Region (UN M49)", "Income group (World Bank)", "Organisation",
                                   "Organisation type")
    # By country code (FR, KR, NG), then organisation.
    assert [(row[0], row[3]) for row in participants[1:]] == [
        ("France", "Ministère"), ("South Korea", "Chungnam National University"), ("South Korea", "KAIST"),
        ("South Korea", "KAIST"), ("Nigeria", "Abuja Hub"), ("Nigeria", "Lagos Tech")]
    assert participants[1][1:3] == ("Europe", "High income")
    assert all("Gender" not in (cell or "") for cell in participants[0])  # totals only, never one by one


def test_the_participation_report_pdf_has_the_charts_tables_and_participants(organiser, make_event, client):
    event, _ = known_workshop(make_event)

    text = pdf_text(download(client, f"/admin/events/{event.id}/statistics/participation-report.pdf",
                             "application/pdf"))

    assert "Participation report" in text
    assert event.title in text
    assert "Participants by world region (UN M49)" in text
    assert "Asia 3 50 %" in text
    assert "High income 4 67 %" in text
    assert "Woman 2 33 %" in text
    assert "Participants by country and organisation" in text
    assert "Lagos Tech" in text and "Chungnam National University" in text


def test_the_finance_export_settles_travel_support_against_days_attended(organiser, make_event, client):
    event, people = known_workshop(make_event)
    arrival = add_question(event, QuestionKind.DATE, "Arrival date in Daejeon")
    departure = add_question(event, QuestionKind.DATE, "Departure date")
    start_writing()
    lagos_person = people["nigeria"][0]
    db.session.add_all([
        Answer(registration_id=lagos_person.id, question_id=arrival.id, value="2026-11-01", question_label=arrival.label),
        Answer(registration_id=lagos_person.id, question_id=departure.id, value="2026-11-07",
               question_label=departure.label),
    ])
    db.session.commit()

    book = workbook(client, f"/admin/events/{event.id}/statistics/finance.xlsx")

    sheet = book["Travel support"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header[:12] == ["Reference", "Given name", "Family name", "Email", "Organisation", "Country", "Decision",
                           "Covers", "Amount granted", "Currency", "Days attended", "Event days"]
    assert header[12:] == ["Arrival", "Departure"]
    rows = {row[4].value: row for row in sheet.iter_rows(min_row=2)}
    # The declined applicant's request was decided too, but they have no place: not in the export.
    assert set(rows) == {"Lagos Tech", "Abuja Hub", "Ministère"}
    lagos = rows["Lagos Tech"]
    assert lagos[6].value == "Granted" and lagos[7].value == "flight"
    assert lagos[8].value == Decimal("1200.5") or lagos[8].value == 1200.5
    assert lagos[8].data_type == "n" and lagos[10].data_type == "n"
    assert (lagos[9].value, lagos[10].value, lagos[11].value) == ("USD", 2, 6)
    assert rows["Ministère"][10].value == 1
    assert rows["Abuja Hub"][10].value == 0
    assert rows["Abuja Hub"][6].value == "Partly granted"
    assert lagos[12].is_date and lagos[12].value.date() == date(2026, 11, 1)
    assert lagos[13].value.date() == date(2026, 11, 7)
    assert rows["Ministère"][12].value is None  # not answered: an empty cell

    totals = list(book["Totals per currency"].iter_rows(values_only=True))
    assert totals[0] == ("Currency", "People supported", "Amount granted", "Days attended")
    assert [(c, n, float(a), d) for c, n, a, d in totals[1:]] == [("EUR", 1, 500.0, 1), ("USD", 2, 2000.5, 2)]


def test_a_report_of_more_people_than_a_pdf_can_list_points_to_the_xlsx(organiser, make_event, client, monkeypatch):
    from app.services.statistics import participation_report

    monkeypatch.setattr(participation_report, "PDF_LIST_LIMIT", 5)
    event, _ = known_workshop(make_event)

    text = pdf_text(download(client, f"/admin/events/{event.id}/statistics/participation-report.pdf",
                             "application/pdf"))

    assert "6 participants: too many to list here. The participation report in XLSX lists everyone." in text
    assert "Lagos Tech" not in text
