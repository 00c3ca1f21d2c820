"""Verifying the audit chain: every entry's HMAC-SM3, every link, the sequence, and every recorded file.

``verify_chain()`` only reads. It streams the entries in ``seq`` order with a server-side iterator
(``chunk_size`` rows at a time), so its memory does not grow with the log, and it stops at the first
problem: a broken chain is reported by the first entry that is wrong, since every later hash depends on it.

What it detects:

- an entry whose stored fields no longer give its stored hash (edited row);
- an entry whose ``prev_hash`` is not the previous entry's hash (edited, inserted or re-ordered rows);
- a gap in ``seq`` (deleted row) and a chain shorter than its head (deleted rows at the end);
- a recorded file that is missing or whose SM3 digest changed (``files`` of each entry, path relative to
  MEDIA_ROOT, read through the default storage).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from core.crypto import sm3_file

from .models import AuditChainHead, AuditEntry
from .services import GENESIS, compute_hash

CHUNK_SIZE = 2000


@dataclass
class Problem:
    seq: int
    action: str
    kind: str  # "hash", "link", "gap", "tail", "file_missing", "file_changed"
    message: str


@dataclass
class VerificationResult:
    entries_checked: int = 0
    files_checked: int = 0
    last_seq: int = 0
    head_seq: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def summary(self) -> str:
        if self.ok:
            return _("审计链完整：共校验 {entries} 条记录、{files} 个文件，最后序号 {seq}。").format(
                entries=self.entries_checked, files=self.files_checked, seq=self.last_seq)
        p = self.first
        if not p.seq:
            return _("审计链校验失败：{message}").format(message=p.message)
        return _("审计链校验失败：第 {seq} 条（动作 {action}）{message}").format(
            seq=p.seq, action=p.action or "—", message=p.message)


def check_file(item: dict) -> tuple[str, str] | None:
    """None when the stored file still has its recorded digest, else ``(kind, message in Chinese)``."""
    path = str(item.get("path") or "")
    name = item.get("name") or path
    expected = str(item.get("sm3") or "").lower()
    if not path:
        return "file_missing", _("文件“{name}”未记录存储路径。").format(name=name)
    try:
        if not default_storage.exists(path):
            return "file_missing", _("文件“{name}”（{path}）已缺失。").format(name=name, path=path)
        with default_storage.open(path, "rb") as fh:
            actual = sm3_file(fh)
    except (SuspiciousFileOperation, OSError):
        return "file_missing", _("文件“{name}”（{path}）无法读取。").format(name=name, path=path)
    if actual != expected:
        return "file_changed", _("文件“{name}”（{path}）的 SM3 摘要不符：记录 {expected}，现为 {actual}。").format(
            name=name, path=path, expected=expected[:16] + "…", actual=actual[:16] + "…")
    return None


def verify_chain(*, check_files: bool = True, chunk_size: int = CHUNK_SIZE, stop_at_first: bool = True,
                 progress=None) -> VerificationResult:
    """Walk the chain up to the head read at the start (entries appended meanwhile are left for next time)."""
    result = VerificationResult()
    head = AuditChainHead.objects.filter(id=1).values("seq", "hash").first() or {"seq": 0, "hash": GENESIS}
    result.head_seq = head["seq"]
    expected_seq = 1
    prev_hash = GENESIS

    def fail(entry_seq, action, kind, message) -> bool:
        result.problems.append(Problem(seq=entry_seq, action=action, kind=kind, message=message))
        return stop_at_first

    entries = AuditEntry.objects.filter(seq__lte=head["seq"]).order_by("seq").iterator(chunk_size=chunk_size)
    for entry in entries:
        result.entries_checked += 1
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                missing = (str(expected_seq) if entry.seq == expected_seq + 1
                           else f"{expected_seq}–{entry.seq - 1}")
                message = _("之前的记录缺失（序号 {missing} 不存在，可能已被删除）。").format(missing=missing)
            else:
                message = _("序号重复或倒序（应为 {expected}）。").format(expected=expected_seq)
            if fail(entry.seq, entry.action, "gap", message):
                break
        if entry.prev_hash != prev_hash:
            if fail(entry.seq, entry.action, "link",
                    _("的前序摘要与上一条记录的本条摘要不一致（链接断裂，上一条可能被修改、删除或插入）。")):
                break
        if compute_hash(entry) != entry.hash:
            if fail(entry.seq, entry.action, "hash",
                    _("的内容与其摘要不符（记录已被修改）。")):
                break
        if check_files:
            broken = False
            for item in entry.files or []:
                result.files_checked += 1
                problem = check_file(item if isinstance(item, dict) else {"path": str(item)})
                if problem:
                    kind, text = problem
                    if fail(entry.seq, entry.action, kind, _("记录的文件有误：{problem}").format(problem=text)):
                        broken = True
                        break
            if broken:
                break
        result.last_seq = entry.seq
        prev_hash = entry.hash
        expected_seq = entry.seq + 1
        if progress is not None and result.entries_checked % 100000 == 0:
            progress(result)

    if result.ok and (result.last_seq != head["seq"] or (head["seq"] and prev_hash != head["hash"])):
        result.problems.append(Problem(
            seq=result.last_seq + 1, action="", kind="tail",
            message=_("及之后的记录缺失：链头记录的最后序号为 {head}，实际只校验到 {last}"
                      "（末尾记录可能已被删除）。").format(head=head["seq"], last=result.last_seq),
        ))
    return result
