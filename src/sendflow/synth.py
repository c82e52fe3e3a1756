"""A fast generator of a synthetic national caseload, for benchmarks and demos.

``synthesise`` yields plain, JSON-ready dictionaries, one per case, in the
shape ``sendflow.Case`` reads (``Case.model_validate(d)`` or, after
``json.dumps``, ``Case.model_validate_json``). Nothing in it is real: people,
identifiers and dates are drawn from a seeded ``random.Random``, so the
same ``n`` and ``seed`` always give the same caseload.

The *shares* are calibrated on the DfE's national figures for England
("Education, health and care plans", reporting year 2025, calendar year 2024
flows; see ``docs/how-to/timeliness.md``), from the same table
(``sendflow._calibration``) as
``sendflow.testing.strategies.case_histories``:

- about a quarter of requests are refused (25.2 %) and two thirds go on to an
  assessment (65.4 %); the rest are withdrawn or still undecided on the
  census date;
- 84.8 % of decisions whether to assess are made within 6 weeks;
- 93.6 % of completed assessments end in a plan;
- of plans issued, 46.4 % are issued within 20 weeks (excluding exceptions),
  46.2 % in 20 to 52 weeks and 7.3 % after more than a year;
- about 6 % of plans issued had a 20-week exception (90,392 plans in the
  timeliness measure, 84,866 without exceptions);
- primary need: ASD 31.5 %, SLCN 21.3 %, SEMH 20.7 %, MLD 10.6 % (January
  2025), the rest spread over the other SEN2 codes (sendflow's assumption).

Most cases (``plan_share``, default 0.6) are plans made before the period:
a ``final_plan_issued`` event and then the plan's annual reviews (a meeting
and the LA's decision; 68.4 % of reviews due are completed, 44.4 % decided
within 4 weeks; amend 61.2 %, maintain 37.7 %, cease 1.1 %, the DfE's 2024
review figures), an amended plan after each amend decision (``reviews=False``: the
``final_plan_issued`` event alone, the caseload as it was before the reviews were
added, on which issue 19's figures were measured); the rest are requests
received from 1 January two years before ``year`` to 31 December of ``year``
(so that every plan issued in ``year``, however late, has its request in the
caseload), with histories cut at ``as_of`` (default: the next SEN2 census
date), so late requests are naturally still undecided or being assessed.

```python
>>> from sendflow.synth import synthesise
>>> cases = list(synthesise(3, seed=1))
>>> len(cases), sorted(cases[0])
(3, ['child', 'events', 'reference', 'responsible_la'])
>>> cases == list(synthesise(3, seed=1))
True

```
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterator
from datetime import date
from operator import mul
from random import Random
from typing import Any, TextIO

from sendflow._calibration import AGE_AT_REQUEST, NATIONAL_2024, NEED_SHARES, SHARES, SOURCE
from sendflow._checks import UPN_LETTERS
from sendflow.errors import InvalidArgument

__all__ = ["NATIONAL_2024", "synthesise", "write_jsonl"]

_SOURCE = SOURCE

# Every share below comes from the one table sendflow.testing.strategies also
# draws from (sendflow._calibration.SHARES), or is marked as this module's own.
# Request outcomes (before truncation at as_of). Withdrawn before a decision:
# this module's assumption, part of the 9.4 % neither refused nor assessed.
_P_WITHDRAWN_BEFORE_DECISION = 0.045  # the rest are agreed
_P_REFUSE = round(SHARES["request_refused"] / (1 - _P_WITHDRAWN_BEFORE_DECISION), 3)
_P_DECISION_IN_6_WEEKS = SHARES["decision_within_6_weeks"]
# After an agreed assessment (withdrawn: this module's assumption).
_P_WITHDRAWN_IN_ASSESSMENT = 0.010  # the rest end in a plan
_P_NO_PLAN = round(1 - SHARES["assessment_plan"] - _P_WITHDRAWN_IN_ASSESSMENT, 3)
# Exceptions among plans: (90,392 - 84,866) / 90,392.
_P_EXCEPTION = round(SHARES["plan_exception"], 3)
# Annual reviews of stock plans: a decision in 68.4 % of the reviews due, within
# 4 weeks of the meeting in 44.4 %; amend / maintain / cease as decided in 2024.
_P_REVIEW_DONE = SHARES["review_completed"]
_P_REVIEW_IN_4_WEEKS = SHARES["review_decision_within_4_weeks"]
_REVIEW_OUTCOMES = (
    ("amend", SHARES["review_amend"]),
    ("maintain", SHARES["review_maintain"]),
    ("cease", SHARES["review_cease"]),
)
# Week bands for plans issued: (within 20, 20-52); the rest are over 52 weeks.
_BANDS_NO_EXCEPTION = (0.464, 0.464 + 0.462)
# Plans with exceptions: (41,448 - 39,407) / 5,526 = 36.9 % were still within 20 weeks.
_BANDS_EXCEPTION = (0.369, 0.369 + 0.50)
_GROUNDS = (
    ("school_closure", 0.45, 29, 45),
    ("exceptional_personal_circumstances", 0.40, 7, 60),
    ("absent_from_area", 0.15, 29, 50),
)
_ADVISERS = ("parent_or_young_person", "educational", "medical", "psychological", "social_care")
_MADE_BY = tuple(
    (who, SHARES[f"made_by_{who}"])
    for who in ("parent", "school_or_setting", "young_person", "other")
)

# Primary need shares and ages at request: the shared table.
_NEEDS = NEED_SHARES
# SEN2 records sex as M or F only from 2024 (no U).
_SEX = (("M", 0.72), ("F", 0.28))
_ETHNICITY = (
    ("WBRI", 0.66), ("WOTH", 0.05), ("MOTH", 0.03), ("MWBC", 0.02), ("MWAS", 0.015),
    ("APKN", 0.04), ("AIND", 0.02), ("ABAN", 0.015), ("AOTH", 0.015), ("BAFR", 0.04),
    ("BCRB", 0.01), ("BOTH", 0.01), ("CHNE", 0.005), ("WROM", 0.01), ("WIRT", 0.002),
    ("WIRI", 0.003), ("OOTH", 0.02), ("NOBT", 0.02), ("REFU", 0.01),
)
_AGE_AT_REQUEST = AGE_AT_REQUEST
_CENSUS = {2024: date(2024, 1, 18), 2025: date(2025, 1, 16), 2026: date(2026, 1, 15),
           2027: date(2027, 1, 21)}


def _cumulative(pairs: tuple[tuple[Any, float], ...]) -> tuple[list[Any], list[float]]:
    total = sum(w for _, w in pairs)
    values, cum, acc = [], [], 0.0
    for value, w in pairs:
        acc += w / total
        values.append(value)
        cum.append(acc)
    cum[-1] = 1.0
    return values, cum


def _picker(rng: Random, pairs: tuple[tuple[Any, float], ...]) -> Any:
    values, cum = _cumulative(pairs)
    rand = rng.random

    def pick() -> Any:
        return values[bisect_left(cum, rand())]

    return pick


def _fast_randint(rng: Random) -> Any:
    """``randint`` without the argument checks (about five times faster)."""
    rand = rng.random

    def randint(lo: int, hi: int) -> int:
        return lo + int(rand() * (hi - lo + 1))

    return randint


_WEIGHTS = range(2, 14)


def _upn_letter(body: str) -> str:
    """The UPN check letter of twelve ASCII digits (as ``_checks.upn_check_letter``)."""
    return UPN_LETTERS[sum(map(mul, _WEIGHTS, map(int, body))) % 23]


def _child_has_needs_field() -> bool:
    from sendflow.people import ChildOrYoungPerson

    return "needs" in ChildOrYoungPerson.model_fields


def synthesise(
    n: int,
    *,
    seed: int,
    year: int = 2025,
    as_of: date | None = None,
    plan_share: float = 0.6,
    la_codes: tuple[str, ...] | None = None,
    needs: bool | None = None,
    reviews: bool = True,
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` synthetic cases as JSON-ready dicts (see the module docstring).

    Args:
        n: how many cases.
        seed: the random seed; the same arguments give the same cases.
        year: the calendar year whose flows the caseload represents.
        as_of: histories are cut after this date (default: the SEN2 census
            date in January of ``year + 1``).
        plan_share: the share of cases that are plans made before the period.
        la_codes: the LA codes to spread cases over (default: every English
            LA code in force on ``as_of``).
        needs: include the child's need types (``child.needs``); default: when
            ``ChildOrYoungPerson`` has a ``needs`` field.
        reviews: give each plan made before the period its annual reviews
            (the default); ``False`` records such a plan as its
            ``final_plan_issued`` event alone, as this module did before the
            reviews were added (the caseload of issue 19's measurements, about
            61 % of cases a single event; ``benchmarks/bench_national.py
            --caseload issue19``). The other draws are as with ``True``.

    ```python
    >>> from sendflow import Case
    >>> [Case.model_validate(c).state for c in synthesise(4, seed=7)]
    ['plan_maintained', 'plan_maintained', 'plan_maintained', 'plan_maintained']

    ```
    """
    if n < 0:
        raise InvalidArgument("synthesise: n must not be negative")
    if not 2015 <= year <= 2099:
        raise InvalidArgument("synthesise: year must be from 2015 to 2099")
    cut = as_of or _CENSUS.get(year + 1, date(year + 1, 1, 15))
    if la_codes is None:
        from sendflow.identifiers import la_codes as _la_codes

        la_codes = tuple(sorted(_la_codes(cut)))
    with_needs = _child_has_needs_field() if needs is None else needs
    rng = Random(seed)
    rand = rng.random
    randint = _fast_randint(rng)
    pick_need = _picker(rng, _NEEDS if cut >= date(2025, 1, 16) else _NEEDS[:-2] + _NEEDS[-1:])
    pick_age = _picker(rng, _AGE_AT_REQUEST)
    pick_made_by = _picker(rng, _MADE_BY)
    pick_review = _picker(rng, _REVIEW_OUTCOMES)
    pick_ground = _picker(rng, tuple((g, w) for g, w, _, _ in _GROUNDS))
    ground_days = {g: (lo, hi) for g, _, lo, hi in _GROUNDS}
    cut_o = cut.toordinal()
    window_start = date(year - 2, 1, 1).toordinal()
    window_end = date(year, 12, 31).toordinal()
    iso_cache: dict[int, str] = {}

    def iso(o: int) -> str:
        s = iso_cache.get(o)
        if s is None:
            s = iso_cache[o] = date.fromordinal(o).isoformat()
        return s

    sex_values, sex_cum = _cumulative(_SEX)
    eth_values, eth_cum = _cumulative(_ETHNICITY)
    n_la = len(la_codes)
    oldest = window_start - 10 * 365
    for i in range(n):
        la = la_codes[int(rand() * n_la)]
        ref = f"SYN{i + 1:07d}"
        if rand() < plan_share:
            # A plan made before the period, years ago, and its annual reviews.
            start = oldest + int(rand() * (10 * 365 - 29))
            top = 22 - (cut_o - start) // 365
            age_at_start = 2 + int(rand() * (min(19, top) - 1)) if top > 2 else 2
            dob = start - age_at_start * 365 - int(rand() * 365)
            events = [{"type": "final_plan_issued", "on": iso(start)}]
            if reviews:
                _stock_reviews(events, start, cut_o, rng, pick_review, iso)
        else:
            d0 = randint(window_start, window_end)
            dob = d0 - pick_age() * 365 - randint(0, 364)
            history: list[tuple[int, dict[str, Any]]] = [
                (d0, {"type": "request_received", "on": iso(d0), "made_by": pick_made_by()})]
            _request_history(history, d0, rng, pick_ground, ground_days, iso)
            events = [e for o, e in history if o <= cut_o]
        born = iso(dob)
        child: dict[str, Any] = {
            "date_of_birth": born,
            "person_id": ref,
            "responsible_la": la,
            "sex": sex_values[bisect_left(sex_cum, rand())],
            "ethnicity": eth_values[bisect_left(eth_cum, rand())],
        }
        if (cut_o - dob) // 365 < 4:
            child["upn_unknown"] = "UN1"  # under school age: no UPN yet
        elif rand() < 0.95:
            body = (f"{la}{2000 + int(rand() * 6000)}{(int(born[:4]) + 4) % 100:02d}"
                    f"{int(rand() * 1000):03d}")
            child["upn"] = _upn_letter(body) + body
        else:
            child["upn_unknown"] = "UN8"
        if with_needs:
            primary = pick_need()
            child["needs"] = {"needs": [{"need_type": primary, "rank": 1}]}
            if rand() < 0.3:
                second = pick_need()
                if second != primary:
                    child["needs"]["needs"].append({"need_type": second, "rank": 2})
        yield {"reference": ref, "responsible_la": la, "child": child, "events": events}


