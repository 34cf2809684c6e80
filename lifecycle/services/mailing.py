"""From candidate duties to notices and letters: one letter per (issuer, addressee) per sweep.

Each candidate becomes a notice draft (the per-duty row of the outbox, unique
per (project, obligation, stage)) routed by the ladder's data
(`addressing.route`): who holds the duty, who signs, who is addressed, who is
copied. Drafts are gathered by (issuer, addressee); each group is written in
one transaction (letters share one, about 4,000 notices): its notices
inserted with ON CONFLICT DO NOTHING, then, for those this sweep made, the
document number raised (per issuer and year), the letter composed and
inserted, and the notices pointed at it; the letters are sealed (`lifecycle.store.seals`) last, so the
chain's lock is the last one a sweep takes and parallel sweeps never deadlock over it. A number is so never given without
its letter, nor a letter without its notices, and a rollback takes both
back: numbers run without gaps.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from sqlalchemy import bindparam, update
from sqlalchemy.engine import Connection

from lifecycle.core import rulebook as rulebooks
from lifecycle.core.calendar import WorkCalendar
from lifecycle.core.names import duty_label, written_date
from lifecycle.notifications import addressing
from lifecycle.notifications.contacts import Directory, missing_address
from lifecycle.notifications.gongwen import SEVERITY, STAGE_ORDER, Item, LetterFacts, compose_letter
from lifecycle.notifications.issuers import Issuer, Issuers
from lifecycle.notifications.ladder import Bounds, Ladder
from lifecycle.notifications.letters import NoticeFacts, subject_of
from lifecycle.notifications.mail import sender_for
from lifecycle.notifications.outbox import utc_stamp
from lifecycle.store import Store, letter_numbers, letters, notices
from lifecycle.store.seals import seal_made


@dataclass(frozen=True)
class Context:
    cal: WorkCalendar
    directory: Directory
    issuers: Issuers
    runner: str
    lang: str
    now: datetime
    why: dict[tuple[str, str], str] = field(default_factory=dict)  # (project, obligation) → its due date explained
    # reads `why` for a batch's candidate rows (the sweep's `explanations`), so it is held a batch at a time
    explain: Callable[[list[Any]], dict[tuple[str, str], str]] | None = None


@dataclass
class Draft:
    notice: dict[str, Any]          # the notices row
    item: Item
    key: tuple[str, str, str]       # (issuer key, addressee role, addressee key): one letter each
    form: str
    issuer: Issuer | None
    addressee: str
    to_role: str
    district: str
    contractor_id: str | None
    cc: list[tuple[str, str]]       # (role, institution) copied
    city: str
    escalation_working_days: int
    act_by: date
    as_of: date
    sender: str                     # From: the issuer's address (an internal reminder: its district's)


def drafts_for(r: Any, ladder: Ladder, b: Bounds, ctx: Context) -> list[Draft]:
    """The notices a candidate row calls for: its stage, and the overdue notice it never had."""
    return [_draft(r, stage, ladder, b, ctx) for stage in stages_of(r)]


def stages_of(r: Any) -> list[str]:
    """The stages a candidate row calls for: its own, after the overdue notice it never had."""
    if r.stage == "escalation" and not r.told_overdue:
        return ["overdue", r.stage]   # the holder hears before the city does
    return [r.stage]


@dataclass(frozen=True, slots=True)
class Plan:
    """A notice to draft: the candidate row and its stage, drafted only when its letter is written
    (a big first sweep holds these, not every drafted notice at once)."""
    row: Any
    stage: str
    ladder: Ladder
    bounds: Bounds

    def draft(self, ctx: Context) -> Draft:
        return _draft(self.row, self.stage, self.ladder, self.bounds, ctx)


def letter_key(r: Any, stage: str, ctx: Context) -> tuple[str, str, str]:
    """The letter a notice goes in, (issuer key, addressee role, addressee key): `Draft.key` without drafting."""
    holder = addressing.holder_of(r.kind, r.contractor_id is not None)
    way = addressing.route(stage, holder, ctx.runner)
    to_role = addressing.contact_role(holder if way.to == "holder" else way.to)
    to_key = r.contractor_id if to_role == "contractor" else ("" if to_role == "city" else r.district)
    return f"{way.issuer}:{'' if way.issuer == 'city' else r.district}", to_role, to_key or ""


def _draft(r: Any, stage: str, ladder: Ladder, b: Bounds, ctx: Context) -> Draft:
    lang, cal = ctx.lang, ctx.cal
    book = rulebooks.load(r.rulebook, r.rulebook_version)
    holder = addressing.holder_of(r.kind, r.contractor_id is not None)
    way = addressing.route(stage, holder, ctx.runner)
    district_issuer = ctx.issuers.find("district", r.district)
    city_issuer = ctx.issuers.find("city", "")
    station = r.station_name or r.district
    institutions = {
        "purchaser": district_issuer.name if district_issuer and lang == "zh" else addressing.purchaser_name(r.district, lang),
        # the rulebook knows its city: one engine may serve districts of several cities
        "city": addressing.city_bureau(book, lang),
        "street": addressing.street_office(station, lang),
        "contractor": r.contractor_name or r.contractor_id or ("承接机构" if lang == "zh" else "the contractor"),
    }
    institutions["district"] = institutions["purchaser"]
    to_party = holder if way.to == "holder" else way.to
    to_role = addressing.contact_role(to_party)
    issuer = {"district": district_issuer, "city": city_issuer, "none": None}[way.issuer]
    issuer_key = f"{way.issuer}:{'' if way.issuer == 'city' else r.district}"
    to = ctx.directory.find(to_role, r.district, r.contractor_id)
    addressee = institutions[to_party]
    if way.form == "internal":
        addressee = to.name if to else ("本局承办科室" if lang == "zh" else "the responsible office")
    to_key = r.contractor_id if to_role == "contractor" else ("" if to_role == "city" else r.district)
    cure = int(book.settings.get("cure_working_days", addressing.CURE_WORKING_DAYS))
    # a reminder and a correction ask for the duty by its due date; overdue and escalation give a cure period
    act_by = r.due if stage in ("reminder", "correction") else cal.add_working_days(b.today, cure).date
    previous_due = written_date(r.previous_due, lang) if r.previous_due is not None else ""
    rule = book.rule(r.rule)
    citation = addressing.citation(book, rule, lang) if rule else r.basis
    summary = (rule.summary if lang == "zh" else rule.summary_en) if rule else r.basis
    duty = duty_label(r.kind, r.id, r.subject, lang)
    contractor = r.contractor_name or ("尚未确定" if lang == "zh" else "not yet chosen")
    signer = issuer.name if issuer else ("（发文机关尚未配置）" if lang == "zh" else "(no issuer configured)")
    cc_parties = [c for c in way.cc if c != to_party]
    facts = NoticeFacts(
        stage=stage, project=r.project_id, station_name=station, district=r.district, contractor_name=contractor,
        obligation_id=r.id, kind=r.kind, duty=duty, due=written_date(r.due, lang), provisional=bool(r.provisional),
        days_overdue=max(0, (b.today - r.due).days), working_days_overdue=cal.working_days_between(r.due, b.today),
        working_days_left=cal.working_days_between(b.today, r.due),
        escalation_working_days=ladder.escalation_working_days, rule_id=r.rule, basis=r.basis, citation=citation,
        rule_summary=summary, addressee=addressee, purchaser=institutions["purchaser"], city=institutions["city"],
        issuer=signer, issued_on=written_date(b.today, lang), act_by=written_date(act_by, lang),
        cc_names=tuple(institutions[c] for c in cc_parties if institutions[c] != addressee),
        previous_due=previous_due, explanation=ctx.why.get((r.project_id, r.id), ""),
    )
    subject = subject_of(facts, lang)
    copies = [{"role": addressing.contact_role(c), "name": (found.name if found else None),
               "email": (found.email if found else None)}
              for c in cc_parties for found in [ctx.directory.find(addressing.contact_role(c), r.district,
                                                                   r.contractor_id)]]
    notice = dict(
        project_id=r.project_id, obligation_id=r.id, stage=stage, recipient=to_role,
        recipient_name=to.name if to else None, email=to.email if to else None,
        cc=json.dumps(copies, ensure_ascii=False), language=lang, subject=subject,
        body_text="", body_html="",   # its letter carries the text (stored once, sealed)
        due=r.due, as_of=b.today, created_at=utc_stamp(ctx.now), status="pending", attempts=0,
        last_error=None if to else missing_address(to_role, r.district, r.contractor_id),
    )
    item = Item(project=r.project_id, station_name=station, contractor_name=contractor, duty=duty,
                due=facts.due, provisional=facts.provisional, stage=stage, days_overdue=facts.days_overdue,
                working_days_overdue=facts.working_days_overdue, working_days_left=facts.working_days_left,
                citation=citation, rule_summary=summary, explanation=facts.explanation, previous_due=previous_due)
    key = (issuer_key, to_role, to_key or "")
    assert key == letter_key(r, stage, ctx), key   # the sweep grouped the notice by letter_key
    return Draft(notice, item, key, way.form, issuer, addressee, to_role, r.district,
                 r.contractor_id, [(c, institutions[c]) for c in cc_parties], institutions["city"],
                 ladder.escalation_working_days, act_by, b.today, sender_for(issuer or district_issuer))


def post(store: Store, groups: dict[tuple[str, str, str], list[Plan]], ctx: Context, dry_run: bool,
         as_of: date | None = None, keep: bool = True) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """Write each letter's notices and the letter in batches of transactions; returns (notices made,
    letters made, how many notices).

    `groups` are the plans by letter key, emptied here: a batch of letters is explained, drafted and
    written together and let go after, so a big first sweep holds the candidate rows and one batch of
    drafts. `keep` False: the notices made are counted, not listed (the letters still list their ids)."""
    total = sum(len(g) for g in groups.values())
    made: list[dict[str, Any]] = []
    made_letters: list[dict[str, Any]] = []
    count = [0]
    try:
        for keys in _batches(groups):
            plans = [groups.pop(key) for key in keys]
            if ctx.explain is not None:   # `why` is a dict the frozen context holds: refilled a batch at a time
                ctx.why.clear()
                ctx.why.update(ctx.explain([p.row for group in plans for p in group]))
            drafted = [[p.draft(ctx) for p in group] for group in plans]
            del plans
            if dry_run:
                for group in drafted:
                    notes = [_made(None, d) for d in group]
                    _report(made, made_letters, count, keep, notes,
                            _letter_summary(None, group[0], None, _compose(group, None, ctx).subject, notes))
            else:
                _write(store, drafted, ctx, made, made_letters, count, keep)
    except Exception as exc:
        if dry_run:
            raise
        # what was committed stays (each notice exists once: the next sweep makes only the rest)
        from lifecycle.core.errors import said
        counts = dict(made=count[0], total=total, letters=len(made_letters))
        exc.add_note(said("{made} of the {total} notices due on {day} had been created in {letters} letters and "
                          "committed before it; run the same `lifecycle check` again to create the rest",
                          day=as_of.isoformat(), **counts) if as_of else
                     said("{made} of the {total} notices had been created in {letters} letters and committed "
                          "before it; run the same `lifecycle check` again to create the rest", **counts))
        raise
    finally:
        if ctx.explain is not None:
            ctx.why.clear()
    return made, made_letters, count[0]


def _batches(groups: dict[tuple[str, str, str], list[Plan]]) -> Any:
    """The letter keys in order, a batch of whole letters of about _BATCH notices at a time."""
    batch: list[tuple[str, str, str]] = []
    size = 0
    for key in sorted(groups):
        batch.append(key)
        size += len(groups[key])
        if size >= _BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _report(made: list[dict[str, Any]], made_letters: list[dict[str, Any]], count: list[int], keep: bool,
            notes: list[dict[str, Any]], letter: dict[str, Any]) -> None:
    count[0] += len(notes)
    if keep:
        made += notes
    made_letters.append(letter)


_BATCH = 4000   # a commit costs ~0.1 s on SQLite (its journal synced): 0.1 s every 4,000 notices


def _write(store: Store, batch: list[list[Draft]], ctx: Context, made: list[dict[str, Any]],
           made_letters: list[dict[str, Any]], count: list[int], keep: bool) -> None:
    done: list[tuple[int, Draft, str | None, str, list[dict[str, Any]]]] = []
    carried: list[dict[str, int]] = []   # (notice, its letter): pointed at in one statement a batch
    head: tuple[int, str] | None = None   # the seal chain's head, once this transaction has sealed
    with store.transaction() as conn:
        made_rows: list[tuple[int, dict[str, Any]]] = []
        inserted = _insert_new(conn, [d.notice for group in batch for d in group])   # one statement a batch
        for group in batch:
            mine = [d for d in group if _key(d) in inserted]
            if not mine:
                continue
            number = _allocate(conn, mine[0]) if _numbered(mine[0]) else None
            letter = _compose(mine, number, ctx)
            row = _letter_row(mine, number, letter, ctx)
            letter_id = conn.execute(letters.insert(), row).inserted_primary_key[0]
            made_rows.append((letter_id, row))
            carried += [{"notice": inserted[_key(d)], "letter": letter_id} for d in mine]
            notes = [_made(inserted[_key(d)], d) for d in mine]
            done.append((letter_id, mine[0], number[2] if number else None, letter.subject, notes))
        if carried:
            conn.execute(update(notices).where(notices.c.id == bindparam("notice"))
                         .values(letter_id=bindparam("letter")), carried)
        # sealed last, in the same transaction: the chain's lock is then the last lock it takes, so a sweep
        # holding it waits for nothing and two parallel sweeps cannot deadlock over it and a letter number
        for letter_id, row in made_rows:
            head = seal_made(conn, letter_id, row, row["created_at"], head)   # its content bound into the chain
    for letter_id, head, number_text, subject, notes in done:   # reported once committed
        _report(made, made_letters, count, keep, notes, _letter_summary(letter_id, head, number_text, subject, notes))


def _key(d: Draft) -> tuple[str, str, str]:
    return (d.notice["project_id"], d.notice["obligation_id"], d.notice["stage"])


def _numbered(d: Draft) -> bool:
    return d.issuer is not None and d.form != "internal"


def _allocate(conn: Connection, d: Draft) -> tuple[int, int, str]:
    """The next 发文字号 of the issuer for the year, raised inside the letter's transaction."""
    assert d.issuer is not None
    year = d.as_of.year
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(letter_numbers).values(issuer=d.issuer.key, year=year, last=1)
    stmt = stmt.on_conflict_do_update(index_elements=["issuer", "year"],
                                      set_={"last": letter_numbers.c.last + 1}).returning(letter_numbers.c.last)
    serial = conn.execute(stmt).scalar_one()
    return year, serial, f"{d.issuer.prefix}〔{year}〕{serial}号"


