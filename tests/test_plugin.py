"""The hypothesis plugin (entry point) and the import boundary, in fresh processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_import_sendflow_does_not_import_hypothesis() -> None:
    out = run(
        """
        import sys
        import sendflow
        sendflow.Case, sendflow.evaluate
        print(sorted(m for m in sys.modules if m.split(".")[0] == "hypothesis"))
        """
    )
    assert out.strip() == "[]"


def test_from_type_gives_valid_values_in_a_fresh_process() -> None:
    out = run(
        """
        from hypothesis import HealthCheck, given, settings, strategies as st
        import sendflow
        from sendflow import identifiers as ids

        # What is tested is registration in a process without conftest's profiles, not
        # speed: on a loaded CI box the draws of whole cases trip "too slow" and deadlines.
        @settings(
            max_examples=50,
            database=None,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(
            st.from_type(sendflow.UPN), st.from_type(sendflow.ULN),
            st.from_type(sendflow.NHSNumber), st.from_type(sendflow.LACode),
            st.from_type(sendflow.URN), st.from_type(sendflow.LAESTAB),
            st.builds(sendflow.ChildOrYoungPerson), st.from_type(sendflow.ChildOrYoungPerson),
            st.from_type(sendflow.Case),
        )
        def check(upn, uln, nhs, la, urn, laestab, built, child, case):
            assert isinstance(upn, sendflow.UPN) and ids.is_valid_upn(upn)
            assert isinstance(uln, sendflow.ULN) and ids.is_valid_uln(uln)
            assert isinstance(nhs, sendflow.NHSNumber) and ids.is_valid_nhs_number(nhs)
            assert isinstance(la, sendflow.LACode) and ids.is_known_la_code(la)
            assert isinstance(urn, sendflow.URN) and ids.is_valid_urn(urn)
            assert isinstance(laestab, sendflow.LAESTAB) and ids.is_valid_laestab(laestab)
            for person in (built, child):
                again = sendflow.ChildOrYoungPerson.model_validate_json(person.model_dump_json())
                assert again == person
            assert sendflow.Case.model_validate_json(case.model_dump_json()) == case

        check()
        print("ok")
        """
    )
    assert out.strip() == "ok"


def test_from_type_works_when_hypothesis_is_imported_first() -> None:
    out = run(
        """
        from hypothesis import find, strategies as st
        from sendflow.identifiers import UPN, is_valid_upn
        print(is_valid_upn(find(st.from_type(UPN), lambda u: True)))
        """
    )
    assert out.strip() == "True"
