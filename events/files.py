"""Photo uploads: only real images, at most ``MAX_PHOTO_BYTES`` each, stored with their SM3 digest."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.crypto import sm3_file
from core.errors import DomainError

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 6

# Magic numbers of the image formats a phone camera produces.
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]


def sniff(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"):
        return "image/heic"
    return None


def check_photos(uploads) -> list[dict]:
    """Validate every upload before anything is written; returns ``[{"upload", "content_type", "sm3", "size"}]``."""
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > MAX_PHOTOS:
        raise DomainError(_("最多上传 {n} 张照片。").format(n=MAX_PHOTOS), rule="events.guard.photo_count",
                          field="photos")
    checked = []
    for upload in uploads:
        name = getattr(upload, "name", "") or "photo"
        size = getattr(upload, "size", 0) or 0
        if size > MAX_PHOTO_BYTES:
            raise DomainError(_("照片“{name}”超过 {mb} MB，请压缩后重新上传。").format(
                name=name, mb=MAX_PHOTO_BYTES // (1024 * 1024)), rule="events.guard.photo_size", field="photos")
        if size == 0:
            raise DomainError(_("照片“{name}”是空文件。").format(name=name), rule="events.guard.photo_type",
                              field="photos")
        upload.seek(0)
        head = upload.read(32)
        content_type = sniff(head)
        if content_type is None:
            raise DomainError(_("“{name}”不是图片文件，只能上传 JPG、PNG、GIF、WebP 或 HEIC 照片。").format(name=name),
                              rule="events.guard.photo_type", field="photos")
        upload.seek(0)
        digest = sm3_file(upload)
        upload.seek(0)
        checked.append({"upload": upload, "content_type": content_type, "sm3": digest, "size": size})
    return checked


MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 5
# extension → (magic check, content type)
ATTACHMENT_TYPES = {
    "pdf": (lambda h: h.startswith(b"%PDF"), "application/pdf"),
    "docx": (lambda h: h.startswith(b"PK\x03\x04"),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (lambda h: h.startswith(b"PK\x03\x04"),
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "doc": (lambda h: h.startswith(b"\xd0\xcf\x11\xe0"), "application/msword"),
    "xls": (lambda h: h.startswith(b"\xd0\xcf\x11\xe0"), "application/vnd.ms-excel"),
    "mp3": (lambda h: h.startswith(b"ID3") or h[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"), "audio/mpeg"),
    "m4a": (lambda h: h[4:8] == b"ftyp", "audio/mp4"),
    "mp4": (lambda h: h[4:8] == b"ftyp", "video/mp4"),
    "amr": (lambda h: h.startswith(b"#!AMR"), "audio/amr"),
    "jpg": (lambda h: sniff(h) == "image/jpeg", "image/jpeg"),
    "jpeg": (lambda h: sniff(h) == "image/jpeg", "image/jpeg"),
    "png": (lambda h: sniff(h) == "image/png", "image/png"),
}
ATTACHMENT_ACCEPT = ",".join(f".{ext}" for ext in ATTACHMENT_TYPES)


def check_attachments(uploads) -> list[dict]:
    """Documents and recordings: known types only (extension and content must agree), ≤ 20 MB, ≤ 5."""
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > MAX_ATTACHMENTS:
        raise DomainError(_("最多上传 {n} 个附件。").format(n=MAX_ATTACHMENTS), rule="events.guard.attachment_count",
                          field="attachments")
    checked = []
    for upload in uploads:
        name = getattr(upload, "name", "") or "file"
        size = getattr(upload, "size", 0) or 0
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if size > MAX_ATTACHMENT_BYTES:
            raise DomainError(_("附件“{name}”超过 {mb} MB。").format(
                name=name, mb=MAX_ATTACHMENT_BYTES // (1024 * 1024)), rule="events.guard.attachment_size",
                field="attachments")
        upload.seek(0)
        head = upload.read(32)
        kind = ATTACHMENT_TYPES.get(ext)
        if size == 0 or kind is None or not kind[0](head):
            raise DomainError(_("附件“{name}”的类型不受支持：只能上传 PDF、Word、Excel、图片或录音/视频"
                                "（mp3、m4a、amr、mp4）。").format(name=name), rule="events.guard.attachment_type",
                              field="attachments")
        upload.seek(0)
        digest = sm3_file(upload)
        upload.seek(0)
        checked.append({"upload": upload, "content_type": kind[1], "sm3": digest, "size": size, "ext": ext})
    return checked
