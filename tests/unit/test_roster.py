"""Roster CSV parsing: plain data for the event, bad files refused naming row and column."""
from __future__ import annotations

import pytest

from lifecycle.core.errors import BadInput
from lifecycle.core.roster import parse_roster

HEAD = "name,role,age,education,qualified\n"


def test_chinese_and_english_values_parse_to_the_same_data():
    staff = parse_roster("\ufeff" + HEAD + "张伟,负责人,34,本科,是\nLi Na,worker,28,associate,yes\n王芳,,40,大专,否\n")
    assert [(s.name, s.role, s.age, s.education, s.qualified) for s in staff] == [
        ("张伟", "lead", 34, "bachelor", True), ("Li Na", "worker", 28, "associate", True),
        ("王芳", "worker", 40, "associate", False)]
    assert all(s.certificate is False and s.source is None and s.post is None for s in staff)


def test_the_optional_columns_are_read_where_a_rulebook_needs_them():
    staff = parse_roster("name,role,age,education,qualified,certificate,source,post\n"
                         "郑凯,lead,39,硕士,true,TRUE,Contractor,service\n")
    assert (staff[0].certificate, staff[0].source, staff[0].post, staff[0].education) == (
        True, "contractor", "service", "master")


@pytest.mark.parametrize("text,message", [
    ("", "roster is empty"),
    (HEAD, "roster has a header but no staff rows"),
    ("name,role,age\n张伟,lead,30\n", "roster lacks the column(s) education, qualified"),
    (HEAD + "张伟,lead,三十,本科,是\n", "roster row 2, column age: '三十' is not a whole number of years"),
    (HEAD + "张伟,lead,30,本科,是\n李娜,worker,12,本科,是\n", "roster row 3, column age: 12 is not a plausible age"),
    (HEAD + "张伟,lead,30,小学,是\n", "roster row 2, column education: '小学' is not one of"),
    (HEAD + "张伟,lead,30,本科,也许\n", "roster row 2, column qualified: '也许' is not yes/no"),
    (HEAD + "张伟,boss,30,本科,是\n", "roster row 2, column role: 'boss' is not lead or worker"),
    (HEAD + ",lead,30,本科,是\n", "roster row 2, column name: the name is empty"),
    (HEAD + "张伟,lead,30,本科,是\n张伟,worker,31,本科,是\n", "roster names 张伟 more than once"),
    ("name,role,age,education,qualified,source\n张伟,lead,30,本科,是,街道\n", "column source: '街道' is not town"),
])
def test_a_bad_roster_is_refused_naming_what_is_wrong(text, message):
    with pytest.raises(BadInput) as err:
        parse_roster(text)
    assert message in err.value.message
    assert err.value.exit_code == 2


def test_chinese_headers_roles_sources_and_posts_read_as_the_english_ones():
    chinese = parse_roster("姓名,角色,年龄,学历,社工资格,全国社工证,来源,岗位\n"
                           "郑凯,组长,３９,本科,是,是,承接机构,服务\n冯雪,社工,27,大专,是,否,镇街,行政\n"
                           "韩梅,成员,33,大专,否,否,承接机构,服务\n")
    english = parse_roster("name,role,age,education,qualified,certificate,source,post\n"
                           "郑凯,lead,39,bachelor,yes,yes,contractor,service\n冯雪,worker,27,associate,yes,no,town,admin\n"
                           "韩梅,worker,33,associate,no,no,contractor,service\n")
    assert chinese == english


def test_an_unknown_chinese_role_is_refused_naming_the_chinese_choices():
    with pytest.raises(BadInput, match="row 2, column role: '主任' is not lead or worker \\(组长 or 社工\\)"):
        parse_roster("姓名,角色,年龄,学历,社工资格\n张伟,主任,34,本科,是\n")
