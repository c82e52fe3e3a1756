"""Render the rule registry as Markdown: the "rules" page of the docs.

The page ``docs/law/rules.md`` is this function's output, and a test fails if
the two differ, so the published law cannot drift from the code. Regenerate
it with ``python -m sendflow rules --format markdown > docs/law/rules.md``.
"""

from __future__ import annotations

from collections import defaultdict

from sendflow.rules import LegalStatus, Rule, all_rules

__all__ = ["rules_markdown"]

_STATUS = {
    LegalStatus.STATUTE: "statute",
    LegalStatus.GUIDANCE: "guidance (Code of Practice)",
    LegalStatus.CASE_LAW: "case law",
    LegalStatus.DERIVED: "derived planning date (not a legal limit)",
}


def _differences(rule: Rule, latest: Rule) -> list[str]:
    """What a version sets differently from the latest one, in words (the page
    shows the latest version's duty, period, named periods, ages, clock, status,
    lapsing and notes; a version of its own must say where it differs, or the page
    would hide it)."""
    out = []
    if rule.period != latest.period:
        out.append(f"its own period ({rule.period.describe()})")
    for name, limb in rule.periods.items():
        if latest.periods.get(name) != limb:
            out.append(f"its own period `{name}` ({limb.describe()})")
    for name, span in rule.spans.items():
        if latest.spans.get(name) != span:
            out.append(f"its own days `{name}` ({span.describe()})")
    for name, age in rule.ages.items():
        if latest.ages.get(name) != age:
            out.append(f"its own age `{name}` ({age})")
    if rule.clock != latest.clock:
        starts = ", ".join(f"`{e}`" for e in rule.starts_clock) or "—"
        met = ", ".join(f"`{e}`" for e in rule.satisfied_by) or "—"
        out.append(f"its own clock (started by {starts}; met by {met})")
    if rule.legal_status is not latest.legal_status:
        out.append(f"status {_STATUS[rule.legal_status]}")
    if rule.lapses != latest.lapses:
        out.append(
            "a right that lapses unused" if rule.lapses else "a duty, not a right that lapses"
        )
    if rule.evaluator != latest.evaluator:
        out.append(f"evaluator `{rule.evaluator}`")
    if rule.duty != latest.duty:
        out.append(f"its own duty: {rule.duty}")
    if rule.notes and rule.notes != latest.notes:
        out.append(f"its own notes: {rule.notes}")
    return out


def _version_line(rule: Rule, latest: Rule | None = None) -> str:
    start = rule.effective_from.isoformat()
    when = f"{start} to {rule.effective_to.isoformat()}" if rule.effective_to else f"from {start}"
    cites = "; ".join(f"[{c.title} {c.provision}]({c.href})" for c in rule.citations)
    grounds = ", ".join(
        g.ground.value + (f" (at least {g.min_weeks} weeks)" if g.min_weeks else "")
        for g in rule.exceptions
    )
    line = f"- **{when}** — {cites}"
    if grounds:
        line += f". Exceptions: {grounds}"
    differs = [] if latest is None else _differences(rule, latest)
    if differs:
        line += ". This version has " + "; ".join(differs)
    return line


def rules_markdown() -> str:
    """Every rule and every dated version, grouped by process, as Markdown."""
    groups: dict[str, list[list[Rule]]] = defaultdict(list)
    for hist in all_rules():
        groups[hist.versions[-1].process].append(list(hist.versions))
    out = [
        "# The rules, as sendflow encodes them",
        "",
        "This page is generated from the rule data in `sendflow/rules/data/` "
        "(`python -m sendflow rules --format markdown`); a test keeps it in step with the code. "
        "Each rule states its duty in plain English, how its period is counted, what starts "
        "and stops its clock, the exception grounds its own regulation lists, and the dated "
        "versions of the law with their citations.",
        "",
    ]
    for process in sorted(groups):
        out.append(f"## {process.replace('_', ' ').capitalize()}")
        out.append("")
        for versions in groups[process]:
            rule = versions[-1]
            out.append(f"### `{rule.id}` — {rule.title}")
            out.append("")
            out.append(rule.duty)
            out.append("")
            starts = ", ".join(f"`{e}`" for e in rule.starts_clock) or "—"
            met = ", ".join(f"`{e}`" for e in rule.satisfied_by) or "—"
            out.append(f"- **Status:** {_STATUS[rule.legal_status]}")
            out.append(f"- **Who acts:** {rule.actor.replace('_', ' ')}")
            out.append(f"- **Period:** {rule.period.describe()} ({starts})")
            if rule.period_of is not None:
                out.append(f"- **Numbers from:** `{rule.period_of}` (its period, named "
                           "periods and days: the law has one home)")
            out.append(f"- **Met by:** {met}")
            if rule.periods:
                limbs = "; ".join(
                    f"`{name}`: {limb.describe()}" for name, limb in rule.periods.items()
                )
                out.append(f"- **Named periods:** {limbs}")
            if rule.spans:
                spans = "; ".join(
                    f"`{name}`: {span.describe()}" for name, span in rule.spans.items()
                )
                out.append(f"- **Days of the year treated apart:** {spans}")
            if rule.ages:
                ages = "; ".join(f"`{name}`: {age}" for name, age in rule.ages.items())
                out.append(f"- **Ages:** {ages}")
            if rule.lapses:
                out.append("- **A right that lapses unused**, not a duty that falls overdue.")
            out.extend(_version_line(v, rule) for v in versions)
            if rule.notes:
                out.append("")
                out.append(f"*Notes:* {rule.notes}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"
