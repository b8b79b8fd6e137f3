"""Checking notice attachments by their content, never by name or declared type.

Accepted: PDF, JPEG, PNG, and the Office Open XML formats .docx and .xlsx (ZIP
archives whose ``[Content_Types].xml`` and main part match).
"""

import base64
import binascii
import io
import secrets
import zipfile
from dataclasses import dataclass

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENT_MEGABYTES = MAX_ATTACHMENT_BYTES // (1024 * 1024)
MAX_ATTACHMENTS = 10
FILE_NAME_MAX_LENGTH = 150

_SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]
_OOXML_MAIN_PARTS = [
    (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
]


class AttachmentError(ValueError):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CheckedAttachment:
    content: bytes
    content_type: str
    extension: str
    file_name: str

    def random_name(self) -> str:
        return f"{secrets.token_hex(16)}.{self.extension}"


def decode(text: str) -> bytes:
    if text.startswith("data:"):
        _, _, text = text.partition(",")
    compact = "".join(text.split())
    if len(compact) > -(-MAX_ATTACHMENT_BYTES // 3) * 4:
        raise _too_large()
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise AttachmentError(
            "附件的 Base64 编码无效，请重新选择文件。", "invalid_base64"
        ) from None


def check(content: bytes, file_name: str) -> CheckedAttachment:
    """Return the attachment with its type found from its bytes, or raise AttachmentError."""
    name = (file_name or "").strip().replace("/", "_").replace("\\", "_")[:FILE_NAME_MAX_LENGTH]
    if not content:
        raise AttachmentError("附件是空文件，请重新选择。", "empty")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise _too_large()
    for signature, content_type, extension in _SIGNATURES:
        if content.startswith(signature):
            return CheckedAttachment(content, content_type, extension, name or f"附件.{extension}")
    if content.startswith(b"PK\x03\x04"):
        found = _ooxml_type(content)
        if found:
            content_type, extension = found
            return CheckedAttachment(content, content_type, extension, name or f"附件.{extension}")
    raise AttachmentError(
        "附件只能是 PDF、JPEG、PNG、Word（.docx）或 Excel（.xlsx）文件，所选文件的内容不是这些格式"
        "（与扩展名无关），请另存后重新上传。",
        "invalid_file_type",
    )


def _ooxml_type(content: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    # Macro-enabled documents carry a vbaProject part; they are refused.
    if any(name.endswith("vbaProject.bin") for name in names):
        return None
    for part, content_type, extension in _OOXML_MAIN_PARTS:
        if part in names:
            return content_type, extension
    return None


def _too_large() -> AttachmentError:
    return AttachmentError(
        f"附件不能超过 {MAX_ATTACHMENT_MEGABYTES} MB，请压缩后重新上传。", "file_too_large"
    )
