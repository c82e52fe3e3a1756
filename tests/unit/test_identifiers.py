"""Worked examples for sendflow.identifiers.

Vectors come from /work/shared/reference/identifiers.md (each re-computed by
hand there): the UPN modulo-23 rule (DfE "Unique Pupil Numbers" guidance; UK
Government Data Standards Catalogue "Unique Pupil Number" v2.0), the ULN
modulo-11 rule (ESFA ILR validation, DerivedData_01 / ULN_04) and the NHS
number modulo-11 rule (NHS Data Dictionary). NHS examples are in the 999 test
range, which is never issued to patients; other examples are synthetic.
"""

from __future__ import annotations

import json
import pickle
import tomllib
from datetime import date, datetime
from importlib import resources
from typing import Any

import pydantic
import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from sendflow._base import SendflowModel
from sendflow.errors import (
    CalendarError,
    InvalidChecksum,
    InvalidFormat,
    InvalidIdentifier,
    InvalidLength,
    UnknownCode,
)
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
    la_codes,
    la_name,
    normalise_la_code,
    normalise_laestab,
    normalise_nhs_number,
    normalise_uln,
    normalise_upn,
    normalise_urn,
    validate_la_code,
    validate_laestab,
    validate_nhs_number,
    validate_uln,
    validate_upn,
    validate_urn,
)

# ----------------------------------------------------------------------------- UPN

VALID_UPNS = [
    "B801200005001",  # 93 mod 23 = 1 -> B (python-stdnum doctest)
    "P207000016049",  # 266 mod 23 = 13 -> P (a public MIS page wrongly says Q)
    "H801200001001",  # DfE UPN guidance example
    "X845212818005",  # data-to-insight CIN validator tests
    "N201197540514",
    "G838519282880",  # LA 838, a post-2019 code
    "R942184028916",  # LA 942 Cumberland
    "M873592379569",
    "T212109487502",
    "R900400001001",  # check letter right; 900 is no LA, but UPNs don't check the LA
    "E000200005001",  # likewise LA 000
]
VALID_TEMPORARY_UPNS = [
    "G80120000101A",  # DfE guidance example: final A = 0, total 52 -> G
    "J88672926296Z",  # Z = 22, total 721 -> 8 -> J
    "X33079009399J",  # J = 8, total 526 -> 20 -> X
    "X80273337556C",  # C = 2
]

INVALID_UPNS = [
    ("Q207000016049", InvalidChecksum),  # body totals 266 -> P, not Q
    ("Z801200001001", InvalidChecksum),  # DfE guidance: correct letter is H
    ("A801200005001", InvalidChecksum),  # correct letter is B
    ("Z357296500628", InvalidChecksum),  # correct letter is Y
    ("T212109487052", InvalidChecksum),  # digits 11-12 of a valid UPN swapped
    ("F926796012460", InvalidChecksum),  # adjacent digits swapped
    ("P85017425174W", InvalidChecksum),  # check letter computed with W = 22 (ord mapping)
    ("R37255426314T", InvalidChecksum),  # check letter computed with a 1-based table
    ("I855173471550", InvalidFormat),  # I is never a check letter
    ("S919215482720", InvalidFormat),  # S is never a check letter
    ("O801200005001", InvalidFormat),  # nor O
    ("A88168687339O", InvalidFormat),  # temporary UPN ending in O
    ("L89365654021", InvalidLength),  # 12 characters
    ("B8012000050011", InvalidLength),  # 14 characters
    ("", InvalidLength),
    ("UN1", InvalidLength),  # a "no UPN" reason code is not a UPN
    ("l893656540215", InvalidFormat),  # lower-case check letter
    ("b801200005001", InvalidFormat),
    ("g80120000101a", InvalidFormat),
    ("U31942B432356", InvalidFormat),  # letter inside the numeric part
    ("8357296500628", InvalidFormat),  # digit where the check letter belongs
    ("B80120000500١", InvalidFormat),  # Arabic-Indic digit one as character 13
    ("B８01200005001", InvalidFormat),  # fullwidth digit eight
    ("B80120000500²", InvalidFormat),  # superscript two: str.isdigit() is True
    (" B801200005001", InvalidLength),  # surrounding space: not canonical
    ("B801 200005001", InvalidLength),
    ("B80120000500 ", InvalidFormat),  # right length, space in position 13
]


