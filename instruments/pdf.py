"""PDF copies through LibreOffice headless, only where it is installed (``settings.FAZHI_LIBREOFFICE``).

Nothing depends on it: without LibreOffice an instrument simply has no PDF and the pages say so.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 120


class PdfUnavailable(Exception):
    pass


def libreoffice() -> str | None:
    """The path of the LibreOffice binary, or None when it is not installed."""
    return shutil.which(getattr(settings, "FAZHI_LIBREOFFICE", "") or "soffice")


def available() -> bool:
    return libreoffice() is not None


def convert(docx: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """DOCX bytes → PDF bytes. Each run has its own LibreOffice profile so that runs do not collide."""
    binary = libreoffice()
    if binary is None:
        raise PdfUnavailable("LibreOffice is not installed")
    with tempfile.TemporaryDirectory(prefix="fazhi-pdf-") as tmp:
        workdir = Path(tmp)
        source = workdir / "instrument.docx"
        source.write_bytes(docx)
        command = [binary, f"-env:UserInstallation={(workdir / 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "pdf", "--outdir", str(workdir), str(source)]
        try:
            subprocess.run(command, check=True, timeout=timeout, capture_output=True)
        except (subprocess.SubprocessError, OSError) as exc:
            log.warning("PDF conversion failed: %s", exc)
            raise PdfUnavailable(str(exc)) from exc
        target = workdir / "instrument.pdf"
        if not target.is_file():
            raise PdfUnavailable("LibreOffice produced no PDF")
        return target.read_bytes()
