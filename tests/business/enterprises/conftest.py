import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Keep uploaded files and cached PDFs in a temporary folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT
