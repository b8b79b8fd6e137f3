"""Content checks and cleaning of business-licence files, without the database."""

import base64
import io

import pytest
from PIL import Image

from business.organisations import uploads

from .conftest import jpeg_bytes, png_bytes


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "示例相机厂商"  # Make
    exif[0x8298] = "secret-owner"  # Copyright
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (1, 2, 3)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_png_reencoded_without_trailing_bytes():
    original = png_bytes()

    cleaned = uploads.clean_licence(original + b"PK\x03\x04 appended zip")

    assert cleaned.content_type == "image/png"
    assert b"appended zip" not in cleaned.content
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert image.format == "PNG"


def test_jpeg_exif_removed():
    uploaded = jpeg_with_exif()
    assert b"secret-owner" in uploaded

    cleaned = uploads.clean_licence(uploaded)

    assert cleaned.content_type == "image/jpeg"
    assert b"secret-owner" not in cleaned.content
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert not image.getexif()


def test_pdf_trailing_bytes_cut():
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    cleaned = uploads.clean_licence(pdf + b"#!/bin/sh\nrm -rf /\n")

    assert cleaned.content_type == "application/pdf"
    assert cleaned.content == pdf
    assert cleaned.extension == "pdf"


def test_pdf_without_end_marker_rejected():
    with pytest.raises(uploads.LicenceFileError) as raised:
        uploads.clean_licence(b"%PDF-1.4\n1 0 obj<<>>endobj\n")

    assert raised.value.code == "invalid_pdf"


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00" + b"\x00" * 64,  # Windows executable
        b"GIF89a" + b"\x00" * 64,
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"PK\x03\x04" + b"\x00" * 64,
    ],
)
def test_other_types_rejected(content):
    with pytest.raises(uploads.LicenceFileError) as raised:
        uploads.clean_licence(content)

    assert raised.value.code == "invalid_file_type"
    assert "JPEG" in raised.value.message


def test_truncated_png_rejected():
    with pytest.raises(uploads.LicenceFileError) as raised:
        uploads.clean_licence(png_bytes()[:40])

    assert raised.value.code == "invalid_image"


def test_too_many_pixels_rejected(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_LICENCE_PIXELS", 100)

    with pytest.raises(uploads.LicenceFileError) as raised:
        uploads.clean_licence(jpeg_bytes(size=(20, 20)))

    assert raised.value.code == "image_too_large"


def test_empty_file_rejected():
    with pytest.raises(uploads.LicenceFileError) as raised:
        uploads.clean_licence(b"")

    assert raised.value.code == "required"


def test_size_limit_exact():
    at_limit = b"%PDF-" + b"0" * (uploads.MAX_LICENCE_BYTES - 11) + b"%%EOF\n"
    assert len(at_limit) == uploads.MAX_LICENCE_BYTES

    uploads.clean_licence(at_limit)
    with pytest.raises(uploads.LicenceFileError) as raised:
        uploads.clean_licence(at_limit + b"0")

    assert raised.value.code == "file_too_large"


def test_base64_length_checked_before_decoding(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("decoded an oversized upload")

    monkeypatch.setattr(uploads.base64, "b64decode", fail)
    oversized = "A" * (uploads.max_base64_length() + 4)

    with pytest.raises(uploads.LicenceFileError) as raised:
        uploads.decode_base64(oversized)

    assert raised.value.code == "file_too_large"


def test_base64_data_url_and_line_breaks_accepted():
    content = png_bytes()
    encoded = base64.encodebytes(content).decode("ascii")

    assert uploads.decode_base64("data:image/png;base64," + encoded) == content


@pytest.mark.parametrize("text", ["@@@@", "abc", "这不是"])
def test_invalid_base64_rejected(text):
    with pytest.raises(uploads.LicenceFileError) as raised:
        uploads.decode_base64(text)

    assert raised.value.code == "invalid_base64"


def test_random_names_differ():
    cleaned = uploads.clean_licence(png_bytes())

    assert cleaned.random_name() != cleaned.random_name()
    assert cleaned.random_name().endswith(".png")
