"""Language of official documents.

An instrument (决定书, 调解协议书, 送达回证 …) is a legal document in the official language, whatever language the
person clicking the button reads the interface in. Build its text inside ``official_language()`` so gettext
returns the official wording; keep guards and error messages outside it, so they follow the reader.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


@contextmanager
def official_language():
    """Activate ``settings.LANGUAGE_CODE`` (zh-hans) for the block, then restore the reader's language."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def in_official_language(build, *args, **kwargs):
    """Call ``build(*args, **kwargs)`` with the official language active and return its result."""
    with official_language():
        return build(*args, **kwargs)
