"""An XLSX workbook written as a stream: the first bytes leave while later rows are still being read.

openpyxl (even write-only) and XlsxWriter (even constant-memory) finish the whole file before its first
byte can be sent: 100,000 rows were a minute of silence, past gunicorn's timeout. Here each sheet's XML
goes straight into a zip entry of a zip written to a pipe, and what the zip has written so far is handed
to the response every few hundred rows. A zip needs no seeking for that (sizes follow each entry, the
directory comes last), and the parts that name the sheets are written after them, once all are known.

Cells are typed as spreadsheets.py describes: text as inline strings (never a formula or an error code),
numbers as numbers, datetimes and dates as serial numbers with a date style, Decimal with "#,##0.00".
Memory stays flat: a chunk of XML at a time.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

ROWS_PER_CHUNK = 500
_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug folded in, for dates after March 1900)

# Cell styles (cellXfs, by position): 0 plain, 1 bold heading, 2 date and time, 3 date, 4 amount.
_BOLD, _DATETIME, _DATE, _AMOUNT = 1, 2, 3, 4
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


class _Pipe:
    """What the zip writes, kept until the response takes it."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def xlsx_stream(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[object]]]], *,
                rows_per_chunk: int = ROWS_PER_CHUNK) -> Iterator[bytes]:
    """The workbook's bytes, a chunk at a time. `sheets` gives (title, header, rows) and may be a generator:
    a sheet's rows are all written before the next sheet is asked for. Values: str, int, Decimal, datetime
    (naive, on the clock to show), date or None."""
    pipe = _Pipe()
    titles: list[str] = []
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for title, header, rows in sheets:
            titles.append(title[:31])  # Excel's limit on sheet names
            with archive.open(f"xl/worksheets/sheet{len(titles)}.xml", "w", force_zip64=True) as entry:
                waiting = [_sheet_start(header), _row(1, header, heading=True)]
                for number, row in enumerate(rows, start=2):
                    waiting.append(_row(number, row))
                    if len(waiting) >= rows_per_chunk:
                        entry.write(b"".join(waiting))
                        waiting = []
                        yield pipe.take()
                waiting.append(b"</sheetData></worksheet>")
                entry.write(b"".join(waiting))
            yield pipe.take()
        for name, text in _package(titles).items():
            archive.writestr(name, text)
    yield pipe.take()


def _sheet_start(header: Sequence[str]) -> bytes:
    widths = "".join(f'<col min="{i}" max="{i}" width="{max(12, min(len(title) + 2, 40))}" customWidth="1"/>'
                     for i, title in enumerate(header, start=1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
            f'{f"<cols>{widths}</cols>" if widths else ""}<sheetData>').encode()


# Column letters worked out once ("A" … "ZZZ"), not for each of a million cells.
_LETTERS = [""] + [get_column_letter(column) for column in range(1, 1024)]
# Text needing more than the plain copy: XML's special characters or characters XML cannot hold. Nearly
# every value has none, and one search says so.
_NEEDS_CARE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text_cell(ref: str, value: str, style: str) -> str:
    if _NEEDS_CARE.search(value):
        value = escape(ILLEGAL_CHARACTERS_RE.sub("", value))
    # Leading or trailing blanks are kept only when the cell says so.
    space = ' xml:space="preserve"' if value and (value[0].isspace() or value[-1].isspace()) else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>'


def _row(number: int, values: Sequence[object], *, heading: bool = False) -> bytes:
    cells = []
    style = f' s="{_BOLD}"' if heading else ""
    row = str(number)
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        ref = _LETTERS[column] + row if column < len(_LETTERS) else get_column_letter(column) + row
        kind = value.__class__
        if kind is str:  # most cells: tested first, by exact type
            cells.append(_text_cell(ref, value, style))  # type: ignore[arg-type]
        elif isinstance(value, str):
            cells.append(_text_cell(ref, str(value), style))
        elif isinstance(value, bool):
            cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, datetime):
            serial = ((value if value.tzinfo is None else value.replace(tzinfo=None)) - _EPOCH).total_seconds() / 86400
            cells.append(f'<c r="{ref}" s="{_DATETIME}"><v>{serial!r}</v></c>')
        elif isinstance(value, date):
            cells.append(f'<c r="{ref}" s="{_DATE}"><v>{(value - _EPOCH.date()).days}</v></c>')
        elif isinstance(value, Decimal):
            cells.append(f'<c r="{ref}" s="{_AMOUNT}"><v>{value}</v></c>')
        elif isinstance(value, int | float):
            cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
        else:
            raise TypeError(f"cannot write {type(value).__name__} to a spreadsheet")
    return f'<row r="{number}">{"".join(cells)}</row>'.encode()


def _package(titles: list[str]) -> dict[str, str]:
    """The parts that list the sheets, written after them."""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    sheets = "".join(f'<sheet name={quoteattr(title)} sheetId="{i}" r:id="rId{i}"/>'
                     for i, title in enumerate(titles, start=1))
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(titles) + 1))
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(titles) + 1))
    return {
        "xl/workbook.xml": f'{head}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>',
        "xl/styles.xml": _STYLES,
        "xl/_rels/workbook.xml.rels": (
            f'{head}<Relationships xmlns="{_PKG_REL}">{sheet_rels}'
            f'<Relationship Id="rId{len(titles) + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'),
        "_rels/.rels": (f'{head}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "[Content_Types].xml": (
            f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f'{overrides}</Types>'),
    }
