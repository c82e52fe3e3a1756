"""ChildOrYoungPerson and ParentOrCarer: validation, privacy, round-trip and worked dates.

Worked examples are computed by hand:
- Year groups: a child is placed by age on 31 August; the academic year runs
  1 September to 31 August (DfE convention).
- Compulsory school age ends on the last Friday in June of the school year in
  which the child turns 16 (Education Act 1996 s. 8(3); SI 1997/1970 art. 2).
- A young person is over compulsory school age and under 25 (CFA 2014 s. 83(2)).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic import ValidationError

from sendflow.people import ChildOrYoungPerson, ParentOrCarer, Relationship, Sex, UPNUnknown

UPN = "B801200005001"
ULN = "2967273170"
NHS = "9434765919"
NAME = "Zebedee"
FAMILY = "Quixtable"
POSTCODE = "SW1A 1AA"


def _leaks(exc: ValidationError, *secrets: str) -> list[str]:
    errors = exc.errors(include_input=False, include_url=False)
    text = str(exc) + repr(exc) + json.dumps(errors, default=str)
    return [s for s in secrets if s in text]


def full_child() -> ChildOrYoungPerson:
    return ChildOrYoungPerson(
        date_of_birth=date(2015, 8, 31),
        person_id="P-0001",
        upn=UPN,
        uln=ULN,
        nhs_number=NHS,
        responsible_la="801",
        given_name=NAME,
        family_name=FAMILY,
        sex=Sex.FEMALE,
        ethnicity="WBRI",
        postcode=POSTCODE.lower(),
        first_language="ENG",
        setting_urn="100000",
        setting_laestab="801/2000",
        looked_after=True,
        child_in_need=True,
        eligible_for_free_school_meals=True,
        parents_or_carers=(
            ParentOrCarer(
                relationship=Relationship.CORPORATE_PARENT,
                has_parental_responsibility=True,
                given_name="Ottoline",
            ),
        ),
    )


def test_good_child_validates_and_normalises() -> None:
    child = full_child()
    assert str(child.upn) == UPN
    assert str(child.setting_laestab) == "8012000"
    assert child.postcode == POSTCODE


def test_repr_hides_personal_fields() -> None:
    text = repr(full_child())
    for secret in (UPN, ULN, NHS, NAME, FAMILY, POSTCODE, "2015", "Ottoline", "P-0001"):
        assert secret not in text


def test_json_round_trip() -> None:
    child = full_child()
    assert ChildOrYoungPerson.model_validate(child.model_dump(mode="json")) == child
    assert ChildOrYoungPerson.model_validate_json(child.model_dump_json()) == child


@pytest.mark.parametrize(
    ("field", "bad", "secret"),
    [
        ("upn", "B801200005002", "B801200005002"),  # wrong check letter
        ("uln", "6939761580", "6939761580"),  # wrong check digit
        ("nhs_number", "9434765918", "9434765918"),
        ("responsible_la", "999", "999"),
        ("setting_urn", "12345", "12345"),
        ("postcode", "NOT A POSTCODE", "NOT A POSTCODE"),
        ("sex", "Zebedee", "Zebedee"),
    ],
)
def test_bad_field_is_named_and_not_echoed(field: str, bad: str, secret: str) -> None:
    with pytest.raises(ValidationError) as info:
        ChildOrYoungPerson(date_of_birth=date(2015, 8, 31), given_name=NAME, **{field: bad})
    locs = [e["loc"] for e in info.value.errors()]
    assert (field,) in locs
    assert _leaks(info.value, secret, NAME, "2015-08-31") == []


def test_date_of_birth_is_required() -> None:
    with pytest.raises(ValidationError) as info:
        ChildOrYoungPerson.model_validate({"upn": UPN})
    assert info.value.errors()[0]["loc"] == ("date_of_birth",)
    assert _leaks(info.value, UPN) == []


def test_bad_date_of_birth_not_echoed() -> None:
    with pytest.raises(ValidationError) as info:
        ChildOrYoungPerson.model_validate({"date_of_birth": "2015-02-30"})
    assert info.value.errors()[0]["loc"] == ("date_of_birth",)
    assert _leaks(info.value, "2015-02-30") == []


def test_unknown_field_rejected() -> None:
    with pytest.raises(ValidationError) as info:
        ChildOrYoungPerson.model_validate({"date_of_birth": "2015-08-31", "nickname": NAME})
    # A lower-case snake_case key is shown (it has no personal data's shape)...
    assert info.value.errors()[0]["loc"] == ("nickname",)
    assert info.value.errors()[0]["type"] == "extra_forbidden"
    assert _leaks(info.value, NAME) == []
    # ...any other key could be personal data (a document keyed by a name or
    # UPN), so sendflow never echoes it.
    for key in (NAME, "A801200005001", "Smith", "x1", "ab-cd"):
        with pytest.raises(ValidationError) as info:
            ChildOrYoungPerson.model_validate({"date_of_birth": "2015-08-31", key: 1})
        assert info.value.errors()[0]["loc"] == ("<unknown field>",)
        assert _leaks(info.value, key) == []


def test_upn_unknown_only_without_identifiers() -> None:
    ChildOrYoungPerson(date_of_birth=date(2022, 1, 1), upn_unknown=UPNUnknown.UN1)
    with pytest.raises(ValidationError, match="upn_unknown") as info:
        ChildOrYoungPerson(date_of_birth=date(2022, 1, 1), upn=UPN, upn_unknown="UN1")
    assert _leaks(info.value, UPN) == []


def test_upn_unknown_is_refused_beside_a_uln_whatever_the_key_order() -> None:
    # The check sits on the later field; fields are validated in declared order,
    # not in the order the document gives them.
    doc = '{"upn_unknown": "UN1", "uln": "2967273170", "date_of_birth": "2008-01-01"}'
    with pytest.raises(ValidationError, match="upn_unknown") as info:
        ChildOrYoungPerson.model_validate_json(doc)
    assert info.value.errors()[0]["loc"] == ("upn_unknown",)
    assert _leaks(info.value, ULN) == []


def test_looked_after_and_previously_looked_after_exclusive() -> None:
    with pytest.raises(ValidationError, match="previously_looked_after"):
        ChildOrYoungPerson(
            date_of_birth=date(2015, 1, 1), looked_after=True, previously_looked_after=True
        )
    with pytest.raises(ValidationError, match="previously_looked_after"):
        ChildOrYoungPerson.model_validate_json(
            '{"previously_looked_after": true, "looked_after": true, "date_of_birth": "2015-01-01"}'
        )
    # either alone is fine
    before = ChildOrYoungPerson(date_of_birth=date(2015, 1, 1), previously_looked_after=True)
    now = ChildOrYoungPerson(date_of_birth=date(2015, 1, 1), looked_after=True)
    assert (before.looked_after, before.previously_looked_after) == (False, True)
    assert (now.looked_after, now.previously_looked_after) == (True, False)


def test_frozen() -> None:
    child = full_child()
    with pytest.raises(ValidationError):
        child.looked_after = False  # type: ignore[misc]


# ----------------------------------------------------------------- worked dates


@pytest.mark.parametrize(
    ("dob", "on", "year", "label", "phase"),
    [
        # 31 August birthdays are the youngest in their year group.
        (date(2015, 8, 31), date(2025, 9, 1), 6, "Year 6", "primary"),
        (date(2015, 8, 31), date(2026, 8, 31), 6, "Year 6", "primary"),
        (date(2015, 8, 31), date(2026, 9, 1), 7, "Year 7", "secondary"),
        # 1 September birthdays are the oldest in the next year group.
        (date(2015, 9, 1), date(2025, 9, 1), 5, "Year 5", "primary"),
        (date(2015, 9, 1), date(2026, 1, 15), 5, "Year 5", "primary"),
        # 29 February: born in the 2015/16 cohort, Reception in 2020/21.
        (date(2016, 2, 29), date(2020, 9, 1), 0, "Reception", "early_years"),
        (date(2016, 2, 29), date(2025, 9, 1), 5, "Year 5", "primary"),
        (date(2008, 2, 29), date(2025, 9, 1), 13, "Year 13", "post16"),  # Y1 in 2013/14
        # Nursery year: the September after the third birthday.
        (date(2020, 8, 31), date(2023, 9, 1), -1, "Nursery", "early_years"),
    ],
)
def test_year_group_and_phase(dob: date, on: date, year: int, label: str, phase: str) -> None:
    child = ChildOrYoungPerson(date_of_birth=dob)
    assert child.national_curriculum_year(on) == year
    assert child.year_group_label(on) == label
    assert child.phase_on(on) == phase


@pytest.mark.parametrize(
    ("dob", "on", "age"),
    [
        (date(2012, 2, 29), date(2026, 2, 28), 13),  # no 29 Feb in 2026: birthday 1 March
        (date(2012, 2, 29), date(2026, 3, 1), 14),
        (date(2012, 2, 29), date(2028, 2, 29), 16),
        (date(2012, 2, 29), date(2028, 2, 28), 15),
        (date(2015, 8, 31), date(2025, 8, 30), 9),
        (date(2015, 8, 31), date(2025, 8, 31), 10),
    ],
)
def test_age_on(dob: date, on: date, age: int) -> None:
    assert ChildOrYoungPerson(date_of_birth=dob).age_on(on) == age


@pytest.mark.parametrize(
    ("dob", "end"),
    [
        # Turns 16 on 31 Aug 2026, after the leaving date (Fri 26 June 2026) but in the same
        # school year: compulsory school age ends on 26 June 2026 (s. 8(3)(a)).
        (date(2010, 8, 31), date(2026, 6, 26)),
        # Turns 16 on 1 Sep 2026: the next school year; ends last Friday in June 2027 (25th).
        (date(2010, 9, 1), date(2027, 6, 25)),
        # 29 Feb 2012: 16th birthday 29 Feb 2028 (leap year); ends Fri 30 June 2028.
        (date(2012, 2, 29), date(2028, 6, 30)),
    ],
)
def test_compulsory_school_age_end(dob: date, end: date) -> None:
    child = ChildOrYoungPerson(date_of_birth=dob)
    assert child.compulsory_school_age_end == end
    assert not child.is_over_compulsory_school_age(end)
    assert child.is_over_compulsory_school_age(date.fromordinal(end.toordinal() + 1))


def test_young_person_from_day_after_school_age_ends_until_25th_birthday() -> None:
    # Born 31 Aug 2010: school age ends 26 June 2026 (CFA 2014 s. 83(2)).
    yp = ChildOrYoungPerson(date_of_birth=date(2010, 8, 31))
    assert yp.is_child(date(2026, 6, 26))
    assert yp.decision_maker(date(2026, 6, 26)) == "parent"
    assert yp.is_young_person(date(2026, 6, 27))
    assert yp.decision_maker(date(2026, 6, 27)) == "young_person"
    assert yp.is_young_person(date(2035, 8, 30))
    assert not yp.is_young_person(date(2035, 8, 31))  # 25th birthday


def test_representative_when_young_person_lacks_capacity() -> None:
    yp = ChildOrYoungPerson(date_of_birth=date(2005, 1, 1), lacks_capacity=True)
    assert yp.decision_maker(date(2026, 1, 1)) == "representative"


def test_parent_or_carer_privacy_and_round_trip() -> None:
    parent = ParentOrCarer(
        relationship="father",
        has_parental_responsibility=True,
        given_name=NAME,
        email="z@example.org",
        phone="01234 567890",
        postcode=POSTCODE,
        preferred_language="pol",
        needs_interpreter=True,
    )
    text = repr(parent)
    for secret in (NAME, "example.org", POSTCODE):
        assert secret not in text
    assert ParentOrCarer.model_validate(parent.model_dump(mode="json")) == parent
    with pytest.raises(ValidationError) as info:
        ParentOrCarer(relationship="uncle-ish", has_parental_responsibility=False, given_name=NAME)
    assert info.value.errors()[0]["loc"] == ("relationship",)
    assert _leaks(info.value, NAME, "uncle-ish") == []