def _compose(group: list[Draft], number: tuple[int, int, str] | None, ctx: Context) -> Any:
    head = max(group, key=lambda d: SEVERITY[d.form])
    stage = max((d.item.stage for d in group), key=STAGE_ORDER.__getitem__)
    cc: list[str] = []
    for d in group:
        cc += [name for _, name in d.cc if name not in cc and name != d.addressee]
    # the cure period of the overdue items; a reminder or a correction asks each by its own date
    pressing = [d.act_by for d in group if d.item.stage not in ("reminder", "correction")]
    act_by = min(pressing) if pressing else head.as_of
    facts = LetterFacts(
        form=head.form, stage=stage, issuer=head.issuer.name if head.issuer else None,
        number=number[2] if number else None, addressee=head.addressee,
        items=tuple(d.item for d in sorted(group, key=lambda d: (-STAGE_ORDER[d.item.stage], d.item.project,
                                                                   d.notice["due"], d.notice["obligation_id"]))),
        issued_on=written_date(head.as_of, ctx.lang), act_by=written_date(act_by, ctx.lang), city=head.city,
        escalation_working_days=head.escalation_working_days, cc_names=tuple(cc),
        contact=head.issuer.contact if head.issuer else None, phone=head.issuer.phone if head.issuer else None)
    return compose_letter(facts, ctx.lang)