@pytest.mark.parametrize("upn", VALID_UPNS + VALID_TEMPORARY_UPNS)
def test_valid_upns(upn: str) -> None:
    assert is_valid_upn(upn)
    assert validate_upn(upn) == upn
    assert normalise_upn(upn) == upn


@pytest.mark.parametrize(("upn", "error"), INVALID_UPNS)
def test_invalid_upns(upn: str, error: type[InvalidIdentifier]) -> None:
    assert not is_valid_upn(upn)
    with pytest.raises(error) as info:
        validate_upn(upn)
    assert type(info.value) is error
    assert info.value.scheme == "UPN"


def test_upn_worked_example_by_hand() -> None:
    # B801200005001: weights 2..13 over 8,0,1,2,0,0,0,0,5,0,0,1
    total = 2 * 8 + 3 * 0 + 4 * 1 + 5 * 2 + 10 * 5 + 13 * 1
    assert total == 93
    assert total % 23 == 1  # table: B = 1
    assert is_valid_upn("B801200005001")


def test_temporary_upns() -> None:
    assert all(is_temporary_upn(u) for u in VALID_TEMPORARY_UPNS)
    assert not any(is_temporary_upn(u) for u in VALID_UPNS)
    assert not is_temporary_upn("A88168687339O")
    assert not is_temporary_upn(None)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        (" b801200005001 ", "B801200005001"),
        ("B801 2000 0500 1", "B801200005001"),
        ("b801-2000-05001", "B801200005001"),
        ("g80120000101a", "G80120000101A"),
        ("\u00a0H801200001001\t", "H801200001001"),  # non-breaking space pasted from a web page
    ],
)
def test_normalise_upn(typed: str, canonical: str) -> None:
    assert normalise_upn(typed) == canonical
    assert normalise_upn(canonical) == canonical
    assert is_valid_upn(canonical)
    assert not is_valid_upn(typed)  # the validator itself does not normalise


def test_normalise_does_not_validate() -> None:
    assert normalise_upn("a801200005001") == "A801200005001"
    assert not is_valid_upn(normalise_upn("a801200005001"))


def test_normalise_only_upper_cases_ascii() -> None:
    # "ı".upper() == "I" in Python; normalising must not turn junk into letters
    assert normalise_upn("ı801200005001") == "ı801200005001"


# ----------------------------------------------------------------------------- ULN

VALID_ULNS = [
    "9276308686",  # worked example: 290 mod 11 = 4, check 6
    "2967273170",  # r = 10 -> check 0
    "2330175689",  # r = 1 -> check 9
    "2948939495",
    "5821416212",
    "1521854911",
    "5524410643",
    "7001304114",
    "1000000043",  # ESFA unit test
]
INVALID_ULNS = [
    ("6939761580", InvalidChecksum),  # expected 5
    ("5654060457", InvalidChecksum),  # adjacent digits swapped
    ("4801291130", InvalidChecksum),  # last two swapped
    ("8058602140", InvalidChecksum),  # r = 0: no check digit works
    ("1258220189", InvalidChecksum),  # r = 0
    ("1000000063", InvalidChecksum),  # ESFA unit test, r = 0
    ("9999999999", InvalidChecksum),  # ILR "not known" placeholder (expects 8)
    ("9990515433", InvalidChecksum),  # a valid NHS test number, not a ULN
    ("0594069253", InvalidFormat),  # leading zero
    ("995579906", InvalidLength),
    ("69397615853", InvalidLength),
    ("5645A60457", InvalidFormat),
    ("48012 91103", InvalidLength),
    ("927630868٦", InvalidFormat),  # Arabic-Indic six
]


@pytest.mark.parametrize("uln", VALID_ULNS)
def test_valid_ulns(uln: str) -> None:
    assert is_valid_uln(uln)
    assert validate_uln(uln) == uln
    assert not is_valid_nhs_number(uln)  # no string passes both rules


