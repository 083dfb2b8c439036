"""Files sent with answers: checked by their content, stored under random names outside the web root.

A file is written to disk while the registration's transaction is still open. If that
transaction rolls back, the file is deleted again; a file replaced by a newer one is deleted
only once the replacement is committed. So the disk never holds a file the database does not
know, and a failed save never loses the file that was there before.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as OrmSession

from app.database import Session
from app.models import DocumentImage, Question, Registration, Upload
from app.services.errors import DomainError

# The events' signature and stamp images (document_images.py) live in this sub-folder of the upload folder.
DOCUMENT_IMAGES = "document-images"
_NEW_FILES = "uploads_written"  # session.info keys
_DOOMED_FILES = "uploads_to_delete_after_commit"
# "%PDF-1.7" or "%PDF-2.0" at the very start; readers also require the end-of-file marker.
_PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")
_PDF_TRAILER_WINDOW = 2048


@dataclass(frozen=True)
class CheckedFile:
    """A PDF that passed the checks, held in memory until it is stored (at most UPLOAD_MAX_BYTES)."""

    filename: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def readable_size(size: int) -> str:
    """5 MB, 1.5 MB, 120 KB: as people read file sizes."""
    if size < 1024 * 1024:
        return f"{max(math.ceil(size / 1024), 1)} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def check_pdf(filename: str, stream: BinaryIO, *, max_bytes: int) -> CheckedFile:
    """The file if it is a PDF no larger than max_bytes, judged by its bytes, not its name."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise DomainError(_("The file you chose is empty. Please choose your PDF file again."))
    if len(data) > max_bytes:
        raise DomainError(_("This file is larger than %(size)s. Please send a smaller PDF "
                            "(for example, save it again with “reduce file size”).", size=readable_size(max_bytes)))
    if not _looks_like_pdf(data):
        raise DomainError(_("This file is not a PDF document. Please save your file as PDF and choose it again."))
    return CheckedFile(_clean_filename(filename), data)


def _looks_like_pdf(data: bytes) -> bool:
    # A renamed program or archive (MZ, \x7fELF, PK...) fails the header; a truncated or fake
    # file fails the trailer or has no objects at all.
    return (
        _PDF_HEADER.match(data) is not None
        and b"%%EOF" in data[-_PDF_TRAILER_WINDOW:]
        and re.search(rb"\d+\s+\d+\s+obj\b", data) is not None
    )


def _clean_filename(filename: str) -> str:
    """The name shown to people (never used on disk): no path, no control characters, ends in .pdf."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "document.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name[-120:]


def store(session: Session, folder: str, registration: Registration, question: Question,
          checked: CheckedFile, *, now: datetime, quota_bytes: int | None = None) -> Upload:
    """Write the file under a random name and record it; deleted again if the transaction rolls back.

    `quota_bytes`: what the event's stored uploads may take together; a file that would pass it is refused
    (next to its question) before anything is written."""
    if quota_bytes is not None and event_upload_bytes(session, registration.event_id) + checked.size > quota_bytes:
        raise DomainError(
            _("We cannot take more files for this event: its uploads have reached their limit of %(size)s. "
              "Nothing was saved. Please write to the organisers, who can take your document another way.",
              size=readable_size(quota_bytes)), field=question.field_name)
    stored_name = write_file(session, Path(folder), checked.data)
    upload = Upload(
        registration_id=registration.id,
        question_id=question.id,
        stored_name=stored_name,
        original_filename=checked.filename,
        size=checked.size,
        sha256=hashlib.sha256(checked.data).hexdigest(),
        created_at=now,
    )
    session.add(upload)
    session.flush()
    return upload


def event_upload_bytes(session: Session, event_id: int) -> int:
    """The size of every file stored with the answers of the event's registrations, together; a file being
    replaced in this transaction no longer counts."""
    # No autoflush: flushing a replaced file's DELETE before the new file's INSERT would let SQLite give the new
    # row the old one's id, and the old file's address would then serve the new file.
    with session.no_autoflush:
        stored = session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(Upload.size), 0))
            .join(Registration, Registration.id == Upload.registration_id)
            .where(Registration.event_id == event_id)
        ) or 0
    leaving = sum(o.size for o in session.deleted if isinstance(o, Upload) and o.id is not None)
    return stored - leaving


def write_file(session: Session, directory: Path, data: bytes) -> str:
    """Write data under a new random name in directory; the file is deleted again if the session's
    transaction rolls back. Returns the name."""
    stored_name = _write_whole(directory, data)
    session.info.setdefault(_NEW_FILES, []).append(directory / stored_name)
    return stored_name


# Participants' files are readable by the app's own user only (not by other accounts on the server):
# directories 0700, files 0600, whatever the process's umask.
DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


def private_directory(directory: Path) -> None:
    """Make directory (and its missing parents) readable by the app's user only."""
    if not directory.is_dir():
        if not directory.parent.is_dir():
            private_directory(directory.parent)
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=DIRECTORY_MODE)
    status = directory.stat()
    # A folder someone else owns (set up by an administrator) is left as they made it.
    if status.st_mode & 0o777 != DIRECTORY_MODE and status.st_uid == os.getuid():
        directory.chmod(DIRECTORY_MODE)