def _letter_row(group: list[Draft], number: tuple[int, int, str] | None, letter: Any, ctx: Context) -> dict[str, Any]:
    head = max(group, key=lambda d: SEVERITY[d.form])
    stage = max((d.item.stage for d in group), key=STAGE_ORDER.__getitem__)
    to = ctx.directory.find(head.to_role, head.district, head.contractor_id)
    copies: list[dict[str, Any]] = []
    for d in group:
        for role, name in d.cc:
            role = addressing.contact_role(role)
            found = ctx.directory.find(role, d.district, d.contractor_id)
            entry = {"role": role, "name": found.name if found else name, "email": found.email if found else None}
            if entry not in copies:
                copies.append(entry)
    return dict(
        issuer=head.key[0] if head.issuer else None, issuer_name=head.issuer.name if head.issuer else None,
        year=number[0] if number else None, serial=number[1] if number else None, number=number[2] if number else None,
        stage=stage, recipient=head.to_role, recipient_key=head.key[2], addressee=head.addressee,
        recipient_name=to.name if to else None, email=to.email if to else None,
        cc=json.dumps(copies, ensure_ascii=False), sender=head.sender, language=ctx.lang,
        subject=letter.subject, body_text=letter.text, body_html="", as_of=head.as_of,   # stored once: the page is laid out from the text
        created_at=utc_stamp(ctx.now), status="pending", attempts=0,
        last_error=None if to else missing_address(head.to_role, head.district, head.contractor_id),
        district=head.district if len({d.district for d in group}) == 1 else None,
    )