@pytest.mark.parametrize(("uln", "error"), INVALID_ULNS)
def test_invalid_ulns(uln: str, error: type[InvalidIdentifier]) -> None:
    assert not is_valid_uln(uln)
    with pytest.raises(error) as info:
        validate_uln(uln)
    assert type(info.value) is error
    assert info.value.scheme == "ULN"


def test_uln_worked_example_by_hand() -> None:
    digits = [9, 2, 7, 6, 3, 0, 8, 6, 8]
    total = sum(w * d for w, d in zip(range(10, 1, -1), digits, strict=True))
    assert total == 290
    assert 10 - total % 11 == 6


def test_normalise_uln() -> None:
    assert normalise_uln(" 92763-08686 ") == "9276308686"


# ---------------------------------------------------------------------- NHS number

VALID_NHS = [
    "9434765919",  # the widely published example: 299 mod 11 = 2, check 9
    "9999822290",  # r = 0 -> check 11 -> 0
    "9995280701",  # r = 10 -> check 1
    "9990159459",
    "9990283168",
    "9996323374",
    "9993528668",
    "9997534786",
    "9990515433",
]
INVALID_NHS = [
    ("4857773456", InvalidChecksum),  # total 312, r = 4, check 7 not 6
    ("9991592124", InvalidChecksum),  # expected 1
    ("9993366088", InvalidChecksum),  # adjacent digits swapped
    ("9991612840", InvalidChecksum),  # r = 1 -> check 10: never valid
    ("9997363851", InvalidChecksum),  # same, last digit 1
    ("9994284514", InvalidChecksum),  # check computed as r, not 11 - r
    ("9994203818", InvalidChecksum),  # ULN rule applied
    ("999787457", InvalidLength),
    ("99978745790", InvalidLength),
    ("999 971 3319", InvalidLength),  # display form is not canonical
    ("99915921X1", InvalidFormat),
    ("999363608A", InvalidFormat),
    ("943476591٩", InvalidFormat),  # Arabic-Indic nine
]


@pytest.mark.parametrize("nhs", VALID_NHS)
def test_valid_nhs_numbers(nhs: str) -> None:
    assert is_valid_nhs_number(nhs)
    assert validate_nhs_number(nhs) == nhs
    assert not is_valid_uln(nhs)


@pytest.mark.parametrize(("nhs", "error"), INVALID_NHS)
def test_invalid_nhs_numbers(nhs: str, error: type[InvalidIdentifier]) -> None:
    assert not is_valid_nhs_number(nhs)
    with pytest.raises(error) as info:
        validate_nhs_number(nhs)
    assert type(info.value) is error
    assert info.value.scheme == "NHS number"


@pytest.mark.parametrize("last", "0123456789")
def test_nhs_check_digit_of_ten_is_never_valid(last: str) -> None:
    # 999161284: 9*10+9*9+9*8+1*7+6*6+1*5+2*4+8*3+4*2 = 331, 331 mod 11 = 1, 11 - 1 = 10
    assert 9 * 10 + 9 * 9 + 9 * 8 + 1 * 7 + 6 * 6 + 1 * 5 + 2 * 4 + 8 * 3 + 4 * 2 == 331
    assert not is_valid_nhs_number("999161284" + last)


def test_nhs_display_form() -> None:
    assert normalise_nhs_number("943 476 5919") == "9434765919"
    assert normalise_nhs_number("943-476-5919") == "9434765919"
    assert is_valid_nhs_number(normalise_nhs_number("999 971 3319"))
    assert format_nhs_number("9434765919") == "943 476 5919"
    assert format_nhs_number(" 943 476 5919 ") == "943 476 5919"
    with pytest.raises(InvalidChecksum):
        format_nhs_number("9991592124")
    with pytest.raises(InvalidFormat):
        format_nhs_number(9434765919)


# ------------------------------------------------------------- never raise on junk

JUNK: list[object] = [
    None,
    b"B801200005001",
    bytearray(b"9434765919"),
    9434765919,
    801,
    8012000,
    12.5,
    ["B801200005001"],
    object(),
    "",
    "🙂" * 13,
    "\x00" * 10,
    "٣٣٣",  # Arabic-Indic digits
    "²²²²²²",  # superscript digits
    "８０１",  # fullwidth digits
]
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


