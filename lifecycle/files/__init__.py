"""Files as a Chinese office has them: CSV in the encodings Excel writes, and XLSX workbooks."""
from lifecycle.files.tabular import Table, Unreadable, read_roster_file, read_sheet, read_table

__all__ = ["Table", "Unreadable", "read_roster_file", "read_sheet", "read_table"]
