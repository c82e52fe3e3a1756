"""Fuzzing the readers and builders with planted personal data (issue 17).

Each hypothesis example plants a child's names, postcode, date of birth, UPN, ULN and
NHS number in valid documents of every kind sendflow reads or builds, mutates them
``BATCH`` times with a seeded generator, and feeds each to its public reader:
``sen2.from_xml``, ``sen2.from_csv``, ``tabular.read_rows``, ``parse_event``, the JSON
Lines reader of ``check`` and ``sen2.build_return``. The only errors allowed are
``SendflowError`` and pydantic's ``ValidationError``; none may hold planted data in
``str``, ``repr``, ``errors()`` or ``json()``, nor may a quality report or a refusal;
and what a reader accepted must survive sendflow's own writers (``to_csv``/``to_xml``
read back equal, or the writer refuses with a sendflow error).

Documents per run: ``BATCH`` per kind per example (CI's profile: 25 examples, about
900 documents in about 2 s; ``HYPOTHESIS_PROFILE=long``: 2,000 examples, about
72,000 documents). See tests/conftest.py and docs/privacy.md.
"""

from __future__ import annotations

import copy
import io
import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sendflow import Case, SendflowError, parse_event, sen2, tabular
from sendflow._cliio import read_cases
from sendflow.testing import strategies as s

BATCH = 6
ROOT = Path(__file__).parent
XML = (ROOT / "fixtures" / "sen2" / "return_2025.xml").read_text(encoding="utf-8")
EXPORT = (ROOT.parent / "docs" / "examples" / "caseload-export.csv").read_text(
    encoding="utf-8-sig").splitlines()
GIVEN, FAMILY, POSTCODE = "Quillonette", "Thistlewaite", "EX4 3SR"
EVENT_TYPES = s.event_types()
HEADER = {"dmo": "Y", "dco": "N", "dsco": "R"}


def error_texts(exc: BaseException) -> list[str]:
    texts = [str(exc), repr(exc), repr(exc.args)]
    if isinstance(exc, ValidationError):
        texts += [json.dumps(exc.errors(), default=str), exc.json()]
    return texts


def assert_clean(texts: list[str], planted: tuple[str, ...], what: str) -> None:
    for text in texts:
        leaked = [p for p in planted if p in text]
        assert not leaked, f"{what} echoed planted data {leaked}: {text[:300]}"