@pytest.mark.parametrize("junk", JUNK, ids=repr)
@pytest.mark.parametrize("is_valid", IS_VALID, ids=lambda f: f.__name__)
def test_is_valid_never_raises(is_valid: object, junk: object) -> None:
    assert callable(is_valid)
    assert is_valid(junk) is False


@pytest.mark.parametrize(
    "normalise",
    [
        normalise_upn,
        normalise_uln,
        normalise_nhs_number,
        normalise_la_code,
        normalise_urn,
        normalise_laestab,
    ],
)
@pytest.mark.parametrize("junk", [None, b"801", 801, ["801"]], ids=repr)
def test_normalise_rejects_non_strings(normalise: object, junk: object) -> None:
    assert callable(normalise)
    with pytest.raises(InvalidFormat) as info:
        normalise(junk)
    assert type(info.value) is InvalidFormat


@pytest.mark.parametrize(
    "validate",
    [
        validate_upn,
        validate_uln,
        validate_nhs_number,
        validate_la_code,
        validate_urn,
        validate_laestab,
    ],
)
@pytest.mark.parametrize("junk", [None, b"801", 801], ids=repr)
def test_validate_rejects_non_strings(validate: object, junk: object) -> None:
    assert callable(validate)
    with pytest.raises(InvalidFormat):
        validate(junk)


# ------------------------------------------------------------------------- LA codes


def _data() -> dict[str, object]:
    text = (resources.files("sendflow") / "data" / "la_codes.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def test_current_list_matches_declared_count() -> None:
    meta = _data()["meta"]
    assert isinstance(meta, dict)
    assert len(la_codes()) == meta["current_count"] == 153


def test_current_list_is_the_january_2025_list() -> None:
    # identifiers.md §1.8: DfE EHC plans caseload file, reporting year 2025
    assert la_codes() == la_codes(on=date(2025, 1, 16))
    assert la_codes()["801"] == "Bristol, City of"
    assert la_codes()["201"] == "City of London"
    assert la_codes()["420"] == "Isles of Scilly"
    assert list(la_codes()) == sorted(la_codes())


def test_every_code_is_three_ascii_digits() -> None:
    assert all(
        len(e.code) == 3 and e.code.isascii() and e.code.isdigit() for e in la_code_entries()
    )


@pytest.mark.parametrize(
    ("on", "count"),
    [
        # identifiers.md §1.8: DfE's count 152 (Jan 2019) -> 151 -> 152 -> 153
        (date(2019, 1, 17), 152),
        (date(2019, 4, 1), 151),
        (date(2021, 1, 21), 151),
        (date(2021, 4, 1), 152),
        (date(2023, 3, 31), 152),
        (date(2023, 4, 1), 153),
    ],
)
def test_count_history(on: date, count: int) -> None:
    assert len(la_codes(on=on)) == count


@pytest.mark.parametrize(
    ("old", "ended", "successors"),
    [
        # Northamptonshire (Structural Changes) Order 2020 (SI 2020/156)
        ("928", date(2021, 4, 1), ("940", "941")),
        # Cumbria (Structural Changes) Order 2022 (SI 2022/331)
        ("909", date(2023, 4, 1), ("942", "943")),
        # Bournemouth, Dorset and Poole (Structural Changes) Order 2018 (SI 2018/648)
        ("835", date(2019, 4, 1), ("838", "839")),
        ("836", date(2019, 4, 1), ("839",)),
        ("837", date(2019, 4, 1), ("839",)),
        # Bedfordshire and Cheshire (Structural Changes) Orders 2008 (SI 2008/907, 2008/634)
        ("820", date(2009, 4, 1), ("822", "823")),
        ("875", date(2009, 4, 1), ("895", "896")),
    ],
)
def test_superseded_codes(old: str, ended: date, successors: tuple[str, ...]) -> None:
    entry = la_code_entry(old)
    assert entry.effective_to == ended
    assert entry.replaced_by == successors
    before = date(ended.year, 3, 31)
    assert is_valid_la_code(old, on=before)
    assert not is_valid_la_code(old, on=ended)
    assert not is_valid_la_code(old)
    assert is_known_la_code(old)
    for new in successors:
        assert la_code_entry(new).effective_from in (None, ended)
        assert is_valid_la_code(new, on=ended)
        assert is_valid_la_code(new)
    assert all(
        not is_valid_la_code(new, on=before)
        for new in successors
        if la_code_entry(new).effective_from == ended
    )
    with pytest.raises(UnknownCode):
        validate_la_code(old, on=ended)
    assert validate_la_code(old, on=before) == old


def test_codes_kept_through_reorganisation() -> None:
    # North Yorkshire (815) and Somerset (933) became unitary on 1 April 2023 and
    # Buckinghamshire (825) on 1 April 2020, each keeping its DfE code.
    for code in ("815", "933", "825"):
        entry = la_code_entry(code)
        assert entry.effective_from is None
        assert entry.effective_to is None
        assert is_valid_la_code(code, on=date(2020, 1, 1))
        assert is_valid_la_code(code, on=date(2024, 1, 1))


def test_periods_tile() -> None:
    entries = {e.code: e for e in la_code_entries()}
    for e in entries.values():
        for new in e.replaced_by:
            successor = entries[new]
            assert successor.effective_from in (None, e.effective_to)


def test_datetime_lookup_uses_its_date() -> None:
    assert "928" in la_codes(on=datetime(2021, 3, 31, 23, 59))  # noqa: DTZ001


def test_history_before_1998_is_refused() -> None:
    with pytest.raises(CalendarError):
        la_codes(on=date(1997, 12, 31))
    assert not is_valid_la_code("801", on=date(1997, 12, 31))
    assert len(la_codes(on=date(1998, 4, 1))) == 150


def test_la_name() -> None:
    assert la_name("942") == "Cumberland"
    assert la_name("909") == "Cumbria"
    with pytest.raises(UnknownCode):
        la_name("900")
    with pytest.raises(InvalidLength):
        la_name("80")
    with pytest.raises(InvalidFormat):
        la_name(801)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("900", UnknownCode),
        ("000", UnknownCode),
        ("80", InvalidLength),
        ("8o1", InvalidFormat),
        ("٨٠١", InvalidFormat),
        (" 801", InvalidLength),
        ("660", UnknownCode),
    ],  # 660: Welsh
)
def test_invalid_la_codes(code: str, error: type[InvalidIdentifier]) -> None:
    assert not is_valid_la_code(code)
    with pytest.raises(error):
        validate_la_code(code)


