"""Issue 13 item 6 (must hold, CI on SQLite and PostgreSQL): one backup of the database and the attachments
together, readable by its owner only, and a restore that brings back every row and every file — compared by
row counts and checksums."""

from __future__ import annotations

import io
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_backup_and_restore_bring_back_every_row_and_attachment(tmp_path, client):
    from tafel.cases.models import Case
    from tafel.core.auditchain import seal_pending
    from tafel.core.backup import media_files, row_counts
    from tafel.core.models import AuditEvent
    from tafel.organisations.models import User
    from tafel.privacy import services as privacy
    from tafel.privacy.models import CaseAttachment

    call_command("demo", seed=5, cases=30, verbosity=0, stdout=io.StringIO())
    regisseur = User.objects.get(username="regisseur")
    client.force_login(regisseur)
    case = Case.objects.filter(status="actief").order_by("pk").first()
    client.get(f"/casussen/{case.pk}/")  # audit events, sealed into the chain
    for i in range(2):
        upload = SimpleUploadedFile(f"verslag{i}.pdf", b"%PDF-1.4\n" + bytes([i]) * 2000 + b"\n%%EOF\n")
        privacy.attachment_add(actor=regisseur, case=case, uploaded=upload, category="algemeen", title=f"Stuk {i}")
    seal_pending()
    counts, files = row_counts(), media_files()
    assert len(files) == 2 and counts["privacy.caseattachment"] == 2 and counts["core.auditevent"] > 0

    out = io.StringIO()
    call_command("backup", str(tmp_path), stdout=out)
    archive = next(tmp_path.glob("tafel-*.tar.gz"))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    # Damage: a case changed, an attachment (row and file) gone, a new user.
    title = case.title
    Case.objects.filter(pk=case.pk).update(title="overschreven")
    attachment = CaseAttachment.objects.first()
    attachment.file.storage.delete(attachment.file.name)
    CaseAttachment.objects.filter(pk=attachment.pk).delete()
    User.objects.create(username="na-de-backup")

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)

    assert "Teruggezet en gecontroleerd" in out.getvalue() and "auditketen in orde" in out.getvalue()
    assert row_counts() == counts
    assert media_files() == files
    assert Case.objects.get(pk=case.pk).title == title
    assert not User.objects.filter(username="na-de-backup").exists()
    assert AuditEvent.objects.count() == counts["core.auditevent"]
    for path in (tmp_path / "media").rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_restore_needs_confirmation_and_refuses_a_damaged_archive(tmp_path):
    call_command("backup", str(tmp_path / "b.tar.gz"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "b.tar.gz"))
    (tmp_path / "kapot.tar.gz").write_bytes(b"geen archief")
    with pytest.raises(CommandError, match="mislukt"):
        call_command("restore", str(tmp_path / "kapot.tar.gz"), "--yes")
