"""Check a built documentation site: every internal link resolves, nothing is fetched
from the network when a page is viewed.

Usage: ``python3 .ci/check_site.py SITE_DIR``. Exits 1 listing each problem:

- an ``href``/``src`` to a page or file of the site that does not exist;
- a ``#fragment`` that no element of the target page has as its ``id``;
- a ``<script src>``, ``<link href>`` (stylesheet, font, icon), ``<img src>`` or
  ``<iframe src>`` on another host (the usual LA laptop is offline or behind a
  proxy, so docs must show without the network);
- a Mermaid block left for a JavaScript renderer (``class="mermaid"``: the theme
  would fetch the renderer from a CDN).

Plain links to other sites (``<a href="https://...">``, the law on legislation.gov.uk)
are fine: following one is the reader's choice.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["check_site", "main"]

#: Attributes that make the browser fetch something when the page is shown.
_FETCHED = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"),
            ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src")}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.mermaid = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            if name == "class" and "mermaid" in value.split():
                self.mermaid = True
            if name in ("href", "src"):
                self.links.append((tag, name, value))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def _target(site: Path, page: Path, url: str) -> Path | None:
    """The file an internal URL points at (None: not a file of the site)."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if not path:
        return page
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target


def check_site(site: Path) -> list[str]:
    """Every problem with the site in ``site`` (empty: none)."""
    site = site.resolve()
    problems: list[str] = []
    pages = {p.resolve(): _parse(p) for p in site.rglob("*.html")}
    if not pages:
        return [f"{site}: no HTML pages (is this a built site?)"]
    for path, page in sorted(pages.items()):
        where = path.relative_to(site)
        if page.mermaid:
            problems.append(f"{where}: a Mermaid block needs a renderer from a CDN; "
                            "draw it as SVG (sendflow.export.diagrams.to_svg)")
        for tag, attr, url in page.links:
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "tel", "javascript", "data"):
                continue
            if parts.scheme or parts.netloc:
                if (tag, attr) in _FETCHED:
                    problems.append(f"{where}: <{tag} {attr}> fetches {url} from the network")
                continue
            target = _target(site, path, url)
            if target is None:
                continue
            if not target.exists():
                problems.append(f"{where}: broken link {url}")
                continue
            if parts.fragment and target.suffix == ".html":
                other = pages.get(target)
                if other is not None and unquote(parts.fragment) not in other.ids:
                    problems.append(f"{where}: no anchor #{parts.fragment} in "
                                    f"{target.relative_to(site)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: check_site.py SITE_DIR\n")
        return 2
    problems = check_site(Path(args[0]))
    for problem in problems:
        sys.stderr.write(problem + "\n")
    if problems:
        sys.stderr.write(f"check_site: {len(problems)} problem(s)\n")
        return 1
    sys.stdout.write("check_site: every internal link resolves; nothing is fetched "
                     "from the network\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