def test_la_code_results_are_read_only() -> None:
    codes = la_codes()
    with pytest.raises(TypeError):
        codes["999"] = "Nowhere"  # type: ignore[index]


# ------------------------------------------------------------------- URN, LAESTAB


def test_urn() -> None:
    assert is_valid_urn("100000")
    assert validate_urn("123456") == "123456"
    assert normalise_urn(" 123 456 ") == "123456"
    for bad, error in [
        ("12345", InvalidLength),
        ("1234567", InvalidLength),
        ("12345A", InvalidFormat),
        ("12345٦", InvalidFormat),
    ]:
        assert not is_valid_urn(bad)
        with pytest.raises(error):
            validate_urn(bad)


def test_laestab() -> None:
    assert is_valid_laestab("8012000")
    assert is_valid_laestab("9282001")  # superseded LA code: establishments keep their numbers
    assert normalise_laestab("801/2000") == "8012000"
    assert normalise_laestab(" 801-2000 ") == "8012000"
    assert not is_valid_laestab("801/2000")  # display form is not canonical
    with pytest.raises(UnknownCode):
        validate_laestab("9004000")
    with pytest.raises(InvalidLength):
        validate_laestab("801200")
    with pytest.raises(InvalidFormat):
        validate_laestab("80120O0")


# ----------------------------------------------------------------- field types


