"""Checking and cleaning the business-licence scan (营业执照扫描件) of a registration.

The file type is decided by the file's first bytes, never by its name or the
content type the client sent. JPEG and PNG images are decoded and encoded again
with Pillow, which drops EXIF and other metadata and any bytes appended after the
image data. PDF files cannot be re-encoded this way, so only the bytes after the
last end-of-file marker are cut off.
"""

import base64
import binascii
import io
import secrets
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

# NOTE: the GraphQL endpoint rejects request bodies over DATA_UPLOAD_MAX_MEMORY_SIZE
# (2.5 MB in config/settings.py) with HTTP 400. Base64 adds a third, so through the
# API only files up to about 1.8 MB arrive until that setting is raised.
MAX_LICENCE_BYTES = 5 * 1024 * 1024
MAX_LICENCE_MEGABYTES = MAX_LICENCE_BYTES // (1024 * 1024)
# Images above this pixel count are rejected before decoding, so a small file that
# expands to gigabytes of pixels (a decompression bomb) is never loaded. An A4 scan
# at 600 dpi has about 35 million pixels.
MAX_LICENCE_PIXELS = 60_000_000
JPEG_QUALITY = 90

_JPEG_SIGNATURE = b"\xff\xd8\xff"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PDF_SIGNATURE = b"%PDF-"
_PDF_END_MARKER = b"%%EOF"

FIELD = "businessLicence"


class LicenceFileError(ValueError):
    """Rejected licence file, with a Chinese ``message`` that states the fix and a ``code``."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CleanedLicence:
    content: bytes
    content_type: str
    extension: str

    def random_name(self) -> str:
        """Return a new random file name, so stored names reveal nothing and never collide."""
        return f"{secrets.token_hex(16)}.{self.extension}"


def max_base64_length(max_bytes: int = MAX_LICENCE_BYTES) -> int:
    """Return the longest base64 text that can decode to at most ``max_bytes`` bytes."""
    return -(-max_bytes // 3) * 4


def decode_base64(text: str) -> bytes:
    """Decode the base64 text of an upload, checking its length before decoding.

    A data URL prefix such as ``data:image/png;base64,`` is dropped, and white space
    is ignored. Raises LicenceFileError for a file that is too large or invalid base64.
    """
    if text.startswith("data:"):
        _, _, text = text.partition(",")
    # Check the raw length first so that huge inputs are not copied or scanned.
    if len(text) > 2 * max_base64_length():
        raise _too_large()
    compact = "".join(text.split())
    if len(compact) > max_base64_length():
        raise _too_large()
    if not compact:
        raise LicenceFileError("请上传营业执照扫描件。", "required")
    try:
        content = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise LicenceFileError(
            "营业执照扫描件的 Base64 编码无效，请重新选择文件上传。", "invalid_base64"
        ) from None
    return content


def clean_licence(content: bytes) -> CleanedLicence:
    """Check the type and size of a licence file by its content and return a cleaned copy.

    Raises LicenceFileError when the file is empty, too large, not a JPEG, PNG or
    PDF, or cannot be decoded.
    """
    if not content:
        raise LicenceFileError("营业执照扫描件是空文件，请重新选择文件。", "required")
    if len(content) > MAX_LICENCE_BYTES:
        raise _too_large()

    if content.startswith(_JPEG_SIGNATURE):
        return _reencode_image(content, "JPEG")
    if content.startswith(_PNG_SIGNATURE):
        return _reencode_image(content, "PNG")
    if content.startswith(_PDF_SIGNATURE):
        return _clean_pdf(content)
    raise LicenceFileError(
        "营业执照扫描件只能是 JPEG、PNG 图片或 PDF 文件，所选文件的内容不是这几种格式"
        "（与文件扩展名无关），请重新扫描或另存后上传。",
        "invalid_file_type",
    )


def _too_large() -> LicenceFileError:
    return LicenceFileError(
        f"营业执照扫描件不能超过 {MAX_LICENCE_MEGABYTES} MB，请压缩或降低扫描分辨率后重新上传。",
        "file_too_large",
    )


def _unreadable_image() -> LicenceFileError:
    return LicenceFileError(
        "营业执照扫描件的图片数据已损坏，无法打开，请重新扫描后上传。", "invalid_image"
    )


def _reencode_image(content: bytes, image_format: str) -> CleanedLicence:
    try:
        with Image.open(io.BytesIO(content), formats=[image_format]) as image:
            width, height = image.size
            if width * height > MAX_LICENCE_PIXELS:
                raise LicenceFileError(
                    f"营业执照扫描件的像素过多（{width}×{height}），请降低扫描分辨率后重新上传。",
                    "image_too_large",
                )
            image.load()
            output = io.BytesIO()
            if image_format == "JPEG":
                # CMYK and greyscale JPEGs stay as they are; other modes become RGB.
                if image.mode not in ("RGB", "L", "CMYK"):
                    image = image.convert("RGB")
                image.save(output, format="JPEG", quality=JPEG_QUALITY)
            else:
                image.save(output, format="PNG", optimize=True)
    except LicenceFileError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _unreadable_image() from None

    if image_format == "JPEG":
        return CleanedLicence(output.getvalue(), "image/jpeg", "jpg")
    return CleanedLicence(output.getvalue(), "image/png", "png")


def _clean_pdf(content: bytes) -> CleanedLicence:
    end = content.rfind(_PDF_END_MARKER)
    if end == -1:
        raise LicenceFileError(
            "营业执照扫描件的 PDF 文件不完整（缺少文件结束标记），请重新导出后上传。",
            "invalid_pdf",
        )
    # NOTE: the PDF body itself (scripts, attachments, metadata) is stored unchanged.
    # Reviewers should open it in a viewer that does not run embedded scripts.
    return CleanedLicence(content[: end + len(_PDF_END_MARKER)] + b"\n", "application/pdf", "pdf")
