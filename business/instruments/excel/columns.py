"""Columns of the ledger spreadsheet, shared by the template, the import and the export."""

from dataclasses import dataclass

from business.reference.models import Usage

from ..models import Instrument

DATA_SHEET_TITLE = "器具台账"

# Leading characters that make Excel, WPS or LibreOffice read a cell as a formula.
# Tab and carriage return are escaped too, as a precaution.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool
    help_text: str
    width: int


COLUMNS = (
    Column("器具名称", "name", True, "计量器具的通用名称，例如“电子计价秤”。", 20),
    Column(
        "强制检定目录序号",
        "catalogue_item",
        False,
        "强制检定的器具填写《实施强制管理的计量器具目录》中的序号（见“强制检定目录”表）；"
        "非强制检定的器具留空。",
        12,
    ),
    Column(
        "器具种类",
        "kind",
        False,
        "强制检定的器具必填：目录项列有种类时填写其中之一（例如“电子计价秤”），"
        "否则填写器具的通用名称；非强制检定的器具留空。",
        16,
    ),
    Column(
        "用途",
        "usage",
        False,
        "强制检定的器具必填，从下拉列表中选择；非强制检定的器具留空。",
        18,
    ),
    Column("型号规格", "model", False, "例如“ACS-15”。", 16),
    Column("测量范围", "measuring_range", False, "例如“(0～15) kg”。", 16),
    Column("准确度等级", "accuracy_class", False, "例如“Ⅲ级”“0.5级”。", 12),
    Column(
        "出厂编号",
        "serial_number",
        True,
        "铭牌上的出厂编号。同一制造单位的出厂编号在本单位台账中不能重复。",
        18,
    ),
    Column("制造单位", "manufacturer", False, "铭牌上的制造单位全称。", 24),
    Column("安装使用地点", "installation_place", False, "例如“一楼生鲜区 3 号柜台”。", 24),
    Column(
        "使用地区划代码",
        "division",
        False,
        "器具使用地所在县（市、区）的 6 位行政区划代码（见“区划代码”表）；"
        "留空时使用本单位所在的县区。",
        14,
    ),
    Column("检定方式", "delivery_mode", False, "送检或现场检定，留空为送检。", 12),
    Column(
        "到期更换日期",
        "service_life_end",
        False,
        "仅“限期使用、到期轮换”的器具（如水表、燃气表）填写，格式为 2031-06-30；"
        "其他器具留空。",
        14,
    ),
)

HEADERS = tuple(column.header for column in COLUMNS)

USAGE_BY_LABEL = {label: value for value, label in Usage.choices}
DELIVERY_MODE_BY_LABEL = {label: value for value, label in Instrument.DeliveryMode.choices}