def feed(planted: tuple[str, ...], what: str, call: Callable[..., Any], *args: Any,
         **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except (SendflowError, ValidationError) as exc:
        assert_clean(error_texts(exc), planted, what)
        return None


def junk(rnd: random.Random, planted: tuple[str, ...]) -> str:
    return rnd.choice([
        *planted, "", " ", "x" * 120, "2026-02-30", "9999-12-31", "0001-01-01", "31/12/9999",
        "=HYPERLINK(1)", "\t=1+1", "'", "\r", "a\r\nb", "\x00", "\x1b[2J", "&amp;", "&#1;",
        "&#xD800;", "<", "]]>", "Y", "N", "1", "-1", "\ud800", planted[0] * 30,
    ])


def mutate_xml(text: str, rnd: random.Random, planted: tuple[str, ...]) -> str | bytes:
    for _ in range(rnd.randint(1, 3)):
        items = list(re.finditer(r"<(\w+)>([^<]*)</\1>", text))
        if not items:
            break
        m = rnd.choice(items)
        op = rnd.randrange(7)
        if op == 0:
            value = junk(rnd, planted)
            text = text[:m.start(2)] + value.replace("<", "&lt;") + text[m.end(2):]
        elif op == 1:
            text = text[:m.end()] + m.group(0) + text[m.end():]  # an item given twice
        elif op == 2:
            text = text[:m.start()] + text[m.end():]
        elif op == 3:
            tag = rnd.choice([*planted[:2], "Unknown"])
            text = text[:m.end()] + f"<{tag}>{junk(rnd, planted)}</{tag}>" + text[m.end():]
        elif op == 4:
            text = text[: rnd.randrange(len(text))]
        elif op == 5:
            text = text.replace(m.group(0), f"<{m.group(1)}>{rnd.choice(planted)}"
                                f"<!-- {rnd.choice(planted)} --></{m.group(1)}>", 1)
        else:
            text = text.replace('encoding="UTF-8"', rnd.choice(
                ['encoding="x-bogus"', 'encoding="UTF-16"', 'encoding="ascii"']), 1)
    if rnd.random() < 0.7:
        return text.encode("utf-8", "surrogatepass")
    return text


def mutate_table(text: str, rnd: random.Random, planted: tuple[str, ...]) -> str | bytes:
    rows = [r.split(",") for r in text.split("\r\n") if r]
    for _ in range(rnd.randint(1, 3)):
        row = rnd.choice(rows)
        op = rnd.randrange(5)
        if op == 0:
            row[rnd.randrange(len(row))] = junk(rnd, planted).replace(",", ";")
        elif op == 1:
            row.append(rnd.choice(planted))
        elif op == 2 and len(row) > 1:
            del row[rnd.randrange(len(row))]
        elif op == 3:
            rows.append(copy.copy(rnd.choice(rows)))
        else:
            rows[0][rnd.randrange(len(rows[0]))] = rnd.choice([*planted, rows[0][0]])
    out = "\r\n".join(",".join(r) for r in rows) + "\r\n"
    return out.encode(rnd.choice(["utf-8", "utf-16", "cp1252"]), "replace") \
        if rnd.random() < 0.3 else out


def planted_xml(child: dict[str, str]) -> str:
    return (XML.replace("Testperson", child["family_name"]).replace("Alex", child["given_name"])
            .replace("ZZ9 9ZZ", child["postcode"]).replace("B801200005001", child["upn"])
            .replace("9276308686", child["uln"]).replace("2014-09-03", child["date_of_birth"]))


def in_collection(obj: Any, year: int) -> Any:
    """``obj`` without the items its collection year does not have: the writers leave
    them out, as documented (e.g. DSCO before 2025)."""
    update: dict[str, Any] = {
        item.field: None for item in obj.ITEMS
        if not sen2.item_in_collection(type(obj).__name__, item.xml, year)
        and item.xml != "PersonID"}
    for field, _tag, _cls in obj.CHILDREN:
        update[field] = tuple(in_collection(child, year) for child in getattr(obj, field))
    return obj.model_copy(update=update)


def check_sen2(ret: sen2.SEN2Return, planted: tuple[str, ...]) -> None:
    """sendflow's own output reads back, or is refused when written."""
    year = ret.header.year
    ret = ret.model_copy(update={
        "header": in_collection(ret.header, year),
        "persons": tuple(in_collection(p, year) for p in ret.persons)})
    tables = feed(planted, "to_csv", sen2.to_csv, ret)
    if tables is not None:
        assert sen2.from_csv(tables) == ret
    data = feed(planted, "to_xml", sen2.to_xml, ret)
    if data is not None:
        # XML carries no PersonID: the reader numbers the persons P1, P2...
        numbered = tuple(p.model_copy(update={"person_id": f"P{i}"})
                         for i, p in enumerate(ret.persons, 1))
        assert sen2.from_xml(data) == ret.model_copy(update={"persons": numbered})


@st.composite
def children(draw: st.DrawFn) -> tuple[dict[str, str], tuple[str, ...]]:
    dob = draw(s.dates_of_birth((4, 15)))
    child = {"given_name": GIVEN, "family_name": FAMILY, "postcode": POSTCODE,
             "date_of_birth": dob.isoformat(), "upn": str(draw(s.upns(temporary=False))),
             "uln": str(draw(s.ulns())), "nhs_number": str(draw(s.nhs_numbers()))}
    planted = (GIVEN, FAMILY, POSTCODE, child["upn"], child["uln"], child["nhs_number"],
               dob.strftime("%d/%m/%Y"), dob.isoformat())
    return child, planted


@settings(phases=(Phase.explicit, Phase.reuse, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(children(), st.integers(0, 2**32 - 1))
def test_readers_and_builders_never_echo_planted_data(
    seed: tuple[dict[str, str], tuple[str, ...]], rnd_seed: int
) -> None:
    child, planted = seed
    rnd = random.Random(rnd_seed)
    xml = planted_xml(child)
    valid = sen2.from_xml(xml.encode())
    tables = sen2.to_csv(valid)
    head, *rows = EXPORT
    export_row = rows[0].split(",")
    export_row[1], export_row[2], export_row[3] = (
        child["given_name"], child["date_of_birth"], child["upn"])
    case = {"reference": "r1", "child": {k: v for k, v in child.items() if k != "postcode"}
            | {"postcode": child["postcode"]},
            "events": [{"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}
    for _ in range(BATCH):
        # SEN2 XML, then sendflow's own round trips of whatever was accepted
        ret = feed(planted, "from_xml", sen2.from_xml, mutate_xml(xml, rnd, planted))
        if ret is not None:
            check_sen2(ret, planted)
        # SEN2 CSV tables
        name = rnd.choice(sorted(tables))
        mutated = dict(tables, **{name: mutate_table(tables[name], rnd, planted)})
        ret = feed(planted, "from_csv", sen2.from_csv, mutated)
        if ret is not None:
            check_sen2(ret, planted)
        # a case-system export: errors, quality report and cases' errors
        cells = [junk(rnd, planted) if rnd.random() < 0.2 else c for c in export_row]
        imported = feed(planted, "read_rows", tabular.read_rows, head.split(","), [cells])
        if imported is not None:
            assert_clean([str(imported.quality), imported.quality.model_dump_json()],
                         planted, "quality report")
        # one event
        event = {"type": rnd.choice(EVENT_TYPES), "on": junk(rnd, planted),
                 rnd.choice(["made_by", "outcome", "reference", *planted[:2]]):
                     junk(rnd, planted)}
        feed(planted, "parse_event", parse_event, event)
        # JSON Lines, as check reads them
        doc = copy.deepcopy(case)
        target = rnd.choice([doc, doc["child"], doc["events"][0]])
        target[rnd.choice([*target, *planted[:2]])] = junk(rnd, planted)
        line = json.dumps(doc)
        if rnd.random() < 0.3:
            key = rnd.choice(list(doc))
            line = line[:-1] + f', "{key}": {json.dumps(rnd.choice(planted))}}}'
        reasons: list[str] = []
        list(read_cases(io.BytesIO(line.encode("utf-8", "surrogatepass") + b"\n"),
                        lambda _n, why, into=reasons: into.append(why)))
        assert_clean(reasons, planted, "check's JSON Lines reader")
        # the builder: a case whose person record cannot be built is refused, not echoed
        cases = [feed(planted, "Case", Case.model_validate, doc)]
        good = [c for c in cases if c is not None]
        built = feed(planted, "build_return", sen2.build_return, good, year=2026, la="202",
                     header=HEADER)
        if built is not None:
            assert_clean([repr(built.refused), json.dumps(
                [r.model_dump(mode="json") for r in built.refused])], planted, "refused")
