"""The sentences a check's finding is written in (kept in the snapshot as their English text).

A finding is made with one of these templates (a `Said`), and its text is stored as plain
English, as it always was, so a stored projection compares equal on replay. The reader's
language gets it back by matching the stored text against these templates
(`lifecycle.core.speech.recognised`): old snapshots speak Chinese too, and a text none of them
matches (a finding of an older release) is shown as it is.
"""
from __future__ import annotations

from lifecycle.core.speech import N_

RULEBOOK_OPEN_ENDED = N_("rulebook {name} (in force {start} to open) applied on {on}, outside its validity window")
RULEBOOK_WINDOW = N_("rulebook {name} (in force {start} to {end}) applied on {on}, outside its validity window")
REBASE_WINDOW = N_("rulebook {name} {version} applied from {on}, outside its validity window")
FUNDING = N_("funding {funding} yuan a year is below {least} yuan")
EVALUATION_FAILED = N_("evaluation failed: no renewal and no balance payment")
HOURS = N_("staff served {hours} hours a week in the communities, below {least} hours")
SUBPROJECTS = N_("the service begins with {count} sub-project(s); the station's 1+N project has {least} to {most}")
TERM = N_("a term of {months} months, where the rulebook sets {months2} months")

# the order they are tried in: the open-ended window before the dated one it would also match
TEMPLATES = (RULEBOOK_OPEN_ENDED, RULEBOOK_WINDOW, REBASE_WINDOW, FUNDING, EVALUATION_FAILED, HOURS, SUBPROJECTS,
             TERM)