@pytest.mark.parametrize(
    ("cls", "typed", "canonical"),
    [
        (UPN, " b801 2000 05001 ", "B801200005001"),
        (ULN, "92763 08686", "9276308686"),
        (NHSNumber, "943 476 5919", "9434765919"),
        (LACode, " 928 ", "928"),
        (URN, "100 000", "100000"),
        (LAESTAB, "801/2000", "8012000"),
    ],
)
def test_types_normalise_and_validate_on_construction(
    cls: type[str], typed: str, canonical: str
) -> None:
    value = cls(typed)
    assert isinstance(value, cls)
    assert isinstance(value, str)
    assert value == canonical
    assert str(value) == canonical
    assert f"{value}" == canonical
    assert type(str(value)) is str
    assert cls(value) == value
    assert pickle.loads(pickle.dumps(value)) == value
    assert type(pickle.loads(pickle.dumps(value))) is cls


@pytest.mark.parametrize(
    ("cls", "bad"),
    [
        (UPN, "A801200005001"),
        (ULN, "9999999999"),
        (NHSNumber, "9991612840"),
        (LACode, "900"),
        (URN, "12345"),
        (LAESTAB, "9004000"),
        (UPN, None),
        (ULN, 9276308686),
    ],
)
def test_types_refuse_invalid_values(cls: type[str], bad: object) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        cls(bad)
    if isinstance(bad, str):
        assert bad not in str(info.value)
        assert all(bad not in repr(a) for a in info.value.args)


def test_personal_identifiers_hide_their_value_in_repr() -> None:
    assert repr(UPN("B801200005001")) == "UPN(***)"
    assert repr(ULN("9276308686")) == "ULN(***)"
    assert repr(NHSNumber("9434765919")) == "NHSNumber(***)"
    assert repr(LACode("801")) == "LACode('801')"  # not personal data
    assert "B801200005001" not in repr([UPN("B801200005001")])


def test_la_types_helpers() -> None:
    assert LACode("909").name == "Cumbria"
    assert LACode("909").entry.replaced_by == ("942", "943")
    est = LAESTAB("8012000")
    assert est.la_code == LACode("801")
    assert est.establishment_number == "2000"


class Pupil(SendflowModel):
    upn: UPN
    uln: ULN | None = None
    nhs_number: NHSNumber | None = None
    la: LACode | None = None
    urn: URN | None = None
    laestab: LAESTAB | None = None


def test_model_round_trip() -> None:
    pupil = Pupil(
        upn=" g80120000101a ",
        uln="9276308686",
        nhs_number="943 476 5919",
        la="928",
        urn="100000",
        laestab="801/2000",
    )
    assert type(pupil.upn) is UPN
    assert pupil.upn == "G80120000101A"
    dumped = pupil.model_dump(mode="json")
    assert dumped == {
        "upn": "G80120000101A",
        "uln": "9276308686",
        "nhs_number": "9434765919",
        "la": "928",
        "urn": "100000",
        "laestab": "8012000",
    }
    assert all(type(v) is str for v in dumped.values())
    assert Pupil.model_validate_json(pupil.model_dump_json()) == pupil
    assert Pupil.model_validate(dumped) == pupil
    assert "G80120000101A" not in repr(pupil)
    assert "9434765919" not in repr(pupil)


def test_json_schema() -> None:
    props = Pupil.model_json_schema()["properties"]
    upn = props["upn"]
    assert upn["type"] == "string"
    assert upn["pattern"] == "^[ABCDEFGHJKLMNPQRTUVWXYZ][0-9]{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]$"
    assert "description" in upn
    nhs = props["nhs_number"]["anyOf"][0]
    assert nhs == {"type": "string", "pattern": "^[0-9]{10}$", "description": nhs["description"]}


BAD_INPUTS = {
    "upn": ("A801200005001", "upn_checksum"),
    "uln": ("9276308687", "uln_checksum"),
    "nhs_number": ("9991612840", "nhs_number_checksum"),
    "la": ("900", "la_code_unknown"),
    "urn": ("12345", "urn_length"),
    "laestab": ("9004000", "laestab_unknown"),
}


def _fragments(value: str) -> list[str]:
    # any 4-character window of the input (LA codes are 3 long: check whole)
    if len(value) <= 4:
        return [value]
    return [value[i : i + 4] for i in range(len(value) - 3)]


