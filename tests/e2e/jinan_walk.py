"""What the audit-side end-to-end tests share: a Jinan district's parties and a clock-stepping runner."""
from __future__ import annotations

ROSTER = "name,role,age,education,qualified\n张伟,lead,32,本科,是\n李娜,worker,28,大专,yes\n王芳,worker,40,本科,no\n"


def at(lc, when: str, *args: str):
    """Run a command with the clock at `when` (UTC), so its event is recorded then."""
    lc.now = when
    return lc.ok(*args)


def parties(lc, when: str = "2026-03-01 02:00:00") -> None:
    """Station LX-JFL in 历下区 and contractor YG (a civil-affairs social organisation)."""
    at(lc, when, "station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    at(lc, when, "contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心",
       "--credit-code", "52370102MJD1234562")
