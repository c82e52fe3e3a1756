"""The built-docs check (.ci/check_site.py) on small sites made by hand, and the
documentation's diagrams are the tables' own (drawn by to_svg, kept current)."""

from __future__ import annotations

import importlib.util
import sys
import xml.dom.minidom
from pathlib import Path

import pytest

from sendflow.export.diagrams import to_svg
from sendflow.workflows import TABLES

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("check_site", ROOT / ".ci" / "check_site.py")
assert _spec is not None and _spec.loader is not None
check_site = importlib.util.module_from_spec(_spec)
sys.modules["check_site"] = check_site
_spec.loader.exec_module(check_site)


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><head></head><body>{body}</body></html>", encoding="utf-8")
    return tmp_path


def test_a_good_site_passes(tmp_path: Path) -> None:
    site = _site(tmp_path, {
        "index.html": '<a href="guide/">guide</a> <a href="guide/#step-2">step</a> '
                      '<a href="https://www.legislation.gov.uk/">the law</a> '
                      '<img src="img/a.svg"> <a href="#top">top</a><h1 id="top">x</h1>',
        "guide/index.html": '<h2 id="step-2">Step 2</h2><a href="../index.html">home</a>',
        "img/a.svg": "",
    })
    (site / "img" / "a.svg").write_text("<svg/>")
    assert check_site.check_site(site) == []
    assert check_site.main([str(site)]) == 0


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('<a href="missing/">x</a>', "broken link missing/"),
        ('<a href="other.html#nowhere">x</a>', "no anchor #nowhere in other.html"),
        ('<script src="https://cdn.example.org/x.js"></script>', "fetches https://cdn"),
        ('<link rel="stylesheet" href="https://fonts.example.org/css">', "fetches https://fonts"),
        ('<img src="//img.example.org/a.png">', "fetches //img.example.org"),
        ('<pre class="mermaid">graph TD</pre>', "Mermaid block"),
    ],
)
def test_each_kind_of_problem_is_found(tmp_path: Path, body: str, problem: str) -> None:
    site = _site(tmp_path, {"index.html": body, "other.html": '<p id="here">x</p>'})
    problems = check_site.check_site(site)
    assert any(problem in p for p in problems), problems
    assert check_site.main([str(site)]) == 1


@pytest.mark.parametrize("name", sorted(TABLES))
def test_the_docs_diagrams_are_the_tables_own(name: str) -> None:
    # regenerate: python3 -m sendflow diagram NAME --format svg > docs/diagrams/NAME.svg
    drawn = (ROOT / "docs" / "diagrams" / f"{name}.svg").read_text(encoding="utf-8")
    assert drawn == to_svg(TABLES[name])
    dom = xml.dom.minidom.parseString(drawn)
    texts = {n.firstChild.data for n in dom.getElementsByTagName("text") if n.firstChild}
    for state in TABLES[name].states:
        assert state.replace("_", " ") in texts
    events = " ".join(texts)
    for event in TABLES[name].events:
        assert event in events