def _stock_reviews(
    events: list[dict[str, Any]], start: int, cut: int, rng: Random, pick_review: Any, iso: Any
) -> None:
    """Append the annual reviews of a plan made on ordinal ``start``, up to ``cut``.

    Each year's review has a meeting in the two months before the anniversary
    and the LA's decision after it; 68.4 % of the reviews due are completed
    (the rest are simply not held), 44.4 % of decisions within 4 weeks. An
    amended plan follows an amend decision; a cease decision ends the plan.
    """
    rand = rng.random
    randint = _fast_randint(rng)
    last = start
    year = 1
    while True:
        meeting = max(last + 1, start + 365 * year - randint(0, 60))
        year += 1
        if meeting > cut:
            return
        if rand() >= _P_REVIEW_DONE:
            continue
        decided = meeting + (randint(7, 28) if rand() < _P_REVIEW_IN_4_WEEKS else randint(29, 90))
        outcome = pick_review()
        events.append({"type": "review_meeting_held", "on": iso(meeting)})
        if decided > cut:
            return
        events.append({"type": "review_decision", "on": iso(decided), "outcome": outcome})
        last = decided
        if outcome == "amend":
            issued = decided + randint(28, 84)
            if issued > cut:
                return
            events.append({"type": "amended_plan_issued", "on": iso(issued)})
            last = issued
        elif outcome == "cease":
            ceased = decided + randint(14, 60)
            if ceased <= cut:
                events.append({"type": "plan_ceased", "on": iso(ceased)})
            return


