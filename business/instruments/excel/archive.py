"""Checks on an uploaded file before openpyxl parses it.

An .xlsx file is a zip archive of XML parts. A small upload can expand to gigabytes
(a zip bomb), so the declared sizes in the zip directory are checked first.
CPython's zipfile (ZipExtFile._read1 in 3.11) truncates a member's output at its
declared size, so a member that lies about its size cannot expand past these limits.
"""

import io
import zipfile

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# The sheet of a generated 10,000-row ledger compressed 16.5:1 in the tests, while
# zip bombs reach 1000:1 and more.
MAX_COMPRESSION_RATIO = 100
# Members smaller than this are not checked for their ratio, because tiny parts
# such as styles may compress well without being a danger.
RATIO_CHECK_MIN_BYTES = 1024 * 1024
MAX_ARCHIVE_MEMBERS = 1000

# Compound File Binary signature of Excel 97–2003 .xls (and other old Office) files.
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")

NOT_XLSX_MESSAGE = "该文件不是 Excel 工作簿（.xlsx），请下载导入模板，填写后保存为 .xlsx 再导入。"


class FileRejected(Exception):
    """The upload cannot be read as a safe .xlsx file. The message is shown to the user."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_xlsx_archive(file_bytes: bytes) -> None:
    """Raise FileRejected unless ``file_bytes`` is an .xlsx archive within the size limits."""
    if not file_bytes:
        raise FileRejected("上传的文件是空的，请选择填写好的 Excel 文件。", "empty_file")
    if len(file_bytes) > MAX_FILE_BYTES:
        raise FileRejected(
            f"文件大小为 {len(file_bytes) / (1024 * 1024):.1f} MB，超过 "
            f"{_megabytes(MAX_FILE_BYTES)} 的上限，请分成几个文件导入。",
            "file_too_large",
        )
    if file_bytes.startswith(OLE2_SIGNATURE):
        raise FileRejected(
            "这是旧版 Excel 97–2003（.xls）格式的文件，平台只能读取 .xlsx 格式。"
            "请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再导入。",
            "xls_format",
        )
    if not zipfile.is_zipfile(io.BytesIO(file_bytes)):
        raise FileRejected(NOT_XLSX_MESSAGE, "not_xlsx")

    try:
        with zipfile.ZipFile(io.BytesIO(file_bytes)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileRejected(
            "文件已损坏，无法打开，请在 Excel 中重新保存为 .xlsx 后再导入。", "corrupt_file"
        ) from error

    names = {member.filename for member in members}
    if any(part not in names for part in REQUIRED_PARTS):
        raise FileRejected(NOT_XLSX_MESSAGE, "not_xlsx")
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise FileRejected(
            f"文件包含 {len(members)} 个内部部件，超过 {MAX_ARCHIVE_MEMBERS} 个的上限，"
            "不像导入模板，请使用平台提供的模板。",
            "too_many_parts",
        )

    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileRejected(
            f"文件解压后超过 {_megabytes(MAX_UNCOMPRESSED_BYTES)}，平台拒绝读取。"
            "请只保留台账数据，或分成几个文件导入。",
            "uncompressed_too_large",
        )
    for member in members:
        if member.file_size < RATIO_CHECK_MIN_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO:
            raise FileRejected(
                f"文件内部的“{member.filename}”压缩比异常（约 {ratio:.0f} 倍，上限 "
                f"{MAX_COMPRESSION_RATIO} 倍），可能是恶意构造的文件，平台拒绝读取。",
                "suspicious_compression",
            )
