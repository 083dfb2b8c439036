"""An event's signature and stamp images, printed on its visa letters above the signatory's name.

Checked by their content (a PNG or JPEG that decodes, not a name ending in .png), kept in a
folder of their own inside the upload folder, outside the web root, and embedded in the PDF as
data URIs. Written and deleted with the transaction, as participants' files are (see uploads).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from flask_babel import gettext as _

from app.database import Session
from app.models import DocumentImage, DocumentImageKind, Event, User
from app.services.errors import DomainError, Problems
from app.services.questions import uploads

IMAGE_MAX_BYTES = 2 * 1024 * 1024
# A scan at 300 dpi of a 10 cm stamp is about 1200 pixels; anything far larger is a mistake or a trap.
IMAGE_MAX_PIXELS = 4000
_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    content_type: str
    width: int
    height: int


def check_image(stream: BinaryIO, *, max_bytes: int = IMAGE_MAX_BYTES) -> CheckedImage:
    """The image if it is a PNG or JPEG that decodes and is no larger than max_bytes."""
    from PIL import Image, UnidentifiedImageError

    data = stream.read(max_bytes + 1)
    if not data:
        raise DomainError(_("The file you chose is empty. Please choose the image again."))
    if len(data) > max_bytes:
        raise DomainError(_("This image is larger than %(size)s. Please scan it at a lower resolution or save it "
                            "as a smaller JPEG.", size=uploads.readable_size(max_bytes)))
    try:
        # Only the two decoders we accept ever see the bytes.
        with Image.open(io.BytesIO(data), formats=list(_FORMATS)) as image:
            kind, (width, height) = image.format, image.size
            if kind in _FORMATS and max(width, height) <= IMAGE_MAX_PIXELS:
                # verify() checks the file's structure (a PNG's checksums, a cut-off end); load() then
                # decodes every pixel. WeasyPrint tells Pillow to pad truncated images (LOAD_TRUNCATED_IMAGES),
                # so load() alone would let half a file through once a PDF has been made.
                image.verify()
        if kind in _FORMATS and max(width, height) <= IMAGE_MAX_PIXELS:
            with Image.open(io.BytesIO(data), formats=list(_FORMATS)) as image:
                image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    if kind not in _FORMATS:
        raise DomainError(_("This file is not a PNG or JPEG image. Please scan the signature or stamp "
                            "and save it as PNG (best, with a transparent background) or JPEG."))
    if max(width, height) > IMAGE_MAX_PIXELS:
        raise DomainError(_("This image is %(width)d × %(height)d pixels; please make it at most %(max)d pixels "
                            "wide and high.", width=width, height=height, max=IMAGE_MAX_PIXELS))
    return CheckedImage(data, _FORMATS[kind], width, height)


def _directory(folder: str) -> Path:
    return Path(folder) / uploads.DOCUMENT_IMAGES


def images_of(session: Session, event_id: int) -> dict[DocumentImageKind, DocumentImage]:
    return {image.kind: image for image in
            session.scalars(sa.select(DocumentImage).where(DocumentImage.event_id == event_id)
                                   .order_by(DocumentImage.kind))}


def replace_image(session: Session, folder: str, event: Event, kind: DocumentImageKind, checked: CheckedImage,
                  *, actor: User, now: datetime) -> DocumentImage:
    """Store the image as the event's signature or stamp; the one it replaces is deleted on commit."""
    image = session.get(DocumentImage, (event.id, kind))
    if image is None:
        image = DocumentImage(event_id=event.id, kind=kind)
        session.add(image)
    else:
        uploads.delete_after_commit(session, _directory(folder) / image.stored_name)
    image.stored_name = uploads.write_file(session, _directory(folder), checked.data)
    image.content_type = checked.content_type
    image.width, image.height, image.size = checked.width, checked.height, len(checked.data)
    image.uploaded_at = now
    image.uploaded_by_id = actor.id
    session.flush()
    return image


def remove_image(session: Session, folder: str, event: Event, kind: DocumentImageKind) -> None:
    image = session.get(DocumentImage, (event.id, kind))
    if image is not None:
        uploads.delete_after_commit(session, _directory(folder) / image.stored_name)
        session.delete(image)
        session.flush()


def path_of(folder: str, image: DocumentImage) -> Path:
    return _directory(folder) / image.stored_name


def data_uris(session: Session, folder: str, event_id: int) -> dict[str, str]:
    """{"signature": "data:image/png;base64,...", ...} for the images the event has and the disk still holds."""
    found = {}
    for kind, image in images_of(session, event_id).items():
        path = path_of(folder, image)
        if path.is_file():
            found[kind.value] = f"data:{image.content_type};base64,{base64.b64encode(path.read_bytes()).decode()}"
    return found


def update_images(session: Session, folder: str, event: Event, *, chosen: dict[DocumentImageKind, BinaryIO],
                  remove: set[DocumentImageKind], actor: User, now: datetime) -> None:
    """Replace the chosen images and remove the others asked for. Every file is checked before any
    is stored: one refused file changes nothing. The form field of each kind is named by its value."""
    checked, problems = {}, Problems()
    for kind, stream in chosen.items():
        with problems.collecting(field=kind.value):
            checked[kind] = check_image(stream)
    problems.raise_if_any()
    for kind in remove - set(checked):
        remove_image(session, folder, event, kind)
    for kind, image in checked.items():
        replace_image(session, folder, event, kind, image, actor=actor, now=now)


def edition_to_copy_from(session: Session, event: Event, *, actor: User) -> Event | None:
    """The latest other edition of the event's series with a signature or stamp the actor may use
    (one they manage: a signature is not to be borrowed from someone else's event), or None."""
    from app.services.people.permissions import can_manage

    if event.series_id is None:
        return None
    editions = session.scalars(
        sa.select(Event).join(DocumentImage, DocumentImage.event_id == Event.id)
        .where(Event.series_id == event.series_id, Event.id != event.id)
        .distinct().order_by(Event.starts_at.desc())
    )
    return next((edition for edition in editions if can_manage(actor, edition)), None)


def copy_images(session: Session, folder: str, event: Event, source: Event, *, actor: User,
                now: datetime) -> list[DocumentImageKind]:
    """Give the event its own copies of the source edition's images (own files: removing one later
    leaves the other edition's untouched). Returns the kinds copied."""
    copied = []
    for kind, image in images_of(session, source.id).items():
        path = path_of(folder, image)
        if path.is_file():
            checked = CheckedImage(path.read_bytes(), image.content_type, image.width, image.height)
            replace_image(session, folder, event, kind, checked, actor=actor, now=now)
            copied.append(kind)
    if not copied:
        raise DomainError(_("That edition has no signature or stamp to copy any more."))
    return copied
