"""Checking uploaded files before they are stored (issue 4 §9): type by magic bytes, not by the name or the
browser's claim, and a maximum size (TAFEL_UPLOAD_MAX_MB)."""

from __future__ import annotations

import zipfile

from django.conf import settings

from tafel.core.errors import ValidationFailed

# Allowed types: what partners archive and send. Each is recognised by its first bytes.
ALLOWED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
}


def sniff(head: bytes, fileobj=None) -> str | None:
    """The allowed type the content really is, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04") and fileobj is not None:
        # A docx is a zip with a word/document.xml part; other zips (and macro-enabled docm) are refused.
        try:
            fileobj.seek(0)
            with zipfile.ZipFile(fileobj) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            fileobj.seek(0)
        if "word/document.xml" in names and "word/vbaProject.bin" not in names:
            return "docx"
        return None
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "txt"
    return None


def validate_upload(uploaded) -> tuple[str, str]:
    """Raise ValidationFailed unless `uploaded` is an allowed type within the size limit; return
    (kind, content type)."""
    max_bytes = settings.TAFEL_UPLOAD_MAX_MB * 1024 * 1024
    if uploaded is None or uploaded.size == 0:
        raise ValidationFailed("Kies een bestand.", field_errors={"file": ["Kies een bestand."]})
    if uploaded.size > max_bytes:
        msg = f"Het bestand is groter dan {settings.TAFEL_UPLOAD_MAX_MB} MB."
        raise ValidationFailed(msg, field_errors={"file": [msg]})
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)
    kind = sniff(head, uploaded)
    if kind is None:
        msg = "Dit bestandstype is niet toegestaan (toegestaan: pdf, png, jpg, docx, txt)."
        raise ValidationFailed(msg, field_errors={"file": [msg]})
    return kind, ALLOWED[kind]
