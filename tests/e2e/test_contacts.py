"""`lifecycle contact add|list`: who reads the notices, validated by role."""
from __future__ import annotations

import pytest


@pytest.fixture
def lcx(lc):
    lc.ok("contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心")
    return lc


def test_contacts_are_added_and_listed_by_role(lcx):
    lcx.ok("contact", "add", "--role", "purchaser", "--district", "历下区", "--name", "历下区民政局社工科",
           "--email", "sgk@lixia.gov.cn")
    lcx.ok("contact", "add", "--role", "city", "--name", "济南市民政局", "--email", "mzj@jinan.gov.cn")
    lcx.ok("contact", "add", "--role", "contractor", "--contractor", "YG", "--name", "王主任", "--email", "wang@yg.org")
    rows = lcx.ok("contact", "list", "--json").json()
    assert {(r["role"], r["district"], r["contractor_id"], r["email"]) for r in rows} == {
        ("purchaser", "历下区", None, "sgk@lixia.gov.cn"), ("city", None, None, "mzj@jinan.gov.cn"),
        ("contractor", None, "YG", "wang@yg.org")}
    assert "历下区民政局社工科" in lcx.ok("contact", "list").stdout


@pytest.mark.parametrize("args, says", [
    (["--role", "purchaser", "--district", "历下区", "--email", "not-an-address"], "not an e-mail address"),
    (["--role", "purchaser", "--district", "历下区", "--email", "a b@x.cn"], "not an e-mail address"),
    (["--role", "purchaser", "--district", "历下区", "--email", "a@localhost"], "not an e-mail address"),
    (["--role", "purchaser", "--email", "a@x.cn"], "needs --district"),
    (["--role", "street", "--email", "a@x.cn"], "needs --district"),
    (["--role", "contractor", "--email", "a@x.cn"], "needs --contractor"),
    (["--role", "contractor", "--contractor", "YG", "--district", "历下区", "--email", "a@x.cn"], "not --district"),
    (["--role", "city", "--contractor", "YG", "--email", "a@x.cn"], "applies only to --role contractor"),
    (["--role", "contractor", "--contractor", "NOPE", "--email", "a@x.cn"], "unknown contractor NOPE"),
])
def test_a_contact_that_does_not_fit_its_role_is_bad_input_and_nothing_is_written(lcx, args, says):
    r = lcx("contact", "add", "--name", "某人", *args)
    assert r.exit_code == 2
    assert says in r.stderr and r.stderr.count("\n") == 1
    assert lcx.ok("contact", "list", "--json").json() == []


def test_an_unknown_role_is_refused_by_the_command_line(lcx):
    assert lcx("contact", "add", "--role", "mayor", "--name", "x", "--email", "a@x.cn").exit_code == 2
