"""The staff roster a `staff` event carries: parsed from CSV into plain data.

The parsed roster goes into the event's data, so a replay never needs the
file again. Parsing refuses a bad file with the row and column named.
"""
from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass

from lifecycle.core.errors import BadInput
from lifecycle.core.limits import ROSTER_MAX_ROWS, name_problem

EDUCATION = ["high_school", "associate", "bachelor", "master", "doctorate"]
_EDUCATION_ZH = {"高中": "high_school", "中专": "high_school", "大专": "associate", "专科": "associate",
                 "本科": "bachelor", "硕士": "master", "研究生": "master", "博士": "doctorate"}
_YES = {"yes", "y", "true", "1", "是", "有"}
_NO = {"no", "n", "false", "0", "否", "无", ""}
REQUIRED = ("name", "role", "age", "education", "qualified")


@dataclass(frozen=True)
class StaffMember:
    name: str
    role: str            # lead | worker
    age: int
    education: str       # one of EDUCATION
    qualified: bool      # holds a social-work qualification (degree or certificate)
    certificate: bool    # holds the national SW certificate
    source: str | None   # town | contractor
    post: str | None     # admin | service

    def as_dict(self) -> dict:
        return asdict(self)


def education_rank(level: str) -> int:
    return EDUCATION.index(level)


def _flag(value: str, where: str) -> bool:
    v = value.strip().lower()
    if v in _YES:
        return True
    if v in _NO:
        return False
    raise BadInput(f"{where}: {value!r} is not yes/no (yes, no, true, false, 是, 否)")


def parse_roster(text: str, label: str = "roster") -> list[StaffMember]:
    """Parse roster CSV text. Raises BadInput naming the row and column."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    try:
        reader.fieldnames
    except csv.Error as exc:
        raise BadInput(f"{label} row 1: not readable CSV ({exc})") from None
    if not reader.fieldnames:
        raise BadInput(f"{label} is empty: it needs a header row ({', '.join(REQUIRED)}) and one row per staff member")
    header = [h.strip() for h in reader.fieldnames]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise BadInput(f"{label} lacks the column(s) {', '.join(missing)}")
    staff: list[StaffMember] = []
    first: dict[str, int] = {}   # name -> its row: duplicates found in one pass
    for n, raw in _rows(reader, label):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        where = f"{label} row {n}"
        _check_limits(row, where)
        if not row.get("name"):
            raise BadInput(f"{where}, column name: the name is empty")
        if row["name"] in first:
            raise BadInput(f"{label} names {row['name']} more than once (rows {first[row['name']]} and {n})")
        first[row["name"]] = n
        role = row["role"].lower() or "worker"
        if role in ("负责人", "项目负责人"):
            role = "lead"
        if role not in ("lead", "worker"):
            raise BadInput(f"{where}, column role: {row['role']!r} is not lead or worker")
        try:
            age = int(row["age"])
        except ValueError:
            raise BadInput(f"{where}, column age: {row['age']!r} is not a whole number of years") from None
        if not 16 <= age <= 80:
            raise BadInput(f"{where}, column age: {age} is not a plausible age")
        education = _EDUCATION_ZH.get(row["education"], row["education"].lower())
        if education not in EDUCATION:
            raise BadInput(f"{where}, column education: {row['education']!r} is not one of "
                           f"{', '.join(EDUCATION)} (or 高中/大专/本科/硕士/博士)")
        source = row.get("source", "").lower() or None
        if source not in (None, "town", "contractor"):
            raise BadInput(f"{where}, column source: {row['source']!r} is not town or contractor")
        post = row.get("post", "").lower() or None
        if post not in (None, "admin", "service"):
            raise BadInput(f"{where}, column post: {row['post']!r} is not admin or service")
        staff.append(StaffMember(
            name=row["name"], role=role, age=age, education=education,
            qualified=_flag(row["qualified"], f"{where}, column qualified"),
            certificate=_flag(row.get("certificate", ""), f"{where}, column certificate"),
            source=source, post=post,
        ))
    if not staff:
        raise BadInput(f"{label} has a header but no staff rows")
    return staff


# -- the limits (lifecycle.core.limits): a roster is a station's staff, not a data dump ----------
def _rows(reader: csv.DictReader, label: str):
    """(row number, row) of the staff rows; at most ROSTER_MAX_ROWS, and CSV the csv module can read."""
    try:
        for n, raw in enumerate(reader, start=2):
            if n - 1 > ROSTER_MAX_ROWS:
                raise BadInput(f"{label} has more than {ROSTER_MAX_ROWS} staff rows, the most a roster takes")
            yield n, raw
    except csv.Error as exc:
        raise BadInput(f"{label} row {reader.line_num}: not readable CSV ({exc})") from None


def _check_limits(row: dict[str, str], where: str) -> None:
    for column, value in row.items():
        why = name_problem(value)
        if why:
            raise BadInput(f"{where}, column {column[:40]}: the value {why}")
