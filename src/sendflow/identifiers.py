"""Identifiers used in SEND records: UPN, ULN, NHS number, LA code, URN, LAESTAB.

Each scheme has the same verbs (after python-stdnum):

- ``is_valid_*(value)`` judges the **canonical compact form only** (exact
  length, ASCII, upper case, no spaces) and never raises, whatever it is given.
- ``validate_*(value)`` returns the canonical string or raises a subclass of
  :class:`~sendflow.errors.InvalidIdentifier` whose message names the scheme
  and the check that failed, never the value.
- ``normalise_*(value)`` turns what people type (spaces, lower case, the
  ``943 476 5919`` display form) into the canonical form, without validating.

The classes :class:`UPN`, :class:`ULN`, :class:`NHSNumber`, :class:`LACode`,
:class:`URN` and :class:`LAESTAB` are ``str`` subclasses that normalise and
validate when constructed, so an instance is always valid; they are pydantic
field types whose errors never contain the input. ``repr`` of the personal
identifiers (UPN, ULN, NHS number) hides the value; ``str`` gives it.

Sources: DfE "Unique Pupil Numbers" guidance and the UK Government Data
Standards Catalogue "Unique Pupil Number" v2.0 (modulo-23 check letter);
ESFA ILR validation rules for the ULN (modulo 11); the NHS Data Dictionary
for the NHS number (modulo 11). LA codes are dated data in
``sendflow/data/la_codes.toml``, which names its sources.

Added in 0.1.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from types import MappingProxyType
from typing import Any, ClassVar, Self

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, ValidationError
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from sendflow._checks import (
    _UPN_TRIPLES,
    UPN_LETTERS,
    is_canonical_upn,
    nhs_check_digit,
    uln_check_digit,
    upn_check_letter,
)
from sendflow.errors import (
    CalendarError,
    InvalidChecksum,
    InvalidFormat,
    InvalidIdentifier,
    InvalidLength,
    RuleDataError,
    UnknownCode,
)

__all__ = [
    "LAESTAB",
    "ULN",
    "UPN",
    "URN",
    "LACode",
    "LACodeEntry",
    "NHSNumber",
    "format_nhs_number",
    "is_known_la_code",
    "is_temporary_upn",
    "is_valid_la_code",
    "is_valid_laestab",
    "is_valid_nhs_number",
    "is_valid_uln",
    "is_valid_upn",
    "is_valid_urn",
    "la_code_entries",
    "la_code_entry",
    "la_codes",
    "la_name",
    "normalise_la_code",
    "normalise_laestab",
    "normalise_nhs_number",
    "normalise_uln",
    "normalise_upn",
    "normalise_urn",
    "validate_la_code",
    "validate_laestab",
    "validate_nhs_number",
    "validate_uln",
    "validate_upn",
    "validate_urn",
]

_UPN = "UPN"
_ULN = "ULN"
_NHS = "NHS number"
_LA = "LA code"
_URN = "URN"
_LAESTAB = "LAESTAB"

_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _digits(s: str) -> bool:
    """True if ``s`` is non-empty and all ASCII digits (not ``٣`` or ``²``)."""
    return s.isascii() and s.isdigit()


def _require_str(value: object, scheme: str) -> str:
    if not isinstance(value, str):
        raise InvalidFormat(scheme, "must be given as a string")
    return value


def _require_digits(value: object, scheme: str, length: int) -> str:
    s = _require_str(value, scheme)
    if len(s) != length:
        raise InvalidLength(scheme, f"must be exactly {length} characters long")
    if not _digits(s):
        raise InvalidFormat(scheme, "must contain only the digits 0-9")
    return str(s)


def _compact(value: object, scheme: str, separators: str = "") -> str:
    """Drop all whitespace and the given separators; upper-case ASCII letters."""
    s = _require_str(value, scheme)
    s = "".join(s.split())
    for sep in separators:
        s = s.replace(sep, "")
    return s.translate(_ASCII_UPPER)


def _is_valid(validate: Callable[..., str], value: object, *args: object) -> bool:
    try:
        validate(value, *args)
    except (InvalidIdentifier, CalendarError, TypeError, AttributeError):
        return False  # never raises, whatever it is given
    return True


# --------------------------------------------------------------------------- UPN


def validate_upn(value: object) -> str:
    """Return ``value`` if it is a valid UPN in canonical form, else raise.

    Checks, in order: a string of 13 characters; character 1 a check letter
    (A-Z without I, O, S); characters 2-12 digits; character 13 a digit or
    such a letter (temporary UPN); and the modulo-23 check letter. The LA part
    (characters 2-4) is not checked against the LA code list, because UPNs
    minted under codes that have since ended stay in use.

    Raises:
        InvalidLength: not 13 characters.
        InvalidFormat: not a string, or a character where its position forbids it.
        InvalidChecksum: the check letter does not match.

    ```python
    >>> validate_upn("B801200005001")
    'B801200005001'
    >>> validate_upn("A801200005001")
    Traceback (most recent call last):
    ...
    sendflow.errors.InvalidChecksum: UPN check letter (character 1) does not match characters 2-13

    ```
    """
    s = _require_str(value, _UPN)
    if len(s) != 13:
        raise InvalidLength(_UPN, "must be exactly 13 characters long")
    if s[0] not in UPN_LETTERS:
        raise InvalidFormat(_UPN, "character 1 must be a capital letter other than I, O or S")
    if not _digits(s[1:12]):
        raise InvalidFormat(_UPN, "characters 2-12 must be the digits 0-9")
    if not (_digits(s[12]) or s[12] in UPN_LETTERS):
        raise InvalidFormat(
            _UPN, "character 13 must be a digit or a capital letter other than I, O or S"
        )
    if upn_check_letter(s[1:]) != s[0]:
        raise InvalidChecksum(_UPN, "check letter (character 1) does not match characters 2-13")
    return str(s)


def is_valid_upn(value: object) -> bool:
    """Whether ``value`` is a valid UPN in canonical form; never raises.

    ```python
    >>> is_valid_upn("B801200005001"), is_valid_upn("G80120000101A")
    (True, True)
    >>> is_valid_upn("b801200005001"), is_valid_upn("UN1"), is_valid_upn(None)
    (False, False, False)

    ```
    """
    return _is_valid(validate_upn, value)


def is_temporary_upn(value: object) -> bool:
    """Whether ``value`` is a valid *temporary* UPN (ends in a letter); never raises.

    ```python
    >>> is_temporary_upn("G80120000101A"), is_temporary_upn("B801200005001")
    (True, False)

    ```
    """
    return is_valid_upn(value) and isinstance(value, str) and not _digits(value[12])


def normalise_upn(value: object) -> str:
    """Remove spaces and hyphens and upper-case letters; does not validate.

    Raises:
        InvalidFormat: ``value`` is not a string.

    ```python
    >>> normalise_upn(" b801 2000 05001 ")
    'B801200005001'

    ```
    """
    if type(value) is str and len(value) == 13 and value.isascii() and value.isalnum():
        return value.upper()  # nothing to drop (the common case: already compact)
    return _compact(value, _UPN, "-")


# --------------------------------------------------------------------------- ULN


def validate_uln(value: object) -> str:
    """Return ``value`` if it is a valid ULN (10 digits, modulo 11), else raise.

    The first digit is 1-9. With weights 10 … 2 on digits 1-9 and r their sum
    modulo 11, digit 10 must be 10 − r; r = 0 gives no valid ULN. The ILR
    placeholder ``9999999999`` fails the check and is not a ULN.

    Raises:
        InvalidLength: not 10 characters.
        InvalidFormat: not a string, a non-digit, or a leading zero.
        InvalidChecksum: the check digit does not match.

    ```python
    >>> validate_uln("9276308686")
    '9276308686'
    >>> validate_uln("9276308687")
    Traceback (most recent call last):
    ...
    sendflow.errors.InvalidChecksum: ULN check digit (digit 10) does not match digits 1-9

    ```
    """
    s = _require_digits(value, _ULN, 10)
    if s[0] == "0":
        raise InvalidFormat(_ULN, "must not start with 0")
    check = uln_check_digit(s[:9])
    if check is None:
        raise InvalidChecksum(_ULN, "digits 1-9 cannot begin any ULN (remainder 0)")
    if check != s[9]:
        raise InvalidChecksum(_ULN, "check digit (digit 10) does not match digits 1-9")
    return s


def is_valid_uln(value: object) -> bool:
    """Whether ``value`` is a valid ULN in canonical form; never raises.

    ```python
    >>> is_valid_uln("9276308686"), is_valid_uln("9999999999"), is_valid_uln(9276308686)
    (True, False, False)

    ```
    """
    return _is_valid(validate_uln, value)


def normalise_uln(value: object) -> str:
    """Remove spaces and hyphens; does not validate.

    Raises:
        InvalidFormat: ``value`` is not a string.

    ```python
    >>> normalise_uln(" 92763 08686")
    '9276308686'

    ```
    """
    return _compact(value, _ULN, "-")


# --------------------------------------------------------------------- NHS number


def validate_nhs_number(value: object) -> str:
    """Return ``value`` if it is a valid NHS number (10 digits, modulo 11), else raise.

    With weights 10 … 2 on digits 1-9 and r their sum modulo 11, the check
    digit is 11 − r (11 written as 0); if that is 10 the number is never
    issued. Only the format and check digit are tested, not issuing ranges.

    Raises:
        InvalidLength: not 10 characters.
        InvalidFormat: not a string, or a non-digit (including the spaced display form).
        InvalidChecksum: the check digit does not match or computes to 10.

    ```python
    >>> validate_nhs_number("9434765919")
    '9434765919'
    >>> validate_nhs_number("9991612840")
    Traceback (most recent call last):
    ...
    sendflow.errors.InvalidChecksum: NHS number check digit computes to 10, ...

    ```
    """
    s = _require_digits(value, _NHS, 10)
    check = nhs_check_digit(s[:9])
    if check is None:
        raise InvalidChecksum(_NHS, "check digit computes to 10, so digits 1-9 are never issued")
    if check != s[9]:
        raise InvalidChecksum(_NHS, "check digit (digit 10) does not match digits 1-9")
    return s


def is_valid_nhs_number(value: object) -> bool:
    """Whether ``value`` is a valid NHS number in compact form; never raises.

    ```python
    >>> is_valid_nhs_number("9434765919"), is_valid_nhs_number("943 476 5919")
    (True, False)

    ```
    """
    return _is_valid(validate_nhs_number, value)


def normalise_nhs_number(value: object) -> str:
    """Remove spaces and hyphens (``943 476 5919`` → ``9434765919``); does not validate.

    Raises:
        InvalidFormat: ``value`` is not a string.

    ```python
    >>> normalise_nhs_number("943 476 5919"), normalise_nhs_number("943-476-5919")
    ('9434765919', '9434765919')

    ```
    """
    return _compact(value, _NHS, "-")


def format_nhs_number(value: object) -> str:
    """Return the 3-3-4 display form of an NHS number, after normalising and validating it.

    Raises:
        InvalidFormat: not a string, or not digits once spaces and hyphens are removed.
        InvalidLength: not 10 digits.
        InvalidChecksum: the check digit does not match.

    ```python
    >>> format_nhs_number("9434765919")
    '943 476 5919'

    ```
    """
    s = validate_nhs_number(normalise_nhs_number(value))
    return f"{s[:3]} {s[3:6]} {s[6:]}"


# ------------------------------------------------------------------------ LA codes


@dataclass(frozen=True, slots=True)
class LACodeEntry:
    """One DfE local authority code and the period it was in force.

    Attributes:
        code: the 3-digit DfE LA code ("old LA code"), e.g. ``"801"``.
        name: the LA's name as DfE spells it, e.g. ``"Bristol, City of"``.
        region: the English region.
        effective_from: first day in force; None if in force since before the
            recorded history (1 April 1998).
        effective_to: first day **no longer** in force (exclusive end), or
            None if still in force.
        replaced_by: the codes of the LAs that took over the area.

    Added in 0.1.

    ```python
    >>> entry = la_code_entry("928")
    >>> entry.name, entry.effective_to, entry.replaced_by
    ('Northamptonshire', datetime.date(2021, 4, 1), ('940', '941'))

    ```
    """

    code: str
    name: str
    region: str
    effective_from: date | None = None
    effective_to: date | None = None
    replaced_by: tuple[str, ...] = ()

    def in_force(self, on: date) -> bool:
        """Whether the code was in force on ``on``.

        ```python
        >>> la_code_entry("928").in_force(date(2021, 3, 31))
        True
        >>> la_code_entry("928").in_force(date(2021, 4, 1))
        False

        ```
        """
        day = _as_date(on)
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_to is None or day < self.effective_to


@dataclass(frozen=True, slots=True)
class _LAData:
    entries: Mapping[str, LACodeEntry]
    current: Mapping[str, str]
    history_from: date


_LA_FILE = "la_codes.toml"


def _as_date(on: date) -> date:
    # datetime is a date subclass but does not compare with date; use its date part.
    return on.date() if isinstance(on, datetime) else on


@functools.cache
def _la_data() -> _LAData:
    text = (resources.files("sendflow") / "data" / _LA_FILE).read_text(encoding="utf-8")
    raw = tomllib.loads(text)

    def fail(key: str, problem: str) -> RuleDataError:
        return RuleDataError(_LA_FILE, key, problem)

    meta = raw.get("meta", {})
    history_from = meta.get("history_from")
    if not isinstance(history_from, date):
        raise fail("meta.history_from", "must be a date")
    entries: dict[str, LACodeEntry] = {}
    for i, item in enumerate(raw.get("la", [])):
        key = f"la[{i}]"
        code = item.get("code")
        if not (isinstance(code, str) and len(code) == 3 and _digits(code)):
            raise fail(f"{key}.code", "must be a 3-digit string")
        if code in entries:
            raise fail(f"{key}.code", "duplicate code")
        start, end = item.get("effective_from"), item.get("effective_to")
        for name, value in (("effective_from", start), ("effective_to", end)):
            if value is not None and not isinstance(value, date):
                raise fail(f"{key}.{name}", "must be a date")
        if start is not None and end is not None and not start < end:
            raise fail(key, "effective_from must be before effective_to")
        entries[code] = LACodeEntry(
            code=code,
            name=str(item["name"]),
            region=str(item["region"]),
            effective_from=start,
            effective_to=end,
            replaced_by=tuple(item.get("replaced_by", ())),
        )
    for code, entry in entries.items():
        for successor in entry.replaced_by:
            if successor not in entries:
                raise fail(f"la[{code}].replaced_by", "names a code that is not in the file")
    current = {code: e.name for code, e in sorted(entries.items()) if e.effective_to is None}
    if len(current) != meta.get("current_count"):
        raise fail("meta.current_count", "does not match the number of codes still in force")
    return _LAData(
        MappingProxyType(dict(sorted(entries.items()))), MappingProxyType(current), history_from
    )


@functools.lru_cache(maxsize=128)
def _la_codes_on(on: date) -> Mapping[str, str]:
    data = _la_data()
    if on < data.history_from:
        raise CalendarError(
            f"LA code history is recorded from {data.history_from.isoformat()} only"
        )
    return MappingProxyType({code: e.name for code, e in data.entries.items() if e.in_force(on)})


def la_codes(on: date | None = None) -> Mapping[str, str]:
    """Return the English LA codes in force on ``on`` (code → name), sorted by code.

    ``on=None`` gives the current list as recorded in the data (the 153 LAs of
    January 2025); there is no hidden clock.

    Raises:
        CalendarError: ``on`` is before 1 April 1998, where history is not recorded.

    ```python
    >>> len(la_codes()), la_codes()["942"]
    (153, 'Cumberland')
    >>> "928" in la_codes(on=date(2021, 3, 31)), "928" in la_codes(on=date(2021, 4, 1))
    (True, False)

    ```
    """
    if on is None:
        return _la_data().current
    return _la_codes_on(_as_date(on))


def la_code_entries() -> tuple[LACodeEntry, ...]:
    """Return every recorded LA code, current and superseded, sorted by code.

    ```python
    >>> [e.code for e in la_code_entries() if e.effective_to is not None]
    ['820', '835', '836', '837', '875', '909', '928']

    ```
    """
    return tuple(_la_data().entries.values())


def la_code_entry(code: object) -> LACodeEntry:
    """Return the record for an LA code, current or superseded.

    Raises:
        InvalidFormat: ``code`` is not 3 ASCII digits (InvalidLength if not 3 long).
        UnknownCode: no English LA has ever had this code in the data.

    ```python
    >>> la_code_entry("909").replaced_by
    ('942', '943')

    ```
    """
    s = _require_digits(code, _LA, 3)
    try:
        return _la_data().entries[s]
    except KeyError:
        raise UnknownCode(_LA, "is not a recorded English LA code") from None


def la_name(code: object) -> str:
    """Return the name DfE gives the LA with this code (current or superseded).

    Raises:
        InvalidFormat: ``code`` is not 3 ASCII digits.
        UnknownCode: the code is not recorded.

    ```python
    >>> la_name("801"), la_name("928")
    ('Bristol, City of', 'Northamptonshire')

    ```
    """
    return la_code_entry(code).name


def validate_la_code(value: object, on: date | None = None) -> str:
    """Return ``value`` if it is an English LA code in force on ``on``, else raise.

    ``on=None`` means the current list (see :func:`la_codes`).

    Raises:
        InvalidLength: not 3 characters.
        InvalidFormat: not a string or not ASCII digits.
        UnknownCode: not an LA code in force on that date.
        CalendarError: ``on`` is before the recorded history.

    ```python
    >>> validate_la_code("940")
    '940'
    >>> validate_la_code("928")
    Traceback (most recent call last):
    ...
    sendflow.errors.UnknownCode: LA code is not an English LA code in force on the date asked about
    >>> validate_la_code("928", on=date(2020, 9, 1))
    '928'

    ```
    """
    s = _require_digits(value, _LA, 3)
    if s not in la_codes(on):
        raise UnknownCode(_LA, "is not an English LA code in force on the date asked about")
    return s


def is_valid_la_code(value: object, on: date | None = None) -> bool:
    """Whether ``value`` is an LA code in force on ``on`` (None: current list); never raises.

    Also False when ``on`` is before the recorded history (1 April 1998).

    ```python
    >>> is_valid_la_code("942"), is_valid_la_code("909")
    (True, False)
    >>> is_valid_la_code("909", on=date(2023, 3, 31))
    True

    ```
    """
    return _is_valid(validate_la_code, value, on)


def is_known_la_code(value: object) -> bool:
    """Whether ``value`` is a recorded English LA code, current or superseded; never raises.

    ```python
    >>> is_known_la_code("909"), is_known_la_code("900")
    (True, False)

    ```
    """
    try:
        la_code_entry(value)
    except InvalidIdentifier:
        return False
    return True


def normalise_la_code(value: object) -> str:
    """Remove whitespace; does not validate.

    Raises:
        InvalidFormat: ``value`` is not a string.

    ```python
    >>> normalise_la_code(" 801 ")
    '801'

    ```
    """
    return _compact(value, _LA)


def _validate_known_la_code(value: object) -> str:
    s = _require_digits(value, _LA, 3)
    if s not in _la_data().entries:
        raise UnknownCode(_LA, "is not a recorded English LA code")
    return s


# ----------------------------------------------------------------- URN and LAESTAB


def validate_urn(value: object) -> str:
    """Return ``value`` if it is a URN in canonical form (6 ASCII digits), else raise.

    A URN (Get Information About Schools unique reference number) has no check
    digit, so only its format can be checked.

    Raises:
        InvalidLength: not 6 characters.
        InvalidFormat: not a string or not ASCII digits.

    ```python
    >>> validate_urn("100000")
    '100000'

    ```
    """
    return _require_digits(value, _URN, 6)


def is_valid_urn(value: object) -> bool:
    """Whether ``value`` is 6 ASCII digits; never raises.

    ```python
    >>> is_valid_urn("100000"), is_valid_urn("10000")
    (True, False)

    ```
    """
    return _is_valid(validate_urn, value)


def normalise_urn(value: object) -> str:
    """Remove whitespace; does not validate.

    Raises:
        InvalidFormat: ``value`` is not a string.

    ```python
    >>> normalise_urn(" 100 000 ")
    '100000'

    ```
    """
    return _compact(value, _URN)


def validate_laestab(value: object) -> str:
    """Return ``value`` if it is a LAESTAB (DfE number) in canonical form, else raise.

    Seven ASCII digits: a 3-digit LA code, which must be a recorded English
    code (current or superseded, since establishments keep their numbers),
    then a 4-digit establishment number.

    Raises:
        InvalidLength: not 7 characters.
        InvalidFormat: not a string or not ASCII digits.
        UnknownCode: characters 1-3 are not a recorded English LA code.

    ```python
    >>> validate_laestab("8012000")
    '8012000'
    >>> validate_laestab("9004000")
    Traceback (most recent call last):
    ...
    sendflow.errors.UnknownCode: LAESTAB characters 1-3 are not a recorded English LA code

    ```
    """
    s = _require_digits(value, _LAESTAB, 7)
    if s[:3] not in _la_data().entries:
        raise UnknownCode(_LAESTAB, "characters 1-3 are not a recorded English LA code")
    return s


def is_valid_laestab(value: object) -> bool:
    """Whether ``value`` is a LAESTAB in canonical form with a recorded LA part; never raises.

    ```python
    >>> is_valid_laestab("8012000"), is_valid_laestab("801/2000")
    (True, False)

    ```
    """
    return _is_valid(validate_laestab, value)


def normalise_laestab(value: object) -> str:
    """Remove whitespace, ``/`` and ``-`` (``801/2000`` → ``8012000``); does not validate.

    Raises:
        InvalidFormat: ``value`` is not a string.

    ```python
    >>> normalise_laestab("801/2000")
    '8012000'

    ```
    """
    return _compact(value, _LAESTAB, "/-")


# ------------------------------------------------------------ pydantic field types

_ERROR_KINDS: tuple[tuple[type[InvalidIdentifier], str], ...] = (
    (InvalidLength, "length"),
    (InvalidFormat, "format"),
    (InvalidChecksum, "checksum"),
    (UnknownCode, "unknown"),
)


#: How many validated codes of one type are remembered (memory stays flat).
_REMEMBERED_MAX = 65_536


class _Remembered(dict[str, Any]):
    """Validated instances of one type of non-personal code (LA codes, URNs,
    LAESTABs), by input. They repeat across a caseload; a hit is a dict look-up
    in C with no Python frame, and a miss validates (``__missing__``). Personal
    identifiers (UPN, ULN, NHS number) are never remembered."""

    __slots__ = ("_cls",)

    def __init__(self, cls: type[_Identifier]) -> None:
        super().__init__()
        self._cls = cls

    def __missing__(self, value: str) -> Any:
        if value is _NOT_A_STRING:
            raise _not_a_string(self._cls)
        result = self._cls._from_pydantic(value)
        if len(self) < _REMEMBERED_MAX:
            self[value] = result
        return result


_REMEMBERED: dict[type, _Remembered] = {}

#: What the strict string check hands on when the input is not a string (see
#: ``__get_pydantic_core_schema__``): pydantic's own ``string_type`` error would
#: quote the input.
_NOT_A_STRING: Any = object()


def _input_free_error(title: str, error_type: str, message: str) -> ValidationError:
    """A validation error that holds no input, for a validator to raise.

    pydantic-core takes a ``ValidationError`` raised inside a validator as its
    line errors, input included; this one's input is ``None``. So the error a
    user's own bare ``TypeAdapter(UPN)`` or model raises names the field and the
    check that failed, never the value (in ``str``, ``errors()`` and ``json()``).
    """
    return ValidationError.from_exception_data(
        title,
        [{"type": PydanticCustomError(error_type, message), "loc": (), "input": None}],
        hide_input=True,
    )


def _not_a_string(cls: type[_Identifier]) -> ValidationError:
    return _input_free_error(cls.__name__, "string_type", f"{cls._scheme} must be a string")


class _Identifier(str):
    """Base of the validated identifier types: a ``str`` that is always canonical and valid."""

    __slots__ = ()

    _error_prefix: ClassVar[str]
    _pattern: ClassVar[str]
    _description: ClassVar[str]
    _scheme: ClassVar[str]
    _redact: ClassVar[bool] = False

    @classmethod
    def _canonical(cls, value: object) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def __new__(cls, value: object) -> Self:
        return super().__new__(cls, cls._canonical(value))

    def __repr__(self) -> str:
        if self._redact:
            return f"{type(self).__name__}(***)"
        return f"{type(self).__name__}({str(self)!r})"

    @classmethod
    def _from_pydantic(cls, value: str) -> Self:
        try:
            return cls(value)
        except InvalidIdentifier as exc:
            kind = next(k for t, k in _ERROR_KINDS if isinstance(exc, t))
            # The message is fixed per check and never contains the value.
            raise _input_free_error(cls.__name__, f"{cls._error_prefix}_{kind}", str(exc)) from None

    @classmethod
    def _validator(cls) -> Callable[[object], _Identifier]:
        """The function pydantic-core calls to validate a personal identifier."""
        return cls._from_any

    @classmethod
    def _from_any(cls, value: object) -> Self:
        """Validation of a personal identifier from any input (one Python call)."""
        if not isinstance(value, str):
            raise _not_a_string(cls)
        return cls._from_pydantic(value)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        serialization = core_schema.plain_serializer_function_ser_schema(
            str, return_schema=core_schema.str_schema()
        )
        if cls._redact:
            # Personal identifiers are validated in Python anyway: one function
            # takes any input, so no pydantic error can quote it.
            return core_schema.no_info_plain_validator_function(
                cls._validator(), serialization=serialization
            )
        if cls not in _REMEMBERED:
            _REMEMBERED[cls] = _Remembered(cls)
        # Codes seen before stay a look-up in C with no Python frame; a
        # non-string becomes _NOT_A_STRING instead of pydantic's string_type
        # error (which would quote the input), and the look-up refuses it.
        return core_schema.no_info_after_validator_function(
            _REMEMBERED[cls].__getitem__,
            core_schema.with_default_schema(
                core_schema.str_schema(strict=True), default=_NOT_A_STRING, on_error="default"
            ),
            serialization=serialization,
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "pattern": cls._pattern, "description": cls._description}


class UPN(_Identifier):
    """A valid Unique Pupil Number (DfE), permanent or temporary.

    Construction normalises (spaces, hyphens, lower case) and validates with
    :func:`validate_upn`; ``repr`` hides the value.

    Added in 0.1.

    ```python
    >>> upn = UPN(" b801 2000 05001")
    >>> upn, str(upn)
    (UPN(***), 'B801200005001')

    ```
    """

    __slots__ = ()
    _scheme = _UPN
    _error_prefix = "upn"
    _pattern = f"^[{UPN_LETTERS}][0-9]{{11}}[0-9{UPN_LETTERS}]$"
    _description = "Unique Pupil Number: 13 characters, check letter first (DfE)"
    _redact = True

    @classmethod
    def _canonical(cls, value: object) -> str:
        return validate_upn(normalise_upn(value))

    @classmethod
    def _validator(cls) -> Callable[[object], _Identifier]:
        # A canonical UPN with the right check letter (nearly every one in a
        # caseload) is accepted in this one frame: the check of
        # sendflow._checks.is_canonical_upn written out (a property test holds
        # the two equal). Anything else takes the full path, which normalises
        # or names the check that failed.
        t2, t5, t8, t11 = _UPN_TRIPLES
        new = str.__new__
        slow = cls._from_any

        def validate_upn_field(value: object) -> _Identifier:
            if type(value) is str:
                try:
                    if UPN_LETTERS[(t2[value[1:4]] + t5[value[4:7]] + t8[value[7:10]]
                                 + t11[value[10:]]) % 23] == value[0]:
                        return new(cls, value)
                except KeyError:
                    pass
            return slow(value)

        return validate_upn_field

    @classmethod
    def _from_pydantic(cls, value: str) -> Self:
        # A UPN already in canonical form with the right check letter (nearly
        # every one in a caseload) is accepted in one step; anything else takes
        # the full path, which normalises or names the check that failed.
        if is_canonical_upn(value):
            return str.__new__(cls, value)
        return super()._from_pydantic(value)


class ULN(_Identifier):
    """A valid Unique Learner Number (10 digits, modulo-11 check); ``repr`` hides it.

    Added in 0.1.

    ```python
    >>> ULN("92763 08686"), str(ULN("9276308686"))
    (ULN(***), '9276308686')

    ```
    """

    __slots__ = ()
    _scheme = _ULN
    _error_prefix = "uln"
    _pattern = "^[1-9][0-9]{9}$"
    _description = "Unique Learner Number: 10 digits, modulo-11 check digit (LRS)"
    _redact = True

    @classmethod
    def _canonical(cls, value: object) -> str:
        return validate_uln(normalise_uln(value))


class NHSNumber(_Identifier):
    """A valid NHS number (10 digits, modulo-11 check); ``repr`` hides it.

    Accepts the spaced display form; stores the compact form.

    Added in 0.1.

    ```python
    >>> NHSNumber("943 476 5919"), str(NHSNumber("943 476 5919"))
    (NHSNumber(***), '9434765919')

    ```
    """

    __slots__ = ()
    _scheme = _NHS
    _error_prefix = "nhs_number"
    _pattern = "^[0-9]{10}$"
    _description = "NHS number: 10 digits, modulo-11 check digit, no spaces"
    _redact = True

    @classmethod
    def _canonical(cls, value: object) -> str:
        return validate_nhs_number(normalise_nhs_number(value))


class LACode(_Identifier):
    """A recorded English DfE LA code, current **or superseded**.

    Superseded codes (e.g. 928 Northamptonshire, ended 1 April 2021) are
    accepted because records made before a reorganisation keep them; use
    :func:`validate_la_code` with ``on=`` to require a code in force on a date.

    Added in 0.1.

    ```python
    >>> LACode("801"), LACode("928").name
    (LACode('801'), 'Northamptonshire')

    ```
    """

    __slots__ = ()
    _scheme = _LA
    _error_prefix = "la_code"
    _pattern = "^[0-9]{3}$"
    _description = "DfE local authority code: 3 digits"

    @classmethod
    def _canonical(cls, value: object) -> str:
        return _validate_known_la_code(normalise_la_code(value))

    @property
    def name(self) -> str:
        """The LA's name as DfE spells it."""
        return la_name(str(self))

    @property
    def entry(self) -> LACodeEntry:
        """The code's record, with the dates it was in force."""
        return la_code_entry(str(self))


