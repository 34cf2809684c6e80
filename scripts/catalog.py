"""The message catalogs: extract, update and compile them with Babel.

    .venv/bin/python scripts/catalog.py            # extract → lifecycle/locale/lifecycle.pot, update zh .po, compile .mo
    .venv/bin/python scripts/catalog.py --check    # exit 1 if a message lacks its translation (no files written)

Messages are (1) the templates of `said("...")` and `_("...")` in lifecycle/ (Babel's Python
extractor) and (2) every command's and option's help text, walked from the click tree.
The compiled `.mo` is committed and shipped in the wheel (package data), so a fresh clone
and `pip install` need no Babel; `make catalogs` runs this script after a text changes.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LOCALE = ROOT / "lifecycle" / "locale"
PO = LOCALE / "zh" / "LC_MESSAGES" / "lifecycle.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"said": None, "_": None, "N_": None}


def messages() -> dict[str, str]:
    """Every message id, with where it comes from."""
    from babel.messages.extract import extract_from_dir

    import click
    from cli import cli
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT / "lifecycle"), method_map=[("**.py", "python")], keywords=KEYWORDS):
        if isinstance(message, str) and message:
            found.setdefault(message, f"lifecycle/{filename}:{lineno}")

    def walk(command: click.Command, path: str) -> None:
        for item in [command, *command.params]:
            text = getattr(item, "_help_en", None) or getattr(item, "help", None)
            if text:
                found.setdefault(text, f"--help of {path}")
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, f"{path} {name}")
    walk(cli, "lifecycle")
    return found


def untranslated() -> list[str]:
    from babel.messages.pofile import read_po
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    done = {m.id: m.string for m in catalog if m.id}
    return sorted(m for m in messages() if not done.get(m) or (catalog.get(m) and catalog.get(m).fuzzy))


def update() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po
    template = Catalog(domain="lifecycle", project="lifecycle")
    for message, where in sorted(messages().items()):
        template.add(message, locations=[(where, 0)],
                     flags=("python-brace-format",) if "{" in message else ())
    LOCALE.mkdir(parents=True, exist_ok=True)
    with (LOCALE / "lifecycle.pot").open("wb") as fh:
        write_po(fh, template, omit_header=False, sort_output=True)
    if PO.exists():
        with PO.open("rb") as fh:
            catalog = read_po(fh, locale="zh_Hans_CN")
        catalog.update(template, no_fuzzy_matching=True)
    else:
        PO.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale="zh_Hans_CN", domain="lifecycle", project="lifecycle")
        for m in template:
            if m.id:
                catalog.add(m.id, locations=m.locations, flags=m.flags)
    with PO.open("wb") as fh:
        write_po(fh, catalog, sort_output=True, ignore_obsolete=True)
    with MO.open("wb") as fh:
        write_mo(fh, catalog)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only report messages without a translation")
    args = ap.parse_args()
    if not args.check:
        update()
    missing = untranslated()
    for m in missing:
        print(f"untranslated: {m!r}", file=sys.stderr)
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
