"""Uploads that are not a safe .xlsx file are rejected before openpyxl parses them."""

import io
import os
import zipfile

import pytest

from business.instruments.excel import archive, import_instruments
from tests import factories

from .helpers import fill_template, ledger_is_empty, row, zip_bytes

pytestmark = pytest.mark.django_db

CONTENT_TYPES = (
    b'<?xml version="1.0"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
WORKBOOK = (
    b'<?xml version="1.0"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
)


@pytest.fixture
def enterprise():
    factories.catalogue_item()
    return factories.enterprise()


def only_error(enterprise, file_bytes):
    result = import_instruments(enterprise, file_bytes, actor=None)
    assert len(result.errors) == 1, [str(error) for error in result.errors]
    assert ledger_is_empty()
    error = result.errors[0]
    assert error.row is None
    return error


def xlsx_parts(**extra: bytes) -> dict[str, bytes]:
    return {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": WORKBOOK, **extra}


def template_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(fill_template([row()]))) as template:
        return {info.filename: template.read(info) for info in template.infolist()}


def test_oversized_file_rejected_before_parsing(enterprise):
    file_bytes = b"PK" + b"\0" * archive.MAX_FILE_BYTES

    error = only_error(enterprise, file_bytes)

    assert error.code == "file_too_large"
    assert "10 MB" in error.message


def test_zip_bomb_rejected(enterprise):
    sheet = b"<sheetData>" + b" " * (20 * 1024 * 1024) + b"</sheetData>"
    file_bytes = zip_bytes(xlsx_parts(**{"xl/worksheets/sheet1.xml": sheet}))
    assert len(file_bytes) < archive.MAX_FILE_BYTES

    error = only_error(enterprise, file_bytes)

    assert error.code == "suspicious_compression"
    assert "xl/worksheets/sheet1.xml" in error.message


def test_total_uncompressed_size_limited(enterprise, monkeypatch):
    monkeypatch.setattr(archive, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    noise = os.urandom(1024 * 1024)
    file_bytes = zip_bytes(xlsx_parts(**{"xl/media/image1.bin": noise}))

    error = only_error(enterprise, file_bytes)

    assert error.code == "uncompressed_too_large"


def test_too_many_parts_rejected(enterprise, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ARCHIVE_MEMBERS", 5)
    parts = {f"xl/media/image{number}.png": b"x" for number in range(10)}

    error = only_error(enterprise, zip_bytes(xlsx_parts(**parts)))

    assert error.code == "too_many_parts"


def test_xls_file_rejected_with_hint(enterprise):
    file_bytes = archive.OLE2_SIGNATURE + b"\0" * 512

    error = only_error(enterprise, file_bytes)

    assert error.code == "xls_format"
    assert ".xls" in error.message
    assert "另存为" in error.message


def test_renamed_text_file_rejected(enterprise):
    file_bytes = "器具名称,出厂编号\n电子计价秤,JS01\n".encode()

    error = only_error(enterprise, file_bytes)

    assert error.code == "not_xlsx"
    assert "不是 Excel 工作簿" in error.message


def test_other_zip_rejected(enterprise):
    word_parts = {"word/document.xml": b"<document/>", "[Content_Types].xml": b"<Types/>"}
    file_bytes = zip_bytes(word_parts)

    error = only_error(enterprise, file_bytes)

    assert error.code == "not_xlsx"


def test_corrupt_workbook_rejected(enterprise):
    file_bytes = zip_bytes(xlsx_parts(**{"xl/workbook.xml": b"<workbook"}))

    error = only_error(enterprise, file_bytes)

    assert error.code == "unreadable_file"


def test_xml_entity_expansion_rejected(enterprise, caplog):
    # "Billion laughs": nested entities that expand to gigabytes if a parser resolves them.
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{level} "{("&a" + str(level - 1) + ";") * 10}">' for level in range(1, 10)
    )
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    parts = template_parts()
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()

    error = only_error(enterprise, zip_bytes(parts))

    assert error.code == "unreadable_file"
    assert "EntitiesForbidden" in caplog.text


def test_truncated_xlsx_rejected(enterprise):
    file_bytes = fill_template([row()])[:-200]

    error = only_error(enterprise, file_bytes)

    assert error.code == "not_xlsx"


def test_stored_members_not_mistaken_for_bomb(enterprise):
    # Uncompressed (ZIP_STORED) members have a ratio of 1 and must pass every check.
    stored = zip_bytes(template_parts(), compression=zipfile.ZIP_STORED)

    result = import_instruments(enterprise, stored, actor=None)

    assert result.ok, [str(error) for error in result.errors]
