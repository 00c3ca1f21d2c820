"""Archiving the audit log: a copy, never a removal.

The application never deletes an entry. ``manage.py audit_archive`` writes a gzip'd JSON-lines copy of
a range of entries (every hashed field plus ``hash``), a manifest line, and an ``.sm3`` file with the
digest of the archive, for offline storage (e.g. before a database is retired or for the 3-year
retention of enforcement records). ``manage.py audit_verify --archive FILE`` re-checks such a copy
without the database: every HMAC-SM3, every link and the sequence.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

from django.utils.translation import gettext as _

from core.crypto import sm3_file

from .models import AuditEntry
from .services import HASHED_FIELDS, canonical, compute_hash, entry_fields
from .verification import Problem, VerificationResult


def write_archive(path: Path, queryset, *, chunk_size: int = 2000) -> dict:
    path = Path(path)
    count, first, last, last_hash = 0, None, None, ""
    with gzip.open(path, "wb") as out:
        for entry in queryset.order_by("seq").iterator(chunk_size=chunk_size):
            row = entry_fields(entry)
            row["hash"] = entry.hash
            out.write(canonical(row) + b"\n")
            count += 1
            first = entry.seq if first is None else first
            last, last_hash = entry.seq, entry.hash
        manifest = {"manifest": {"entries": count, "first_seq": first, "last_seq": last, "last_hash": last_hash,
                                 "written_at": dt.datetime.now(dt.UTC).isoformat(), "format": "fazhi-audit-1"}}
        out.write(canonical(manifest) + b"\n")
    with open(path, "rb") as fh:
        digest = sm3_file(fh)
    Path(f"{path}.sm3").write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    return {**manifest["manifest"], "sm3": digest}


def verify_archive(path: Path) -> VerificationResult:
    """Check an archive: its digest file (when present), then each entry's hash, link and sequence."""
    path = Path(path)
    result = VerificationResult()
    sidecar = Path(f"{path}.sm3")
    if sidecar.is_file():
        with open(path, "rb") as fh:
            if sm3_file(fh) != sidecar.read_text(encoding="utf-8").split()[0]:
                result.problems.append(Problem(seq=0, action="", kind="file_changed",
                                               message=_("归档文件的 SM3 摘要与 .sm3 文件不符（归档已被改动）。")))
                return result
    prev_hash, expected = None, None
    with gzip.open(path, "rb") as fh:
        for line in fh:
            row = json.loads(line)
            if "manifest" in row:
                break
            entry = AuditEntry(**{k: row[k] for k in HASHED_FIELDS if k != "at"},
                               at=dt.datetime.fromisoformat(row["at"]), hash=row["hash"])
            result.entries_checked += 1
            if expected is not None and entry.seq != expected:
                result.problems.append(Problem(entry.seq, entry.action, "gap", _("之前的记录缺失。")))
                break
            if prev_hash is not None and entry.prev_hash != prev_hash:
                result.problems.append(Problem(entry.seq, entry.action, "link", _("的前序摘要与上一条不一致。")))
                break
            if compute_hash(entry) != entry.hash:
                result.problems.append(Problem(entry.seq, entry.action, "hash",
                                               _("的内容与其摘要不符（记录已被修改）。")))
                break
            prev_hash, expected, result.last_seq = entry.hash, entry.seq + 1, entry.seq
    return result
