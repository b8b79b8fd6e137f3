"""Excel template, import and export of the instrument ledger."""

from .archive import MAX_COMPRESSION_RATIO, MAX_FILE_BYTES, MAX_UNCOMPRESSED_BYTES
from .exporting import export_instruments
from .importing import MAX_IMPORT_ROWS, ImportErrorDetail, ImportResult, import_instruments
from .template import build_import_template

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_FILE_BYTES",
    "MAX_IMPORT_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "ImportErrorDetail",
    "ImportResult",
    "build_import_template",
    "export_instruments",
    "import_instruments",
]
