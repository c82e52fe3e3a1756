"""Check-character arithmetic for sendflow's identifiers.

Pure functions over ASCII strings, with no pydantic and no I/O, so they can be
reused by the hypothesis strategies in :mod:`sendflow.testing`. Callers check
the shape (length, ASCII digits) first; these functions only do the maths.

- UPN: DfE modulo-23 check letter (UK Government Data Standards Catalogue,
  "Unique Pupil Number" v2.0).
- ULN: Learning Records Service modulo-11 check digit (ESFA ILR validation,
  ``DerivedData_01``).
- NHS number: NHS modulo-11 check digit (NHS Data Dictionary).
"""

from __future__ import annotations

__all__ = [
    "UPN_LETTERS",
    "is_canonical_upn",
    "nhs_check_digit",
    "uln_check_digit",
    "upn_check_letter",
]

#: The 23 letters a UPN uses, in value order (A = 0 … Z = 22); I, O and S are
#: never used. The same table gives a temporary UPN's final letter its value.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_VALUES = {**{c: i for i, c in enumerate(UPN_LETTERS)}, **{str(d): d for d in range(10)}}


def _triples(weights: tuple[int, int, int], last: str) -> dict[str, int]:
    """Three characters (two digits, then one of ``last``) -> their weighted value."""
    digits = "0123456789"
    return {
        a + b + c: weights[0] * _UPN_VALUES[a] + weights[1] * _UPN_VALUES[b]
        + weights[2] * _UPN_VALUES[c]
        for a in digits
        for b in digits
        for c in last
    }


#: Characters 2-4, 5-7, 8-10 and 11-13 of a UPN -> their weighted value (weights
#: 2, 3, ... 13): digits only, except that character 13 may be a letter
#: (temporary UPN), valued by its place in UPN_LETTERS.
_UPN_TRIPLES = (
    _triples((2, 3, 4), "0123456789"),
    _triples((5, 6, 7), "0123456789"),
    _triples((8, 9, 10), "0123456789"),
    _triples((11, 12, 13), "0123456789" + UPN_LETTERS),
)


def _upn_check_index(upn: str) -> int:
    """The place in UPN_LETTERS of the check letter for characters 2-13 of
    ``upn`` (its first character is not read).

    Raises KeyError unless characters 2-13 have a UPN's shape: each slice must
    be a key, exactly three characters of the right kind, so the last one fixes
    the length at 13.
    """
    t2, t5, t8, t11 = _UPN_TRIPLES
    return (t2[upn[1:4]] + t5[upn[4:7]] + t8[upn[7:10]] + t11[upn[10:]]) % 23


def upn_check_letter(body: str) -> str:
    """Return the check letter for the 12 characters after a UPN's first.

    ``body`` is characters 2–13: eleven ASCII digits followed by a digit or,
    for a temporary UPN, a letter from :data:`UPN_LETTERS`.

    ```python
    >>> upn_check_letter("801200005001")
    'B'
    >>> upn_check_letter("80120000101A")
    'G'

    ```
    """
    return UPN_LETTERS[_upn_check_index(" " + body)]


def is_canonical_upn(upn: str) -> bool:
    """Whether ``upn`` is a valid UPN already in canonical form (13 characters:
    a check letter, eleven ASCII digits, then a digit or letter; upper case).

    False for anything else, including a UPN that only needs normalising: a
    quick test for input that is nearly always canonical.

    ```python
    >>> is_canonical_upn("B801200005001"), is_canonical_upn("b801200005001")
    (True, False)

    ```
    """
    try:
        return UPN_LETTERS[_upn_check_index(upn)] == upn[0]
    except KeyError:
        return False


def _weighted_mod11(nine: str) -> int:
    return sum(weight * int(d) for weight, d in zip(range(10, 1, -1), nine, strict=True)) % 11


def uln_check_digit(nine: str) -> str | None:
    """Return the ULN check digit for nine ASCII digits, or None if none works.

    Weights 10 … 2, remainder r modulo 11; the check digit is 10 − r, and
    r = 0 means no ULN begins with these nine digits.

    ```python
    >>> uln_check_digit("927630868")
    '6'
    >>> uln_check_digit("100000006") is None
    True

    ```
    """
    r = _weighted_mod11(nine)
    return None if r == 0 else str(10 - r)


def nhs_check_digit(nine: str) -> str | None:
    """Return the NHS-number check digit for nine ASCII digits, or None.

    Weights 10 … 2, remainder r modulo 11; the check digit is 11 − r, with 11
    written as 0. A result of 10 means these nine digits are never issued.

    ```python
    >>> nhs_check_digit("943476591")
    '9'
    >>> nhs_check_digit("999161284") is None
    True

    ```
    """
    check = 11 - _weighted_mod11(nine)
    if check == 11:
        return "0"
    if check == 10:
        return None
    return str(check)
