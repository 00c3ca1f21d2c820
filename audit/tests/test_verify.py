"""audit_verify: intact chains pass; an edited row, a deleted row or a changed file is found and named."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from access.roles import Role
from audit.models import AuditEntry, Verification
from audit.services import record
from audit.verification import verify_chain
from core.crypto import sm3_hex
from notify.models import Notification

TRIGGER = "audit_entry_append_only"


def tamper(sql: str, params=()):
    """Change the table behind the application's back (on PostgreSQL the trigger must be disabled first)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE audit_auditentry DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE audit_auditentry ENABLE TRIGGER {TRIGGER}")


def run_verify(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def chain(town, make_user):
    user = make_user(Role.LEADER)
    return [record(action=f"test.step{i}", obj=town, actor=user, before={"n": i}, after={"n": i + 1},
                   reason=f"理由{i}") for i in range(1, 6)]


@pytest.mark.django_db
def test_intact_chain_passes_with_a_chinese_summary(chain):
    out = run_verify()
    assert "审计链完整" in out and "5 条" in out
    verification = Verification.objects.get()
    assert verification.ok and verification.entries_checked == 5 and verification.last_seq == 5
    # The run is itself audited, after the checked range.
    assert AuditEntry.objects.filter(action="audit.verify").count() == 1
    assert "审计链完整" in run_verify()  # the verify entry is part of the chain and verifies too


@pytest.mark.django_db
def test_empty_chain_passes():
    assert verify_chain().ok


@pytest.mark.django_db
def test_edited_row_is_found(chain):
    tamper("UPDATE audit_auditentry SET reason = %s WHERE seq = %s", ["改过的理由", 3])
    with pytest.raises(CommandError) as exc:
        run_verify()
    message = str(exc.value)
    assert "第 3 条" in message and "test.step3" in message and "摘要不符" in message
    assert exc.value.returncode != 0
    v = Verification.objects.get()
    assert not v.ok and v.first_bad_seq == 3


@pytest.mark.django_db
def test_edited_hash_is_found_at_the_next_link(chain):
    # Recomputing one row's hash is not enough: the next row's prev_hash no longer matches.
    from audit.services import compute_hash

    entry = AuditEntry.objects.get(seq=2)
    entry.reason = "悄悄改过"
    forged = compute_hash(entry)
    tamper("UPDATE audit_auditentry SET reason = %s, hash = %s WHERE seq = %s", [entry.reason, forged, 2])
    result = verify_chain()
    assert not result.ok and result.first.seq == 3 and result.first.kind == "link"


@pytest.mark.django_db
def test_deleted_row_is_a_gap(chain):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [2])
    with pytest.raises(CommandError) as exc:
        run_verify()
    assert "第 3 条" in str(exc.value) and "序号 2" in str(exc.value)
    assert verify_chain().first.kind == "gap"


@pytest.mark.django_db
def test_deleted_last_rows_are_found_through_the_head(chain):
    tamper("DELETE FROM audit_auditentry WHERE seq >= %s", [4])
    result = verify_chain()
    assert not result.ok and result.first.kind == "tail" and result.first.seq == 4


@pytest.mark.django_db
def test_changed_and_missing_files_are_found(town, media_root):
    doc = media_root / "instruments" / "a.docx"
    doc.parent.mkdir(parents=True)
    doc.write_bytes(b"original content")
    record(action="test.file", obj=town, files=[{"name": "a.docx", "path": "instruments/a.docx",
                                                  "sm3": sm3_hex(b"original content")}])
    assert verify_chain().ok and verify_chain().files_checked == 1

    doc.write_bytes(b"altered content")
    with pytest.raises(CommandError) as exc:
        run_verify()
    assert "第 1 条" in str(exc.value) and "a.docx" in str(exc.value) and "SM3" in str(exc.value)
    assert verify_chain().first.kind == "file_changed"
    assert verify_chain(check_files=False).ok  # --skip-files checks the rows only

    doc.unlink()
    assert verify_chain().first.kind == "file_missing"


@pytest.mark.django_db
def test_streaming_in_small_chunks(chain):
    # The iterator walks in chunks; a chunk size smaller than the chain gives the same answer.
    assert verify_chain(chunk_size=2).entries_checked == 5
    tamper("UPDATE audit_auditentry SET action = %s WHERE seq = %s", ["test.forged", 5])
    assert verify_chain(chunk_size=2).first.seq == 5


@pytest.mark.django_db
def test_daily_task_notifies_auditors_when_broken(chain, make_user, django_capture_on_commit_callbacks):
    from audit.tasks import audit_verify_daily

    auditor = make_user(Role.AUDITOR)
    bystander = make_user(Role.LEADER)
    with django_capture_on_commit_callbacks(execute=True):
        ok = audit_verify_daily.call()
    assert ok["ok"] and not Notification.objects.exists()

    tamper("UPDATE audit_auditentry SET after = %s WHERE seq = %s", ['{"n": 99}', 1])
    with django_capture_on_commit_callbacks(execute=True):
        broken = audit_verify_daily.call()
    assert not broken["ok"] and "第 1 条" in broken["summary"]
    note = Notification.objects.get(recipient=auditor)
    assert note.level == "danger" and "第 1 条" in note.body
    assert not Notification.objects.filter(recipient=bystander).exists()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only")
def test_postgresql_trigger_refuses_update_and_delete(chain):
    for sql in ("UPDATE audit_auditentry SET reason = 'x' WHERE seq = 1", "DELETE FROM audit_auditentry WHERE seq = 1"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    assert AuditEntry.objects.count() == 5
    assert verify_chain().ok


def test_daily_verification_is_scheduled():
    from clocks.scheduling import all_jobs

    job = next(j for j in all_jobs() if j.name == "audit.verify_daily")
    assert job.every == 24 * 3600 and job.task == "audit.tasks.audit_verify_daily"


@pytest.mark.django_db
def test_command_notify_flag_tells_auditors(chain, make_user, django_capture_on_commit_callbacks):
    auditor = make_user(Role.AUDITOR)
    tamper("UPDATE audit_auditentry SET reason = %s WHERE seq = %s", ["x", 2])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError):
        run_verify("--notify")
    assert Notification.objects.filter(recipient=auditor, level="danger").count() == 1


@pytest.mark.django_db
def test_archive_is_a_verifiable_copy_and_deletes_nothing(chain, tmp_path):
    import gzip

    out = tmp_path / "audit.jsonl.gz"
    text = io.StringIO()
    call_command("audit_archive", "--output", str(out), stdout=text)
    assert "已归档 5 条" in text.getvalue()
    assert AuditEntry.objects.filter(action__startswith="test.").count() == 5  # nothing removed
    assert AuditEntry.objects.filter(action="audit.archive").exists()
    assert "审计链完整" in run_verify("--archive", str(out))

    lines = gzip.open(out).read().decode().splitlines()
    lines[1] = lines[1].replace("理由2", "理由X")
    forged = tmp_path / "forged.jsonl.gz"
    with gzip.open(forged, "wb") as fh:
        fh.write(("\n".join(lines) + "\n").encode())
    with pytest.raises(CommandError) as exc:
        run_verify("--archive", str(forged))
    assert "第 2 条" in str(exc.value)
    (tmp_path / "audit.jsonl.gz").write_bytes(forged.read_bytes())  # the .sm3 no longer matches
    with pytest.raises(CommandError, match="归档已被改动"):
        run_verify("--archive", str(out))
