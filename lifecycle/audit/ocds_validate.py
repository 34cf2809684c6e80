"""Validate an OCDS release package offline, against the OCDS 1.1.5 schemas shipped in `ocds_schema/`.

`release-package-schema.json` refers to the release schema by URL; the
registry here resolves it from the packaged file and refuses to fetch
anything (a bureau's machine may have no network, and an export must not
depend on one). The code lists travel with the schemas (`codes`).
"""
from __future__ import annotations

import csv
import json
from functools import lru_cache
from importlib import resources
from typing import Any

SCHEMA = resources.files("lifecycle.audit") / "ocds_schema"


def _load(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def validator() -> Any:
    """A Draft 4 validator of release packages; its $refs resolve from the packaged schemas only."""
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    package, release = _load("release-package-schema.json"), _load("release-schema.json")

    def no_network(uri: str) -> Any:
        raise LookupError(f"the OCDS schemas refer to {uri}, which is not packaged (nothing is fetched)")

    registry = Registry(retrieve=no_network).with_resources([
        (release["id"], Resource.from_contents(release, default_specification=DRAFT4)),
        (package["id"], Resource.from_contents(package, default_specification=DRAFT4)),
    ])
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())


def problems(package: dict[str, Any]) -> list[str]:
    """Every way `package` breaks the release-package schema, as `path: message`, in path order."""
    errors = sorted(validator().iter_errors(package), key=lambda e: [str(p) for p in e.path])
    return [f"{'/'.join(str(p) for p in e.path) or '(package)'}: {e.message}" for e in errors]


@lru_cache(maxsize=32)
def codes(name: str) -> frozenset[str]:
    """The codes of one OCDS code list, e.g. codes("milestoneStatus")."""
    with (SCHEMA / "codelists" / f"{name}.csv").open(encoding="utf-8") as f:
        return frozenset(row["Code"] for row in csv.DictReader(f))
