"""Every file uploaded with the filtered applications, as one ZIP for the selection committee.

Entries are named "<reference> <name>/<question> - <original filename>", each part made safe (no path
separators, no "..", no control characters) and the whole in a fixed order, so the same selection gives the
same names. The ZIP is written file by file into a temporary file on disk (each upload read in chunks), never
held in memory: a hundred applicants' PDFs are hundreds of megabytes.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from flask_babel import gettext as _

from app.database import Session
from app.models import Application, Question, Registration, Upload
from app.models.names import written_name
from app.services.applications.application_list import ApplicationQuery, _filters
from app.services.questions import uploads

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
MAX_PART = 80  # characters of one name part: long questions would make unwieldy paths


@dataclass(frozen=True)
class ZipEntry:
    name: str  # the path inside the ZIP
    path: Path  # the stored file
    upload: Upload


def safe_part(text: str, *, fallback: str = "file") -> str:
    """One path part: no separators or control characters, no leading dots (".." included), trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\.{2,}", ".", _UNSAFE.sub("_", text))  # no ".." anywhere, even harmless
    text = " ".join(text.split()).strip(" .")  # a leading dot hides a file, a trailing one upsets Windows
    if len(text) > MAX_PART:
        stem, dot, extension = text.rpartition(".")
        keep = extension if dot and len(extension) <= 5 else ""
        text = text[:MAX_PART - len(keep) - 1].rstrip(" .") + ("." + keep if keep else "")
    return text or fallback


def entries(session: Session, event_id: int, query: ApplicationQuery, folder: str) -> list[ZipEntry]:
    """The uploads of the applications the list shows with this filter: one query, in reference order."""
    applicants = _filters(sa.select(Registration.id).join(Application, Application.registration_id == Registration.id),
                          event_id, query)
    rows = session.execute(
        sa.select(Upload, Registration.reference, Registration.given_name, Registration.family_name,
                  Registration.name_order, Registration.single_name, Question.label)
        .join(Registration, Registration.id == Upload.registration_id)
        .join(Question, Question.id == Upload.question_id)
        .where(Upload.registration_id.in_(applicants))
        .order_by(Registration.reference, Question.position, Question.id, Upload.id)
    ).all()
    taken: set[str] = set()
    found = []
    for upload, reference, given_name, family_name, name_order, single_name, question in rows:
        folder_name = safe_part(f"{reference} {written_name(given_name, family_name, name_order, single=single_name)}")
        name = f"{folder_name}/{safe_part(f'{question} - {upload.original_filename}')}"
        name = _unique(name, taken)
        found.append(ZipEntry(name, uploads.path_of(folder, upload), upload))
    return found


def _unique(name: str, taken: set[str]) -> str:
    """Two files of one question (or names that became the same once made safe): "x (2).pdf"."""
    candidate, n = name, 1
    stem, dot, extension = name.rpartition(".")
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem} ({n}).{extension}" if dot and "/" not in extension else f"{name} ({n})"
    taken.add(candidate.lower())
    return candidate


def write_zip(found: list[ZipEntry], target: IO[bytes]) -> list[str]:
    """Write the ZIP to `target`; returns the names of files missing on disk (listed in a note inside)."""
    missing = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs do not shrink
        for entry in found:
            if not entry.path.is_file():
                missing.append(entry.name)
                continue
            info = zipfile.ZipInfo(entry.name, date_time=_zip_time(entry.upload))
            info.external_attr = 0o644 << 16
            with entry.path.open("rb") as source, archive.open(info, "w") as sink:
                shutil.copyfileobj(source, sink, 1024 * 1024)
        if missing:
            archive.writestr(zipfile.ZipInfo("MISSING FILES.txt", date_time=(1980, 1, 1, 0, 0, 0)),
                             _("These files are no longer on the server; ask the applicants to send them again:") + "\n"
                             + "\n".join(missing) + "\n")
    return missing


def zip_file(found: list[ZipEntry]) -> IO[bytes]:
    """The ZIP in a temporary file, rewound; it is deleted when closed."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
    write_zip(found, target)
    target.seek(0)
    return target


def _zip_time(upload: Upload) -> tuple[int, int, int, int, int, int]:
    moment = upload.created_at
    return (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
