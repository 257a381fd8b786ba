"""Small summary tables shared by the workbooks: amounts with their shares and a total row.

Totals and shares are formulas (so a spreadsheet program recomputes them from the cells above)
with their computed values cached in the file (so a program that does not recompute, or a
chart, shows the same figures).
"""

from collections.abc import Sequence
from decimal import Decimal

from xlsxwriter.utility import xl_rowcol_to_cell

from followup.exports.writer import Sheet


def cell(row: int, col: int, *, fix_row: bool = False) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=fix_row)


def sum_formula(first: tuple[int, int], last: tuple[int, int], *, cells: int) -> str:
    """``=SUM(first:last)`` over a single row or column, checked to span exactly ``cells``
    cells — the number of values whose total is cached beside it — so a range that ends one
    column early (or late) fails where it is built instead of showing a wrong total."""
    (first_row, first_col), (last_row, last_col) = first, last
    if first_row != last_row and first_col != last_col:
        raise ValueError("a sum runs along one row or one column")
    spanned = (last_row - first_row) + (last_col - first_col) + 1
    if spanned != cells:
        raise ValueError(f"the range spans {spanned} cells, the total {cells} values")
    return f"=SUM({cell(*first)}:{cell(*last)})"


def share(part: Decimal, whole: Decimal) -> float:
    return float(part / whole) if whole else 0.0


def amounts_with_shares(
    sheet: Sheet,
    *,
    headers: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Decimal]]],
    total_label: str = "Totalt",
    counts: bool = False,
) -> int:
    """Label | amount | share | amount | share … with a total row; returns the total row.

    ``headers`` names the label column and each amount column; every amount column is followed
    by its share of the column's total. Amounts are shown in mnkr, or as whole numbers with
    ``counts``.
    """
    f = sheet.f
    amount_format, total_format = (f.integer, f.total_integer) if counts else (f.mnkr, f.total_mnkr)
    labels = [headers[0]]
    for header in headers[1:]:
        labels += [header, "Andel"]
    sheet.header(labels, height=30)
    first = sheet.row
    last = first + len(rows) - 1
    total_row = last + 1
    amount_columns = len(headers) - 1
    totals = [
        sum((amounts[i] for _label, amounts in rows), Decimal(0)) for i in range(amount_columns)
    ]
    for label, amounts in rows:
        row = sheet.row
        sheet.text(row, 0, label)
        for i, amount in enumerate(amounts):
            col = 1 + 2 * i
            sheet.number(row, col, amount, amount_format)
            sheet.formula(
                row,
                col + 1,
                f"=IF({cell(total_row, col, fix_row=True)}=0,0,"
                f"{cell(row, col)}/{cell(total_row, col, fix_row=True)})",
                share(amount, totals[i]),
                f.percent,
            )
        sheet.row += 1
    sheet.text(total_row, 0, total_label, f.total_label)
    for i, total in enumerate(totals):
        col = 1 + 2 * i
        if rows:
            sheet.formula(
                total_row,
                col,
                sum_formula((first, col), (last, col), cells=len(rows)),
                total,
                total_format,
            )
        else:
            sheet.number(total_row, col, 0, total_format)
        sheet.formula(
            total_row,
            col + 1,
            f"=IF({cell(total_row, col)}=0,0,1)",
            1.0 if total else 0.0,
            f.total_percent,
        )
    sheet.row = total_row + 1
    return total_row
