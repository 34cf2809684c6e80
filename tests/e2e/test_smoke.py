from __future__ import annotations


def test_a_jinan_project_walks_from_plan_to_service(lc):
    lc.ok("station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心", "--credit-code", "52370102MJD1234562")
    lc.ok("project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2026", "--on", "2026-03-20")
    lc.ok("advance", "P1", "announce", "--on", "2026-04-01")
    lc.ok("advance", "P1", "award", "contractor=YG", "--on", "2026-04-28")
    lc.ok("advance", "P1", "sign", "amount=600000", "--on", "2026-05-08")
    roster = lc.write("roster.csv", "name,role,age,education,qualified\n张伟,lead,32,本科,是\n李娜,worker,28,大专,yes\n"
                                    "王芳,worker,40,本科,no\n")
    lc.ok("advance", "P1", "staff", f"roster={roster}", "--on", "2026-06-01")
    status = lc.ok("status", "P1", "--json").json()
    assert status["state"] == "in_service"
    assert status["contractor"] == "YG"
    assert status["term_end"] == "2029-05-08"
    contract = next(o for o in status["obligations"] if o["id"] == "contract")
    assert contract["status"] == "met" and contract["basis"] == "NAT-contract: 政府采购法 art. 46"
    assert lc.ok("replay", "P1", "--verify", "--json").json()["verified"] is True
