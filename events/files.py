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
