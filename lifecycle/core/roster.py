"""The staff roster a `staff` event carries: parsed from rows of text into plain data.

The parsed roster goes into the event's data, so a replay never needs the
file again. Parsing refuses a bad file with the row and column named.
Headers and values may be English or Chinese (姓名, 角色 组长/社工, 年龄 …);
the file itself (CSV in any encoding Excel writes, or XLSX) is read by
`lifecycle.files`, which hands the rows over as text.
"""
from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass

from lifecycle.core.errors import BadInput, said
from lifecycle.core.limits import ROSTER_MAX_ROWS, name_problem
from lifecycle.core.values import normal, parse_whole

EDUCATION = ["high_school", "associate", "bachelor", "master", "doctorate"]
_EDUCATION_ZH = {"高中": "high_school", "中专": "high_school", "大专": "associate", "专科": "associate",
                 "本科": "bachelor", "硕士": "master", "研究生": "master", "博士": "doctorate"}
_YES = {"yes", "y", "true", "1", "是", "有"}
_NO = {"no", "n", "false", "0", "否", "无", ""}
REQUIRED = ("name", "role", "age", "education", "qualified")
HEADERS_ZH = {"姓名": "name", "角色": "role", "年龄": "age", "学历": "education", "社工资格": "qualified",
              "全国社工证": "certificate", "来源": "source", "岗位": "post"}
_ROLE_ZH = {"组长": "lead", "负责人": "lead", "项目负责人": "lead", "社工": "worker", "成员": "worker"}
_SOURCE_ZH = {"镇街": "town", "镇(街)": "town", "承接机构": "contractor"}
_POST_ZH = {"行政": "admin", "服务": "service"}


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
    v = normal(value).lower()
    if v in _YES:
        return True
    if v in _NO:
        return False
    raise BadInput(said("{where}: {value!r} is not yes/no (yes, no, true, false, 是, 否)", where=where, value=value))


def parse_roster(text: str, label: str = "roster") -> list[StaffMember]:
    """Parse roster CSV text. Raises BadInput naming the row and column."""
    try:
        rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise BadInput(said("{label}: not readable CSV ({exc})", label=label, exc=exc)) from None
    return parse_roster_rows(rows, label)


def parse_roster_rows(rows: list[list[str]], label: str = "roster",
                      numbers: list[int] | None = None) -> list[StaffMember]:
    """Parse a roster given as rows of text, the header first (`numbers`: each row's number in
    its file, for the messages). Raises BadInput naming the row and column."""
    if len(rows) - 1 > ROSTER_MAX_ROWS:
        raise BadInput(said("{label} has more than {ROSTER_MAX_ROWS} staff rows, the most a roster takes",
                label=label, ROSTER_MAX_ROWS=ROSTER_MAX_ROWS))
    if not rows:
        raise BadInput(said("{label} is empty: it needs a header row ({names}) and one row per staff member",
                label=label, names=', '.join(REQUIRED)))
    numbers = numbers or list(range(1, len(rows) + 1))
    header = [HEADERS_ZH.get(h.strip(), h.strip().lower()) for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise BadInput(said("{label} lacks the column(s) {names}", label=label, names=', '.join(missing)))
    staff: list[StaffMember] = []
    first: dict[str, int] = {}   # name -> its row: duplicates found in one pass
    for n, cells in zip(numbers[1:], rows[1:]):
        where = said("{label} row {n}", label=label, n=n)
        row = {k: (v or "").strip() for k, v in zip(header, cells) if k}
        _check_limits(row, where)   # every column, the ones a roster reads and any other
        row = {k: row.get(k, "") for k in (*REQUIRED, "certificate", "source", "post")}
        if not row.get("name"):
            raise BadInput(said("{where}, column name: the name is empty", where=where))
        if row["name"] in first:
            raise BadInput(said("{label} names {row} more than once (rows {first} and {n})",
                    label=label, row=row['name'], first=first[row['name']], n=n))
        first[row["name"]] = n
        role = _ROLE_ZH.get(row["role"], row["role"].lower()) or "worker"
        if role not in ("lead", "worker"):
            raise BadInput(said("{where}, column role: {row!r} is not lead or worker (组长 or 社工)",
                    where=where, row=row['role']))
        try:
            age = parse_whole(row["age"])
        except ValueError:
            raise BadInput(said("{where}, column age: {row!r} is not a whole number of years",
                    where=where, row=row['age'])) from None
        if not 16 <= age <= 80:
            raise BadInput(said("{where}, column age: {age} is not a plausible age", where=where, age=age))
        education = _EDUCATION_ZH.get(row["education"], row["education"].lower())
        if education not in EDUCATION:
            raise BadInput(said("{where}, column education: {row!r} is not one of {names} (or 高中/大专/本科/硕士/博士)",
                    where=where, row=row['education'], names=', '.join(EDUCATION)))
        source = _SOURCE_ZH.get(row["source"], row["source"].lower()) or None
        if source not in (None, "town", "contractor"):
            raise BadInput(said("{where}, column source: {row!r} is not town or contractor (镇街 or 承接机构)",
                    where=where, row=row['source']))
        post = _POST_ZH.get(row["post"], row["post"].lower()) or None
        if post not in (None, "admin", "service"):
            raise BadInput(said("{where}, column post: {row!r} is not admin or service (行政 or 服务)",
                    where=where, row=row['post']))
        staff.append(StaffMember(
            name=row["name"], role=role, age=age, education=education,
            qualified=_flag(row["qualified"], said("{where}, column qualified", where=where)),
            certificate=_flag(row["certificate"], said("{where}, column certificate", where=where)),
            source=source, post=post,
        ))
    if not staff:
        raise BadInput(said("{label} has a header but no staff rows", label=label))
    return staff


# -- the limits (lifecycle.core.limits): a roster is a station's staff, not a data dump ----------
def _check_limits(row: dict[str, str], where: str) -> None:
    for column, value in row.items():
        why = name_problem(value)
        if why:
            raise BadInput(said("{where}, column {column}: the value {why}",
                    where=where, column=column[:40], why=why))
