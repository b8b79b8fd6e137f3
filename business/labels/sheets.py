"""Label sizes and how many labels of each fit on an A4 sheet."""

import math
from dataclasses import dataclass

A4_WIDTH_MM = 210
A4_HEIGHT_MM = 297
# Most office printers cannot print up to the paper's edge, so the labels keep an 8 mm
# margin (an estimate of the usual unprintable border).
SHEET_MARGIN_MM = 8
# Space between labels, so that they can be cut apart along the dashed borders.
GAP_MM = 2


@dataclass(frozen=True)
class LabelSize:
    code: str
    label: str
    width_mm: int
    height_mm: int

    @property
    def columns(self) -> int:
        # Every label carries the gap as its right and bottom margin, also the last one.
        usable = A4_WIDTH_MM - 2 * SHEET_MARGIN_MM
        return math.floor(usable / (self.width_mm + GAP_MM))

    @property
    def rows(self) -> int:
        usable = A4_HEIGHT_MM - 2 * SHEET_MARGIN_MM
        return math.floor(usable / (self.height_mm + GAP_MM))

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows


SIZES = {
    size.code: size
    for size in [
        LabelSize("small", "40×30 毫米", 40, 30),
        LabelSize("medium", "50×30 毫米", 50, 30),
        LabelSize("large", "70×50 毫米", 70, 50),
    ]
}