class URN(_Identifier):
    """A URN (Get Information About Schools unique reference number): 6 digits.

    Added in 0.1.

    ```python
    >>> URN(" 100000 ")
    URN('100000')

    ```
    """

    __slots__ = ()
    _scheme = _URN
    _error_prefix = "urn"
    _pattern = "^[0-9]{6}$"
    _description = "Unique reference number of an establishment (GIAS): 6 digits"

    @classmethod
    def _canonical(cls, value: object) -> str:
        return validate_urn(normalise_urn(value))


class LAESTAB(_Identifier):
    """A LAESTAB (DfE number): LA code + 4-digit establishment number.

    Accepts the ``801/2000`` form; stores ``8012000``.

    Added in 0.1.

    ```python
    >>> est = LAESTAB("801/2000")
    >>> est, est.la_code, est.establishment_number
    (LAESTAB('8012000'), LACode('801'), '2000')

    ```
    """

    __slots__ = ()
    _scheme = _LAESTAB
    _error_prefix = "laestab"
    _pattern = "^[0-9]{7}$"
    _description = "DfE number (LAESTAB): 3-digit LA code then 4-digit establishment number"

    @classmethod
    def _canonical(cls, value: object) -> str:
        return validate_laestab(normalise_laestab(value))

    @property
    def la_code(self) -> LACode:
        """The LA part (characters 1-3)."""
        return LACode(self[:3])

    @property
    def establishment_number(self) -> str:
        """The establishment number (characters 4-7)."""
        return self[3:]
