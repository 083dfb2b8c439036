"""PDF documents from HTML/CSS templates (WeasyPrint), and the QR codes printed on them."""

from __future__ import annotations

import segno
from flask import current_app, render_template

from app.i18n import current_language


def render_pdf(template: str, **context) -> bytes:
    """Render templates/documents/<template> and lay it out as a PDF.

    WeasyPrint needs Pango and fonts on the machine (`make system-libs` installs them).
    Images are embedded as data URIs, so no URL is ever fetched while laying out.
    """
    return layout_pdf(template, **context).write_pdf()


def layout_pdf(template: str, **context):
    """The laid-out weasyprint Document, for a caller that wants to count its pages before writing it."""
    from weasyprint import HTML  # imported late: loading Pango costs a second at start-up

    # The document speaks the current language (force_locale around the call picks it); its <html lang>
    # says so, which also puts the Korean font first for Korean documents.
    html = render_template(f"documents/{template}", **{"lang": current_language(), **context})
    return HTML(string=html, base_url=current_app.static_folder).render()


def qr_data_uri(text: str) -> str:
    """A standard QR code as a PNG data URI, for print.

    Never a Micro QR, which segno.make picks for short texts such as a reference: the check-in
    page's reader (jsQR) and many phone scanners cannot read one. Error correction Q (boosted
    to H when that fits in the same size) survives a creased or scuffed badge; the quiet zone
    is the 4 modules the standard asks for, so a scanner finds the code on a busy badge.
    A PNG (not SVG) keeps the code an image inside the PDF, which the tests extract and decode.
    """
    return segno.make_qr(text, error="q").png_data_uri(scale=8, border=4)