def test_validation_errors_never_contain_the_input() -> None:
    with pytest.raises(ValidationError) as info:
        Pupil.model_validate({k: v for k, (v, _) in BAD_INPUTS.items()})
    exc = info.value
    types = {e["loc"][0]: e["type"] for e in exc.errors(include_input=False)}
    assert types == {k: t for k, (_, t) in BAD_INPUTS.items()}
    text = str(exc) + repr(exc.errors(include_input=False)) + exc.json(include_input=False)
    for value, _ in BAD_INPUTS.values():
        for fragment in _fragments(value):
            if fragment in {"1000", "0000", "4000"}:  # too generic: may occur in URLs
                continue
            assert fragment not in text, fragment


def test_validation_error_of_non_string_hides_input() -> None:
    with pytest.raises(ValidationError) as info:
        Pupil.model_validate({"upn": 8012000050})
    exc = info.value
    assert exc.errors(include_input=False)[0]["type"] == "string_type"
    assert "8012000050" not in str(exc) + exc.json(include_input=False)


def test_bytes_are_refused_by_the_field_types() -> None:
    with pytest.raises(ValidationError):
        Pupil.model_validate({"upn": b"B801200005001"})


class PlainPupil(BaseModel):
    upn: UPN


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (UPN, "A801200005001"),  # wrong check letter
        (UPN, 8012000050),  # not a string
        (ULN, "9276308687"),
        (ULN, 9276308687),
        (NHSNumber, "9434765918"),
        (LACode, "Quinteroxa"),
        (LACode, ["Quinteroxa"]),  # unhashable: no TypeError either
        (URN, "Quinteroxa"),
        (LAESTAB, {"Quinteroxa": 1}),
    ],
)
def test_the_types_never_echo_input_even_in_a_users_plain_model(kind: Any, value: Any) -> None:
    # Issue 17: a plain BaseModel or a bare TypeAdapter in a user's own code,
    # with no hide_input_in_errors: the types' errors hold no input in str,
    # repr, errors() or json(), and still name the field and the check.
    plain = pydantic.create_model("Plain", ident=(kind, ...))
    secret = "Quinteroxa" if isinstance(value, (list, dict)) else str(value)
    for call in (
        lambda: plain(ident=value),
        lambda: plain.model_validate_json(json.dumps({"ident": value})),
        lambda: TypeAdapter(kind).validate_python(value),
        lambda: TypeAdapter(list[kind]).validate_json(json.dumps([value])),
    ):
        with pytest.raises(ValidationError) as info:
            call()
        exc = info.value
        text = str(exc) + repr(exc) + json.dumps(exc.errors(), default=str) + exc.json()
        assert secret not in text
        assert all(e["input"] is None for e in exc.errors())
        assert exc.errors()[0]["type"].split("_")[-1] in {"type", "length", "format",
                                                         "checksum", "unknown"}


def test_validated_codes_are_remembered_but_personal_identifiers_are_not() -> None:
    """LA codes repeat across a caseload and are cached; UPNs are personal and never kept."""
    from pydantic import BaseModel

    from sendflow import identifiers

    class M(BaseModel):
        la: identifiers.LACode
        upn: identifiers.UPN

    first = M(la="202", upn="B801200005001")
    second = M(la="202", upn="B801200005001")
    assert first.la is second.la
    assert identifiers.LACode in identifiers._REMEMBERED
    assert not any(issubclass(kind, identifiers.UPN) for kind in identifiers._REMEMBERED)
    assert all(
        len(remembered) <= identifiers._REMEMBERED_MAX
        for remembered in identifiers._REMEMBERED.values()
    )


def test_remembered_codes_stay_bounded_and_invalid_ones_are_never_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pydantic import TypeAdapter, ValidationError

    from sendflow import identifiers

    remembered = identifiers._Remembered(identifiers.LACode)
    monkeypatch.setattr(identifiers, "_REMEMBERED_MAX", 2)
    for code in ("201", "202", "204"):
        assert remembered[code] == code and type(remembered[code]) is identifiers.LACode
    assert len(remembered) == 2  # the third was validated but not kept
    with pytest.raises(ValidationError) as info:
        TypeAdapter(identifiers.LACode).validate_python("999")
    assert info.value.errors()[0]["type"] == "la_code_unknown"
    assert "999" not in identifiers._REMEMBERED[identifiers.LACode]
