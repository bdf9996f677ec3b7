import pytest


@pytest.fixture
def media(settings, tmp_path):
    """Stored PDFs go to a directory of the test's own, looked at after the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
