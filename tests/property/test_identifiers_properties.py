"""Hypothesis properties of sendflow.identifiers.

Check characters are computed here, independently of sendflow._checks, from
the published rules: UPN modulo 23 over weights 2-13 with the 23-letter table
(DfE / Government Data Standards Catalogue), ULN modulo 11 with check 10 - r
(ESFA ILR rules), NHS number modulo 11 with check 11 - r (NHS Data Dictionary).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from sendflow._checks import is_canonical_upn
from sendflow.errors import InvalidIdentifier
from sendflow.identifiers import (
    LAESTAB,
    ULN,
    UPN,
    URN,
    LACode,
    NHSNumber,
    format_nhs_number,
    is_known_la_code,
    is_temporary_upn,
    is_valid_la_code,
    is_valid_laestab,
    is_valid_nhs_number,
    is_valid_uln,
    is_valid_upn,
    is_valid_urn,
    la_code_entries,
    la_code_entry,
    normalise_la_code,
    normalise_laestab,
    normalise_nhs_number,
    normalise_uln,
    normalise_upn,
    normalise_urn,
    validate_upn,
)

TABLE = "ABCDEFGHJKLMNPQRTUVWXYZ"  # A=0 ... Z=22; no I, O or S
DIGIT_STRINGS = st.text(alphabet="0123456789", min_size=1, max_size=1)


def upn_letter(body: str) -> str:
    values = [int(c) if c.isdigit() else TABLE.index(c) for c in body]
    return TABLE[sum(w * v for w, v in zip(range(2, 14), values, strict=True)) % 23]


def mod11(nine: str) -> int:
    return sum(w * int(d) for w, d in zip(range(10, 1, -1), nine, strict=True)) % 11


@st.composite
def upns(draw: st.DrawFn, temporary: bool | None = None) -> str:
    digits = draw(st.text(alphabet="0123456789", min_size=11, max_size=11))
    temp = draw(st.booleans()) if temporary is None else temporary
    last = draw(st.sampled_from(TABLE)) if temp else draw(st.sampled_from("0123456789"))
    body = digits + last
    return upn_letter(body) + body


@st.composite
def ulns(draw: st.DrawFn) -> str:
    nine = draw(
        st.text(alphabet="0123456789", min_size=9, max_size=9).filter(
            lambda s: s[0] != "0" and mod11(s) != 0
        )
    )
    return nine + str(10 - mod11(nine))


@st.composite
def nhs_numbers(draw: st.DrawFn) -> str:
    nine = draw(
        st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda s: mod11(s) != 1)
    )
    check = 11 - mod11(nine)
    return nine + ("0" if check == 11 else str(check))


KNOWN_LA = sorted(e.code for e in la_code_entries())
urns = st.text(alphabet="0123456789", min_size=6, max_size=6)
laestabs = st.builds(
    lambda la, est: la + est,
    st.sampled_from(KNOWN_LA),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
)

JUNK = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ٠١٢٣²³８ -/", max_size=15),
    st.binary(),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.lists(st.text(max_size=3), max_size=3),
    st.dates(),
)

IS_VALID = [
    is_valid_upn,
    is_valid_uln,
    is_valid_nhs_number,
    is_valid_la_code,
    is_known_la_code,
    is_valid_urn,
    is_valid_laestab,
    is_temporary_upn,
]
NORMALISERS = [
    normalise_upn,
    normalise_uln,
    normalise_nhs_number,
    normalise_la_code,
    normalise_urn,
    normalise_laestab,
]


@given(upns())
def test_generated_upns_validate(upn: str) -> None:
    assert is_valid_upn(upn)
    assert validate_upn(upn) == upn
    assert UPN(upn) == upn
    assert is_temporary_upn(upn) == upn[-1].isalpha()


_UPN_FIELD = TypeAdapter(UPN)


@given(st.one_of(
    upns(),
    upns().map(str.lower),
    upns().map(lambda u: f" {u[:4]} {u[4:]}"),
    upns().flatmap(lambda u: st.integers(0, 12).map(lambda i: u[:i] + "S" + u[i + 1:])),
    upns().map(lambda u: u + "0"),
    upns().map(lambda u: u[:-1]),
    upns().map(lambda u: u[1:] + u[0]),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789٣- ", max_size=15),
))
def test_a_upn_field_accepts_exactly_what_the_type_accepts(text: str) -> None:
    # The field's one-frame path for canonical UPNs (UPN._validator) agrees with
    # the full check, from Python and from JSON.
    try:
        expected: str | None = UPN(text)
    except InvalidIdentifier:
        expected = None
    try:
        got: str | None = _UPN_FIELD.validate_python(text)
    except ValidationError:
        got = None
    assert got == expected
    assert got is None or type(got) is UPN
    try:
        from_json: str | None = _UPN_FIELD.validate_json(json.dumps(text))
    except ValidationError:
        from_json = None
    assert from_json == expected
    assert from_json is None or type(from_json) is UPN


@given(st.one_of(
    upns(),
    upns().map(str.lower),
    upns().map(lambda u: u + "0"),
    upns().map(lambda u: u[:-1]),
    upns().flatmap(lambda u: st.integers(0, 12).map(lambda i: u[:i] + "S" + u[i + 1:])),
    st.text(alphabet="ABCDEFGHJKLMNPQRTUVWXYZ0123456789٣", min_size=12, max_size=14),
))
def test_is_canonical_upn_is_the_full_check_on_canonical_text(text: str) -> None:
    # The table-driven quick test says yes exactly when the text is a valid
    # UPN that normalising leaves unchanged.
    try:
        canonical = UPN(text) == text
    except InvalidIdentifier:
        canonical = False
    assert is_canonical_upn(text) == canonical


@given(upns(), st.integers(min_value=0, max_value=22))
def test_any_other_check_letter_fails(upn: str, shift: int) -> None:
    wrong = TABLE[(TABLE.index(upn[0]) + shift + 1) % 23]
    if wrong != upn[0]:
        assert not is_valid_upn(wrong + upn[1:])


@given(upns(temporary=False), st.integers(min_value=1, max_value=10))
def test_upn_adjacent_transpositions_of_differing_digits_fail(upn: str, i: int) -> None:
    # positions i, i+1 within characters 2-12 (weights differ by 1, mod 23 catches it)
    a, b = upn[i], upn[i + 1]
    if a != b:
        swapped = upn[:i] + b + a + upn[i + 2 :]
        assert not is_valid_upn(swapped)


@given(ulns())
def test_generated_ulns_validate(uln: str) -> None:
    assert is_valid_uln(uln)
    assert ULN(uln) == uln
    assert not is_valid_nhs_number(uln)  # no 10-digit string is valid under both rules


@given(nhs_numbers())
def test_generated_nhs_numbers_validate(nhs: str) -> None:
    assert is_valid_nhs_number(nhs)
    assert NHSNumber(nhs) == nhs
    assert not is_valid_uln(nhs)
    display = format_nhs_number(nhs)
    assert display.replace(" ", "") == nhs
    assert normalise_nhs_number(display) == nhs


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), DIGIT_STRINGS)
def test_nhs_check_digit_is_unique(nine: str, last: str) -> None:
    # at most one final digit makes a valid NHS number; none when the check is 10
    valid = [d for d in "0123456789" if is_valid_nhs_number(nine + d)]
    assert len(valid) == (0 if mod11(nine) == 1 else 1)
    assert is_valid_nhs_number(nine + last) == (last in valid)


@given(urns)
def test_urns(urn: str) -> None:
    assert is_valid_urn(urn)
    assert URN(urn) == urn


@given(laestabs)
def test_laestabs(laestab: str) -> None:
    assert is_valid_laestab(laestab)
    assert LAESTAB(laestab).la_code == LACode(laestab[:3])


@pytest.mark.parametrize("is_valid", IS_VALID, ids=lambda f: f.__name__)
@given(junk=JUNK)
def test_is_valid_never_raises(is_valid: object, junk: object) -> None:
    assert callable(is_valid)
    assert is_valid(junk) in (True, False)


@pytest.mark.parametrize("normalise", NORMALISERS, ids=lambda f: f.__name__)
@given(text=st.text())
def test_normalise_is_idempotent(normalise: object, text: str) -> None:
    assert callable(normalise)
    once = normalise(text)
    assert normalise(once) == once
    assert not any(c.isspace() for c in once)


@pytest.mark.parametrize("normalise", NORMALISERS, ids=lambda f: f.__name__)
@given(junk=st.one_of(st.none(), st.binary(), st.integers(), st.floats()))
def test_normalise_refuses_non_strings(normalise: object, junk: object) -> None:
    assert callable(normalise)
    with pytest.raises(InvalidIdentifier):
        normalise(junk)


@settings(max_examples=50)
@given(upns(), st.sampled_from(["", " ", "  ", "\t", "\u00a0"]), st.booleans())
def test_normalise_recovers_typed_upns(upn: str, pad: str, lower: bool) -> None:
    typed = pad + (upn.lower() if lower else upn)[:5] + " " + upn[5:] + pad
    typed = typed if not lower else typed.lower()
    assert normalise_upn(typed) == upn
    assert UPN(typed) == upn


@pytest.mark.parametrize("cls", [UPN, ULN, NHSNumber, LACode, URN, LAESTAB])
@given(junk=JUNK)
def test_types_raise_only_our_errors(cls: type[str], junk: object) -> None:
    message = None
    try:
        value = cls(junk)
    except InvalidIdentifier as exc:
        message = str(exc)
    else:
        assert isinstance(value, cls)
        assert cls(value) == value
    # messages are fixed; a long input with a digit in it never appears in one
    long_with_digit = isinstance(junk, str) and len(junk) >= 8 and any(c.isdigit() for c in junk)
    if message is not None and long_with_digit:
        assert str(junk) not in message


@given(st.sampled_from(KNOWN_LA), st.dates())
def test_la_code_validity_matches_the_record(code: str, on: date) -> None:
    entry = la_code_entry(code)
    if on < date(1998, 4, 1):
        assert not is_valid_la_code(code, on=on)
    else:
        assert is_valid_la_code(code, on=on) == entry.in_force(on)