def _made(notice_id: int | None, d: Draft) -> dict[str, Any]:
    return {"id": notice_id, "project": d.notice["project_id"], "obligation": d.notice["obligation_id"],
            "stage": d.notice["stage"], "recipient": d.notice["recipient"], "subject": d.notice["subject"]}


def _letter_summary(letter_id: int | None, d: Draft, number: str | None, subject: str,
                    notes: list[dict[str, Any]]) -> dict[str, Any]:
    to = d.notice
    return {"id": letter_id, "issuer": d.issuer.name if d.issuer else None, "recipient": d.addressee,
            "role": d.to_role, "email": to["email"], "number": number, "subject": subject,
            "notices": [n["id"] for n in notes]}


def _insert_new(conn: Connection, rows: list[dict[str, Any]]) -> dict[tuple[str, str, str], int]:
    """Insert, letting the unique constraint drop what another sweep made first; returns what this one made."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    # one statement, compiled once and cached, run for every row ("insertmanyvalues" batches it):
    # RETURNING yields only the rows this sweep inserted
    stmt = (dialect_insert(notices)
            .on_conflict_do_nothing(index_elements=["project_id", "obligation_id", "stage"])
            .returning(notices.c.id, notices.c.project_id, notices.c.obligation_id, notices.c.stage))
    return {(r.project_id, r.obligation_id, r.stage): r.id for r in conn.execute(stmt, rows)}
