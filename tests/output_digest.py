"""A compact digest of a `campaigns plan` output folder, file by file, by content: PDFs by their
extracted text (pypdf), workbooks by sheet names and cell values, calendars without DTSTAMP (the
time of the run), drafts.zip by its members (each digested like the files), other files by
bytes. Used to record main's output once (tests/data/national/before.json) and to compare.

    python tests/output_digest.py OUT_FOLDER > tests/data/national/before.json
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
import zipfile
from pathlib import Path

_STAMP = re.compile(rb"DTSTAMP:[0-9TZ]+\r\n")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


def content_digest(name: str, data: bytes) -> str:
    """One file's content as a short hash, by what it says rather than how it is packed."""
    if name.endswith(".pdf"):
        from pypdf import PdfReader

        pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
        return "pdf:" + _sha("\f".join(pages).encode("utf-8"))
    if name.endswith(".xlsx"):
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        cells = [[ws.title, [list(r) for r in ws.iter_rows(values_only=True)]] for ws in wb.worksheets]
        return "xlsx:" + _sha(json.dumps(cells, default=str, ensure_ascii=False).encode("utf-8"))
    if name.endswith(".ics"):
        return "ics:" + _sha(_STAMP.sub(b"", data))
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [[n, content_digest(n, zf.read(n))] for n in zf.namelist()]
        return "zip:" + _sha(json.dumps(members).encode("utf-8"))
    return _sha(data)


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file but the manifest (it holds the run's time), by relative path."""
    return {p.relative_to(folder).as_posix(): content_digest(p.name, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "manifest.json"}


if __name__ == "__main__":
    print(json.dumps(folder_digest(Path(sys.argv[1])), indent=0, ensure_ascii=False, sort_keys=True))
