"""One backup of everything: the database and the stored files (attachments, report files) together, in one
archive readable by its owner only (0600), with a manifest of row counts and file checksums; and the restore
that puts both back and proves it (issue 13 item 6; docs/operations.md, "Backups").

The database part is Django's own serialisation of every table (`dumpdata`, primary keys kept), so one backup
restores on SQLite and on PostgreSQL alike, the audit log's ids and hash chain included. The restore empties
the target database without re-creating reference data (so every row comes back with its own id), loads the
dump, unpacks the files, and then compares row counts per table and the SHA-256 of every file with the
manifest.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

FORMAT = "tafel-backup-1"
# Logged-in sessions are not data: after a restore everyone logs in again.
EXCLUDE = ["sessions.session"]


def _models():
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in EXCLUDE or model._meta.proxy or not model._meta.managed:
            continue
        yield label, model


def row_counts() -> dict[str, int]:
    return {label: model._base_manager.using(connection.alias).count() for label, model in _models()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_files() -> dict[str, str]:
    """Every stored file under MEDIA_ROOT: relative path → SHA-256."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): _sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.endswith(".part")
    }


def _private_file(path: Path):
    """Open a new file that only its owner can read and write (0600), whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def make_backup(target: Path) -> dict:
    """Write the archive to `target` (a file; a directory gets a dated name in it). Returns the manifest."""
    target = Path(target)
    if target.is_dir():
        target = target / f"tafel-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
    files = media_files()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database.json"
        counts = row_counts()
        call_command("dumpdata", exclude=EXCLUDE, format="json", output=str(dump), verbosity=0)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "rows": counts,
            "files": files,
            "database_sha256": _sha256(dump),
        }
        with _private_file(target) as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname="database.json")
            root = Path(settings.MEDIA_ROOT)
            for name in files:
                tar.add(root / name, arcname=f"media/{name}")
    manifest["path"] = str(target)
    return manifest


@dataclass
class RestoreReport:
    rows_expected: dict[str, int]
    rows_found: dict[str, int]
    files_expected: dict[str, str]
    files_found: dict[str, str]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _safe_members(tar: tarfile.TarFile):
    for member in tar.getmembers():
        name = member.name
        if name.startswith("/") or ".." in Path(name).parts or not (member.isfile() or member.isdir()):
            raise ValueError(f"Onveilig pad in de back-up: {name!r}")
        yield member


def restore_backup(source: Path) -> RestoreReport:
    """Replace the database's content and the stored files with the archive's, then check both."""
    with tarfile.open(source, mode="r:gz") as tar, tempfile.TemporaryDirectory() as tmp:
        members = {m.name: m for m in _safe_members(tar)}
        manifest = json.load(tar.extractfile(members["manifest.json"]))
        if manifest.get("format") != FORMAT:
            raise ValueError("Dit is geen back-up van Tafel (onbekend formaat).")
        dump = Path(tmp) / "database.json"
        with _private_file(dump) as out:
            out.write(tar.extractfile(members["database.json"]).read())
        if _sha256(dump) != manifest["database_sha256"]:
            raise ValueError("De database in de back-up is beschadigd (controlegetal klopt niet).")
        # Empty every table without re-creating reference data: the dump brings every row with its own id.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        call_command("loaddata", str(dump), verbosity=0)
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        for name in manifest["files"]:
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with _private_file(target) as out:
                out.write(tar.extractfile(members[f"media/{name}"]).read())
    report = RestoreReport(
        rows_expected=manifest["rows"],
        rows_found=row_counts(),
        files_expected=manifest["files"],
        files_found=media_files(),
    )
    for label, n in sorted(report.rows_expected.items()):
        found = report.rows_found.get(label)
        if found != n:
            report.problems.append(f"{label}: {found} rijen, verwacht {n}")
    for name, digest in sorted(report.files_expected.items()):
        if report.files_found.get(name) != digest:
            report.problems.append(f"bestand {name}: ontbreekt of wijkt af")
    return report
