"""Checking and cleaning an enterprise attachment before it is stored.

The same approach as the registration licence scan (business.organisations.uploads):
the type is decided by the file's first bytes, never by its name or the content type
the browser sent. JPEG and PNG images are decoded and encoded again with Pillow, which
drops metadata and bytes hidden after the image data; PDF files must start with the
PDF header and are cut after their last end-of-file marker.
"""

import base64
import binascii
import io
import secrets
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENT_MEGABYTES = MAX_ATTACHMENT_BYTES // (1024 * 1024)
# Images above this pixel count are rejected before decoding (decompression bombs).
MAX_IMAGE_PIXELS = 60_000_000
JPEG_QUALITY = 90

JPEG_SIGNATURE = b"\xff\xd8\xff"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PDF_SIGNATURE = b"%PDF-"
PDF_END_MARKER = b"%%EOF"

FIELD = "file"


class AttachmentFileError(ValueError):
    """Rejected attachment, with a Chinese ``message`` that states the fix and a ``code``."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CleanedFile:
    content: bytes
    content_type: str
    extension: str

    def random_name(self) -> str:
        """Return a random storage name, so names reveal nothing and never collide."""
        return f"{secrets.token_hex(16)}.{self.extension}"


def _too_large() -> AttachmentFileError:
    return AttachmentFileError(
        f"附件不能超过 {MAX_ATTACHMENT_MEGABYTES} MB，请压缩或降低扫描分辨率后重新上传。",
        "file_too_large",
    )


def decode_base64(text: str) -> bytes:
    """Decode the base64 text of an upload after checking its length."""
    if text.startswith("data:"):
        _, _, text = text.partition(",")
    limit = -(-MAX_ATTACHMENT_BYTES // 3) * 4
    if len(text) > 2 * limit:
        raise _too_large()
    compact = "".join(text.split())
    if len(compact) > limit:
        raise _too_large()
    if not compact:
        raise AttachmentFileError("请选择要上传的文件。", "required")
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise AttachmentFileError("文件的 Base64 编码无效，请重新选择文件上传。", "invalid_base64") from None


def clean_attachment(content: bytes) -> CleanedFile:
    """Check the type and size of ``content`` by its bytes and return a cleaned copy."""
    if not content:
        raise AttachmentFileError("所选文件是空文件，请重新选择。", "required")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise _too_large()
    if content.startswith(JPEG_SIGNATURE):
        return _reencode_image(content, "JPEG")
    if content.startswith(PNG_SIGNATURE):
        return _reencode_image(content, "PNG")
    if content.startswith(PDF_SIGNATURE):
        return _clean_pdf(content)
    raise AttachmentFileError(
        "附件只能是 JPEG、PNG 图片或 PDF 文件，所选文件的内容不是这几种格式"
        "（与文件扩展名无关），请另存为这几种格式后上传。",
        "invalid_file_type",
    )


def _reencode_image(content: bytes, image_format: str) -> CleanedFile:
    try:
        with Image.open(io.BytesIO(content), formats=[image_format]) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise AttachmentFileError(
                    f"图片像素过多（{width}×{height}），请降低分辨率后重新上传。", "image_too_large"
                )
            image.load()
            output = io.BytesIO()
            if image_format == "JPEG":
                if image.mode not in ("RGB", "L", "CMYK"):
                    image = image.convert("RGB")
                image.save(output, format="JPEG", quality=JPEG_QUALITY)
            else:
                image.save(output, format="PNG", optimize=True)
    except AttachmentFileError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise AttachmentFileError(
            "图片数据已损坏，无法打开，请重新扫描或另存后上传。", "invalid_image"
        ) from None

    if image_format == "JPEG":
        return CleanedFile(output.getvalue(), "image/jpeg", "jpg")
    return CleanedFile(output.getvalue(), "image/png", "png")


def _clean_pdf(content: bytes) -> CleanedFile:
    end = content.rfind(PDF_END_MARKER)
    if end == -1:
        raise AttachmentFileError(
            "PDF 文件不完整（缺少文件结束标记），请重新导出后上传。", "invalid_pdf"
        )
    # NOTE: the PDF body (scripts, embedded files) is stored unchanged. The download
    # view sends it as an attachment, so browsers do not open it inline on this site.
    return CleanedFile(content[: end + len(PDF_END_MARKER)] + b"\n", "application/pdf", "pdf")