def _write_whole(directory: Path, data: bytes) -> str:
    """Write data under a new random name in directory, whole or not at all; returns the name."""
    private_directory(directory)
    name = secrets.token_hex(20)
    partial = directory / f"{name}.part"
    # Created 0600 from the start (os.open's mode), so the file is never readable by others, not even briefly.
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE), "wb") as out:
        out.write(data)
    os.replace(partial, directory / name)  # readers never see half a file
    return name


def delete_after_commit(session: Session, path: Path) -> None:
    """The file goes once the session's transaction commits; a rollback keeps it."""
    session.info.setdefault(_DOOMED_FILES, []).append(path)


# --- a file kept between two tries of the same form ------------------------------------------
# A browser cannot fill a file input again, so when another field of the form has an error, a PDF
# that passed its checks is kept here and the page carries its name (signed) in a hidden field.
KEPT_FOLDER = "kept"
KEPT_FOR = timedelta(hours=24)
_KEPT_NAME = re.compile(r"[0-9a-f]{40}")


def keep_for_next_try(folder: str, checked: CheckedFile) -> str:
    """Write a checked file the form could not take yet; returns the name to carry to the next try."""
    return _write_whole(Path(folder) / KEPT_FOLDER, checked.data)


def kept_file(folder: str, name: str, filename: str) -> CheckedFile | None:
    """The file kept under `name`, or None when it is gone (cleaned up after KEPT_FOR) or the name is not ours."""
    if not _KEPT_NAME.fullmatch(name or ""):
        return None
    try:
        data = (Path(folder) / KEPT_FOLDER / name).read_bytes()
    except FileNotFoundError:
        return None
    return CheckedFile(_clean_filename(filename), data)


def release_kept(session: Session, folder: str, name: str) -> None:
    """The kept file has been stored for good: delete it once the transaction commits."""
    if _KEPT_NAME.fullmatch(name or ""):
        session.info.setdefault(_DOOMED_FILES, []).append(Path(folder) / KEPT_FOLDER / name)


def discard(session: Session, folder: str, upload: Upload) -> None:
    """Forget an upload; its file goes once the transaction commits."""
    delete_after_commit(session, Path(folder) / upload.stored_name)
    session.delete(upload)


def path_of(folder: str, upload: Upload) -> Path:
    return Path(folder) / upload.stored_name


def uploads_of(session: Session, registration_id: int) -> dict[int, Upload]:
    return {u.id: u for u in session.scalars(sa.select(Upload).where(Upload.registration_id == registration_id))}


def _delete(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# Listeners on the class itself: every session, db.session's included, is an instance of it.
@sa.event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    session.info.pop(_NEW_FILES, None)
    _delete(session.info.pop(_DOOMED_FILES, []))


@sa.event.listens_for(OrmSession, "after_rollback")
def _after_rollback(session: OrmSession) -> None:
    _delete(session.info.pop(_NEW_FILES, []))
    session.info.pop(_DOOMED_FILES, None)


# A file younger than this may belong to a transaction that has not committed yet.
ORPHAN_GRACE = timedelta(hours=1)


def orphaned_files(session: Session, folder: str, *, now: datetime) -> list[Path]:
    """Files in the upload folder that no upload refers to: left by a process that died between
    writing a file and committing (or rolling back) its transaction. Recent files are left alone."""
    directories = [d for d in (Path(folder), Path(folder) / DOCUMENT_IMAGES) if d.is_dir()]
    known = set(session.scalars(sa.select(Upload.stored_name))) | set(
        session.scalars(sa.select(DocumentImage.stored_name)))
    cutoff = (now - ORPHAN_GRACE).timestamp()
    orphans = [path for directory in directories for path in directory.iterdir()
               if path.is_file() and path.name not in known and path.stat().st_mtime < cutoff]
    kept = Path(folder) / KEPT_FOLDER  # files kept for a form's next try, expired
    if kept.is_dir():
        expired = (now - KEPT_FOR).timestamp()
        orphans += [path for path in kept.iterdir() if path.is_file() and path.stat().st_mtime < expired]
    return sorted(orphans)


def delete_orphaned_files(session: Session, folder: str, *, now: datetime) -> list[Path]:
    orphans = orphaned_files(session, folder, now=now)
    _delete(orphans)
    return orphans