def _request_history(
    events: list[tuple[int, dict[str, Any]]],
    d0: int,
    rng: Random,
    pick_ground: Any,
    ground_days: dict[str, tuple[int, int]],
    iso: Any,
) -> None:
    """Append the events that follow a request received on ordinal ``d0``."""
    rand = rng.random
    randint = _fast_randint(rng)
    r = rand()
    if r < _P_WITHDRAWN_BEFORE_DECISION:
        events.append((d0 + randint(7, 40), {"type": "request_withdrawn"}))
        _fill_dates(events, iso)
        return
    dec = d0 + (randint(14, 42) if rand() < _P_DECISION_IN_6_WEEKS else randint(43, 100))
    if r < _P_WITHDRAWN_BEFORE_DECISION + _P_REFUSE:
        events.append((dec, {"type": "assessment_decision", "outcome": "refuse"}))
        _fill_dates(events, iso)
        return
    events.append((dec, {"type": "assessment_decision", "outcome": "assess"}))
    asked = dec + randint(0, 5)
    latest_advice = asked
    for adviser in _ADVISERS:
        events.append((asked, {"type": "advice_requested", "adviser": adviser}))
    advice = [(asked + randint(20, 60), adviser) for adviser in _ADVISERS]
    r = rand()
    if r < _P_WITHDRAWN_IN_ASSESSMENT:
        end = asked + randint(10, 60)
        events.extend((o, {"type": "advice_received", "adviser": a}) for o, a in advice if o < end)
        events.append((end, {"type": "request_withdrawn"}))
        _fill_dates(events, iso)
        return
    if r < _P_WITHDRAWN_IN_ASSESSMENT + _P_NO_PLAN:
        end = max(d0 + randint(84, 150), max(o for o, _ in advice) + 1)
        events.extend((o, {"type": "advice_received", "adviser": a}) for o, a in advice)
        events.append((end, {"type": "no_plan_notice_sent"}))
        _fill_dates(events, iso)
        return
    excepted = rand() < _P_EXCEPTION
    within, mid = _BANDS_EXCEPTION if excepted else _BANDS_NO_EXCEPTION
    band = rand()
    if band < within and dec + 40 <= d0 + 140:
        issue = randint(max(dec + 40, d0 + 84), d0 + 140)
    elif band < mid or band < within:
        issue = max(dec + 40, d0 + randint(141, 364))
    else:
        issue = max(dec + 40, d0 + randint(365, 540))
    draft = max(asked + 1, issue - randint(15, 35))
    for o, adviser in advice:
        o = min(o, issue - 1)
        latest_advice = max(latest_advice, o)
        events.append((o, {"type": "advice_received", "adviser": adviser}))
    events.append((draft, {"type": "draft_plan_issued"}))
    if rand() < 0.5 and draft + 3 < issue:
        rep = min(draft + randint(3, 14), issue - 1)
        events.append((rep, {"type": "representations_received"}))
    _fill_dates(events, iso)
    events.sort(key=lambda pair: pair[0])
    if excepted:
        ground = pick_ground()
        lo, hi = ground_days[ground]
        on = randint(d0 + 1, max(d0 + 1, min(issue, d0 + 140) - 1))
        until = on + randint(lo, hi)
        exc = {"type": "exception_recorded", "on": iso(on), "until": iso(until),
               "ground": ground}
        # Recorded (retrospectively) just before the final plan, once the period ended.
        events.append((min(until, issue), exc))
    events.append((issue, {"type": "final_plan_issued", "on": iso(issue)}))


def _fill_dates(events: list[tuple[int, dict[str, Any]]], iso: Any) -> None:
    for o, e in events:
        if "on" not in e:
            e["on"] = iso(o)
    events.sort(key=lambda pair: pair[0])


def write_jsonl(n: int, out: TextIO, *, seed: int, **kwargs: Any) -> int:
    """Write ``n`` synthetic cases to ``out`` as JSON Lines; return how many.

    ```python
    >>> import io
    >>> buf = io.StringIO()
    >>> write_jsonl(2, buf, seed=1)
    2
    >>> len(buf.getvalue().splitlines())
    2

    ```
    """
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    count = 0
    write = out.write
    for case in synthesise(n, seed=seed, **kwargs):
        write(dumps(case) + "\n")
        count += 1
    return count
