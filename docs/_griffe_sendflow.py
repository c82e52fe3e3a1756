"""A griffe extension for sendflow's API reference (used by mkdocstrings, see mkdocs.yml).

- Every pydantic model's docstring gains a table of its fields: name, type, default and
  description, read from the model itself (``model_fields``), so the reference lists
  every field, documented or not, and cannot drift from the code.
- Every enum's docstring gains a table of its members and values.
- Sphinx cross-reference roles (``:class:`X```, ``:func:`~a.b```), which mkdocstrings'
  Google-style parser would show as raw text, become inline code, and a reST literal
  block's ``::`` becomes ``:`` (its indented block is code in Markdown already).

Nothing here changes the code: it only rewrites docstrings as the docs are built.
"""

from __future__ import annotations

import enum
import html
import importlib
import re
from typing import Any

from griffe import Alias, Class, Docstring, Extension, Module, Object

__all__ = ["SendflowReference"]

_ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|data|mod|attr|exc|obj|const|ref|term):"
    r"`(?P<tilde>~?)(?P<target>[^`<]+?)(?:\s*<(?P<explicit>[^>]+)>)?`"
)


_LITERAL = re.compile(r"(\S)::\n([ \t]*\n)")


def _role(match: re.Match[str]) -> str:
    target = match.group("target").strip()
    if match.group("explicit"):  # :class:`text <target>`
        return f"`{target}`"
    name = target.rsplit(".", 1)[-1] if match.group("tilde") else target
    return f"`{name}`"


def _short(text: str) -> str:
    """A type or value written without module paths (``sendflow.case.Case`` -> ``Case``)."""
    text = re.sub(r"<class '([^']+)'>", r"\1", text)
    text = re.sub(r"<enum '([^']+)'>", r"\1", text)
    text = re.sub(r"\b(?:[a-z_][a-z0-9_]*\.)+([A-Za-z_][A-Za-z0-9_]*)", r"\1", text)
    return text.replace("NoneType", "None").replace("typing.", "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _code(text: str) -> str:
    """Inline code for a table cell (a pipe in a type must not split the cell)."""
    return "<code>" + html.escape(text.strip()).replace("|", "&#124;") + "</code>"


def _runtime(obj: Object) -> Any:
    try:
        module = importlib.import_module(obj.module.path)
    except Exception:
        return None
    value: Any = module
    for part in obj.path[len(obj.module.path) + 1:].split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _append(obj: Object, text: str) -> None:
    if obj.docstring is None:
        obj.docstring = Docstring(text.strip(), parent=obj)
    else:
        obj.docstring.value = obj.docstring.value.rstrip() + "\n\n" + text.strip()


def _fields_table(obj: Class, cls: Any) -> str | None:
    from pydantic.fields import PydanticUndefined

    fields = getattr(cls, "model_fields", None)
    if not fields:
        return None
    rows = ["**Fields**", "", "| field | type | default | description |", "|---|---|---|---|"]
    for name, info in fields.items():
        member = obj.members.get(name)
        annotation = None
        if member is not None and not isinstance(member, Alias):
            annotation = getattr(member, "annotation", None)
        type_text = str(annotation) if annotation is not None else repr(info.annotation)
        if info.is_required():
            default = "required"
        elif info.default_factory is not None:
            default = "(empty)" if info.default_factory in (tuple, list, dict) else "(computed)"
        elif info.default is PydanticUndefined:
            default = ""
        else:
            value = info.default
            default = repr(getattr(value, "value", value))
        description = info.description or ""
        if not description and member is not None and member.docstring is not None:
            description = member.docstring.value.strip().split("\n\n")[0]
        description = _ROLE.sub(_role, description)
        rows.append(f"| `{name}` | {_code(_short(type_text))} | {_code(default)} | "
                    f"{_cell(description)} |")
    return "\n".join(rows)


def _values_table(obj: Class, cls: Any) -> str:
    rows = ["**Values**", "", "| member | value | meaning |", "|---|---|---|"]
    for member in cls:
        doc = ""
        attr = obj.members.get(member.name)
        if attr is not None and not isinstance(attr, Alias) and attr.docstring is not None:
            doc = _ROLE.sub(_role, attr.docstring.value.strip().split("\n\n")[0])
        rows.append(f"| `{member.name}` | {_code(repr(member.value))} | {_cell(doc)} |")
    return "\n".join(rows)


class SendflowReference(Extension):
    """Field and value tables for models and enums; Sphinx roles as inline code."""

    def on_package(self, *, pkg: Module, **kwargs: Any) -> None:
        seen: set[str] = set()
        self._walk(pkg, seen)

    def _walk(self, obj: Object, seen: set[str]) -> None:
        if obj.path in seen:
            return
        seen.add(obj.path)
        if obj.docstring is not None:
            text = _ROLE.sub(_role, obj.docstring.value)
            # a reST literal block ("text::" then an indented block): the indented
            # block is already code in Markdown, the "::" would show
            obj.docstring.value = _LITERAL.sub(r"\1:\n\2", text)
        if isinstance(obj, Class):
            self._tables(obj)
        for member in list(obj.members.values()):
            if isinstance(member, Alias):
                continue
            self._walk(member, seen)

    def _tables(self, obj: Class) -> None:
        cls = _runtime(obj)
        if not isinstance(cls, type):
            return
        try:
            from pydantic import BaseModel
        except ImportError:  # pragma: no cover
            return
        if issubclass(cls, BaseModel):
            table = _fields_table(obj, cls)
            if table:
                _append(obj, table)
        elif issubclass(cls, enum.Enum) and len(cls) > 0:
            _append(obj, _values_table(obj, cls))
