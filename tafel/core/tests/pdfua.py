"""Check that a PDF is tagged PDF/UA: XMP declares pdfuaid:part 1, the catalog has a StructTreeRoot and
MarkInfo Marked true, and the document has a language. WeasyPrint compresses objects into Flate streams,
so every stream is inflated before looking."""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def pdf_text(content: bytes) -> bytes:
    parts = [content]
    for match in _STREAM.finditer(content):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # not Flate (fonts with other filters, images): not where the catalog lives
    return b"\n".join(parts)


def assert_pdf_ua(content: bytes) -> None:
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert re.search(rb"pdfuaid:part(>|=\"|=')\s*1", text), "XMP metadata does not declare PDF/UA-1"
    assert b"/StructTreeRoot" in text, "no structure tree (untagged PDF)"
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", text), "MarkInfo Marked is not true"
    assert re.search(rb"/Lang\s*\(", text), "no document language"
