"""Files as a Chinese office has them: CSV in the encodings Excel writes, and XLSX workbooks."""
from lifecycle.files.tabular import XLSX_SUFFIXES, Table, Unreadable, open_workbook, read_roster_file, read_sheet, read_table

__all__ = ["XLSX_SUFFIXES", "open_workbook", "Table", "Unreadable", "read_roster_file", "read_sheet", "read_table"]
