"""PDF documents from HTML/CSS templates (WeasyPrint), and the QR codes printed on them."""

from __future__ import annotations

import segno
from flask import current_app, render_template


def render_pdf(template: str, **context) -> bytes:
    """Render templates/documents/<template> and lay it out as a PDF.

    WeasyPrint needs Pango and fonts on the machine (`make system-libs` installs them).
    Images are embedded as data URIs, so no URL is ever fetched while laying out.
    """
    return layout_pdf(template, **context).write_pdf()


def layout_pdf(template: str, **context):
    """The laid-out weasyprint Document, for a caller that wants to count its pages before writing it."""
    from weasyprint import HTML  # imported late: loading Pango costs a second at start-up

    html = render_template(f"documents/{template}", **context)
    return HTML(string=html, base_url=current_app.static_folder).render()


def qr_data_uri(text: str) -> str:
    """A QR code as a PNG data URI. A PNG (not SVG) keeps the code an image inside the PDF,
    which the tests extract and decode; error correction Q survives a creased badge."""
    return segno.make(text, error="q", boost_error=False).png_data_uri(scale=8, border=4)
