import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    settings.FAZHI_LIBREOFFICE = "fazhi-no-libreoffice-here"  # PDF absent unless a test provides one
    return settings.MEDIA_ROOT
