"""Checking a management-system document file before it is stored.

The type is decided by the file's content, never by its name or the content type the
browser sent. A PDF must start with the PDF header, and bytes after its last
end-of-file marker are cut off. A Word (.docx) or Excel (.xlsx) file must be a ZIP
archive with the Office Open XML parts of that type. ZIP archives are checked without extracting
them: too many entries or too large an uncompressed size (a ZIP bomb) are refused,
and macro-enabled parts (vbaProject.bin) are not accepted.
"""

import base64
import binascii
import io
import secrets
import zipfile
from dataclasses import dataclass

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_DOCUMENT_MEGABYTES = MAX_DOCUMENT_BYTES // (1024 * 1024)
MAX_ZIP_ENTRIES = 2000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

PDF_SIGNATURE = b"%PDF-"
PDF_END_MARKER = b"%%EOF"
ZIP_SIGNATURE = b"PK\x03\x04"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FIELD = "fileBase64"


class DocumentFileError(ValueError):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CleanedDocument:
    content: bytes
    content_type: str
    extension: str

    def random_name(self) -> str:
        return f"{secrets.token_hex(16)}.{self.extension}"


def _too_large() -> DocumentFileError:
    return DocumentFileError(
        f"文件不能超过 {MAX_DOCUMENT_MEGABYTES} MB，请压缩图片或拆分文件后重新上传。",
        "file_too_large",
    )


def decode_base64(text: str) -> bytes:
    if text.startswith("data:"):
        _, _, text = text.partition(",")
    limit = -(-MAX_DOCUMENT_BYTES // 3) * 4
    if len(text) > 2 * limit:
        raise _too_large()
    compact = "".join(text.split())
    if len(compact) > limit:
        raise _too_large()
    if not compact:
        raise DocumentFileError("请选择要上传的文件。", "required")
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise DocumentFileError(
            "文件的 Base64 编码无效，请重新选择文件上传。", "invalid_base64"
        ) from None


def clean_document(content: bytes) -> CleanedDocument:
    """Return the checked file, or raise DocumentFileError naming what to fix."""
    if not content:
        raise DocumentFileError("所选文件是空文件，请重新选择。", "required")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise _too_large()
    if content.startswith(PDF_SIGNATURE):
        end = content.rfind(PDF_END_MARKER)
        if end == -1:
            raise DocumentFileError(
                "PDF 文件不完整（缺少文件结束标记），请重新导出后上传。", "invalid_pdf"
            )
        return CleanedDocument(
            content[: end + len(PDF_END_MARKER)] + b"\n", "application/pdf", "pdf"
        )
    if content.startswith(ZIP_SIGNATURE):
        return _clean_office(content)
    raise DocumentFileError(
        "管理体系文件只能是 PDF、Word（.docx）或 Excel（.xlsx）文件，所选文件的内容不是这几种格式"
        "（与扩展名无关）。旧版 .doc、.xls 文件请另存为新格式后上传。",
        "invalid_file_type",
    )


def _clean_office(content: bytes) -> CleanedDocument:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise DocumentFileError("文件已损坏，无法打开，请重新保存后上传。", "invalid_zip") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise DocumentFileError("文件内部结构异常（条目过多），请重新保存后上传。", "zip_bomb")
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED_BYTES or total > MAX_COMPRESSION_RATIO * max(len(content), 1):
        raise DocumentFileError("文件解压后过大，疑似压缩炸弹，请检查文件后重新上传。", "zip_bomb")
    names = {entry.filename for entry in entries}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise DocumentFileError(
            "文件含有宏，不能上传，请另存为不含宏的 .docx 或 .xlsx 后上传。", "macro"
        )
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return CleanedDocument(content, DOCX, "docx")
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return CleanedDocument(content, XLSX, "xlsx")
    raise DocumentFileError(
        "压缩文件不是 Word（.docx）或 Excel（.xlsx）文件，请上传 PDF、.docx 或 .xlsx 文件。",
        "invalid_file_type",
    )
