"""Memory of the applications' files ZIP: written file by file to a temporary file, whatever its size.

Run: `.venv/bin/python bench/application_files_zip.py [--files 100] [--megabytes 1]`. No database: it writes
FILES random uploads of MEGABYTES each to a temporary folder, then measures with tracemalloc the Python memory
at its peak while
(a) application_files.zip_file() writes the ZIP, as the download does;
(b) baseline in the same run: the same ZIP built in memory (io.BytesIO), as a naive download would.
Prints both peaks, the ratio, and the archive's size; exits non-zero if (a) peaks above 16 MB (a few chunks),
i.e. if memory grows with the archive. Everything it writes it removes.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.models import Upload  # noqa: E402
from app.services.applications.application_files import ZipEntry, write_zip, zip_file  # noqa: E402

FLAT_LIMIT = 16 * 1024 * 1024


def peak(action) -> tuple[int, float]:
    tracemalloc.start()
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top, seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--megabytes", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        entries = []
        for n in range(args.files):
            path = Path(folder) / f"upload-{n}"
            path.write_bytes(b"%PDF-1.4\n" + os.urandom(args.megabytes * 1024 * 1024) + b"\n%%EOF\n")
            upload = Upload(stored_name=path.name, original_filename=f"case {n}.pdf",
                            created_at=datetime(2026, 12, 1, tzinfo=UTC))
            entries.append(ZipEntry(f"APP-{n:04d} Person {n}/Case - case {n}.pdf", path, upload))

        def to_temporary_file() -> None:
            with zip_file(entries) as archive:
                archive.seek(0, os.SEEK_END)
                sizes.append(archive.tell())

        def in_memory() -> None:
            buffer = io.BytesIO()
            write_zip(entries, buffer)
            sizes.append(len(buffer.getvalue()))

        sizes: list[int] = []
        flat, flat_seconds = peak(to_temporary_file)
        naive, naive_seconds = peak(in_memory)
    mb = 1024 * 1024
    print(f"{args.files} files of {args.megabytes} MB, ZIP of {sizes[0] / mb:.1f} MB")
    print(f"(a) temporary file: peak {flat / mb:.2f} MB of Python memory, {flat_seconds:.2f} s")
    print(f"(b) in memory (baseline): peak {naive / mb:.2f} MB, {naive_seconds:.2f} s")
    print(f"ratio (b)/(a): {naive / max(flat, 1):.0f}x less memory with the temporary file")
    return 0 if flat <= FLAT_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
