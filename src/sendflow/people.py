"""The child or young person, and their parents or carers.

:class:`ChildOrYoungPerson` holds what the SEN2 return (module 1) and the Code
of Practice need to know about the person at the centre of a case: date of
birth, identifiers (UPN, ULN, NHS number), the responsible local authority,
the current setting and the flags that change what the law requires
(looked after, child in need and so on).

Everything that depends on the date takes the date: :meth:`~ChildOrYoungPerson.age_on`,
:meth:`~ChildOrYoungPerson.national_curriculum_year`, :meth:`~ChildOrYoungPerson.phase_on`
and :meth:`~ChildOrYoungPerson.is_young_person`. Under section 83(2) of the
Children and Families Act 2014 a *young person* is over compulsory school age
and under 25; from then on most decisions and rights (requesting an
assessment, appealing) are the young person's own, not their parent's.

Personal fields (names, date of birth, identifiers, postcode, contact details)
never appear in ``repr`` or in validation errors.

```python
>>> from datetime import date
>>> child = ChildOrYoungPerson(date_of_birth=date(2015, 8, 31), upn="B801200005001",
...                            responsible_la="801")
>>> child
ChildOrYoungPerson(upn_unknown=None, responsible_la=LACode('801'), ...)
>>> child.national_curriculum_year(date(2025, 9, 1)), child.phase_on(date(2025, 9, 1))
(6, 'primary')

```
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from sendflow import calendar
from sendflow._base import SendflowModel
from sendflow.identifiers import LAESTAB, ULN, UPN, URN, LACode, NHSNumber
from sendflow.needs import NeedsProfile
from sendflow.returns import PlacementRank, SEN2SettingCode, check_sen2_code

__all__ = [
    "YOUNG_PERSON_UPPER_AGE",
    "ChildOrYoungPerson",
    "DecisionMaker",
    "Ethnicity",
    "ParentOrCarer",
    "Phase",
    "Relationship",
    "SettingAttended",
    "Sex",
    "UPNUnknown",
]

Phase = Literal["early_years", "primary", "secondary", "post16"]
"""Phase of education for a National Curriculum year (see ``calendar.phase_of_education``)."""

DecisionMaker = Literal["parent", "young_person", "representative"]
"""Who makes decisions under Part 3 of the Children and Families Act 2014 on a date."""

#: A young person is "under 25" (Children and Families Act 2014 s. 83(2)).
YOUNG_PERSON_UPPER_AGE = 25

_POSTCODE = r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$"


class Sex(StrEnum):
    """SEN2 ``Sex`` (2024 collection onwards; ``GenderCurrent`` in 2023).

    DfE publishes female, male and unknown; the code letters are the usual
    DfE ones (sen2.md flags them as unverified against the SEN2 guide).
    """

    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


class Ethnicity(StrEnum):
    """DfE ethnicity codes as SEN2 module 1 accepts them: the 20 main codes and the extended ones.

    The 20 main codes (ABAN to WROM, also the CIN census rule 4220 list) come first;
    the extended CBDS codes (for example WENG, WSCO, ABRI) follow. SEN2 accepts all
    108 (sen2.md s. 0). :attr:`is_main` tells the 20 main codes apart.
    """

    ABAN = "ABAN"
    """Bangladeshi."""
    AIND = "AIND"
    """Indian."""
    AOTH = "AOTH"
    """Any other Asian background."""
    APKN = "APKN"
    """Pakistani."""
    BAFR = "BAFR"
    """Black African."""
    BCRB = "BCRB"
    """Black Caribbean."""
    BOTH = "BOTH"
    """Any other Black background."""
    CHNE = "CHNE"
    """Chinese."""
    MOTH = "MOTH"
    """Any other mixed background."""
    MWAS = "MWAS"
    """White and Asian."""
    MWBA = "MWBA"
    """White and Black African."""
    MWBC = "MWBC"
    """White and Black Caribbean."""
    NOBT = "NOBT"
    """Information not yet obtained."""
    OOTH = "OOTH"
    """Any other ethnic group."""
    REFU = "REFU"
    """Refused."""
    WBRI = "WBRI"
    """White British."""
    WIRI = "WIRI"
    """White Irish."""
    WIRT = "WIRT"
    """Traveller of Irish heritage."""
    WOTH = "WOTH"
    """Any other White background."""
    WROM = "WROM"
    """Gypsy/Roma."""
    # Extended codes (CBDS): SEN2 accepts these as well as the 20 main codes
    # (sen2.md s. 0; tests hold this list equal to sen2's Ethnicity code set).
    WCOR = "WCOR"
    """White - Cornish."""
    WENG = "WENG"
    """White - English."""
    WNIR = "WNIR"
    """White - Northern Irish."""
    WSCO = "WSCO"
    """White - Scottish."""
    WWEL = "WWEL"
    """White - Welsh."""
    WOWB = "WOWB"
    """Other White British."""
    WALB = "WALB"
    """Albanian."""
    WBOS = "WBOS"
    """Bosnian - Herzegovinian."""
    WCRO = "WCRO"
    """Croatian."""
    WGRE = "WGRE"
    """Greek/ Greek Cypriot."""
    WGRK = "WGRK"
    """Greek."""
    WGRC = "WGRC"
    """Greek Cypriot."""
    WITA = "WITA"
    """Italian."""
    WKOS = "WKOS"
    """Kosovan."""
    WPOR = "WPOR"
    """Portuguese."""
    WSER = "WSER"
    """Serbian."""
    WTUR = "WTUR"
    """Turkish/ Turkish Cypriot."""
    WTUK = "WTUK"
    """Turkish."""
    WTUC = "WTUC"
    """Turkish Cypriot."""
    WEUR = "WEUR"
    """White European."""
    WEEU = "WEEU"
    """White Eastern European."""
    WWEU = "WWEU"
    """White Western European."""
    WOTW = "WOTW"
    """White Other."""
    WROG = "WROG"
    """Gypsy."""
    WROR = "WROR"
    """Roma."""
    WROO = "WROO"
    """Other Gypsy/Roma."""
    MWAP = "MWAP"
    """White and Pakistani."""
    MWAI = "MWAI"
    """White and Indian."""
    MWAO = "MWAO"
    """White and Any Other Asian Background."""
    ABRI = "ABRI"
    """Asian - British."""
    AWEL = "AWEL"
    """Asian - Welsh."""
    MAOE = "MAOE"
    """Asian and Any Other Ethnic Group."""
    MABL = "MABL"
    """Asian and Black."""
    MACH = "MACH"
    """Asian and Chinese."""
    MBOE = "MBOE"
    """Black and Any Other Ethnic Group."""
    MBCH = "MBCH"
    """Black and Chinese."""
    MCOE = "MCOE"
    """Chinese and Any Other Ethnic Group."""
    MWOE = "MWOE"
    """White and Any Other Ethnic Group."""
    MWCH = "MWCH"
    """White and Chinese."""
    MOTM = "MOTM"
    """Other Mixed Background."""
    AMPK = "AMPK"
    """Mirpuri - Pakistani."""
    AKPA = "AKPA"
    """Kashmiri Pakistani."""
    AOPK = "AOPK"
    """Other Pakistani."""
    AAFR = "AAFR"
    """African Asian."""
    AKAO = "AKAO"
    """Kashmiri Other."""
    ANEP = "ANEP"
    """Nepali."""
    ASNL = "ASNL"
    """Sri Lankan Sinhalese."""
    ASLT = "ASLT"
    """Sri Lankan Tamil."""
    ASRO = "ASRO"
    """Sri Lankan Other."""
    AOTA = "AOTA"
    """Other Asian."""
    BBRI = "BBRI"
    """Black - British."""
    BWEL = "BWEL"
    """Black - Welsh."""
    BANN = "BANN"
    """Black - Angolan."""
    BCON = "BCON"
    """Black - Congolese."""
    BGHA = "BGHA"
    """Black - Ghanaian."""
    BNGN = "BNGN"
    """Black - Nigerian."""
    BSLN = "BSLN"
    """Black - Sierra Leonean."""
    BSOM = "BSOM"
    """Black - Somali."""
    BSUD = "BSUD"
    """Black - Sudanese."""
    BAOF = "BAOF"
    """Other Black African."""
    BEUR = "BEUR"
    """Black European."""
    BNAM = "BNAM"
    """Black North American."""
    BOTB = "BOTB"
    """Other Black."""
    CHKC = "CHKC"
    """Hong Kong Chinese."""
    CMAL = "CMAL"
    """Malaysian Chinese."""
    CSNG = "CSNG"
    """Singaporean Chinese."""
    CTWN = "CTWN"
    """Taiwanese."""
    COCH = "COCH"
    """Other Chinese."""
    OAFG = "OAFG"
    """Afghan."""
    ORAB = "ORAB"
    """Arab."""
    OARA = "OARA"
    """Arab Other."""
    OEGY = "OEGY"
    """Egyptian."""
    OFIL = "OFIL"
    """Filipino."""
    OIRN = "OIRN"
    """Iranian."""
    OIRQ = "OIRQ"
    """Iraqi."""
    OJPN = "OJPN"
    """Japanese."""
    OKOR = "OKOR"
    """Korean."""
    OKRD = "OKRD"
    """Kurdish."""
    OLAM = "OLAM"
    """Latin/ South/ Central American."""
    OLEB = "OLEB"
    """Lebanese."""
    OLIB = "OLIB"
    """Libyan."""
    OMAL = "OMAL"
    """Malay."""
    OMRC = "OMRC"
    """Moroccan."""
    OPOL = "OPOL"
    """Polynesian."""
    OTHA = "OTHA"
    """Thai."""
    OVIE = "OVIE"
    """Vietnamese."""
    OYEM = "OYEM"
    """Yemeni."""
    OOEG = "OOEG"
    """Other Ethnic Group."""

    @property
    def is_main(self) -> bool:
        """Whether this is one of the 20 main codes (not an extended one)."""
        return self in _MAIN_ETHNICITY


#: The 20 main ethnicity codes (the first 20 members of :class:`Ethnicity`).
_MAIN_ETHNICITY = frozenset(list(Ethnicity)[:20])


class UPNUnknown(StrEnum):
    """SEN2 ``UPNunknown``: why neither a UPN nor a ULN is given."""

    UN1 = "UN1"
    """Under 6 and not yet given a UPN."""
    UN2 = "UN2"
    """Never attended a state-funded school in England."""
    UN3 = "UN3"
    """Educated outside England."""
    UN5 = "UN5"
    """Records disagree on name or date of birth, so no reliable match."""
    UN8 = "UN8"
    """New to the LA; UPN or ULN not yet known."""
    UN9 = "UN9"
    """Young person never in a state-funded school or FE setting in England."""
    UN10 = "UN10"
    """The request led to no further action before a UPN or ULN was known."""


class Relationship(StrEnum):
    """How a parent or carer is related to the child."""

    MOTHER = "mother"
    FATHER = "father"
    PARENT = "parent"
    STEP_PARENT = "step_parent"
    GRANDPARENT = "grandparent"
    OTHER_RELATIVE = "other_relative"
    FOSTER_CARER = "foster_carer"
    SPECIAL_GUARDIAN = "special_guardian"
    ADOPTIVE_PARENT = "adoptive_parent"
    CORPORATE_PARENT = "corporate_parent"
    """The local authority, for a looked-after child."""
    OTHER = "other"


class ParentOrCarer(SendflowModel):
    """A parent or carer (Education Act 1996 s. 576: anyone with parental responsibility or care).

    Names and contact details are hidden from ``repr``.

    ```python
    >>> p = ParentOrCarer(relationship="mother", has_parental_responsibility=True,
    ...                   given_name="Sam", preferred_language="pol", needs_interpreter=True)
    >>> "Sam" in repr(p), p.needs_interpreter
    (False, True)

    ```
    """

    relationship: Relationship
    has_parental_responsibility: bool
    given_name: str | None = Field(default=None, repr=False)
    family_name: str | None = Field(default=None, repr=False)
    email: str | None = Field(default=None, repr=False)
    phone: str | None = Field(default=None, repr=False)
    address: str | None = Field(default=None, repr=False)
    postcode: str | None = Field(default=None, repr=False, pattern=_POSTCODE)
    preferred_language: str | None = None
    needs_interpreter: bool = False
    is_main_contact: bool = False


class SettingAttended(SendflowModel):
    """A setting the child or young person actually attends (SEN2 module 5b, PlacementDetail).

    Not the setting *named in the plan* (section I, :class:`sendflow.plan.Placement`,
    SEN2 PlanDetail): a child may attend several settings, one of them ranked 1. A
    setting is identified by ``urn`` or ``ukprn``, or by a SEN2 setting code
    (``sen2_setting``: OLA, OPA, EHE, EYP, OTH, NEET, NIEC, NIEO) with an optional
    description (``setting_other``, SENSettingOther). Codes are checked against the
    SEN2 code sets (``sen2/data/codes.toml``).

    ```python
    >>> from datetime import date
    >>> s = SettingAttended(urn="100001", rank=1, entry_on=date(2024, 9, 4), residential="A")
    >>> s.rank, s.residential
    (1, 'A')

    ```

    Added in 0.9.
    """

    urn: URN | None = Field(default=None, description="URN (SEN2 URN).")
    ukprn: str | None = Field(default=None, pattern=r"^[0-9]{8}$", description="UKPRN.")
    sen2_setting: SEN2SettingCode | None = Field(
        default=None, description="SENSetting: the SEN2 code of a setting with no URN or "
        "UKPRN (code set SENsetting).")
    setting_other: str | None = Field(
        default=None, max_length=200, description="SENSettingOther: the setting described.")
    rank: PlacementRank | None = Field(
        default=None, description="PlacementRank: 1 primary, 2 secondary.")
    entry_on: date | None = Field(default=None, description="EntryDate.")
    leaving_on: date | None = Field(default=None, description="LeavingDate.")
    sen_unit: bool | None = Field(default=None, description="SENunitIndicator.")
    resourced_provision: bool | None = Field(
        default=None, description="ResourcedProvisionIndicator.")
    residential: str | None = Field(
        default=None, description="Res (2024 on): residential placement (code set PlanRes).")
    work_based: str | None = Field(
        default=None, description="WBP (2024 on): work-based placement (code set WBP).")
    attendance_pattern: str | None = Field(
        default=None, description="AttendancePattern (2023): FT or PT.")

    @field_validator("leaving_on")
    @classmethod
    def _leaves_after_entry(cls, value: date | None, info: ValidationInfo) -> date | None:
        entry = info.data.get("entry_on")
        if value is not None and entry is not None and value < entry:
            raise ValueError("leaving_on is before entry_on")
        return value

    @field_validator("residential")
    @classmethod
    def _res_code(cls, value: str | None) -> str | None:
        return check_sen2_code("PlanRes", value)

    @field_validator("work_based")
    @classmethod
    def _wbp_code(cls, value: str | None) -> str | None:
        return check_sen2_code("WBP", value)

    @field_validator("attendance_pattern")
    @classmethod
    def _attendance_code(cls, value: str | None) -> str | None:
        return check_sen2_code("AttendancePattern", value)


class ChildOrYoungPerson(SendflowModel):
    """A child or young person with (possible) special educational needs.

    Fields follow SEN2 module 1 where they overlap. Identifiers are validated
    types (:class:`~sendflow.identifiers.UPN` and so on); SEN2 expects a UPN,
    a ULN or a :class:`UPNUnknown` reason.

    ```python
    >>> from datetime import date
    >>> yp = ChildOrYoungPerson(date_of_birth=date(2009, 9, 1))
    >>> yp.compulsory_school_age_end
    datetime.date(2026, 6, 26)
    >>> yp.is_young_person(date(2026, 6, 26)), yp.is_young_person(date(2026, 6, 27))
    (False, True)

    ```
    """

    date_of_birth: date = Field(repr=False)
    person_id: str | None = Field(default=None, repr=False, max_length=100)
    upn: UPN | None = Field(default=None, repr=False)
    uln: ULN | None = Field(default=None, repr=False)
    nhs_number: NHSNumber | None = Field(default=None, repr=False)
    upn_unknown: UPNUnknown | None = None
    responsible_la: LACode | None = None
    given_name: str | None = Field(default=None, repr=False)
    family_name: str | None = Field(default=None, repr=False)
    sex: Sex | None = None
    ethnicity: Ethnicity | None = None
    postcode: str | None = Field(default=None, repr=False, pattern=_POSTCODE)
    first_language: str | None = None
    setting_urn: URN | None = None
    setting_ukprn: str | None = Field(default=None, pattern=r"^[0-9]{8}$")
    setting_laestab: LAESTAB | None = None
    settings_attended: tuple[SettingAttended, ...] = Field(
        default=(),
        description="Every setting the child attends (SEN2 PlacementDetail), rank 1 first "
        "or as the source lists them; setting_urn / setting_ukprn is the main one.",
    )
    looked_after: bool = False
    previously_looked_after: bool = False
    child_in_need: bool = False
    child_protection_plan: bool = False
    eligible_for_free_school_meals: bool = False
    lacks_capacity: bool = False
    needs: NeedsProfile | None = Field(
        default=None,
        description="Primary and any secondary need type (SEN2 module 5c; CoP 6.28-6.35).",
    )
    """The young person lacks capacity (Mental Capacity Act 2005) for decisions under Part 3;
    a representative then acts for them (CFA 2014 s. 80; SEND Regulations 2014 Part 5)."""
    parents_or_carers: tuple[ParentOrCarer, ...] = ()

    @field_validator("postcode")
    @classmethod
    def _upper_postcode(cls, value: str | None) -> str | None:
        return None if value is None else value.upper()

    # Checks across fields, written as validators of the later field of each
    # pair: they run only when that field is given (rarely), where a model
    # validator would run for every child of a caseload. Fields are validated
    # in the order they are declared, so the earlier one is in ``info.data``.
    @field_validator("upn_unknown")
    @classmethod
    def _upn_unknown_only_without_ids(
        cls, value: UPNUnknown | None, info: ValidationInfo
    ) -> UPNUnknown | None:
        if value is not None and (
            info.data.get("upn") is not None or info.data.get("uln") is not None
        ):
            raise ValueError("upn_unknown: give a reason only when neither upn nor uln is given")
        return value

    @field_validator("previously_looked_after")
    @classmethod
    def _not_both_looked_after(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("looked_after"):
            raise ValueError("previously_looked_after: cannot be set while looked_after is set")
        return value

    # ------------------------------------------------------------------ derived, by date

    def age_on(self, on: date) -> int:
        """Age in whole years on ``on`` (Family Law Reform Act 1969 s. 9).

        A 29 February birthday is reached on 1 March in common years.

        ```python
        >>> from datetime import date
        >>> leap = ChildOrYoungPerson(date_of_birth=date(2012, 2, 29))
        >>> leap.age_on(date(2026, 2, 28)), leap.age_on(date(2026, 3, 1))
        (13, 14)

        ```
        """
        return calendar.age_on(self.date_of_birth, on)

    def national_curriculum_year(self, on: date) -> int:
        """The age-based National Curriculum year in the academic year containing ``on``.

        Reception is 0, nursery -1; counting continues past 13 for young people.

        ```python
        >>> from datetime import date
        >>> ChildOrYoungPerson(date_of_birth=date(2015, 9, 1)).national_curriculum_year(
        ...     date(2026, 1, 15))
        5

        ```
        """
        return calendar.national_curriculum_year(self.date_of_birth, calendar.academic_year(on))

    def year_group_label(self, on: date) -> str:
        """A label for :meth:`national_curriculum_year`, e.g. ``'Year 6'`` or ``'Reception'``.

        ```python
        >>> from datetime import date
        >>> ChildOrYoungPerson(date_of_birth=date(2020, 8, 31)).year_group_label(date(2024, 9, 2))
        'Reception'

        ```
        """
        return calendar.nc_year_label(self.national_curriculum_year(on))

    def phase_on(self, on: date) -> Phase:
        """Phase of education for the age-based year group on ``on``.

        ```python
        >>> from datetime import date
        >>> ChildOrYoungPerson(date_of_birth=date(2014, 8, 31)).phase_on(date(2025, 9, 1))
        'secondary'

        ```
        """
        return calendar.phase_of_education(self.national_curriculum_year(on))

    @property
    def compulsory_school_age_end(self) -> date:
        """The last day of compulsory school age (Education Act 1996 s. 8; SI 1997/1970).

        ```python
        >>> from datetime import date
        >>> ChildOrYoungPerson(date_of_birth=date(2010, 8, 31)).compulsory_school_age_end
        datetime.date(2026, 6, 26)

        ```
        """
        return calendar.compulsory_school_age_end(self.date_of_birth)

    def is_over_compulsory_school_age(self, on: date) -> bool:
        """Whether compulsory school age ended before ``on``.

        ```python
        >>> from datetime import date
        >>> c = ChildOrYoungPerson(date_of_birth=date(2010, 8, 31))
        >>> c.is_over_compulsory_school_age(date(2026, 6, 26))
        False
        >>> c.is_over_compulsory_school_age(date(2026, 6, 27))
        True

        ```
        """
        return on > self.compulsory_school_age_end

    def is_young_person(self, on: date) -> bool:
        """Whether they are a *young person* on ``on``: over compulsory school age, under 25.

        Children and Families Act 2014 s. 83(2).

        ```python
        >>> from datetime import date
        >>> yp = ChildOrYoungPerson(date_of_birth=date(2001, 3, 10))
        >>> yp.is_young_person(date(2026, 3, 9)), yp.is_young_person(date(2026, 3, 10))
        (True, False)

        ```
        """
        return self.is_over_compulsory_school_age(on) and (self.age_on(on) < YOUNG_PERSON_UPPER_AGE)

    def is_child(self, on: date) -> bool:
        """Whether they are a *child* (not yet over compulsory school age) on ``on``.

        ```python
        >>> from datetime import date
        >>> ChildOrYoungPerson(date_of_birth=date(2015, 8, 31)).is_child(date(2026, 1, 1))
        True

        ```
        """
        return not self.is_over_compulsory_school_age(on)

    def decision_maker(self, on: date) -> DecisionMaker:
        """Who exercises the Part 3 rights on ``on``: the parent, the young person, or a
        representative where the young person lacks capacity (CFA 2014 ss. 80, 83(2)).

        ```python
        >>> from datetime import date
        >>> yp = ChildOrYoungPerson(date_of_birth=date(2009, 9, 1))
        >>> yp.decision_maker(date(2026, 1, 5)), yp.decision_maker(date(2026, 9, 1))
        ('parent', 'young_person')

        ```
        """
        if not self.is_over_compulsory_school_age(on):
            return "parent"
        return "representative" if self.lacks_capacity else "young_person"
