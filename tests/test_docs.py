"""The docs stay in step with the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendflow.export.law import rules_markdown

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def test_law_rules_page_is_generated_from_the_registry() -> None:
    page = (DOCS / "law" / "rules.md").read_text(encoding="utf-8")
    assert page == rules_markdown(), (
        "docs/law/rules.md is stale: run "
        "`python -m sendflow rules --format markdown > docs/law/rules.md`"
    )


def test_every_rule_is_on_the_law_page() -> None:
    from sendflow import rules

    page = (DOCS / "law" / "rules.md").read_text(encoding="utf-8")
    missing = [rid for rid in rules.rule_ids() if f"`{rid}`" not in page]
    assert missing == []


def _nav_files() -> list[str]:
    import re

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return re.findall(r":\s+([\w/.-]+\.md)\s*$", text, flags=re.MULTILINE)


@pytest.mark.parametrize("page", _nav_files())
def test_nav_pages_exist(page: str) -> None:
    assert (DOCS / page).is_file(), page


def test_every_docs_page_is_in_the_nav() -> None:
    nav = set(_nav_files())
    pages = {
        p.relative_to(DOCS).as_posix()
        for p in DOCS.rglob("*.md")
        if "examples" not in p.parts
    }
    assert sorted(pages - nav) == []
